package main

import (
	"os"
	"runtime/debug"
)

// The server's live heap is small (1–3 MB at the seed corpus, tens of MB at 1000×), so with
// Go's default GOGC=100 its heap goal is the 4 MB minimum, and under load it collected about
// 50 times a second: every few thousand requests, since net/http allocates a couple of
// kilobytes for each. Letting the heap grow to five times what is live, under a soft limit
// that keeps it inside its footprint (under 150 MB resident at 1000×, docs/performance.md),
// collects a quarter as often; a cached passage served 6–12% more requests a second,
// measured back to back, at 41 MB resident.
// An operator's GOGC or GOMEMLIMIT wins (see the runtime/debug package).
const (
	gcPercent   = 400
	memoryLimit = 100 << 20 // bytes; RSS stays under 150 MB at 1000× with the SQLite page cache
)

func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}
