package web

import (
	"bytes"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// markdown renders editor-written Markdown (provenance notes, descriptions). goldmark is used
// in its safe mode: raw HTML is dropped and javascript:, vbscript: and data: links are not
// emitted, so what an editor types cannot run in a reader's browser.
var markdown = goldmark.New(goldmark.WithExtensions(extension.Linkify, extension.Strikethrough))

// rendered keeps the HTML of Markdown rendered lately, keyed by the Markdown itself: the
// conversion is a pure function of its input, so nothing can make an entry stale, and it
// was a quarter of a source page built around a kept text (40 µs of 150). Past
// maxRendered entries it starts again from empty, which bounds it without bookkeeping.
var rendered = struct {
	sync.Mutex
	html map[string]string
}{html: map[string]string{}}

const maxRendered = 256 // a few KB each: notes, descriptions

// renderMarkdown converts src to safe HTML.
func renderMarkdown(src string) (string, error) {
	rendered.Lock()
	html, ok := rendered.html[src]
	rendered.Unlock()
	if ok {
		return html, nil
	}
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(src), &buf); err != nil {
		return "", err
	}
	html = buf.String()
	rendered.Lock()
	if len(rendered.html) >= maxRendered {
		clear(rendered.html)
	}
	rendered.html[src] = html
	rendered.Unlock()
	return html, nil
}
