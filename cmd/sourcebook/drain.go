package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// A stop that answers every request the server has accepted.
//
// http.Server.Shutdown alone is not quite that: a connection whose request headers it
// finishes reading after Shutdown began is closed without an answer (net/http's conn.serve
// checks shuttingDown right after readRequest). On a busy machine a request sent a few
// milliseconds before SIGTERM lands in that gap. So the server stops in two steps: first it
// stops accepting and turns keep-alives off, which lets every open connection finish the
// request it carries and then close; only when none is left does it call Shutdown, which
// then has nothing to drop.
//
// What remains is inherent to TCP and HTTP/1.1: a connection still in the kernel's accept
// queue when the listener closes is reset, and an idle keep-alive connection is closed
// (clients retry those). Take an instance out of rotation before stopping it under traffic.

// connTracker knows which connections are open, through http.Server.ConnState.
type connTracker struct {
	mu   sync.Mutex
	open map[net.Conn]struct{}
}

func newConnTracker() *connTracker { return &connTracker{open: map[net.Conn]struct{}{}} }

func (t *connTracker) track(c net.Conn, state http.ConnState) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch state {
	case http.StateNew:
		t.open[c] = struct{}{}
	case http.StateClosed, http.StateHijacked:
		delete(t.open, c)
	}
}

func (t *connTracker) count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.open)
}

// closeOnce is a listener that closes once; later calls do nothing and report what the
// first did. drain closes the listener itself so that no connection is accepted while the
// open ones finish, and Shutdown then closes every listener Serve still tracks: Serve lets
// go of its listener only once it has returned, so on a quick stop, with no connection left
// to wait for, Shutdown could close it a second time and fail with "use of closed network
// connection", turning a clean stop into exit status 1.
type closeOnce struct {
	net.Listener
	once sync.Once
	err  error
}

func (l *closeOnce) Close() error {
	l.once.Do(func() { l.err = l.Listener.Close() })
	return l.err
}

// drain stops srv, which serves ln with conns as its ConnState hook: no new connections,
// every accepted one answered, until ctx ends; then whatever is left is closed.
func drain(ctx context.Context, srv *http.Server, ln *closeOnce, conns *connTracker) error {
	ln.Close()                      // Serve returns; the kernel resets what it had not handed over
	srv.SetKeepAlivesEnabled(false) // closes idle connections; busy ones close after their answer
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for conns.count() > 0 {
		select {
		case <-ctx.Done():
			n := conns.count()
			srv.Close()
			return fmt.Errorf("shutdown: %d connections still open when the time ran out; closed them", n)
		case <-tick.C:
		}
	}
	if err := srv.Shutdown(ctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
