package storetest

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/corpus"
)

// Scales are the corpus sizes benchmarks run at, as multiples of the seed corpus, from
// SOURCEBOOK_BENCH_SCALES=1,10,100,1000, or def when it is not set. 1000× takes a minute or
// two to generate the first time.
func Scales(def ...int) []int {
	var out []int
	for _, f := range strings.Split(os.Getenv("SOURCEBOOK_BENCH_SCALES"), ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return def
	}
	return out
}

// Generated opens a database of the seed corpus at scale, generating it the first time. The
// file is kept in the temporary directory under a name of the corpus's digest, so the store
// and web benchmarks and bench/run.sh share one database per scale and corpus.
func Generated(tb testing.TB, scale int) *store.Store {
	tb.Helper()
	seed := Corpus(tb)
	dir := filepath.Join(os.TempDir(), "sourcebook-bench")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(dir, fmt.Sprintf("scale-%d-%.12s.db", scale, seed.Digest))
	ctx := tb.Context()
	if _, err := os.Stat(path); err != nil {
		// A name of this process's own: the store and web benchmarks may generate the same
		// size at once (go test runs packages in parallel); the last rename wins, and both
		// files are the same corpus.
		tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
		os.Remove(tmp)
		st, err := store.Open(ctx, tmp)
		if err != nil {
			tb.Fatal(err)
		}
		started := time.Now()
		if _, err := st.LoadCorpus(ctx, corpus.Synthetic(seed, scale, 1)); err != nil {
			tb.Fatal(err)
		}
		st.Close()
		if err := os.Rename(tmp, path); err != nil {
			tb.Fatal(err)
		}
		tb.Logf("generated %d× in %v", scale, time.Since(started))
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}
