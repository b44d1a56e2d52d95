package ui

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/web/link"
)

// AuditLink is where an audit entry's record is seen: the admin page of a source or claim
// (drafts included), the public page of an actor, issue, position or precedent, the
// accounts page for an account. It is "" for a record that is gone (a deleted claim) and for
// entities it does not know.
func AuditLink(e store.AuditEntry) string {
	kind, rest, ok := strings.Cut(e.Entity, "/")
	if !ok || rest == "" {
		return ""
	}
	switch kind {
	case "source":
		return "/admin/sources/" + url.PathEscape(rest)
	case "claim":
		if e.Action == "claim.delete" {
			return ""
		}
		return "/admin/claims/" + url.PathEscape(rest) + "/edit"
	case "actor":
		return link.Actor(rest)
	case "issue":
		return link.Issue(rest)
	case "precedent":
		return link.Precedent(rest)
	case "position":
		if actor, issue, ok := strings.Cut(rest, "/"); ok {
			return link.Position(actor, issue)
		}
	case "user":
		return "/admin/users"
	}
	return ""
}

// auditEntityURL is the audit log of one record.
func auditEntityURL(entity string) string {
	return "/admin/audit?entity=" + url.QueryEscape(entity)
}

// withValue is a filter's choices with the value asked for among them, so that a value no
// entry has (a mistyped address) is still shown as chosen rather than silently dropped.
func withValue(choices []string, v string) []string {
	if v == "" || slices.Contains(choices, v) {
		return choices
	}
	return append(slices.Clone(choices), v)
}

// auditCount says how many entries the log, or its filters, select.
func auditCount(v AuditView) string {
	n := strconv.Itoa(v.Total) + " " + plural(v.Total, "change", "changes")
	if !v.Filter.Filtered() {
		return n + " in all."
	}
	return n + " " + plural(v.Total, "matches", "match") + " these filters."
}

// TrimDiff shortens the unchanged stretches of a word diff to their first and last n words
// around an ellipsis, so that a change in a long text shows the changed words in their
// context rather than the whole text.
func TrimDiff(pieces []DiffPiece, n int) []DiffPiece {
	out := make([]DiffPiece, 0, len(pieces))
	for i, p := range pieces {
		if p.Op != 0 {
			out = append(out, p)
			continue
		}
		words := wordToken.FindAllString(p.Text, -1)
		keepHead, keepTail := 2*n, 2*n // words and the spaces between them
		if i == 0 {
			keepHead = 0
		}
		if i == len(pieces)-1 {
			keepTail = 0
		}
		if len(words) <= keepHead+keepTail+2 {
			out = append(out, p)
			continue
		}
		text := strings.Join(words[:keepHead], "") + " … " + strings.Join(words[len(words)-keepTail:], "")
		out = append(out, DiffPiece{Op: 0, Text: text})
	}
	return out
}
