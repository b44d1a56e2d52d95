package web

import (
	"bytes"
	"compress/gzip"
	lru "container/list"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// pageCache keeps rendered responses, plain and gzipped, keyed by the data version and the
// URL. Every write bumps the version, so a cached page can never outlive the data it shows:
// the first request after a publish misses and renders afresh. It is bounded in bytes and
// forgets the least recently used pages first.
type pageCache struct {
	mu      sync.Mutex
	version int64
	size    int
	limit   int
	order   *lru.List // of *cachedPage, most recently used at the front
	byKey   map[string]*lru.Element
}

type cachedPage struct {
	key          string
	header       http.Header
	plain, gzipd []byte
}

// maxCachedPage is the largest body cached; bigger responses (database downloads) stream.
const maxCachedPage = 2 << 20

func newPageCache(limit int) *pageCache {
	return &pageCache{limit: limit, order: lru.New(), byKey: map[string]*lru.Element{}}
}

func (c *pageCache) get(version int64, key string) *cachedPage {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version != c.version {
		return nil
	}
	if e, ok := c.byKey[key]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*cachedPage)
	}
	return nil
}

func (c *pageCache) put(version int64, p *cachedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version != c.version {
		if version < c.version {
			return // rendered from data older than what the cache now holds
		}
		c.version, c.size = version, 0
		c.order.Init()
		clear(c.byKey)
	}
	if _, ok := c.byKey[p.key]; ok {
		return
	}
	c.byKey[p.key] = c.order.PushFront(p)
	c.size += len(p.plain) + len(p.gzipd)
	for c.size > c.limit && c.order.Len() > 0 {
		old := c.order.Back()
		c.order.Remove(old)
		op := old.Value.(*cachedPage)
		delete(c.byKey, op.key)
		c.size -= len(op.plain) + len(op.gzipd)
	}
}

// recorder captures a response so it can be cached before it is sent.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) WriteHeader(status int)      { r.status = status }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }

// cached serves pages from the cache. It runs after revalidate, which has set the ETag and
// answered 304 where it could, and stores only complete 200 responses.
func (s *Server) cached(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		version, ok := r.Context().Value(versionKey{}).(int64)
		if !ok || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
			next.ServeHTTP(w, r)
			return
		}
		key := r.URL.RequestURI()
		if p := s.pages.get(version, key); p != nil {
			writeCached(w, r, p)
			return
		}
		rec := &recorder{header: http.Header{}, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		if rec.status != http.StatusOK || rec.body.Len() > maxCachedPage || rec.header.Get("Content-Encoding") != "" {
			w.WriteHeader(rec.status)
			w.Write(rec.body.Bytes())
			return
		}
		p := &cachedPage{key: key, header: rec.header.Clone(), plain: bytes.Clone(rec.body.Bytes())}
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.DefaultCompression)
		zw.Write(p.plain)
		zw.Close()
		p.gzipd = gz.Bytes()
		s.pages.put(version, p)
		writeCached(w, r, p)
	})
}

func writeCached(w http.ResponseWriter, r *http.Request, p *cachedPage) {
	h := w.Header()
	for k, v := range p.header {
		h[k] = v
	}
	body := p.plain
	if acceptsGzip(r) {
		body = p.gzipd
		h.Set("Content-Encoding", "gzip") // chi's Compress sees this and leaves the body alone
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(enc) == "gzip" && !strings.Contains(strings.ReplaceAll(q, " ", ""), "q=0") {
			return true
		}
	}
	return false
}
