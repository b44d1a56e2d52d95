package corpus

import (
	"crypto/sha1"
	"encoding/base32"
	"regexp"
	"strconv"
	"strings"
)

// AssignKeys gives every block of a source file that has no key a new one, and returns the
// file with the keys written in and how many it added. Existing keys are never touched: a
// key, once written, is a permalink. A new key is six characters derived from the source
// slug and the block's text, made unique within the file.
func AssignKeys(slug string, md string) (string, int) {
	lines := strings.Split(md, "\n")
	end := frontMatterEnd(lines)
	used := map[string]bool{}
	for _, l := range lines[end+1:] {
		if m := blockAttrRe.FindStringSubmatch(l); m != nil {
			used[m[1]] = true
		}
	}
	added := 0
	// The key goes at the end of a block's last line, so walk blocks by their last lines.
	for i := end + 1; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) == "" {
			continue
		}
		last := i
		for last+1 < len(lines) && strings.TrimSpace(lines[last+1]) != "" {
			last++
		}
		if !blockAttrRe.MatchString(lines[last]) {
			text := collapseSpace(strings.Join(lines[i:last+1], " "))
			classes := ""
			if m := classOnlyRe.FindStringSubmatchIndex(lines[last]); m != nil {
				classes = " " + strings.TrimSpace(lines[last][m[2]:m[3]])
				lines[last] = lines[last][:m[0]]
				text = collapseSpace(classOnlyRe.ReplaceAllString(text, ""))
			}
			key := newKey(slug, text, used)
			lines[last] = strings.TrimRight(lines[last], " ") + " {#" + key + classes + "}"
			added++
		}
		i = last
	}
	return strings.Join(lines, "\n"), added
}

var classOnlyRe = regexp.MustCompile(`\s*\{((?:\s*\.[a-z]+)+)\}\s*$`)

var keyEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewKey makes a key for a new block of a source: six characters derived from the slug and
// the block's text, different from every key in used, which it then joins.
func NewKey(slug, text string, used map[string]bool) string { return newKey(slug, text, used) }

func newKey(slug, text string, used map[string]bool) string {
	sum := sha1.Sum([]byte(slug + "\x00" + text))
	h := strings.ToLower(keyEncoding.EncodeToString(sum[:]))
	for i := 0; i+6 <= len(h); i++ {
		if k := h[i : i+6]; !used[k] {
			used[k] = true
			return k
		}
	}
	// Every window of the digest is taken (only in a file of very many blocks): number it.
	for n := 2; ; n++ {
		if k := h[:6] + "-" + strconv.Itoa(n); !used[k] {
			used[k] = true
			return k
		}
	}
}

func frontMatterEnd(lines []string) int {
	if len(lines) == 0 || lines[0] != "---" {
		return -1
	}
	for i := 1; i < len(lines); i++ {
		if lines[i] == "---" {
			return i
		}
	}
	return -1
}
