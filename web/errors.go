package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/web/ui"
)

// Handlers return their error instead of answering it, so that what a reader is told about
// a failure is decided in one place: answer below, the one table from error to status.
// html and api adapt a handler for the site and for the JSON API; they differ only in how
// the answer is written.

// handler is a route that returns its error; html or api answers it.
type handler func(http.ResponseWriter, *http.Request) error

// html adapts h for the site's pages: an error becomes an error page.
func (s *Server) html(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil && !moved(w, r, err) {
			s.fail(w, r, err)
		}
	}
}

// api adapts h for the JSON API and the JSON export: an error becomes {"error": msg}.
func (s *Server) api(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil && !moved(w, r, err) {
			s.apiFail(w, r, err)
		}
	}
}

// httpError is an error that says itself what the reader is told: a handler returns one for
// a failure that is its own (a page past the last, a filter naming nothing), with words more
// helpful than the table's.
type httpError struct {
	status int
	msg    string
	plain  bool  // answered as text/plain on the site, as a citation's bad ?rev= always has been
	cause  error // what went wrong below, logged with a 5xx
}

func (e *httpError) Error() string {
	if e.cause != nil {
		return e.msg + ": " + e.cause.Error()
	}
	return e.msg
}

func (e *httpError) Unwrap() error { return e.cause }

// movedError sends the reader on to where a record now lives: an issue that was split
// answers at the issue that took it over.
type movedError struct{ to string }

func (e *movedError) Error() string { return "moved to " + e.to }

// moved answers a movedError with a permanent redirect, and reports whether it did.
func moved(w http.ResponseWriter, r *http.Request, err error) bool {
	var m *movedError
	if !errors.As(err, &m) {
		return false
	}
	http.Redirect(w, r, m.to, http.StatusMovedPermanently)
	return true
}

// issueMoved turns a missing issue into a redirect when the issue was split and another
// took over its address: to builds the new address from the new slug.
func (s *Server) issueMoved(ctx context.Context, slug string, err error, to func(string) string) error {
	if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	newSlug, ok, aerr := s.store.IssueMovedTo(ctx, slug)
	if aerr != nil {
		return aerr
	}
	if !ok {
		return err
	}
	return &movedError{to: to(newSlug)}
}

// positionMoved is issueMoved for an actor's position on a split issue: it redirects only
// if the actor has a position on the issue that took over, so that the old address never
// leads to a page that is not there.
func (s *Server) positionMoved(ctx context.Context, actor, issue string, err error, to func(string) string) error {
	moved := s.issueMoved(ctx, issue, err, to)
	var m *movedError
	if !errors.As(moved, &m) {
		return moved
	}
	newSlug, _, aerr := s.store.IssueMovedTo(ctx, issue)
	if aerr != nil {
		return aerr
	}
	if _, perr := s.store.Position(ctx, actor, newSlug); perr != nil {
		return perr
	}
	return moved
}

// statusError is an answer of status with msg.
func statusError(status int, msg string) error { return &httpError{status: status, msg: msg} }

// notFound is a 404 that says what is missing.
func notFound(msg string) error { return statusError(http.StatusNotFound, msg) }

// answer is the one table from an error to the status and message a reader gets: a missing
// record is a 404, bad input a 400, and anything else is logged and a 500 that gives nothing
// away. ok is false when the client went away and there is no one to answer.
func (s *Server) answer(r *http.Request, err error) (status int, msg string, ok bool) {
	var he *httpError
	switch {
	case errors.As(err, &he):
		status, msg = he.status, he.msg
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound, "There is nothing at this address.", true
	case errors.Is(err, store.ErrInvalid):
		return http.StatusBadRequest, err.Error(), true
	case errors.Is(err, context.Canceled):
		return 0, "", false
	default:
		status, msg = http.StatusInternalServerError, "Something went wrong on our side. It has been logged."
	}
	if status >= http.StatusInternalServerError {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	return status, msg, true
}

// fail answers err with an error page: html uses it, and so do the middlewares that refuse
// a request before any handler runs.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, msg, ok := s.answer(r, err)
	if !ok {
		return
	}
	var he *httpError
	if errors.As(err, &he) && he.plain {
		http.Error(w, msg, status)
		return
	}
	s.renderError(w, r, status, msg)
}

// apiFail answers err as the API does: the same statuses, as JSON.
func (s *Server) apiFail(w http.ResponseWriter, r *http.Request, err error) {
	if status, msg, ok := s.answer(r, err); ok {
		s.jsonError(w, status, msg)
	}
}

// renderError writes the error page: never cached, and without the ETag the page would have had.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	var buf bytes.Buffer
	if err := ui.ErrorPage(status, msg).Render(r.Context(), &buf); err != nil {
		http.Error(w, msg, status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Del("ETag")
	w.Header().Del("Last-Modified")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// jsonError answers {"error": msg}, never cached.
func (s *Server) jsonError(w http.ResponseWriter, status int, msg string) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Del("ETag")
	h.Del("Last-Modified")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]string{"error": msg})
	w.Write(append(b, '\n'))
}
