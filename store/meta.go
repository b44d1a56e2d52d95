// Meta: the data version that every write bumps, the base of ETags and caches, and the counts
// of what the knowledge base holds.

package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Version is the data version and when it last changed. Every write bumps it, so it is a
// sound base for ETags: equal versions mean equal data.
type Version struct {
	N         int64
	UpdatedAt string // RFC 3339, UTC
}

// versionTTL is how long Version trusts the copy it keeps in memory. Every page request
// asks for the version, and a SQLite query is most of what a cached page costs, so it is
// kept in memory. This process's own writes replace the copy as they commit, so an edit
// shows at once; the bound is for writes by another process on the same file.
const versionTTL = time.Second

type knownVersion struct {
	v  Version
	at time.Time
}

// Version returns the current data version.
func (s *Store) Version(ctx context.Context) (Version, error) {
	if k := s.version.Load(); k != nil && time.Since(k.at) < versionTTL {
		return k.v, nil
	}
	// One request asks SQLite; the others wait for its answer. Holding the lock through the
	// query also orders it before any commit that wants to record a newer version.
	s.versionMu.Lock()
	defer s.versionMu.Unlock()
	if k := s.version.Load(); k != nil && time.Since(k.at) < versionTTL {
		return k.v, nil
	}
	v, err := scanVersion(s.queryRow(ctx, `SELECT version, updated_at FROM site_meta WHERE id = 1`))
	if err != nil {
		return Version{}, err
	}
	s.version.Store(&knownVersion{v: v, at: time.Now()})
	return v, nil
}

// committed records the version a write transaction of this process has just committed.
func (s *Store) committed(v Version) {
	s.versionMu.Lock()
	defer s.versionMu.Unlock()
	s.version.Store(&knownVersion{v: v, at: time.Now()})
	s.wrote()
}

func scanVersion(row *sql.Row) (Version, error) {
	var v Version
	if err := row.Scan(&v.N, &v.UpdatedAt); err != nil {
		return Version{}, fmt.Errorf("data version: %w", err)
	}
	return v, nil
}

// Stats counts what the knowledge base holds.
type Stats struct {
	Sources, Blocks, Actors, Issues, Claims, Citations, Positions, Precedents, Events, Roles int
	Drafts                                                                                   int // sources not published, not counted in Sources
}

// Stats counts the records in the knowledge base.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	return memoized(ctx, s, "stats", s.countRecords)
}

func (s *Store) countRecords(ctx context.Context) (Stats, error) {
	var st Stats
	err := s.queryRow(ctx, `SELECT
		(SELECT count(*) FROM sources WHERE status = 'published'),
		(SELECT count(*) FROM blocks WHERE position IS NOT NULL),
		(SELECT count(*) FROM actors),
		(SELECT count(*) FROM issues),
		(SELECT count(*) FROM claims),
		(SELECT count(*) FROM citations),
		(SELECT count(*) FROM positions),
		(SELECT count(*) FROM precedents),
		(SELECT count(*) FROM events),
		(SELECT count(*) FROM actor_roles),
		(SELECT count(*) FROM sources WHERE status <> 'published')`).Scan(&st.Sources, &st.Blocks, &st.Actors, &st.Issues,
		&st.Claims, &st.Citations, &st.Positions, &st.Precedents, &st.Events, &st.Roles, &st.Drafts)
	if err != nil {
		return Stats{}, fmt.Errorf("stats: %w", err)
	}
	return st, nil
}
