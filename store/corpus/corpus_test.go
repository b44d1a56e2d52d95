package corpus_test

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/sourcebook/sourcebook/store/corpus"
)

// The shipped corpus passes every check: faithful to its seeds, free of clutter, every quote
// exact, every id resolved and every registry entry used.
func TestShippedCorpusIsValid(t *testing.T) {
	c, err := corpus.Read(corpus.Files)
	if err != nil {
		t.Fatalf("the shipped corpus has problems:\n%v", err)
	}
	if len(c.Sources) != 5 {
		t.Errorf("%d sources, want the 5 seeds", len(c.Sources))
	}
	claims := 0
	for _, s := range c.Sources {
		claims += len(s.Claims)
		for _, b := range s.Blocks {
			if m := corpus.ClutterIn(b.Text); m != "" {
				t.Errorf("%s#%s is clutter (%s): %.60q", s.Slug, b.Key, m, b.Text)
			}
		}
	}
	if claims < 100 {
		t.Errorf("%d claims, want at least 100", claims)
	}
}

// Every direct quotation that expresses a position should be a claim. A cheap proxy that
// can fail: every paragraph holding a quotation of 40 or more characters in double quotes
// is cited by at least one claim.
func TestQuotedParagraphsAreCited(t *testing.T) {
	c, err := corpus.Read(corpus.Files)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range c.Sources {
		cited := map[string]bool{}
		for _, cl := range s.Claims {
			for _, q := range cl.Cite {
				cited[q.Block] = true
			}
		}
		for _, b := range s.Blocks {
			if b.Kind == "paragraph" && hasLongQuotation(b.Text) && !cited[b.Key] {
				t.Errorf("%s#%s quotes someone at length but no claim cites it: %.80q", s.Slug, b.Key, b.Text)
			}
		}
	}
}

func hasLongQuotation(text string) bool {
	for _, pair := range [][2]string{{`"`, `"`}, {"“", "”"}} {
		rest := text
		for {
			i := strings.Index(rest, pair[0])
			if i < 0 {
				break
			}
			rest = rest[i+len(pair[0]):]
			j := strings.Index(rest, pair[1])
			if j < 0 {
				break
			}
			if len([]rune(rest[:j])) >= 40 {
				return true
			}
			rest = rest[j+len(pair[1]):]
		}
	}
	return false
}

