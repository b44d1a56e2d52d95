package corpus

import "embed"

// Files is the seed corpus shipped in the binary.
//
//go:embed actors.yaml issues.yaml precedents.yaml positions.yaml sources/*.md annotations/*.yaml seeds/*.txt
var Files embed.FS
