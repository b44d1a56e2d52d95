package web

import (
	"context"
	"os"
	"path/filepath"
	"sync"
)

// dbCopies keeps the one copy of the database that /export/sourcebook.db sends: one per data
// version, made by the first request that needs it, shared by the requests that arrive while
// it is made and by every later one until a write makes it stale. A copy per request filled
// the temporary directory (20 downloads at 60× the seed corpus: 527 MB of copies).
type dbCopies struct {
	mu      sync.Mutex
	current *dbCopy // the newest copy, made or being made
}

type dbCopy struct {
	version int64
	dir     string        // its own temporary directory; set before ready closes
	ready   chan struct{} // closed once the copy is made, or failed (err)
	err     error
	removed bool // guarded by dbCopies.mu: a newer copy replaced it
}

// open returns the database copy for version, opened, making it if it is not there. The
// copy is made under its own context: one client leaving must not spoil it for the others
// waiting on it. A file once opened stays readable after a newer copy replaces it.
func (c *dbCopies) open(ctx context.Context, version int64, snapshot func(ctx context.Context, path string) error) (*os.File, error) {
	for {
		c.mu.Lock()
		cp := c.current
		if cp == nil || cp.version < version {
			cp = &dbCopy{version: version, ready: make(chan struct{})}
			old := c.current
			c.current = cp
			go c.make(context.WithoutCancel(ctx), cp, old, snapshot)
		}
		c.mu.Unlock()
		select {
		case <-cp.ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if cp.err != nil {
			return nil, cp.err
		}
		c.mu.Lock()
		if cp.removed { // replaced between being made and being opened: take the newer one
			c.mu.Unlock()
			continue
		}
		f, err := os.Open(filepath.Join(cp.dir, "sourcebook.db"))
		c.mu.Unlock()
		return f, err
	}
}

// make writes cp, then removes old once cp has replaced it.
func (c *dbCopies) make(ctx context.Context, cp, old *dbCopy, snapshot func(ctx context.Context, path string) error) {
	dir, err := os.MkdirTemp("", "sourcebook-export-")
	if err == nil {
		cp.dir = dir
		err = snapshot(ctx, filepath.Join(dir, "sourcebook.db"))
	}
	cp.err = err
	close(cp.ready)
	if err != nil {
		c.mu.Lock()
		if c.current == cp {
			c.current = nil // the next request tries again
		}
		c.remove(cp)
		c.mu.Unlock()
	}
	if old != nil {
		<-old.ready // its maker removes nothing after this point but itself, on failure
		c.mu.Lock()
		c.remove(old)
		c.mu.Unlock()
	}
}

// remove deletes cp's directory; c.mu is held.
func (c *dbCopies) remove(cp *dbCopy) {
	if !cp.removed && cp.dir != "" {
		os.RemoveAll(cp.dir)
	}
	cp.removed = true
}

// close removes the current copy, at shutdown.
func (c *dbCopies) close() {
	c.mu.Lock()
	cp := c.current
	c.current = nil
	c.mu.Unlock()
	if cp == nil {
		return
	}
	<-cp.ready
	c.mu.Lock()
	c.remove(cp)
	c.mu.Unlock()
}
