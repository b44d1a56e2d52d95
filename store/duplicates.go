package store

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/url"
	"sort"
	"strings"
	"unicode"

	"github.com/sourcebook/sourcebook/store/corpus"
)

// Duplicate is a source that may be the one being added or published again, with why.
type Duplicate struct {
	SourceRef
	Status  string   // "published" or "draft"
	Reasons []string // "the same address", "the same title", "87% of the text is shared"
}

func (d Duplicate) has(reason string) bool {
	for _, r := range d.Reasons {
		if r == reason {
			return true
		}
	}
	return false
}

// DuplicateQuery is what a new or draft source is compared on.
type DuplicateQuery struct {
	URL, Title string
	Blocks     []corpus.Block
}

// OverlapThreshold is the share of shared text from which two sources are reported as
// possibly the same: 80%, so that the same article with a caption or a sign-off changed
// (or captured with some clutter left in) still warns.
const OverlapThreshold = 0.8

// Duplicates returns the other sources (published or draft, never except itself) that may
// be the same as q: the same canonical address (NormalizeURL), the same title (case and
// spacing aside), or text overlapping by OverlapThreshold or more (TextOverlap). A warning,
// not a refusal: an editor may well add a second report with the same headline.
func (s *Store) Duplicates(ctx context.Context, q DuplicateQuery, except string) ([]Duplicate, error) {
	rows, err := s.query(ctx, `SELECT id, slug, title, publisher, published, status, url, text_digest FROM sources WHERE slug <> ? ORDER BY id`, except)
	if err != nil {
		return nil, fmt.Errorf("duplicates: %w", err)
	}
	type cand struct {
		Duplicate
		url, digest string
	}
	byID := map[int64]*cand{}
	var order []int64
	for rows.Next() {
		var id int64
		c := &cand{}
		if err := rows.Scan(&id, &c.Slug, &c.Title, &c.Publisher, &c.Published, &c.Status, &c.url, &c.digest); err != nil {
			rows.Close()
			return nil, fmt.Errorf("duplicates: %w", err)
		}
		byID[id] = c
		order = append(order, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("duplicates: %w", err)
	}
	wantURL, wantTitle, digest := NormalizeURL(q.URL), normalTitle(q.Title), ""
	if len(q.Blocks) > 0 {
		digest = TextDigest(q.Blocks)
	}
	for _, c := range byID {
		if wantURL != "" && NormalizeURL(c.url) == wantURL {
			c.Reasons = append(c.Reasons, "the same address")
		}
		if wantTitle != "" && normalTitle(c.Title) == wantTitle {
			c.Reasons = append(c.Reasons, "the same title")
		}
		if digest != "" && c.digest == digest {
			c.Reasons = append(c.Reasons, "the same text")
		}
	}
	if mine := Shingles(q.Blocks); len(mine) >= minShingles {
		cands, err := s.overlapCandidates(ctx, q.Blocks)
		if err != nil {
			return nil, err
		}
		var ids []int64
		for id, c := range byID {
			if cands[id] || c.Status == "draft" {
				ids = append(ids, id)
			}
		}
		if err := s.compareTexts(ctx, ids, func(id int64, theirs []corpus.Block) {
			if c := byID[id]; c != nil && !c.has("the same text") {
				if o := TextOverlap(mine, Shingles(theirs)); o >= OverlapThreshold {
					c.Reasons = append(c.Reasons, fmt.Sprintf("%d%% of the text is shared", int(o*100)))
				}
			}
		}); err != nil {
			return nil, err
		}
	}
	var out []Duplicate
	for _, id := range order {
		if c := byID[id]; len(c.Reasons) > 0 {
			out = append(out, c.Duplicate)
		}
	}
	return out, nil
}

// samplePhrases is how many of the new text's 5-word phrases are looked up in the search
// index to find the published sources worth comparing in full.
const samplePhrases = 32

// overlapCandidates are the published sources that share at least one of samplePhrases
// phrases spread evenly over the new text, found in the full-text index rather than by
// reading every source. A source holding 80% of the new text holds most of these phrases;
// a short source inside a long new text is found unless every sample misses it, which for
// one covering a tenth of the new text happens about 3% of the time ((0.9)^32).
func (s *Store) overlapCandidates(ctx context.Context, blocks []corpus.Block) (map[int64]bool, error) {
	var phrases []string
	for _, b := range blocks {
		ws := wordsOf(b.Text)
		for i := 0; i+shingleWords <= len(ws); i++ {
			phrases = append(phrases, strings.Join(ws[i:i+shingleWords], " "))
		}
	}
	if len(phrases) == 0 {
		return nil, nil
	}
	var picked []string
	step := float64(len(phrases)) / samplePhrases
	if step < 1 {
		step = 1
	}
	seen := map[string]bool{}
	for f := step / 2; int(f) < len(phrases) && len(picked) < samplePhrases; f += step {
		if p := phrases[int(f)]; !seen[p] {
			seen[p] = true
			picked = append(picked, ftsPhrase(p))
		}
	}
	rows, err := s.query(ctx, `SELECT DISTINCT b.source_id FROM search JOIN blocks b ON b.id = search.ref
		WHERE search MATCH ? AND search.kind = 'block'`, "body:("+strings.Join(picked, " OR ")+")")
	if err != nil {
		return nil, fmt.Errorf("duplicates: %w", err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("duplicates: %w", err)
		}
		out[id] = true
	}
	return out, rows.Err()
}

// compareTexts calls fn with each of the sources' current text.
func (s *Store) compareTexts(ctx context.Context, ids []int64, fn func(int64, []corpus.Block)) error {
	if len(ids) == 0 {
		return nil
	}
	list, _ := json.Marshal(ids)
	rows, err := s.query(ctx, `SELECT source_id, text FROM blocks
		WHERE position IS NOT NULL AND source_id IN (SELECT value FROM json_each(?)) ORDER BY source_id, position`, string(list))
	if err != nil {
		return fmt.Errorf("duplicates: %w", err)
	}
	defer rows.Close()
	var cur int64 = -1
	var buf []corpus.Block
	for rows.Next() {
		var id int64
		var text string
		if err := rows.Scan(&id, &text); err != nil {
			return fmt.Errorf("duplicates: %w", err)
		}
		if id != cur && len(buf) > 0 {
			fn(cur, buf)
			buf = nil
		}
		cur = id
		buf = append(buf, corpus.Block{Text: text})
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("duplicates: %w", err)
	}
	if len(buf) > 0 {
		fn(cur, buf)
	}
	return nil
}

// NormalizeURL is an address as two copies of the same page would share it: scheme and host
// lower-cased, the default port, "www." and the fragment dropped, no trailing slash, and
// without the tracking parameters (utm_*, fbclid, gclid…) that links shared on social
// media carry. The remaining query is sorted. "" for what is not an http(s) URL.
func NormalizeURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return ""
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	if p := u.Port(); p != "" && p != "80" && p != "443" {
		host += ":" + p
	}
	q := u.Query()
	for k := range q {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "utm_") || trackingParams[lk] {
			q.Del(k)
		}
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var qs []string
	for _, k := range keys {
		for _, v := range q[k] {
			qs = append(qs, url.QueryEscape(k)+"="+url.QueryEscape(v))
		}
	}
	p := strings.TrimRight(u.EscapedPath(), "/")
	// http and https name the same article: a site that moved to https keeps its pages.
	out := "//" + host + p
	if len(qs) > 0 {
		out += "?" + strings.Join(qs, "&")
	}
	return out
}

