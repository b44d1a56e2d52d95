package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/web/ui"
)

// The audit log (/admin/audit): filtered by editor, kind of change, record and dates
// through a GET form, so a filtered view is an address an editor can keep or send, and a
// page at a time.

// auditPerPage is how many entries a page of the audit log shows.
const auditPerPage = 50

func (s *Server) adminAudit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	v := ui.AuditView{Filter: ui.AuditFilterForm{User: q.Get("user"), Action: q.Get("action"),
		From: q.Get("from"), To: q.Get("to"), Entity: q.Get("entity")}}
	var err error
	if v.Choices, err = s.store.AuditChoices(ctx); err != nil {
		return err
	}
	errs := store.FieldErrors{}
	if v.Filter.User != "" && !slices.Contains(v.Choices.Users, v.Filter.User) {
		errs["user"] = "no change in the log was made by " + strconv.Quote(v.Filter.User) + ": choose an editor from the list"
	}
	if v.Filter.Action != "" && !slices.Contains(v.Choices.Actions, v.Filter.Action) {
		errs["action"] = "there is no kind of change " + strconv.Quote(v.Filter.Action) + " in the log: choose one from the list"
	}
	from, fromOK := auditDate(v.Filter.From, "from", errs)
	to, toOK := auditDate(v.Filter.To, "to", errs)
	if fromOK && toOK && !from.IsZero() && !to.IsZero() && to.Before(from) {
		errs["to"] = "the last day, " + v.Filter.To + ", comes before the first, " + v.Filter.From
	}
	page := 1
	if p := q.Get("page"); p != "" {
		if page, err = strconv.Atoi(p); err != nil || page < 1 {
			errs["form"] = "the page is a whole number from 1, as in page=2"
		}
	}
	if len(errs) > 0 {
		v.Errors = errs
		return s.writeHTML(w, r, http.StatusUnprocessableEntity, ui.AdminAuditPage(v))
	}
	f := store.AuditFilter{Entity: v.Filter.Entity, User: v.Filter.User, Action: v.Filter.Action,
		From: v.Filter.From, To: v.Filter.To, Page: store.Page{Offset: (page - 1) * auditPerPage, Limit: auditPerPage}}
	if v.Entries, v.Total, err = s.store.AuditPage(ctx, f); err != nil {
		return err
	}
	pages := max(1, (v.Total+auditPerPage-1)/auditPerPage)
	if page > pages {
		v.Errors = store.FieldErrors{"form": "these filters select " + strconv.Itoa(v.Total) + " changes, " +
			strconv.Itoa(pages) + " " + map[bool]string{true: "page", false: "pages"}[pages == 1] + " of them: there is no page " + strconv.Itoa(page)}
		return s.writeHTML(w, r, http.StatusNotFound, ui.AdminAuditPage(v))
	}
	v.Pages = pageLinks(page, pages, func(n int) string { return auditPageURL(v.Filter, n) })
	return s.writeHTML(w, r, http.StatusOK, ui.AdminAuditPage(v))
}

// auditDate reads a day of the audit filter, YYYY-MM-DD; "" is no bound.
func auditDate(v, field string, errs store.FieldErrors) (time.Time, bool) {
	if v == "" {
		return time.Time{}, true
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		errs[field] = strconv.Quote(v) + " is not a date: write it as YYYY-MM-DD, as in 2026-03-14"
		return time.Time{}, false
	}
	return t, true
}

// auditPageURL is page n of the audit log under the same filters.
func auditPageURL(f ui.AuditFilterForm, n int) string {
	q := url.Values{}
	for k, v := range map[string]string{"user": f.User, "action": f.Action, "from": f.From, "to": f.To, "entity": f.Entity} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if n > 1 {
		q.Set("page", strconv.Itoa(n))
	}
	if len(q) == 0 {
		return "/admin/audit"
	}
	return "/admin/audit?" + q.Encode()
}
