// Command baseline is the yardstick of bench/run.sh: the least work a Go net/http server can
// do to answer a page. It reads every file of a directory into memory at start and answers
// GET /NAME with the bytes of NAME, so the load test compares Sourcebook with the same bytes
// served by the same HTTP stack, minus routing, middleware, SQL and templates.
//
// Usage: baseline --dir DIR --addr HOST:PORT
//
// Files ending in .gz are served with Content-Encoding: gzip (they hold a page as Sourcebook
// compressed it), everything else as text/html.
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
	pages, err := load(*dir)
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
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if strings.HasSuffix(r.URL.Path, ".gz") {
			w.Header().Set("Content-Encoding", "gzip")
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	})
	slog.Info("serving from memory", "files", len(pages), "addr", *addr)
	if err := http.ListenAndServe(*addr, h); err != nil {
		fmt.Fprintln(os.Stderr, "baseline:", err)
		os.Exit(1)
	}
}

// load reads the regular files of dir, keyed by name.
func load(dir string) (map[string][]byte, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	pages := map[string][]byte{}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		pages[e.Name()] = b
	}
	return pages, nil
}
