// Audit: the log of who changed what, written in the transaction of each change, and read
// back a page at a time, filtered by editor, kind of change and date.

package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// AuditEntry is one change in the audit log.
type AuditEntry struct {
	ID                               int64
	At, User, Action, Entity, Detail string
	// OldText and NewText are the words a text edit changed (a claim's statement, a
	// source's whole text), for a word diff; both "" (HasText false) for other changes
	// and for entries written before they were recorded.
	OldText, NewText string
	HasText          bool
}

// audit records a change in the transaction that makes it.
func audit(ctx context.Context, tx *sql.Tx, by *User, action, entity, detail string) error {
	return auditRow(ctx, tx, by, action, entity, detail, nil, nil)
}

// auditText records a text edit with the words before and after, so the log can show what
// changed word by word. An edit that left the words as they were records none.
func auditText(ctx context.Context, tx *sql.Tx, by *User, action, entity, before, after, detail string) error {
	if before == after {
		return audit(ctx, tx, by, action, entity, detail)
	}
	return auditRow(ctx, tx, by, action, entity, detail, before, after)
}

func auditRow(ctx context.Context, tx *sql.Tx, by *User, action, entity, detail string, before, after any) error {
	var uid any
	if by != nil {
		uid = by.ID
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (user_id, action, entity, detail, old_text, new_text) VALUES (?, ?, ?, ?, ?, ?)`,
		uid, action, entity, detail, before, after); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// currentText is a source's current text as one string, its blocks a blank line apart: what
// the audit log keeps of a text before and after an edit.
func currentText(ctx context.Context, tx *sql.Tx, sourceID int64) (string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT text FROM blocks WHERE source_id = ? AND position IS NOT NULL ORDER BY position`, sourceID)
	if err != nil {
		return "", fmt.Errorf("text of source %d: %w", sourceID, err)
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return "", fmt.Errorf("text of source %d: %w", sourceID, err)
		}
		parts = append(parts, t)
	}
	return strings.Join(parts, "\n\n"), rows.Err()
}

// AuditFilter selects entries of the audit log; zero fields select all.
type AuditFilter struct {
	Entity string // "claim/x"
	User   string // the editor's email; "system" for changes made by no one signed in
	Action string // "claim.update"
	From   string // first day, YYYY-MM-DD, inclusive
	To     string // last day, YYYY-MM-DD, inclusive
	ID     int64  // one entry
	Page   Page
}

func (f AuditFilter) where() (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, vals ...any) { conds = append(conds, cond); args = append(args, vals...) }
	if f.Entity != "" {
		add(`a.entity = ?`, f.Entity)
	}
	if f.User == "system" {
		add(`a.user_id IS NULL`)
	} else if f.User != "" {
		add(`u.email = ?`, f.User)
	}
	if f.Action != "" {
		add(`a.action = ?`, f.Action)
	}
	// at is an ISO timestamp: a day's entries sort from "D" up to but not including "D" + 1.
	if f.From != "" {
		add(`a.at >= ?`, f.From)
	}
	if f.To != "" {
		add(`a.at < date(?, '+1 day')`, f.To)
	}
	if f.ID != 0 {
		add(`a.id = ?`, f.ID)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Audit returns the newest entries of the audit log, optionally for one entity ("claim/x").
func (s *Store) Audit(ctx context.Context, entity string, limit int) ([]AuditEntry, error) {
	list, _, err := s.AuditPage(ctx, AuditFilter{Entity: entity, Page: Page{Limit: limit}})
	return list, err
}

// AuditPage returns the entries f selects, newest first, a page of them, and how many it
// selects in all.
func (s *Store) AuditPage(ctx context.Context, f AuditFilter) ([]AuditEntry, int, error) {
	where, args := f.where()
	limit, largs := f.Page.clause()
	rows, err := s.query(ctx, `SELECT a.id, a.at, coalesce(u.email, 'system'), a.action, a.entity, a.detail,
		coalesce(a.old_text, ''), coalesce(a.new_text, ''), a.old_text IS NOT NULL AND a.new_text IS NOT NULL
		FROM audit_log a LEFT JOIN users u ON u.id = a.user_id`+where+` ORDER BY a.id DESC`+limit, append(args, largs...)...)
	if err != nil {
		return nil, 0, fmt.Errorf("audit log: %w", err)
	}
	defer rows.Close()
	var list []AuditEntry
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.User, &e.Action, &e.Entity, &e.Detail, &e.OldText, &e.NewText, &e.HasText); err != nil {
			return nil, 0, fmt.Errorf("audit log: %w", err)
		}
		list = append(list, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("audit log: %w", err)
	}
	total, err := s.count(ctx, "audit log", `SELECT count(*) FROM audit_log a LEFT JOIN users u ON u.id = a.user_id`+where, args...)
	return list, total, err
}

// AuditChoices are the values the audit log's filters offer: every editor who has changed
// something (and "system" if the corpus load has), and every kind of change logged.
type AuditChoices struct {
	Users, Actions []string
}

// AuditChoices returns the values the audit log's filters can take.
func (s *Store) AuditChoices(ctx context.Context) (AuditChoices, error) {
	var c AuditChoices
	for _, q := range []struct {
		sql  string
		into *[]string
	}{
		{`SELECT DISTINCT coalesce(u.email, 'system') FROM audit_log a LEFT JOIN users u ON u.id = a.user_id ORDER BY 1`, &c.Users},
		{`SELECT DISTINCT action FROM audit_log ORDER BY 1`, &c.Actions},
	} {
		rows, err := s.query(ctx, q.sql)
		if err != nil {
			return c, fmt.Errorf("audit choices: %w", err)
		}
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return c, fmt.Errorf("audit choices: %w", err)
			}
			*q.into = append(*q.into, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return c, fmt.Errorf("audit choices: %w", err)
		}
	}
	return c, nil
}
