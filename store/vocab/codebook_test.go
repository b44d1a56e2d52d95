package vocab_test

import (
	"regexp"
	"testing"

	"github.com/sourcebook/sourcebook/store/vocab"
)

// Every coded aspect is one of the aspects; every code has a key spelt as a URL parameter
// value, unique in its column, a label and a one-sentence definition.
func TestCodebookIsWellFormed(t *testing.T) {
	keyRe := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	for aspect, codes := range vocab.Codebook {
		if !vocab.Has(vocab.Aspects, string(aspect)) {
			t.Errorf("the codebook codes %q, which is not an aspect", aspect)
		}
		seen := map[string]bool{}
		for _, c := range codes {
			if !keyRe.MatchString(c.Key) || seen[c.Key] {
				t.Errorf("%s: key %q is malformed or repeated", aspect, c.Key)
			}
			seen[c.Key] = true
			if c.Label == "" || len(c.Definition) < 20 || c.Definition[len(c.Definition)-1] != '.' {
				t.Errorf("%s/%s: a label and a one-sentence definition are needed", aspect, c.Key)
			}
			if got, ok := vocab.CodeOf(aspect, c.Key); !ok || got != c {
				t.Errorf("CodeOf(%s, %s) = %v, %v", aspect, c.Key, got, ok)
			}
		}
	}
}
