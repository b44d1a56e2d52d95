// Package link spells the site's URLs in one place. Pages, the API, feeds and exports all
// link through it, so a permalink is written the same way everywhere.
package link

import (
	"net/url"
	"strconv"
)

// Source is a source's page.
func Source(slug string) string { return "/sources/" + url.PathEscape(slug) }

// Passage is a block's permalink; rev 0 means the current text.
func Passage(source, key string, rev int) string {
	u := Source(source) + "/" + url.PathEscape(key)
	if rev > 0 {
		u += "?rev=" + strconv.Itoa(rev)
	}
	return u
}

// Actor is an actor's page.
func Actor(slug string) string { return "/actors/" + url.PathEscape(slug) }

// IssuePage is a page of an issue's positions.
func IssuePage(slug string, page int) string {
	if page <= 1 {
		return Issue(slug)
	}
	return Issue(slug) + "?page=" + strconv.Itoa(page)
}

// Matrix is a page of the position matrix.
func Matrix(page int) string {
	if page <= 1 {
		return "/matrix"
	}
	return "/matrix?page=" + strconv.Itoa(page)
}

// Timeline is a page of the timeline.
func Timeline(page int) string {
	if page <= 1 {
		return "/timeline"
	}
	return "/timeline?page=" + strconv.Itoa(page)
}

// Issue is an issue's page.
func Issue(slug string) string { return "/issues/" + url.PathEscape(slug) }

// Position is the evidence for an actor's position on an issue: a matrix cell's target.
func Position(actor, issue string) string {
	return "/positions/" + url.PathEscape(actor) + "/" + url.PathEscape(issue)
}

// Claim is a claim's page.
func Claim(slug string) string { return "/claims/" + url.PathEscape(slug) }

// Precedent is a precedent's (or proposal's) page.
func Precedent(slug string) string { return "/precedents/" + url.PathEscape(slug) }
