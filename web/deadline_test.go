package web

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/sourcebook/sourcebook/store/storetest"
)

// smallBuffers gives every accepted connection a small send buffer, so that what the
// server writes reaches the client at the client's pace instead of piling up in the kernel.
type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(16 << 10)
	}
	return c, err
}

// slowReader reads at most 16 kB every 10 ms: about 1.6 MB/s.
type slowReader struct{ r io.Reader }

func (s slowReader) Read(b []byte) (int, error) {
	time.Sleep(10 * time.Millisecond)
	return s.r.Read(b[:min(len(b), 16<<10)])
}

// slowGet downloads path from addr at slowReader's pace, and returns the body as far as it
// came and the error that stopped it.
func slowGet(t *testing.T, addr, path string) ([]byte, error) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.(*net.TCPConn).SetReadBuffer(16 << 10)
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, addr)
	resp, err := http.ReadResponse(bufio.NewReaderSize(slowReader{conn}, 16<<10), nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	return io.ReadAll(resp.Body)
}

// serveSlowly serves h as the binary does, but with a write timeout of 200 ms, and returns
// its address.
func serveSlowly(t *testing.T, h http.Handler) string {
	srv := HTTPServer(h, nil)
	srv.WriteTimeout = 200 * time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(smallBuffers{ln})
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// A client that keeps reading gets the whole of a large download however long it takes,
// although the server's write timeout is far shorter: here 200 ms for downloads that take
// about a second. The export is read twice: rendered for the first reader, then from the
// page cache.
func TestASlowReaderGetsTheWholeDownload(t *testing.T) {
	site := New(storetest.Store(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
	defer site.Close()
	addr := serveSlowly(t, site.Handler())
	var first []byte
	for _, read := range []string{"rendered", "cached"} {
		body, err := slowGet(t, addr, "/export/sourcebook.json")
		if err != nil {
			t.Fatalf("%s: the download stopped after %d bytes: %v", read, len(body), err)
		}
		var d struct{ Claims []json.RawMessage }
		if err := json.Unmarshal(body, &d); err != nil || len(d.Claims) == 0 {
			t.Fatalf("%s: %d bytes that are not the dataset: %v", read, len(body), err)
		}
		if first == nil {
			first = body
		} else if !bytes.Equal(body, first) {
			t.Errorf("%s: the cached download differs from the rendered one", read)
		}
	}
}

// The same for a response too big for the page cache, which is streamed to its reader as
// the handler writes it (at 60× the seed corpus, the JSON export and the database).
func TestASlowReaderGetsTheWholeStream(t *testing.T) {
	const size = maxCachedPage + 1<<20
	_, h := cachedHandler(func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte("x"), size))
	})
	body, err := slowGet(t, serveSlowly(t, h), "/export/big")
	if err != nil || len(body) != size {
		t.Fatalf("the download stopped after %d bytes of %d: %v", len(body), size, err)
	}
}