var trackingParams = map[string]bool{"fbclid": true, "gclid": true, "dclid": true, "msclkid": true, "mc_cid": true,
	"mc_eid": true, "igshid": true, "ref_src": true, "cmpid": true, "ocid": true, "at_medium": true, "at_campaign": true,
	"guccounter": true, "smid": true, "taid": true}

func normalTitle(t string) string { return strings.ToLower(strings.Join(strings.Fields(t), " ")) }

// shingleWords is the length of a shingle: five words is long enough that two unrelated
// reports on the same subject rarely share many ("security guarantees for Ukraine" is four),
// and short enough that a changed word costs only the five shingles around it.
const shingleWords = 5

// minShingles: a text shorter than this (a dozen words) is not compared by its text, since
// a few shared phrases would make it look like a copy.
const minShingles = 8

// Shingles is the set of a text's 5-word shingles, hashed, with words lower-cased and
// punctuation dropped, so that typography and case do not hide a copy.
func Shingles(blocks []corpus.Block) map[uint64]struct{} {
	var words []string
	for _, b := range blocks {
		words = append(words, wordsOf(b.Text)...)
	}
	out := map[uint64]struct{}{}
	for i := 0; i+shingleWords <= len(words); i++ {
		h := fnv.New64a()
		for _, w := range words[i : i+shingleWords] {
			h.Write([]byte(w))
			h.Write([]byte{0})
		}
		out[h.Sum64()] = struct{}{}
	}
	return out
}

// wordsOf is a text's words, lower-cased, without punctuation.
func wordsOf(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// TextOverlap is the containment of the smaller shingle set in the larger: |A∩B| / min(|A|,|B|).
// Containment rather than Jaccard (|A∩B| / |A∪B|) because the likely duplicates differ in
// length: a capture with menus and teasers left in, or a republication that cuts the last
// paragraphs, shares nearly all of the shorter text but, by Jaccard, far less than 80%.
func TextOverlap(a, b map[uint64]struct{}) float64 {
	if len(a) < minShingles || len(b) < minShingles {
		return 0
	}
	if len(b) < len(a) {
		a, b = b, a
	}
	n := 0
	for h := range a {
		if _, ok := b[h]; ok {
			n++
		}
	}
	return float64(n) / float64(len(a))
}
