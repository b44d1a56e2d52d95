package corpus

import (
	"strings"
)

// ParseText splits an editor's text into blocks by the rules of the corpus files: blocks
// are separated by blank lines; "## " starts a heading, "> " a blockquote, "[^N]: " a
// footnote; "{.caption}" at the end marks a caption and "{#key}" keeps a block's key.
// Markdown bold markers are dropped, since block text is plain. Keys may be missing: new
// blocks get theirs when saved.
func ParseText(text string) []Block {
	r := reader{}
	src := &Source{File: "text"}
	var cur []string
	start := 0
	flush := func() {
		if len(cur) > 0 {
			raw := strings.Join(cur, " ")
			if !blockAttrRe.MatchString(raw) && !classOnlyRe.MatchString(raw) {
				raw += " {#new}"
			} else if m := classOnlyRe.FindStringSubmatchIndex(raw); m != nil && !blockAttrRe.MatchString(raw) {
				raw = raw[:m[0]] + " {#new " + strings.TrimSpace(raw[m[2]:m[3]]) + "}"
			}
			r.block(src, raw, start)
			cur = nil
		}
	}
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		if len(cur) == 0 {
			start = i + 1
		}
		line = strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(line), "**", ""), "__", "")
		cur = append(cur, line)
	}
	flush()
	for i := range src.Blocks {
		if src.Blocks[i].Key == "new" {
			src.Blocks[i].Key = ""
		}
	}
	return src.Blocks
}

// FormatText writes blocks back in the form ParseText reads, keys included, so an editor
// editing a source's text keeps every unchanged block's key.
func FormatText(blocks []Block) string {
	var b strings.Builder
	for i, bl := range blocks {
		if i > 0 {
			b.WriteString("\n\n")
		}
		switch bl.Kind {
		case "heading":
			b.WriteString("## ")
		case "blockquote":
			b.WriteString("> ")
		case "footnote":
			b.WriteString("[^" + bl.Label + "]: ")
		}
		b.WriteString(bl.Text)
		attrs := ""
		if bl.Key != "" {
			attrs = "#" + bl.Key
		}
		if bl.Kind == "caption" {
			attrs = strings.TrimSpace(attrs + " .caption")
		}
		if attrs != "" {
			b.WriteString(" {" + attrs + "}")
		}
	}
	return b.String()
}
