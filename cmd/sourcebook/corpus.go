package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/sourcebook/sourcebook/store/corpus"
)

// corpusHelp is what "sourcebook help corpus" prints.
const corpusHelp = `Usage: sourcebook corpus keys FILE...

Adds a permanent key {#xxxxxx} to every block of each corpus source file that lacks one.
Existing keys are never changed: permalinks depend on them.
`

func corpusCmd(*flag.FlagSet) runner {
	return func(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
		if args[0] != "keys" {
			return unknownSubcommand("corpus", args[0], stderr)
		}
		return assignKeys(args[1:], stdout)
	}
}

// assignKeys gives the new blocks of each corpus source file their permanent keys.
func assignKeys(files []string, stdout io.Writer) error {
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		slug := strings.TrimSuffix(filepath.Base(file), ".md")
		out, n := corpus.AssignKeys(slug, string(b))
		if n > 0 {
			if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
				return err
			}
		}
		fmt.Fprintf(stdout, "%s: %d new keys\n", file, n)
	}
	return nil
}
