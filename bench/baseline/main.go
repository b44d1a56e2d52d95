// Command baseline is the yardstick of bench/run.sh: the least work a Go net/http server can
// do to answer a page. It reads every file of a directory into memory at start and answers
// GET /NAME with the bytes of NAME, so the load test compares Sourcebook with the same bytes
// served by the same HTTP stack, minus routing, middleware, SQL and templates.
//
// Usage: baseline --dir DIR --addr HOST:PORT
//
// Files ending in .gz are served with Content-Encoding: gzip (they hold a page as Sourcebook
// compressed it), everything else as text/html. A file NAME.headers, when there is one,
// holds the header of NAME as curl -D saved it from Sourcebook; NAME is then served with
// that header instead (but for Date and Content-Length, which are made afresh), so the
// same response, header and body, can be compared: the header's size and number of fields
// are a visible part of what a small page costs.
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

func main() {
	dir := flag.String("dir", ".", "the directory whose files are served")
	addr := flag.String("addr", "127.0.0.1:18081", "where to listen")
	flag.Parse()
	pages, headers, err := load(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "baseline:", err)
		os.Exit(1)
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[strings.TrimPrefix(r.URL.Path, "/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		if saved, ok := headers[strings.TrimPrefix(r.URL.Path, "/")]; ok {
			for k, v := range saved {
				h[k] = v
			}
		} else {
			h.Set("Content-Type", "text/html; charset=utf-8")
			if strings.HasSuffix(r.URL.Path, ".gz") {
				h.Set("Content-Encoding", "gzip")
			}
		}
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	})
	slog.Info("serving from memory", "files", len(pages), "addr", *addr)
	if err := http.ListenAndServe(*addr, h); err != nil {
		fmt.Fprintln(os.Stderr, "baseline:", err)
		os.Exit(1)
	}
}

// load reads the regular files of dir, keyed by name, and the headers saved for them.
func load(dir string) (map[string][]byte, map[string]http.Header, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	pages, headers := map[string][]byte{}, map[string]http.Header{}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, nil, err
		}
		if name, ok := strings.CutSuffix(e.Name(), ".headers"); ok {
			headers[name] = parseHeader(string(b))
			continue
		}
		pages[e.Name()] = b
	}
	return pages, headers, nil
}

// parseHeader reads a response header as curl -D writes it: a status line, then fields.
func parseHeader(text string) http.Header {
	h := http.Header{}
	for _, line := range strings.Split(text, "\n") {
		k, v, ok := strings.Cut(strings.TrimRight(line, "\r"), ":")
		if !ok || strings.HasPrefix(k, "HTTP/") {
			continue
		}
		switch k = http.CanonicalHeaderKey(strings.TrimSpace(k)); k {
		case "Date", "Content-Length":
		default:
			h.Add(k, strings.TrimSpace(v))
		}
	}
	return h
}
