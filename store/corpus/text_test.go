package corpus

import "testing"

func TestParseTextRoundTrip(t *testing.T) {
	text := "## A **heading**\n\nA paragraph\nover two lines. {#abc123}\n\n> A quotation.\n\nA photo caption {.caption}\n\n[^1]: A footnote."
	blocks := ParseText(text)
	want := []Block{
		{Kind: "heading", Text: "A heading"},
		{Kind: "paragraph", Text: "A paragraph over two lines.", Key: "abc123"},
		{Kind: "blockquote", Text: "A quotation."},
		{Kind: "caption", Text: "A photo caption"},
		{Kind: "footnote", Label: "1", Text: "A footnote."},
	}
	if len(blocks) != len(want) {
		t.Fatalf("got %d blocks: %+v", len(blocks), blocks)
	}
	for i, w := range want {
		b := blocks[i]
		if b.Kind != w.Kind || b.Text != w.Text || b.Key != w.Key || b.Label != w.Label {
			t.Errorf("block %d = %+v, want %+v", i, b, w)
		}
	}
	again := ParseText(FormatText(blocks))
	for i := range blocks {
		if again[i].Text != blocks[i].Text || again[i].Kind != blocks[i].Kind || again[i].Key != blocks[i].Key {
			t.Errorf("round trip changed block %d: %+v → %+v", i, blocks[i], again[i])
		}
	}
}
