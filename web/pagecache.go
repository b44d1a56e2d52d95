package web

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// pageCache keeps rendered responses, plain and gzipped, keyed by the data version and the
// page (pageKey). Every write bumps the version, so a cached page can never outlive the
// data it shows: the first request after a publish misses and renders afresh. A page is
// gzipped when a client first asks for it so, not when it is stored: rendering is what a
// reader waits for after a publish. The cache is bounded in bytes and forgets the least
// recently used pages first.
//
// A page whose URL has a query string is kept only when asked for a second time in the
// same data version (nginx's proxy_cache_min_uses 2, for those URLs alone). Query strings
// are an unbounded space (searches, filters, pages of lists, and any string a client cares
// to send): admitted on first sight, a stream of URLs each asked for once would push out
// the pages that are read again and again, and fill memory with pages nobody reads twice.
type pageCache struct {
	mu      sync.Mutex
	version int64
	pages   *lru[string, *cachedPage] // sized by their bytes, plain and gzipped

	once        map[string]bool // keys with a query string rendered once at onceVersion
	onceVersion int64
}

// maxOnce bounds pageCache.once; when it is full it starts again from empty.
const maxOnce = 4096

type cachedPage struct {
	key         string
	etag        string
	header      http.Header // the whole response header but for its length and encoding
	plain       []byte
	plainLength []string // its Content-Length header, made once

	gzipOnce   sync.Once
	gzipd      []byte // made by gzipOnce
	gzipLength []string
}

// maxCachedPage is the largest body cached; bigger responses (database downloads) stream.
const maxCachedPage = 2 << 20

func newPageCache(limit int) *pageCache {
	return &pageCache{pages: newLRU[string, *cachedPage](limit), once: map[string]bool{}}
}

// get takes its key as bytes, which getBytes looks up without copying them: a cache hit is
// most of what the site serves.
func (c *pageCache) get(version int64, key []byte) *cachedPage {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version != c.version {
		return nil
	}
	p, _ := getBytes(c.pages, key)
	return p
}

func (c *pageCache) put(version int64, p *cachedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version != c.version {
		if version < c.version {
			return // rendered from data older than what the cache now holds
		}
		c.version = version
		c.pages.clear()
	}
	if _, ok := c.pages.peek(p.key); ok {
		return
	}
	c.pages.put(p.key, p, len(p.plain))
}

// admit reports whether a page rendered at version should be kept: always when its URL has
// no query string, and otherwise from the second time it is rendered in that version.
// It is asked before the page is copied for the cache.
func (c *pageCache) admit(version int64, key string) bool {
	if !strings.Contains(key, "?") {
		return true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if version != c.onceVersion {
		clear(c.once)
		c.onceVersion = version
	}
	if c.once[key] {
		delete(c.once, key)
		return true
	}
	if len(c.once) >= maxOnce {
		clear(c.once)
	}
	c.once[key] = true
	return false
}

// recorder captures a response so it can be cached before it is sent. A response too big
// to cache (a database download) is not held in memory: past maxCachedPage the recorder
// calls overflow (which lets the readers waiting on this render go and render their own),
// then sends what it has to w and streams the rest, for as long as the client keeps reading
// (deadlineWriter).
type recorder struct {
	w         http.ResponseWriter
	header    http.Header
	status    int
	body      bytes.Buffer
	overflow  func() // called once, before the first byte reaches w
	streamed  bool   // too big to cache: sent to w as it came
	abandoned bool   // its request was cancelled before the response was complete
}

func (r *recorder) Header() http.Header {
	if r.streamed {
		return r.w.Header()
	}
	return r.header
}

func (r *recorder) WriteHeader(status int) { r.status = status }

func (r *recorder) Write(b []byte) (int, error) {
	if !r.streamed && r.body.Len()+len(b) > maxCachedPage {
		r.streamed = true
		if r.overflow != nil {
			r.overflow()
		}
		h := r.w.Header()
		for k, v := range r.header {
			h[k] = v
		}
		r.w.WriteHeader(r.status)
		if _, err := keepWriting(r.w).Write(r.body.Bytes()); err != nil {
			return 0, err
		}
		r.body = bytes.Buffer{}
	}
	if r.streamed {
		return keepWriting(r.w).Write(b)
	}
	return r.body.Write(b)
}

// flights are the pages being rendered, by data version and page key. A reader who misses
// while a page renders waits for that render (a flight) instead of starting its own, but
// only for the render, never for the leader's client: the leader records into memory, and
// a response that proves too big to keep releases its followers before the leader sends a
// byte, so no reader ever waits on another reader's connection.
type flights struct {
	mu sync.Mutex
	m  map[string]*flight
}

type flight struct {
	done     chan struct{} // closed when the render is over; rec is then set
	released chan struct{} // closed when the response is too big to share
	rec      *recorder
}

// join returns the flight for key, and whether the caller leads it (renders the page).
func (fs *flights) join(key string) (*flight, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if f, ok := fs.m[key]; ok {
		return f, false
	}
	if fs.m == nil {
		fs.m = map[string]*flight{}
	}
	f := &flight{done: make(chan struct{}), released: make(chan struct{})}
	fs.m[key] = f
	return f, true
}

// land ends the leader's render: its followers take rec, and later readers start afresh.
func (fs *flights) land(key string, f *flight, rec *recorder) {
	fs.mu.Lock()
	if fs.m[key] == f {
		delete(fs.m, key)
	}
	fs.mu.Unlock()
	f.rec = rec
	close(f.done)
}

// write answers r with p, gzipped if the client accepts it.
func (c *pageCache) write(w http.ResponseWriter, r *http.Request, p *cachedPage) {
	h := w.Header()
	for k, v := range p.header {
		h[k] = v
	}
	body, length := p.plain, p.plainLength
	if acceptsGzip(r) {
		body, length = c.gzipped(p)
		h["Content-Encoding"] = gzipEncoding // chi's Compress sees this and leaves the body alone
	}
	h["Content-Length"] = length
	w.WriteHeader(http.StatusOK)
	switch {
	case r.Method == http.MethodHead:
	case len(body) > writeChunk:
		keepWriting(w).Write(body) // a download: for as long as its reader reads
	default:
		w.Write(body)
	}
}

// gzipped compresses p the first time it is asked for, and counts it in the cache's size.
func (c *pageCache) gzipped(p *cachedPage) ([]byte, []string) {
	p.gzipOnce.Do(func() {
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.DefaultCompression)
		zw.Write(p.plain)
		zw.Close()
		p.gzipd, p.gzipLength = gz.Bytes(), []string{strconv.Itoa(gz.Len())}
		c.mu.Lock()
		defer c.mu.Unlock()
		if kept, ok := c.pages.peek(p.key); ok && kept == p {
			c.pages.resize(p.key, len(p.plain)+len(p.gzipd))
		}
	})
	return p.gzipd, p.gzipLength
}

var gzipEncoding = []string{"gzip"}

// acceptsGzip reads Accept-Encoding: gzip is acceptable when listed without q=0.
func acceptsGzip(r *http.Request) bool {
	for rest := first(r.Header, "Accept-Encoding"); rest != ""; {
		var part string
		part, rest, _ = strings.Cut(rest, ",")
		enc, params, _ := strings.Cut(part, ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") {
			return weighed(params)
		}
	}
	return false
}

// weighed reports whether an Accept-Encoding entry's parameters leave it acceptable: any
// weight but zero.
func weighed(params string) bool {
	q, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q=")
	if !ok {
		return true
	}
	weight, err := strconv.ParseFloat(q, 64)
	return err != nil || weight > 0
}
