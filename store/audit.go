// Audit: the log of who changed what, written in the transaction of each change.

package store

import (
	"context"
	"database/sql"
	"fmt"
)

// AuditEntry is one change in the audit log.
type AuditEntry struct {
	At, User, Action, Entity, Detail string
}

// audit records a change in the transaction that makes it.
func audit(ctx context.Context, tx *sql.Tx, by *User, action, entity, detail string) error {
	var uid any
	if by != nil {
		uid = by.ID
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (user_id, action, entity, detail) VALUES (?, ?, ?, ?)`,
		uid, action, entity, detail); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// Audit returns the newest entries of the audit log, optionally for one entity ("claim/x").
func (s *Store) Audit(ctx context.Context, entity string, limit int) ([]AuditEntry, error) {
	rows, err := s.query(ctx, `SELECT a.at, coalesce(u.email, 'system'), a.action, a.entity, a.detail
		FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
		WHERE ? = '' OR a.entity = ? ORDER BY a.id DESC LIMIT ?`, entity, entity, limit)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	defer rows.Close()
	var list []AuditEntry
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.At, &e.User, &e.Action, &e.Entity, &e.Detail); err != nil {
			return nil, fmt.Errorf("audit log: %w", err)
		}
		list = append(list, e)
	}
	return list, rows.Err()
}
