// Package static holds the site's stylesheet, scripts and icons, embedded in the binary and
// served under fingerprinted names (site.3f9a1c2b.css), so browsers may cache them forever.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed *.css *.js
var files embed.FS

// The fingerprinted name of each file, and back.
var (
	byName   = map[string]string{} // "site.css" → "site.3f9a1c2b.css"
	byHashed = map[string]string{} // and back
	all      = sha256.New()
)

func init() {
	entries, _ := fs.ReadDir(files, ".")
	for _, e := range entries {
		b, _ := fs.ReadFile(files, e.Name())
		sum := sha256.Sum256(b)
		all.Write(sum[:])
		ext := path.Ext(e.Name())
		hashed := strings.TrimSuffix(e.Name(), ext) + "." + hex.EncodeToString(sum[:4]) + ext
		byName[e.Name()] = hashed
		byHashed[hashed] = e.Name()
	}
}

// Path is the URL of a static file under its fingerprinted name.
func Path(name string) string {
	if h, ok := byName[name]; ok {
		return "/static/" + h
	}
	return "/static/" + name
}

// Fingerprint identifies this set of static files.
func Fingerprint() string { return hex.EncodeToString(all.Sum(nil)[:6]) }

// Handler serves /static/*: a fingerprinted name is cached for a year as immutable; a plain
// name (for tools that do not know the fingerprint) is served but must be revalidated.
func Handler() http.Handler {
	fileServer := http.FileServerFS(files)
	return http.StripPrefix("/static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Path
		if orig, ok := byHashed[name]; ok {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			r.URL.Path = orig
		} else if _, ok := byName[name]; ok {
			w.Header().Set("Cache-Control", "public, no-cache")
		} else {
			http.NotFound(w, r)
			return
		}
		fileServer.ServeHTTP(w, r)
	}))
}
