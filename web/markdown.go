package web

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// markdown renders editor-written Markdown (provenance notes, descriptions). goldmark is used
// in its safe mode: raw HTML is dropped and javascript:, vbscript: and data: links are not
// emitted, so what an editor types cannot run in a reader's browser.
var markdown = goldmark.New(goldmark.WithExtensions(extension.Linkify, extension.Strikethrough))

// renderMarkdown converts src to safe HTML.
func renderMarkdown(src string) (string, error) {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(src), &buf); err != nil {
		return "", err
	}
	return buf.String(), nil
}
