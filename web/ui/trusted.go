package ui

import "github.com/a-h/templ"

// trustedHTML inserts html into the page as it is, unescaped: the one place the site does.
// Only three things may pass through it: Markdown rendered in goldmark's safe mode (raw HTML
// dropped, unsafe links not emitted), our own rendered output (a source's text, rendered by
// SourceText and kept in the text cache), and JSON-LD encoded with HTML-safe escaping.
// Never a string a request or an editor supplies unrendered.
func trustedHTML(html string) templ.Component { return templ.Raw(html) }
