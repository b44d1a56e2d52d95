package store

import "testing"

// Slugs end where a word ends, on a word that means something.
func TestSlugsEndOnAContentWord(t *testing.T) {
	cases := []struct{ title, want string }{
		{"Trump's envoy says Europe wants a guarantee for Ukraine", "trump-s-envoy-says-europe-wants"},
		{"European officials (not named in the source)", "european-officials-not-named-in-the-source"},
		{"Officials from Europe not named in the source said so", "officials-from-europe-not-named"},
		{"A security guarantee for Kyiv", "a-security-guarantee-for-kyiv"},
		{"Security guarantees: the case of the", "security-guarantees-the-case"},
		{"Ukraine", "ukraine"},
		{"Of the", "of-the"}, // nothing but stop words: kept rather than no slug
		{"", "source"},
	}
	for _, c := range cases {
		if got := slugify(c.title); got != c.want {
			t.Errorf("slugify(%q) = %q, want %q", c.title, got, c.want)
		}
	}
	long := "Internationalisation standardisation counterrevolutionaries intercontinental telecommunications"
	if got := slugify(long); len(got) > slugMaxLen {
		t.Errorf("slugify(%q) = %q, %d characters, over %d", long, got, len(got), slugMaxLen)
	} else if got != "internationalisation-standardisation-counterrevolutionaries" {
		t.Errorf("slugify(%q) = %q: not cut at a word", long, got)
	}
	// A claim's slug: its first content words and a hash of the statement.
	got := claimSlug("Europe offers a security guarantee for the east of Ukraine")
	if want := "europe-offers-a-security-guarantee-"; len(got) != len(want)+4 || got[:len(want)] != want {
		t.Errorf("claimSlug = %q, want %q and four hex digits", got, want)
	}
}
