// Package migrations holds the database schema as numbered SQL files, applied in order by
// goose when the store opens. A migration, once released, is never edited: add a new file.
package migrations

import "embed"

// FS holds the migration files.
//
//go:embed *.sql
var FS embed.FS
