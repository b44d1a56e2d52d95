package web_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/storetest"
	"github.com/sourcebook/sourcebook/web"
)

// renderPages is one page of each type, all of them in the seed corpus, which every
// generated corpus keeps as it is: so a scale changes what surrounds a page (more sources,
// actors, claims, events), never which page it is. A page marked cached is requested at the
// same URL every time, so after the first request it comes from the render cache; every
// other page gets a new query string on each request, which the handlers ignore but the
// render cache keys on, so each one is rendered from the database (the search page carries
// the query string into its links, so its body grows by a few hundred bytes).
//
// A source page rendered from the database still finds its text (blocks, highlights, the
// claims under them) in the server's text cache, as it would after any write that left that
// text alone; source-cold empties that cache before each request, as after a write that
// changed the source itself.
var renderPages = []struct {
	name, path         string
	gzip, cached, cold bool
}{
	{"home", "/", false, false, false},
	{"source", "/sources/newsweek-putin-guarantees", false, false, false}, // the largest seed source
	{"source-cold", "/sources/newsweek-putin-guarantees", false, false, true},
	{"source-gzip", "/sources/newsweek-putin-guarantees", true, false, false},
	{"source-cached", "/sources/newsweek-putin-guarantees", false, true, false},
	{"passage", "/sources/ap-witkoff-article5/c7vtk7", false, false, false},
	{"actor", "/actors/russia", false, false, false},
	{"issue", "/issues/us-role", false, false, false},
	{"position", "/positions/russia/foreign-troops", false, false, false},
	{"matrix", "/matrix", false, false, false},
	{"comparison", "/precedents/compare", false, false, false},
	{"timeline", "/timeline", false, false, false},
	{"search", "/search?q=security+guarantees", false, false, false},
}

// BenchmarkRender renders each page type through the real handler, from the database every
// time: no If-None-Match is sent, so the ETag shortcut never answers, and the URL changes on
// every request, so the render cache never does either (but for source-cached, which
// measures a cache hit). It reports the median and 95th percentile besides the mean, and
// the size of the body. Scales come from SOURCEBOOK_BENCH_SCALES (default: the seed
// database only); scale 1 is the seed database as a first start leaves it, larger scales are
// generated databases shared with the store benchmarks.
func BenchmarkRender(b *testing.B) {
	n := 0 // numbers every uncached request, across pages sharing a path
	for _, scale := range storetest.Scales(1) {
		var st *store.Store
		if scale == 1 {
			st = storetest.Store(b)
		} else {
			st = storetest.Generated(b, scale)
		}
		srv := web.New(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
		h := srv.Handler()
		stats, err := st.Stats(b.Context())
		if err != nil {
			b.Fatal(err)
		}
		for _, p := range renderPages {
			request := func() *http.Request {
				path := p.path
				if !p.cached {
					n++
					sep := "?"
					if strings.Contains(path, "?") {
						sep = "&"
					}
					path += sep + "uncached=" + strconv.Itoa(n)
				}
				req := httptest.NewRequest("GET", path, nil)
				if p.gzip {
					req.Header.Set("Accept-Encoding", "gzip")
				}
				return req
			}
			// The first request fills what the store keeps in memory (search facets, the
			// statement cache of each pooled connection); it is not what we measure.
			if rec := serve(h, request()); rec.Code != http.StatusOK {
				b.Fatalf("GET %s: status %d", p.path, rec.Code)
			}
			b.Run(fmt.Sprintf("scale=%d/blocks=%d/%s", scale, stats.Blocks, p.name), func(b *testing.B) {
				durations := make([]time.Duration, 0, b.N)
				var size int
				for b.Loop() {
					req := request()
					if p.cold {
						srv.ForgetTexts()
					}
					t := time.Now()
					rec := serve(h, req)
					durations = append(durations, time.Since(t))
					if rec.Code != http.StatusOK {
						b.Fatalf("GET %s: status %d", req.URL, rec.Code)
					}
					size = rec.Body.Len()
				}
				slices.Sort(durations)
				b.ReportMetric(msOf(durations[len(durations)/2]), "p50-ms")
				b.ReportMetric(msOf(durations[len(durations)*95/100]), "p95-ms")
				b.ReportMetric(float64(size), "bytes")
			})
		}
	}
}

func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func msOf(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
