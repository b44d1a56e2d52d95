package web_test

import (
	"bytes"
	"database/sql"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// copiesIn lists the database copies under dir: its regular files, but for the journals
// SQLite keeps beside a database while it writes one.
func copiesIn(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		journal := strings.HasSuffix(path, "-journal") || strings.HasSuffix(path, "-wal") || strings.HasSuffix(path, "-shm")
		if err == nil && d.Type().IsRegular() && !journal {
			files = append(files, path)
		}
		return nil
	})
	return files
}

// Twenty downloads of the database at once make one copy, which they all send and which
// later downloads reuse; a write replaces it, and the stale copy is removed. Before, every
// download made its own copy (527 MB of them for 20 downloads at 60× the seed corpus).
func TestDatabaseExportKeepsOneCopy(t *testing.T) {
	srv := newSite(t)
	st := srv.st
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where os.MkdirTemp puts the copies

	// Watch the directory while they download: never more than one copy at a time.
	var most atomic.Int32
	stop := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		for {
			if n := int32(len(copiesIn(t, tmp))); n > most.Load() {
				most.Store(n)
			}
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	const clients = 20
	bodies := make([][]byte, clients)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			// A URL each, so the page cache cannot collapse them into one render.
			resp, err := http.Get(srv.URL + "/export/sourcebook.db?client=" + strconv.Itoa(i))
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("client %d: status %d", i, resp.StatusCode)
			}
			bodies[i], _ = io.ReadAll(resp.Body)
		})
	}
	wg.Wait()
	close(stop)
	<-watched
	if n := most.Load(); n > 1 {
		t.Errorf("%d concurrent downloads had %d copies of the database on disk at once, want 1", clients, n)
	}
	copies := copiesIn(t, tmp)
	if len(copies) != 1 {
		t.Fatalf("after %d downloads the temporary directory holds %d files, want the 1 copy kept for the next: %v", clients, len(copies), copies)
	}
	for i, b := range bodies {
		if !bytes.Equal(b, bodies[0]) {
			t.Errorf("client %d got %d bytes, client 0 %d: not the same copy", i, len(b), len(bodies[0]))
		}
	}
	var claims int
	path := filepath.Join(t.TempDir(), "download.db")
	os.WriteFile(path, bodies[0], 0o600)
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRow(`SELECT count(*) FROM claims`).Scan(&claims); err != nil || claims != stats(t, st).Claims {
		t.Errorf("the download is not the database: %d claims (%v), want %d", claims, err, stats(t, st).Claims)
	}

	// A write: the next download makes a new copy, and the stale one goes.
	if _, err := st.ReviseBlock(t.Context(), "ap-witkoff-article5", "c7vtk7", "NEW YORK: a revised paragraph."); err != nil {
		t.Fatal(err)
	}
	after := srv.get(t, "/export/sourcebook.db")
	if after.status != http.StatusOK || bytes.Equal(after.body, bodies[0]) {
		t.Errorf("after a write: status %d, and the download is the stale copy: %v", after.status, bytes.Equal(after.body, bodies[0]))
	}
	deadline := time.Now().Add(30 * time.Second) // the stale copy is removed just after the new one is made
	for now := copiesIn(t, tmp); len(now) != 1 || now[0] == copies[0]; now = copiesIn(t, tmp) {
		if time.Now().After(deadline) {
			t.Fatalf("after a write and a download, the temporary directory holds %v, want one new copy instead of %v", now, copies)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
