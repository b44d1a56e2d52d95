package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/web/ui"
)

// pageParam reads ?page=N: 1 when absent, a 400 when it is not a page number.
func pageParam(r *http.Request) (int, error) {
	s := r.URL.Query().Get("page")
	if s == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 1_000_000 {
		return 0, fmt.Errorf("%w: page must be a number from 1, not %q", store.ErrInvalid, s)
	}
	return n, nil
}

// pageLinks numbers the pages of a list for ui.Pager: the first and the last, and those
// within two of the current one, with a gap (N 0) where numbers are left out.
func pageLinks(current, pages int, url func(page int) string) []ui.PageLink {
	if pages < 2 {
		return nil
	}
	var out []ui.PageLink
	for p := 1; p <= pages; p++ {
		if p != 1 && p != pages && (p < current-2 || p > current+2) {
			if out[len(out)-1].N != 0 {
				out = append(out, ui.PageLink{})
			}
			continue
		}
		out = append(out, ui.PageLink{N: p, URL: url(p), Current: p == current})
	}
	return out
}
