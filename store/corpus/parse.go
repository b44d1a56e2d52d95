package corpus

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io/fs"
	"path"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// Digest hashes the corpus files exactly as Read does, without parsing them: enough to tell
// whether a database was seeded from this corpus.
func Digest(fsys fs.FS) string {
	h := sha256.New()
	add := func(file string) {
		if b, err := fs.ReadFile(fsys, file); err == nil {
			fmt.Fprintf(h, "%s\x00%d\x00", file, len(b))
			h.Write(b)
		}
	}
	for _, f := range []string{"actors.yaml", "issues.yaml", "precedents.yaml", "positions.yaml"} {
		add(f)
	}
	sources, _ := fs.Glob(fsys, "sources/*.md")
	for _, file := range sources {
		add(file)
		ann := "annotations/" + strings.TrimSuffix(path.Base(file), ".md") + ".yaml"
		if _, err := fs.Stat(fsys, ann); err == nil {
			add(ann)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Read parses and validates the corpus in fsys (laid out as this package's Files). It
// returns every problem it finds, not only the first, as Problems.
func Read(fsys fs.FS) (*Corpus, error) {
	r := reader{fsys: fsys, digest: sha256.New()}
	c := &Corpus{}
	r.yamlFile("actors.yaml", &c.Actors)
	r.yamlFile("issues.yaml", &c.Issues)
	r.yamlFile("precedents.yaml", &c.Precedents)
	r.yamlFile("positions.yaml", &c.Positions)
	for i := range c.Actors {
		c.Actors[i].File = "actors.yaml"
	}
	for i := range c.Precedents {
		c.Precedents[i].File = "precedents.yaml"
	}

	sources, _ := fs.Glob(fsys, "sources/*.md")
	for _, file := range sources {
		src, ok := r.source(file)
		if !ok {
			continue
		}
		annFile := "annotations/" + strings.TrimSuffix(path.Base(file), ".md") + ".yaml"
		if _, err := fs.Stat(fsys, annFile); err == nil {
			r.yamlFile(annFile, &src.Annotations)
			src.AnnotationFile = annFile
			for i := range src.NewActors {
				src.NewActors[i].File = annFile
			}
			for i := range src.NewPrecedents {
				src.NewPrecedents[i].File = annFile
			}
			c.Actors = append(c.Actors, src.NewActors...)
			c.Precedents = append(c.Precedents, src.NewPrecedents...)
		}
		c.Sources = append(c.Sources, *src)
	}
	annotations, _ := fs.Glob(fsys, "annotations/*.yaml")
	for _, file := range annotations {
		md := "sources/" + strings.TrimSuffix(path.Base(file), ".yaml") + ".md"
		if _, err := fs.Stat(fsys, md); err != nil {
			r.add(file, 0, "annotations for a source that does not exist (no %s)", md)
		}
	}
	c.Digest = hex.EncodeToString(r.digest.Sum(nil))

	validate(c, &r.problems)
	checkFidelity(fsys, c, &r.problems)
	if err := r.err(); err != nil {
		return nil, err
	}
	return c, nil
}

type reader struct {
	fsys   fs.FS
	digest hash.Hash
	problems
}

func (r *reader) read(file string) ([]byte, bool) {
	b, err := fs.ReadFile(r.fsys, file)
	if err != nil {
		r.add(file, 0, "cannot read: %v", err)
		return nil, false
	}
	fmt.Fprintf(r.digest, "%s\x00%d\x00", file, len(b))
	r.digest.Write(b)
	return b, true
}

// yamlFile decodes file into v, refusing unknown fields (a misspelt "qoute" must not pass
// silently), then records the line of every list item so later problems can point at it.
func (r *reader) yamlFile(file string, v any) {
	b, ok := r.read(file)
	if !ok {
		return
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		r.add(file, yamlErrLine(err), "%s", yamlErrMsg(err))
		return
	}
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err == nil && len(root.Content) > 0 {
		setLines(root.Content[0], v)
	}
}

var yamlLineRe = regexp.MustCompile(`line (\d+): `)

func yamlErrLine(err error) int {
	m := yamlLineRe.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	var n int
	fmt.Sscan(m[1], &n)
	return n
}

func yamlErrMsg(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n")
	return strings.TrimSpace(yamlLineRe.ReplaceAllString(msg, ""))
}

// setLines copies each YAML list item's line number into the decoded value's Line field.
func setLines(n *yaml.Node, v any) {
	switch v := v.(type) {
	case *[]Actor:
		eachItem(n, len(*v), func(i int, item *yaml.Node) { (*v)[i].Line = item.Line })
	case *[]Issue:
		eachItem(n, len(*v), func(i int, item *yaml.Node) { (*v)[i].Line = item.Line })
	case *[]Position:
		eachItem(n, len(*v), func(i int, item *yaml.Node) { (*v)[i].Line = item.Line })
	case *[]Precedent:
		eachItem(n, len(*v), func(i int, item *yaml.Node) {
			p := &(*v)[i]
			p.Line = item.Line
			eachItem(field(item, "facts"), len(p.Facts), func(j int, f *yaml.Node) { p.Facts[j].Line = f.Line })
		})
	case *Annotations:
		setLines(field(n, "actors"), &v.NewActors)
		setLines(field(n, "new_precedents"), &v.NewPrecedents)
		eachItem(field(n, "roles"), len(v.Roles), func(i int, item *yaml.Node) { v.Roles[i].Line = item.Line })
		eachItem(field(n, "precedents"), len(v.Mentions), func(i int, item *yaml.Node) { v.Mentions[i].Line = item.Line })
		eachItem(field(n, "events"), len(v.Events), func(i int, item *yaml.Node) { v.Events[i].Line = item.Line })
		eachItem(field(n, "narration"), len(v.Narration), func(i int, item *yaml.Node) { v.Narration[i].Line = item.Line })
		eachItem(field(n, "claims"), len(v.Claims), func(i int, item *yaml.Node) {
			c := &v.Claims[i]
			c.Line = item.Line
			eachItem(field(item, "cite"), len(c.Cite), func(j int, q *yaml.Node) { c.Cite[j].Line = q.Line })
		})
	}
}

func eachItem(seq *yaml.Node, n int, f func(int, *yaml.Node)) {
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return
	}
	for i, item := range seq.Content {
		if i < n {
			f(i, item)
		}
	}
}

func field(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// A block ends with its key in braces, with .caption for captions: "Text. {#k3f9xa .caption}".
var blockAttrRe = regexp.MustCompile(`\s*\{#([a-z0-9][a-z0-9-]*)((?:\s+\.[a-z]+)*)\}\s*$`)
var footnoteRe = regexp.MustCompile(`^\[\^(\d+)\]:\s+`)

// source parses a Markdown source file: YAML front matter between "---" lines, then blocks
// separated by blank lines.
func (r *reader) source(file string) (*Source, bool) {
	b, ok := r.read(file)
	if !ok {
		return nil, false
	}
	text := strings.ReplaceAll(string(b), "\r\n", "\n")
	lines := strings.Split(text, "\n")
	if len(lines) == 0 || lines[0] != "---" {
		r.add(file, 1, "a source file starts with front matter between two lines of ---")
		return nil, false
	}
	end := -1
	for i := 1; i < len(lines); i++ {
		if lines[i] == "---" {
			end = i
			break
		}
	}
	if end < 0 {
		r.add(file, 1, "front matter is not closed by a line of ---")
		return nil, false
	}
	src := &Source{File: file}
	dec := yaml.NewDecoder(strings.NewReader(strings.Join(lines[1:end], "\n")))
	dec.KnownFields(true)
	if err := dec.Decode(src); err != nil {
		r.add(file, yamlErrLine(err)+1, "front matter: %s", yamlErrMsg(err))
		return nil, false
	}
	src.File = file

	// Blocks: runs of non-blank lines.
	var cur []string
	start := 0
	flush := func() {
		if len(cur) > 0 {
			r.block(src, strings.Join(cur, " "), start)
			cur = nil
		}
	}
	for i := end + 1; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) == "" {
			flush()
			continue
		}
		if len(cur) == 0 {
			start = i + 1
		}
		cur = append(cur, strings.TrimSpace(lines[i]))
	}
	flush()
	return src, true
}

func (r *reader) block(src *Source, raw string, line int) {
	b := Block{Line: line, Kind: "paragraph"}
	m := blockAttrRe.FindStringSubmatchIndex(raw)
	if m == nil {
		r.add(src.File, line, "block has no key: end it with {#key} (sourcebook corpus keys adds them)")
		return
	}
	b.Key = raw[m[2]:m[3]]
	classes := strings.Fields(strings.ReplaceAll(raw[m[4]:m[5]], ".", " "))
	text := raw[:m[0]]
	switch {
	case strings.HasPrefix(text, "## "), strings.HasPrefix(text, "# "), strings.HasPrefix(text, "### "):
		b.Kind, text = "heading", strings.TrimLeft(text, "#")
	case strings.HasPrefix(text, "> "):
		b.Kind, text = "blockquote", text[2:]
	case footnoteRe.MatchString(text):
		m := footnoteRe.FindStringSubmatch(text)
		b.Kind, b.Label, text = "footnote", m[1], text[len(m[0]):]
	}
	for _, c := range classes {
		if c != "caption" {
			r.add(src.File, line, "unknown block class .%s (only .caption)", c)
		}
		b.Kind = "caption"
	}
	b.Text = collapseSpace(text)
	if b.Text == "" {
		r.add(src.File, line, "block %s is empty", b.Key)
		return
	}
	src.Blocks = append(src.Blocks, b)
}

// collapseSpace trims s and turns every run of whitespace into one space.
func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
