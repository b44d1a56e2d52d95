package web

import (
	"net/http"
	"net/url"
	"strings"
)

// Links shared on social networks and in newsletters come back with parameters no page of
// the site reads: Google Analytics' utm_ campaign tags, and click identifiers such as
// fbclid and gclid. Each such URL would be a new key for the render cache and for a proxy
// in front, so a page cited in the news and reached through thousands of shared links
// would be rendered once per link, pushing the pages everyone else reads out of the cache.
// withoutTracking removes them from the request before anything else sees it: the page,
// its ETag and its cache entry are the page's own, and one reader's click identifier is
// never written into a page served to another.
func withoutTracking(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery == "" {
			next.ServeHTTP(w, r)
			return
		}
		kept, dropped := stripTracking(r.URL.RawQuery)
		if dropped {
			r = r.Clone(r.Context())
			r.URL.RawQuery = kept
			r.RequestURI = r.URL.RequestURI()
		}
		next.ServeHTTP(w, r)
	})
}

// stripTracking returns a raw query without its tracking parameters, the others as they
// were written and in their order, and whether it dropped any.
func stripTracking(raw string) (string, bool) {
	var kept []string
	dropped := false
	for rest := raw; rest != ""; {
		var part string
		part, rest, _ = strings.Cut(rest, "&")
		name, _, _ := strings.Cut(part, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if isTracking(name) {
			dropped = true
			continue
		}
		kept = append(kept, part)
	}
	if !dropped {
		return raw, false
	}
	return strings.Join(kept, "&"), true
}

// isTracking names the parameters advertising and analytics tools append to links.
func isTracking(name string) bool {
	name = strings.ToLower(name)
	switch name {
	case "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "twclid", "ttclid",
		"li_fat_id", "igshid", "yclid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok":
		return true
	}
	return strings.HasPrefix(name, "utm_")
}
