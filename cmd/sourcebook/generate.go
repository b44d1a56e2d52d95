package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/corpus"
)

// generateHelp is what "sourcebook help generate" prints.
const generateHelp = `Usage: sourcebook generate --db PATH [--scale N] [--seed S]

Writes a new database holding the seed corpus and N-1 synthetic copies of it: sources whose
passages are written by a Markov chain over the seed's words (realistic lengths and
vocabulary), with actors, claims, citations, positions and precedent links in the seed's
proportions. For benchmarks and load tests; the same N and S always give the same data.

Flags:
  --db PATH   the database to create (must not exist)
  --scale N   how many times the seed corpus (default 10)
  --seed S    the random seed (default 1)
`

// generate writes a database holding the seed corpus and synthetic copies of it, for
// measuring how the site and search grow with the corpus.
func generate(fl *flag.FlagSet) runner {
	dbPath := fl.String("db", "", "")
	scale := fl.Int("scale", 10, "")
	seed := fl.Uint64("seed", 1, "")
	return func(ctx context.Context, _ []string, _ io.Reader, stdout, stderr io.Writer) error {
		if *dbPath == "" || *scale < 1 {
			fmt.Fprintf(stderr, "sourcebook generate: --db is required and --scale must be at least 1\n\n%s", generateHelp)
			return errUsage
		}
		return generateDB(ctx, *dbPath, *scale, *seed, stdout)
	}
}

func generateDB(ctx context.Context, dbPath string, scale int, seed uint64, stdout io.Writer) error {
	if _, err := os.Stat(dbPath); err == nil {
		return fmt.Errorf("%s exists: generate writes a new database", dbPath)
	}
	c, err := corpus.Read(corpus.Files)
	if err != nil {
		return err
	}
	started := time.Now()
	st, err := store.Open(ctx, dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.LoadCorpus(ctx, corpus.Synthetic(c, scale, seed)); err != nil {
		return err
	}
	stats, err := st.Stats(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d× the seed corpus in %v: %d sources, %d blocks, %d actors, %d claims, %d citations\n",
		dbPath, scale, time.Since(started).Round(time.Millisecond), stats.Sources, stats.Blocks, stats.Actors, stats.Claims, stats.Citations)
	return nil
}
