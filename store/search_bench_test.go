package store_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/query"
	"github.com/sourcebook/sourcebook/store/storetest"
)

// searchMix is the typical query mix: one word, two words, a phrase, a filtered search, a
// rare name and a word in nearly every passage.
var searchMix = []struct {
	name   string
	q      string
	filter store.SearchFilter
}{
	{"one-word", "guarantees", store.SearchFilter{}},
	{"two-words", "security guarantees", store.SearchFilter{}},
	{"phrase", `"land swaps"`, store.SearchFilter{}},
	{"filtered", "guarantee", store.SearchFilter{Kinds: []string{"claim"}, Actor: "russia"}},
	{"rare", "Kvartalnov", store.SearchFilter{}},
	{"common", "the", store.SearchFilter{}},
}

// BenchmarkSearch times each query of the mix at each scale, page one with snippets and
// facet counts, and reports the median and 95th percentile besides the mean.
func BenchmarkSearch(b *testing.B) {
	for _, scale := range storetest.Scales(1, 10, 100) {
		st := storetest.Generated(b, scale)
		ctx := b.Context()
		stats, _ := st.Stats(ctx)
		for _, m := range searchMix {
			req := store.SearchRequest{Query: query.Parse(m.q), Filter: m.filter, PerPage: 20}
			// The first search builds the in-memory facet index; it is not what we measure.
			if _, err := st.Search(ctx, req); err != nil {
				b.Fatal(err)
			}
			b.Run(fmt.Sprintf("scale=%d/blocks=%d/%s", scale, stats.Blocks, m.name), func(b *testing.B) {
				durations := make([]time.Duration, 0, b.N)
				var hits int
				for b.Loop() {
					t := time.Now()
					res, err := st.Search(ctx, req)
					durations = append(durations, time.Since(t))
					if err != nil {
						b.Fatal(err)
					}
					hits = res.Total
				}
				slices.Sort(durations)
				b.ReportMetric(ms(durations[len(durations)/2]), "p50-ms")
				b.ReportMetric(ms(durations[len(durations)*95/100]), "p95-ms")
				b.ReportMetric(float64(hits), "matches")
			})
		}
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// BenchmarkSuggest times a spelling correction ("Istambul", which finds nothing, corrected
// to "Istanbul") against the search for the corrected word, its baseline in the same run. The
// first correction of a data version also reads the index's vocabulary: reported once, as
// first-ms, since it is paid once per write.
func BenchmarkSuggest(b *testing.B) {
	for _, scale := range storetest.Scales(1, 10, 100) {
		st := storetest.Generated(b, scale)
		ctx := b.Context()
		typo := store.SearchRequest{Query: query.Parse("Istambul"), PerPage: 20}
		right := store.SearchRequest{Query: query.Parse("Istanbul"), PerPage: 20}
		if _, err := st.Search(ctx, right); err != nil { // builds the facet index
			b.Fatal(err)
		}
		started := time.Now()
		if sug, err := st.Suggest(ctx, typo); err != nil || sug == nil {
			b.Fatalf("no suggestion for Istambul: %v", err)
		}
		first := time.Since(started)
		b.Run(fmt.Sprintf("scale=%d/search-istanbul", scale), func(b *testing.B) {
			for b.Loop() {
				if _, err := st.Search(ctx, right); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("scale=%d/suggest-istambul", scale), func(b *testing.B) {
			for b.Loop() {
				if _, err := st.Search(ctx, typo); err != nil {
					b.Fatal(err)
				}
				if _, err := st.Suggest(ctx, typo); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(ms(first), "first-ms")
		})
	}
}
