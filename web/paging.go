package web

import (
	"github.com/sourcebook/sourcebook/web/ui"
)

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
