package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/sourcebook/sourcebook/store/corpus"
)

// checkHelp is what "sourcebook help check" prints.
const checkHelp = `Usage: sourcebook check [--dir DIR]

Validates the seed corpus without touching a database: front matter, block keys, that every
block is a faithful run of its captured seed and free of page clutter, that every quote is
an exact substring of the block it cites, and that every id resolves. Each problem is printed
as file:line: message; the exit status is 1 if there are any.

Flags:
  --dir DIR   check the corpus in DIR (laid out like the repository's store/corpus/ folder)
              instead of the one embedded in the binary
`

func check(fl *flag.FlagSet) runner {
	dir := fl.String("dir", "", "")
	return func(_ context.Context, _ []string, _ io.Reader, stdout, _ io.Writer) error {
		return checkCorpus(*dir, stdout)
	}
}

// checkCorpus validates the corpus in dir, or the embedded one if dir is empty.
func checkCorpus(dir string, stdout io.Writer) error {
	var fsys fs.FS = corpus.Files
	where := "the embedded corpus"
	if dir != "" {
		fsys, where = os.DirFS(dir), dir
	}
	c, err := corpus.Read(fsys)
	var problems corpus.Problems
	if errors.As(err, &problems) {
		for _, p := range problems {
			if dir != "" {
				p.File = filepath.Join(dir, p.File)
			}
			fmt.Fprintln(stdout, p)
		}
		return fmt.Errorf("%s: %d problems", where, len(problems))
	}
	if err != nil {
		return err
	}
	claims, citations, blocks := 0, 0, 0
	for _, s := range c.Sources {
		blocks += len(s.Blocks)
		claims += len(s.Claims)
		for _, cl := range s.Claims {
			citations += len(cl.Cite)
		}
	}
	fmt.Fprintf(stdout, "%s is valid: %d sources, %d blocks, %d actors, %d issues, %d claims, %d citations, %d positions, %d precedents\n",
		where, len(c.Sources), blocks, len(c.Actors), len(c.Issues), claims, citations, len(c.Positions), len(c.Precedents))
	return nil
}
