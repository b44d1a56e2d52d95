package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/sourcebook/sourcebook/store"
)

// The API's lists come in pages: a list of tens of thousands of claims is tens of megabytes,
// too big to keep rendered and seconds to encode. A page holds apiPerPage items unless
// ?per_page= asks for another number up to apiMaxPerPage; ?page= counts from 1.
const (
	apiPerPage    = 100
	apiMaxPerPage = 1000
)

// apiPage is the page of a list a request asks for.
type apiPage struct{ page, perPage int }

// readAPIPage reads ?page and ?per_page; a value that is not a page or a page size is bad
// input (store.ErrInvalid, a 400).
func readAPIPage(r *http.Request) (apiPage, error) {
	p := apiPage{page: 1, perPage: apiPerPage}
	q := r.URL.Query()
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			return p, fmt.Errorf("%w: page must be a number from 1, not %q", store.ErrInvalid, v)
		}
		p.page = n
	}
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > apiMaxPerPage {
			return p, fmt.Errorf("%w: per_page must be a number from 1 to %d, not %q", store.ErrInvalid, apiMaxPerPage, v)
		}
		p.perPage = n
	}
	return p, nil
}

// window is the page as the store cuts it.
func (p apiPage) window() store.Page {
	return store.Page{Offset: (p.page - 1) * p.perPage, Limit: p.perPage}
}

// pages is how many pages a list of total items fills; an empty list has one, empty, page.
func (p apiPage) pages(total int) int {
	return max(1, (total+p.perPage-1)/p.perPage)
}

// listLinks is what a page of the API links to: itself, the first, last, previous and next
// pages ("" when there is none), as the request's path and query with page set. All but
// itself are also sent in a Link header (RFC 8288), relative like every URL the API gives.
type listLinks struct{ self, first, last, prev, next string }

func (p apiPage) links(w http.ResponseWriter, r *http.Request, total int) listLinks {
	pages := p.pages(total)
	at := func(n int) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		return r.URL.Path + "?" + q.Encode()
	}
	l := listLinks{self: at(p.page), first: at(1), last: at(pages)}
	if p.page > 1 {
		l.prev = at(min(p.page-1, pages))
	}
	if p.page < pages {
		l.next = at(p.page + 1)
	}
	var header []string
	for _, link := range [][2]string{{l.first, "first"}, {l.prev, "prev"}, {l.next, "next"}, {l.last, "last"}} {
		if link[0] != "" {
			header = append(header, "<"+link[0]+`>; rel="`+link[1]+`"`)
		}
	}
	w.Header().Set("Link", strings.Join(header, ", "))
	return l
}

// apiList is a page of one of the API's lists: the items, as the whole list gave them
// before it had pages, with where they stand in the list.
type apiList[T any] struct {
	Total   int      `json:"total"` // items in the whole list
	Page    int      `json:"page"`
	PerPage int      `json:"per_page"`
	Pages   int      `json:"pages"`
	First   string   `json:"first"`
	Last    string   `json:"last"`
	Prev    nullable `json:"prev"` // null on the first page
	Next    nullable `json:"next"` // null on the last page
	Items   []T      `json:"items"`
}

// outOfRange is a 404 for a page past the last, or nil.
func outOfRange(p apiPage, total int) error {
	if pages := p.pages(total); p.page > pages {
		return notFound(fmt.Sprintf("There are %d pages of %d items; page %d is past the last.", pages, p.perPage, p.page))
	}
	return nil
}

// servePage answers with the page of a list the request asks for: fetch reads it from the
// store with the list's total, toJSON makes the API's objects of the store's.
func servePage[S, T any](s *Server, w http.ResponseWriter, r *http.Request,
	fetch func(context.Context, store.Page) ([]S, int, error), toJSON func([]S) []T) error {
	p, err := readAPIPage(r)
	if err != nil {
		return err
	}
	items, total, err := fetch(r.Context(), p.window())
	if err != nil {
		return err
	}
	if err := outOfRange(p, total); err != nil {
		return err
	}
	l := p.links(w, r, total)
	return s.writeJSON(w, r, apiList[T]{Total: total, Page: p.page, PerPage: p.perPage, Pages: p.pages(total),
		First: l.first, Last: l.last, Prev: nullable(l.prev), Next: nullable(l.next), Items: list(toJSON(items))})
}
