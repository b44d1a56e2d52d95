package ui

import (
	"html"
	"testing"

	"github.com/sourcebook/sourcebook/store/query"
)

// The API's snippet_html was html.EscapeString with <mark> around the matches; Marked must
// give the same bytes, since clients read them.
func TestMarkedEscapesAsTheAPIAlwaysHas(t *testing.T) {
	text := `a <b> & "c" 'd' é`
	for _, c := range []struct {
		marks []query.Range
		want  string
	}{
		{nil, html.EscapeString(text)},
		{[]query.Range{{Start: 2, End: 5}}, "a <mark>&lt;b&gt;</mark> &amp; &#34;c&#34; &#39;d&#39; é"},
		{[]query.Range{{Start: 0, End: 1}, {Start: 16, End: 18}}, "<mark>a</mark> &lt;b&gt; &amp; &#34;c&#34; &#39;d&#39; <mark>é</mark>"},
		// Ranges out of order or out of the text are dropped, never trusted.
		{[]query.Range{{Start: 2, End: 5}, {Start: 0, End: 1}, {Start: 3, End: 99}, {Start: 7, End: 7}}, "a <mark>&lt;b&gt;</mark> &amp; &#34;c&#34; &#39;d&#39; é"},
	} {
		if got := MarkedHTML(text, c.marks); got != c.want {
			t.Errorf("%v:\n got %s\nwant %s", c.marks, got, c.want)
		}
	}
}