// mutate copies the shipped corpus into memory and applies an edit to one file.
func mutate(t *testing.T, file string, edit func(string) string) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(corpus.Files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(corpus.Files, p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	orig := string(m[file].Data)
	changed := edit(orig)
	if changed == orig {
		t.Fatalf("the edit did not change %s", file)
	}
	m[file] = &fstest.MapFile{Data: []byte(changed)}
	return m
}

// lineOf is the 1-based line of the first occurrence of s in text.
func lineOf(text, s string) int {
	return strings.Count(text[:strings.Index(text, s)], "\n") + 1
}

func TestBadDataIsReportedWithFileAndLine(t *testing.T) {
	const ann = "annotations/ap-witkoff-article5.yaml"
	const src = "sources/ap-witkoff-article5.md"
	orig := func(file string) string {
		b, _ := fs.ReadFile(corpus.Files, file)
		return string(b)
	}
	firstQuote := func(s string) string { // the first "quote: ..." line's value
		i := strings.Index(s, "quote: ")
		return s[i : i+strings.Index(s[i:], "\n")]
	}
	cases := []struct {
		name, file string
		edit       func(string) string
		wantLine   func(string) int
		want       string
	}{
		{
			name: "a quote that is not in its block", file: ann,
			edit: func(s string) string {
				q := firstQuote(s)
				return strings.Replace(s, q, `quote: "words nobody said"`, 1)
			},
			wantLine: func(s string) int { return lineOf(s, `quote: "words nobody said"`) - 1 },
			want:     `quote "words nobody said" is not in block`,
		},
		{
			name: "an unknown actor", file: ann,
			edit: func(s string) string {
				return strings.Replace(s, "speaker: steve-witkoff", "speaker: steve-witcoff", 1)
			},
			want: `unknown actor "steve-witcoff"`,
		},
		{
			name: "an unknown issue", file: ann,
			edit: func(s string) string { return strings.Replace(s, "us-role:", "us-roles:", 1) },
			want: `unknown issue "us-roles"`,
		},
		{
			name: "a misspelt field", file: ann,
			edit: func(s string) string { return strings.Replace(s, "    quote: ", "    qoute: ", 1) },
			want: "field qoute not found",
		},
		{
			name: "a block reworded away from its seed", file: src,
			edit: func(s string) string {
				return strings.Replace(s, "NEW YORK: Russian leader", "NEW YORK: Russian president", 1)
			},
			wantLine: func(s string) int { return lineOf(s, "NEW YORK: Russian president") },
			want:     "is not in the seed",
		},
		{
			name: "a block without a key", file: src,
			edit: func(s string) string {
				return strings.Replace(s, "\n\n## Hammering", "\n\nAn added paragraph with no key.\n\n## Hammering", 1)
			},
			wantLine: func(s string) int { return lineOf(s, "An added paragraph") },
			want:     "block has no key",
		},
		{
			name: "a precedent dated by no passage", file: "precedents.yaml",
			edit: func(s string) string {
				return strings.Replace(s, "- id: north-atlantic-treaty-1949\n  name: North Atlantic Treaty and its Article 5\n  date_start: \"\"",
					"- id: north-atlantic-treaty-1949\n  name: North Atlantic Treaty and its Article 5\n  date_start: \"1949\"", 1)
			},
			wantLine: func(s string) int { return lineOf(s, "- id: north-atlantic-treaty-1949") },
			want:     "no fact on its date cites the passage",
		},
		{
			name: "one event linked to two precedents", file: "annotations/rutland-guarantee-paradox.yaml",
			edit: func(s string) string {
				return strings.Replace(s, "block: 34mg5u\n    precedent: \"\"", "block: 34mg5u\n    precedent: budapest-1994", 1)
			},
			want: "one title is one event",
		},
		{
			name: "a claim without an evidence grade", file: ann,
			edit:     addClaim("kind: paraphrase", ""),
			wantLine: lineOf2("- id: ap-test-claim"),
			want:     "claim ap-test-claim has no evidence grade",
		},
		{
			name: "a claim with an unknown evidence grade", file: ann,
			edit: addClaim("kind: paraphrase", "evidence: hearsay"),
			want: `claim ap-test-claim: evidence "hearsay" is not one of own-words, reported, inferred`,
		},
		{
			name: "a reporter on an own-words claim", file: ann,
			edit:     addClaim("kind: paraphrase", "evidence: own-words\n    reported_by: steve-witkoff"),
			wantLine: lineOf2("- id: ap-test-claim"),
			want:     "claim ap-test-claim names reported_by steve-witkoff, but its evidence is \"own-words\"",
		},
		{
			name: "a reporter who is no known actor", file: ann,
			edit: addClaim("kind: paraphrase", "evidence: reported\n    reported_by: steve-witcoff"),
			want: `unknown actor "steve-witcoff"`,
		},
		{
			name: "a quote in the author's mouth", file: ann,
			edit: func(s string) string {
				s = addClaim("kind: quote", "evidence: own-words")(s)
				return strings.Replace(s, "    speaker: steve-witkoff\n    holder: russia\n    kind: quote", "    speaker: author\n    holder: russia\n    kind: quote", 1)
			},
			wantLine: lineOf2("- id: ap-test-claim"),
			want:     `claim ap-test-claim is a quote with speaker "author": a quote needs the actor who said it`,
		},
		{
			name: "a quote over marked narration", file: ann,
			edit: func(s string) string {
				s = addClaim("kind: quote", "evidence: reported")(s)
				return addNarration(s, "6kib7a", "Russia had agreed to enact a law that it would not")
			},
			wantLine: lineOf2("      - block: 6kib7a\n        quote: \"Russia had agreed"),
			want:     "claim ap-test-claim is a quote but cites the author's narration",
		},
		{
			name: "narration that is not in its block", file: ann,
			edit:     func(s string) string { return addNarration(s, "6kib7a", "Putin had agreed to enact a law") },
			wantLine: lineOf2("  - block: 6kib7a\n    text: \"Putin had agreed"),
			want:     `narration text "Putin had agreed to enact a law" is not in block 6kib7a`,
		},
		{
			name: "narration in an unknown block", file: ann,
			edit: func(s string) string { return addNarration(s, "zz9zz9", "Witkoff also said") },
			want: `narration text cites unknown block "zz9zz9"`,
		},
		{
			name: "an issue replacing one that is still an issue", file: "issues.yaml",
			edit: func(s string) string {
				return strings.Replace(s, "replaces: [guarantee-meaning]", "replaces: [guarantee-meaning, russia-veto]", 1)
			},
			wantLine: lineOf2("- id: binding-guarantees"),
			want:     "issue binding-guarantees replaces russia-veto, which is still an issue",
		},
		{
			name: "a replaced issue declared twice", file: "issues.yaml",
			edit: func(s string) string {
				return strings.Replace(s, "  proposition: Russia should have no veto", "  replaces: [guarantee-meaning]\n  proposition: Russia should have no veto", 1)
			},
			wantLine: lineOf2("- id: russia-veto"),
			want:     "issue russia-veto replaces guarantee-meaning, which binding-guarantees already replaces",
		},
		{
			name: "an override with no stance word", file: "positions.yaml",
			edit:     addPosition("  override:\n    stance: sceptical\n    reason: The claims are all inferred.\n"),
			wantLine: lineOf2("- actor: ap-test-actor"),
			want:     `override stance "sceptical" is not one of`,
		},
		{
			name: "an override without a reason", file: "positions.yaml",
			edit: addPosition("  override:\n    stance: against\n"),
			want: "position ap-test-actor/russia-veto: override: reason is required",
		},
		{
			name: "a position with neither summary nor override", file: "positions.yaml",
			edit:     addPosition(""),
			wantLine: lineOf2("- actor: ap-test-actor"),
			want:     "position ap-test-actor/russia-veto has neither a summary nor an override",
		},
		{
			name: "a summary of a position no claim gives", file: "positions.yaml",
			edit: addPosition("  summary: Said of nothing.\n"),
			want: "position ap-test-actor/russia-veto summarises a stance no claim gives",
		},
		{
			name: "a stance written on a position", file: "positions.yaml",
			edit: addPosition("  stance: for\n  summary: Said of nothing.\n"),
			want: "position ap-test-actor/russia-veto gives a stance: it is derived from the claims",
		},
		{
			name: "clutter left in", file: src,
			edit: func(s string) string {
				return strings.Replace(s, "\n\n## Hammering", "\n\nRelated Articles {#zzzzzz}\n\n## Hammering", 1)
			},
			want: "looks like page clutter",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fsys := mutate(t, tc.file, tc.edit)
			_, err := corpus.Read(fsys)
			if err == nil {
				t.Fatal("a corrupt corpus was accepted")
			}
			var problems corpus.Problems
			if !errorsAs(err, &problems) {
				t.Fatalf("err is %T, want corpus.Problems", err)
			}
			for _, p := range problems {
				if p.File == tc.file && strings.Contains(p.Msg, tc.want) && p.Line > 0 {
					if tc.wantLine != nil {
						changed, _ := fs.ReadFile(fsys, tc.file)
						if want := tc.wantLine(string(changed)); p.Line != want {
							t.Errorf("reported at line %d, want %d: %s", p.Line, want, p)
						}
					}
					return
				}
			}
			t.Errorf("no problem in %s mentioning %q with a line; got:\n%v", tc.file, tc.want, err)
			_ = orig
		})
	}
}

