package main

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"
)

// lateToLetGo is a listener whose Accept reports its closing a while after it, as it does
// when the goroutine in Serve is not scheduled at once on a busy machine.
type lateToLetGo struct{ net.Listener }

func (l lateToLetGo) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		time.Sleep(200 * time.Millisecond)
	}
	return c, err
}

// A stop with nothing in flight is clean even when Serve is slow to return: drain has
// closed the listener, and Shutdown, finding Serve still holding it, closes it again. That
// second close once failed with "use of closed network connection", and the server exited
// with status 1 after a clean stop.
func TestDrainWhileServeStillHoldsTheListener(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := &closeOnce{Listener: lateToLetGo{l}}
	conns := newConnTracker()
	srv := &http.Server{Handler: http.NotFoundHandler(), ConnState: conns.track}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	// One request answered proves Serve holds the listener; the client closes its
	// connection, so drain finds nothing to wait for and calls Shutdown at once.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get("http://" + l.Addr().String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for conns.count() > 0 {
		time.Sleep(time.Millisecond)
	}

	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if err := drain(ctx, srv, ln, conns); err != nil {
		t.Errorf("a stop with nothing in flight failed: %v", err)
	}
	<-served
}
