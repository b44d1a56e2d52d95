// Package static holds the site's stylesheet, scripts and icons, embedded in the binary.
package static

import "embed"

// FS holds the static files.
//
//go:embed *.css
var FS embed.FS