// addClaim adds a claim citing Witkoff's block 6kib7a, narration and all, as the first claim
// of an annotation file; kind and extra are its kind line and any further fields.
func addClaim(kind, extra string) func(string) string {
	return func(s string) string {
		claim := "claims:\n  - id: ap-test-claim\n    statement: Russia would not attack other European countries.\n" +
			"    speaker: steve-witkoff\n    holder: russia\n    " + kind + "\n"
		if extra != "" {
			claim += "    " + extra + "\n"
		}
		claim += "    issues: {russia-security: neutral}\n    cite:\n      - block: 6kib7a\n" +
			"        quote: \"Russia had agreed to enact a law that it would not \\\"go after any other European countries\"\n"
		return strings.Replace(s, "claims:\n", claim, 1)
	}
}

// addNarration marks a run of a block as narration, first in the file's narration list.
func addNarration(s, block, text string) string {
	item := "  - block: " + block + "\n    text: \"" + text + "\"\n"
	if i := strings.Index(s, "\nnarration:"); i >= 0 {
		end := i + 1 + strings.Index(s[i+1:], "\n") + 1
		return s[:end] + item + s[end:]
	}
	return strings.TrimRight(s, "\n") + "\n\nnarration:\n" + item
}

// addPosition appends a position on russia-veto for an actor, with the given fields.
func addPosition(fields string) func(string) string {
	return func(s string) string {
		return strings.TrimRight(s, "\n") + "\n\n- actor: ap-test-actor\n  issue: russia-veto\n" + fields
	}
}

// lineOf2 is lineOf as a wantLine.
func lineOf2(s string) func(string) int { return func(text string) int { return lineOf(text, s) } }

func TestAssignKeysKeepsExistingKeys(t *testing.T) {
	md := "---\nslug: s\n---\n\nFirst paragraph. {#keep01}\n\nA new one\nover two lines.\n\nA caption {.caption}\n"
	out, n := corpus.AssignKeys("s", md)
	if n != 2 {
		t.Fatalf("added %d keys, want 2:\n%s", n, out)
	}
	if !strings.Contains(out, "First paragraph. {#keep01}") {
		t.Errorf("an existing key changed:\n%s", out)
	}
	if !strings.Contains(out, " .caption}") {
		t.Errorf("the caption class was lost:\n%s", out)
	}
	again, n := corpus.AssignKeys("s", out)
	if n != 0 || again != out {
		t.Errorf("a second run changed the file (added %d)", n)
	}
}

func errorsAs(err error, target *corpus.Problems) bool {
	p, ok := err.(corpus.Problems)
	if ok {
		*target = p
	}
	return ok
}

func TestDigestMatchesRead(t *testing.T) {
	c, err := corpus.Read(corpus.Files)
	if err != nil {
		t.Fatal(err)
	}
	if d := corpus.Digest(corpus.Files); d != c.Digest {
		t.Errorf("Digest %s, Read %s: a restart would think the corpus changed", d, c.Digest)
	}
}
