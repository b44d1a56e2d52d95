package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// cachedHandler wraps h in the cache-filling middleware, at data version 1.
func cachedHandler(h http.HandlerFunc) (*Server, http.Handler) {
	s := &Server{pages: newPageCache(24 << 20)}
	return s, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.cached(h).ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), versionKey{}, int64(1))))
	})
}

// A response too big to cache is streamed, not held in memory: the reader has its first
// megabytes while the handler is still writing.
func TestBigResponsesStream(t *testing.T) {
	release := make(chan struct{})
	s, h := cachedHandler(func(w http.ResponseWriter, r *http.Request) {
		chunk := bytes.Repeat([]byte("x"), 64<<10)
		for written := 0; written < maxCachedPage+len(chunk); written += len(chunk) {
			w.Write(chunk)
		}
		<-release // the rest comes only once the reader has had the first part
		w.Write([]byte("end"))
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/export/big")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got := make(chan error, 1)
	go func() {
		_, err := io.ReadFull(resp.Body, make([]byte, maxCachedPage))
		got <- err
	}()
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		close(release)
		t.Fatal("the first megabytes did not arrive while the handler was writing: the response was buffered")
	}
	close(release)
	rest, _ := io.ReadAll(resp.Body)
	if !strings.HasSuffix(string(rest), "end") {
		t.Error("the streamed response lost its end")
	}
	if s.pages.get(1, []byte(srv.URL+"/export/big")) != nil {
		t.Error("a response over the cache's limit was cached")
	}
}

// Readers who ask for a page while it renders wait for that rendering: one render, one body.
func TestConcurrentMissesRenderOnce(t *testing.T) {
	var renders atomic.Int32
	start := make(chan struct{})
	_, h := cachedHandler(func(w http.ResponseWriter, r *http.Request) {
		renders.Add(1)
		<-start
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<p>the page</p>")
	})
	const readers = 16
	var wg sync.WaitGroup
	bodies := make([]string, readers)
	for i := range readers {
		wg.Go(func() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", "/matrix", nil))
			bodies[i] = rec.Body.String()
		})
	}
	time.Sleep(100 * time.Millisecond) // let them all arrive while the first renders
	close(start)
	wg.Wait()
	if n := renders.Load(); n != 1 {
		t.Errorf("%d readers arriving together caused %d renders, want 1", readers, n)
	}
	for i, b := range bodies {
		if b != "<p>the page</p>" {
			t.Errorf("reader %d got %q", i, b)
		}
	}
}

// A reader who leaves while the page renders leaves nothing behind: those who waited on
// that rendering get a whole page, and no partial page is cached.
func TestAnAbandonedRenderIsNotShared(t *testing.T) {
	var renders atomic.Int32
	leaderIn := make(chan struct{})
	s, h := cachedHandler(func(w http.ResponseWriter, r *http.Request) {
		if renders.Add(1) == 1 {
			close(leaderIn)
			<-r.Context().Done() // the first reader leaves mid-render; the handler gives up
			return
		}
		io.WriteString(w, "<p>the page</p>")
	})
	ctx, cancel := context.WithCancel(t.Context())
	leaderDone := make(chan struct{})
	go func() {
		defer close(leaderDone)
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequestWithContext(ctx, "GET", "/matrix", nil))
	}()
	<-leaderIn
	follower := make(chan string)
	go func() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/matrix", nil))
		follower <- rec.Body.String()
	}()
	time.Sleep(50 * time.Millisecond) // the follower now waits on the leader's render
	cancel()
	<-leaderDone
	if got := <-follower; got != "<p>the page</p>" {
		t.Errorf("a reader waiting on an abandoned render got %q, want the page", got)
	}
	if p := s.pages.get(1, []byte("http://example.com/matrix")); p != nil && len(p.plain) == 0 {
		t.Error("an empty page from an abandoned render was cached")
	}
}

// A page without a query string is kept from its first request; one with a query string
// from its second, so URLs asked for once each cannot push the pages read again and again
// out of the cache.
func TestQueryStringsAreKeptOnTheirSecondRequest(t *testing.T) {
	renders := 0
	s, h := cachedHandler(func(w http.ResponseWriter, r *http.Request) {
		renders++
		w.Write(bytes.Repeat([]byte("p"), 1<<20)) // 1 MB: 24 of them fill the cache
	})
	get := func(path string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	}
	get("/sources/popular")
	get("/sources/popular")
	if renders != 1 {
		t.Errorf("a page without a query string: %d renders for two requests, want 1", renders)
	}
	for i := range 100 {
		get(fmt.Sprintf("/sources/popular?n=%d", i))
	}
	if s.pages.get(1, []byte("http://example.com/sources/popular")) == nil {
		t.Error("a hundred URLs asked for once each pushed the popular page out of the cache")
	}
	renders = 0
	for range 3 {
		get("/search?q=Budapest")
	}
	if renders != 2 {
		t.Errorf("a page with a query string: %d renders for three requests, want 2", renders)
	}
}

// A reader who never reads a response too big to cache holds up no one else: a second
// reader asking for the same URL while the first response is stuck in the first reader's
// connection gets the whole response. (Before, the second waited on the first's render,
// which the first reader's full connection held until it timed out.)
func TestAStalledReaderDelaysNoOne(t *testing.T) {
	const size = 64 << 20 // well beyond what the kernel's socket buffers absorb
	entered := make(chan struct{}, 1)
	_, h := cachedHandler(func(w http.ResponseWriter, r *http.Request) {
		select {
		case entered <- struct{}{}:
		default:
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		chunk := bytes.Repeat([]byte("x"), 64<<10)
		for written := 0; written < size; written += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	srv := httptest.NewServer(h)
	defer srv.Close()

	stalled, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer stalled.Close() // only now is its response read, or rather dropped
	fmt.Fprintf(stalled, "GET /export/big HTTP/1.1\r\nHost: %s\r\n\r\n", srv.Listener.Addr())
	<-entered // the stalled reader leads the render

	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/export/big", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("a second reader of the same URL, while the first reads nothing: %v", err)
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil || n != size {
		t.Fatalf("the second reader got %d bytes of %d (%v) while the first read nothing", n, size, err)
	}
}
