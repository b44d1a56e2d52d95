package web

import (
	"encoding/json"
	"strings"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/web/link"
	"github.com/sourcebook/sourcebook/web/ui"
)

// citationWords is a source's citation in words, in the author-date manner, saying plainly
// what is unknown rather than leaving a gap a reader could misread. A passage citation adds
// its locator and the permalink of the revision shown, which keeps that locator for good
// (store/paragraphs.go): a paragraph number alone shifts when a paragraph is put above it.
func citationWords(s store.Source, origin string, p *store.Passage) string {
	var parts []string
	if len(s.Authors) > 0 {
		parts = append(parts, strings.Join(s.Authors, ", ")+".")
	}
	parts = append(parts, "“"+ui.Nested(s.Title)+".”") // Chicago: quotes within a title turn single
	if s.Publisher != "" {
		parts = append(parts, s.Publisher+",")
	} else {
		parts = append(parts, "Publisher not stated,")
	}
	if s.Published != "" {
		parts = append(parts, s.Published+".")
	} else {
		parts = append(parts, "n.d.")
	}
	if s.CapturedFrom != "" {
		parts = append(parts, "Captured from "+s.CapturedFrom+".")
	}
	if p != nil {
		if loc := p.Locator(); loc != "" {
			parts = append(parts, capitalized(loc)+".")
		}
		parts = append(parts, origin+link.Passage(s.Slug, p.Block.Key, p.Shown.Rev))
	} else {
		parts = append(parts, origin+link.Source(s.Slug))
	}
	if s.URL != "" {
		parts = append(parts, "Original: "+s.URL+".")
	}
	return strings.Join(parts, " ")
}

// capitalized starts a locator ("para. 4") as a sentence or title does ("Para. 4").
func capitalized(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// highwire returns the Highwire Press citation_* tags a reference manager's browser
// connector (Zotero's) reads to save a proper item rather than a bare web page. Unknown
// values are left out, never guessed.
func highwire(s store.Source, origin string, p *store.Passage) map[string][]string {
	m := map[string][]string{"citation_title": {s.Title}, "citation_language": {s.Language}}
	if len(s.Authors) > 0 {
		m["citation_author"] = s.Authors
	}
	if s.Publisher != "" {
		m["citation_publisher"] = []string{s.Publisher}
		m["citation_journal_title"] = []string{s.Publisher}
	}
	if s.Published != "" {
		m["citation_publication_date"] = []string{strings.ReplaceAll(s.Published, "-", "/")}
	}
	if p != nil {
		m["citation_public_url"] = []string{origin + link.Passage(s.Slug, p.Block.Key, p.Shown.Rev)}
		if loc := p.Locator(); loc != "" {
			m["citation_firstpage"] = []string{loc}
		}
	} else {
		m["citation_public_url"] = []string{origin + link.Source(s.Slug)}
	}
	if s.URL != "" {
		m["citation_fulltext_html_url"] = []string{s.URL}
	}
	return m
}

// jsonLD encodes a schema.org description. encoding/json escapes <, > and & so the data
// cannot close the script element it is embedded in.
func jsonLD(v map[string]any) string {
	v["@context"] = "https://schema.org"
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

func sourceLD(s store.Source, origin string) string {
	typ := "NewsArticle"
	if s.Kind == "analysis" {
		typ = "AnalysisNewsArticle"
	}
	v := map[string]any{"@type": typ, "headline": s.Title, "inLanguage": s.Language, "url": origin + link.Source(s.Slug)}
	if len(s.Authors) > 0 {
		var authors []map[string]string
		for _, a := range s.Authors {
			authors = append(authors, map[string]string{"@type": "Person", "name": a})
		}
		v["author"] = authors
	}
	if s.Publisher != "" {
		v["publisher"] = map[string]string{"@type": "Organization", "name": s.Publisher}
	}
	if s.Published != "" {
		v["datePublished"] = s.Published
	}
	if s.URL != "" {
		v["sameAs"] = s.URL
	}
	return jsonLD(v)
}

func actorLD(a store.Actor, origin string) string {
	typ := "Organization"
	switch a.Kind {
	case "person":
		typ = "Person"
	case "state":
		typ = "Country"
	}
	v := map[string]any{"@type": typ, "name": a.Name, "url": origin + link.Actor(a.Slug)}
	if len(a.Aliases) > 0 {
		v["alternateName"] = a.Aliases
	}
	return jsonLD(v)
}

func claimLD(c store.Claim, origin string) string {
	v := map[string]any{"@type": "Quotation", "url": origin + link.Claim(c.Slug), "abstract": c.Statement}
	if c.Speaker != nil {
		v["spokenByCharacter"] = map[string]string{"@type": "Thing", "name": c.Speaker.Name, "url": origin + link.Actor(c.Speaker.Slug)}
	}
	if len(c.Citations) > 0 {
		v["text"] = c.Citations[0].Exact
		v["isPartOf"] = map[string]string{"@type": "CreativeWork", "name": c.Source.Title, "url": origin + link.Source(c.Source.Slug)}
	}
	if c.Said != "" {
		v["dateCreated"] = c.Said
	}
	return jsonLD(v)
}
