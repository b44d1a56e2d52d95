package corpus_test

import (
	"strings"
	"testing"

	"github.com/sourcebook/sourcebook/store/corpus"
)

// A fact's code must be one of its aspect's codebook: a code from another column's codebook,
// an unknown code, or a code on an aspect the comparison does not code is reported at the
// fact's line.
func TestFactCodesAreCheckedAgainstTheCodebook(t *testing.T) {
	for name, tc := range map[string]struct{ from, to, want string }{
		"an unknown code":             {"code: non-deployment", "code: no-nukes", `code for obligation "no-nukes" is not one of`},
		"another column's code":       {"code: non-deployment", "code: ratified-treaty", `code for obligation "ratified-treaty" is not one of`},
		"a code on an uncoded aspect": {"  - aspect: parties\n      text: NATO and Russia", "  - aspect: parties\n      code: nato\n      text: NATO and Russia", "aspect parties takes no code"},
	} {
		t.Run(name, func(t *testing.T) {
			fsys := mutate(t, "precedents.yaml", func(s string) string {
				if !strings.Contains(s, tc.from) {
					t.Fatalf("precedents.yaml has no %q", tc.from)
				}
				return strings.Replace(s, tc.from, tc.to, 1)
			})
			_, err := corpus.Read(fsys)
			var problems corpus.Problems
			if err == nil || !errorsAs(err, &problems) {
				t.Fatalf("the corpus was accepted, or err is %T: %v", err, err)
			}
			for _, p := range problems {
				if p.File == "precedents.yaml" && p.Line > 0 && strings.Contains(p.Msg, tc.want) {
					return
				}
			}
			t.Errorf("no problem mentioning %q with a line; got:\n%v", tc.want, err)
		})
	}
}
