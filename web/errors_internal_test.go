package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sourcebook/sourcebook/store"
)

// The one table from error to answer, through both adapters: the statuses, messages and
// content types the site has always given, and a log line only for what is our fault.
func TestErrorsAreAnsweredByOneTable(t *testing.T) {
	for _, tc := range []struct {
		name     string
		err      error
		status   int
		page     string // in the error page
		apiBody  string // the API's whole body
		plain    bool   // the page is text/plain
		logged   bool
		answered bool
	}{
		{"NotFound", fmt.Errorf("claim x: %w", store.ErrNotFound), 404, "There is nothing at this address.",
			`{"error":"There is nothing at this address."}`, false, false, true},
		{"Invalid", fmt.Errorf("%w: page must be a number", store.ErrInvalid), 400, "invalid: page must be a number",
			`{"error":"invalid: page must be a number"}`, false, false, true},
		{"OwnWords", notFound("The matrix has 3 actors: there is no page 9."), 404, "The matrix has 3 actors",
			`{"error":"The matrix has 3 actors: there is no page 9."}`, false, false, true},
		{"Plain", &httpError{status: 400, msg: badRev, plain: true}, 400, badRev,
			`{"error":"` + badRev + `"}`, true, false, true},
		{"OwnWordsWithCause", &httpError{status: 500, msg: "search failed; it has been logged", cause: errors.New("disk")}, 500,
			"search failed", `{"error":"search failed; it has been logged"}`, false, true, true},
		{"Internal", errors.New("disk on fire"), 500, "Something went wrong on our side.",
			`{"error":"Something went wrong on our side. It has been logged."}`, false, true, true},
		{"ClientLeft", fmt.Errorf("render: %w", context.Canceled), 0, "", "", false, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			s := &Server{log: slog.New(slog.NewTextHandler(&logs, nil))}
			h := func(http.ResponseWriter, *http.Request) error { return tc.err }
			for _, adapter := range []string{"html", "api"} {
				w := httptest.NewRecorder()
				w.Header().Set("ETag", `"page"`)
				r := httptest.NewRequest("GET", "/x", nil)
				if adapter == "html" {
					s.html(h)(w, r)
				} else {
					s.api(h)(w, r)
				}
				if !tc.answered {
					if w.Body.Len() != 0 {
						t.Errorf("%s: answered %q to a client that left", adapter, w.Body)
					}
					continue
				}
				if w.Code != tc.status {
					t.Errorf("%s: status %d, want %d", adapter, w.Code, tc.status)
				}
				ct, body := w.Header().Get("Content-Type"), w.Body.String()
				switch {
				case adapter == "api":
					if ct != "application/json; charset=utf-8" || body != tc.apiBody+"\n" {
						t.Errorf("api: %s %q, want %q", ct, body, tc.apiBody)
					}
				case tc.plain:
					if ct != "text/plain; charset=utf-8" || body != tc.page+"\n" {
						t.Errorf("html: %s %q, want the plain %q", ct, body, tc.page)
					}
				default:
					if ct != "text/html; charset=utf-8" || !strings.Contains(body, tc.page) {
						t.Errorf("html: %s, want a page saying %q", ct, tc.page)
					}
				}
				if !tc.plain && (w.Header().Get("ETag") != "" || w.Header().Get("Cache-Control") != "no-store") {
					t.Errorf("%s: an error kept the page's ETag or may be cached: %v", adapter, w.Header())
				}
			}
			if logged := logs.Len() > 0; logged != tc.logged {
				t.Errorf("logged %v, want %v: %s", logged, tc.logged, logs.String())
			}
		})
	}
}
