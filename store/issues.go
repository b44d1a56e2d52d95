// Issues: the questions positions answer, each with the proposition a stance is taken on;
// reading and creating them.

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// IssueMovedTo returns the issue that took over slug when an issue was split, if one did.
func (s *Store) IssueMovedTo(ctx context.Context, slug string) (string, bool, error) {
	var to string
	err := s.queryRow(ctx, `SELECT i.slug FROM issue_aliases a JOIN issues i ON i.id = a.issue_id WHERE a.slug = ?`, slug).Scan(&to)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("issue alias %s: %w", slug, err)
	}
	return to, true, nil
}

// IssueRef names an issue briefly, for links.
type IssueRef struct {
	Slug, Name string
	// Proposition is what a stance on the issue is for or against: shown wherever a
	// stance is, since "for" means nothing without it.
	Proposition string
}

// Issue is a question in dispute.
type Issue struct {
	ID          int64
	Slug        string
	Name        string
	Question    string
	Proposition string
	Claims      int
	Positions   int
}

// Ref returns the issue's short reference.
func (i Issue) Ref() IssueRef {
	return IssueRef{Slug: i.Slug, Name: i.Name, Proposition: i.Proposition}
}

const issueColumns = `i.id, i.slug, i.name, i.question, i.proposition,
	(SELECT count(*) FROM claim_issues ci JOIN claims c ON c.id = ci.claim_id JOIN sources s ON s.id = c.source_id AND s.status = 'published' WHERE ci.issue_id = i.id),
	(SELECT count(*) FROM positions WHERE issue_id = i.id)`

func scanIssue(row interface{ Scan(...any) error }) (Issue, error) {
	var i Issue
	err := row.Scan(&i.ID, &i.Slug, &i.Name, &i.Question, &i.Proposition, &i.Claims, &i.Positions)
	return i, err
}

// Issues lists the issues in their editorial order.
func (s *Store) Issues(ctx context.Context) ([]Issue, error) {
	list, err := s.issueList(ctx)
	return slices.Clone(list), err
}

// issueList is the list of issues kept for the data version; callers must not change it.
func (s *Store) issueList(ctx context.Context) ([]Issue, error) {
	return memoized(ctx, s, "issues", s.listIssues)
}

func (s *Store) listIssues(ctx context.Context) ([]Issue, error) {
	return s.issues(ctx, "")
}

// IssuePage returns a page of the issues, in their editorial order, and how many there are.
func (s *Store) IssuePage(ctx context.Context, p Page) ([]Issue, int, error) {
	clause, args := p.clause()
	return paged(ctx, s, "issues", func() ([]Issue, error) { return s.issues(ctx, clause, args...) },
		`SELECT count(*) FROM issues`)
}

// issues lists the issues in their editorial order, with a LIMIT clause or none.
func (s *Store) issues(ctx context.Context, limit string, args ...any) ([]Issue, error) {
	rows, err := s.query(ctx, `SELECT `+issueColumns+` FROM issues i ORDER BY i.position`+limit, args...)
	if err != nil {
		return nil, fmt.Errorf("issues: %w", err)
	}
	defer rows.Close()
	var list []Issue
	for rows.Next() {
		i, err := scanIssue(rows)
		if err != nil {
			return nil, fmt.Errorf("issues: %w", err)
		}
		list = append(list, i)
	}
	return list, rows.Err()
}

// Issue returns one issue by slug, from the list of issues kept for the data version: its
// counts read every claim on the issue (90 ms at 1000× the seed corpus).
func (s *Store) Issue(ctx context.Context, slug string) (Issue, error) {
	list, err := s.issueList(ctx)
	if err != nil {
		return Issue{}, err
	}
	for _, i := range list {
		if i.Slug == slug {
			return i, nil
		}
	}
	return Issue{}, ErrNotFound
}

// CreateIssue adds a question in dispute, stated as the proposition stances are taken on.
func (s *Store) CreateIssue(ctx context.Context, by *User, name, question, proposition string) (string, error) {
	errs := FieldErrors{}
	for field, v := range map[string]string{"issue_name": name, "question": question, "proposition": proposition} {
		if strings.TrimSpace(v) == "" {
			errs[field] = "required"
		}
		cleanText(errs, field, v, false)
	}
	if err := errs.orNil(); err != nil {
		return "", err
	}
	var slug string
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if slug, err = uniqueSlug(ctx, tx, "issues", slugify(name)); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO issues (slug, name, question, proposition, position)
			VALUES (?, ?, ?, ?, (SELECT coalesce(max(position), 0) + 1 FROM issues))`, slug, name, question, proposition)
		if err != nil {
			return fmt.Errorf("create issue: %w", err)
		}
		id, _ := res.LastInsertId()
		if err := reindex(ctx, tx, kindIssue, id); err != nil {
			return err
		}
		return audit(ctx, tx, by, "issue.create", "issue/"+slug, name)
	})
	return slug, err
}
