package corpus

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Synthetic returns a corpus scale times the size of seed, for measuring how search and
// pages behave as the knowledge base grows. The seed is kept as it is; each further copy
// has new sources whose blocks are written by a word-level Markov chain trained on the seed
// (so paragraph lengths and vocabulary are realistic), new actors cloned from the seed's,
// and claims, citations, positions, precedent links and events in the seed's proportions.
// Every quote is an exact span of its synthetic block, as in the real corpus. The same
// scale and rng seed always give the same corpus.
func Synthetic(seed *Corpus, scale int, rngSeed uint64) *Corpus {
	rng := rand.New(rand.NewPCG(rngSeed, 0x50BCE))
	chain := trainChain(seed)
	out := &Corpus{
		Actors:     append([]Actor(nil), seed.Actors...),
		Issues:     seed.Issues,
		Precedents: append([]Precedent(nil), seed.Precedents...),
		Positions:  append([]Position(nil), seed.Positions...),
		Sources:    append([]Source(nil), seed.Sources...),
		Digest:     seed.Digest + "-synthetic-" + strconv.Itoa(scale),
	}
	for copyN := 1; copyN < scale; copyN++ {
		suffix := "-x" + strconv.Itoa(copyN)
		actorID := func(id string) string {
			if id == "" || id == AuthorSpeaker {
				return id
			}
			return id + suffix
		}
		for _, a := range seed.Actors {
			a.ID = actorID(a.ID)
			a.Name = a.Name + " " + romanish(copyN)
			a.Aliases = nil
			out.Actors = append(out.Actors, a)
		}
		for _, p := range seed.Positions {
			p.Actor = actorID(p.Actor)
			claims := make([]string, len(p.Claims))
			for i, c := range p.Claims {
				claims[i] = c + suffix
			}
			p.Claims = claims
			out.Positions = append(out.Positions, p)
		}
		for _, s := range seed.Sources {
			out.Sources = append(out.Sources, synthSource(s, suffix, copyN, chain, rng, actorID))
		}
	}
	return out
}

func synthSource(s Source, suffix string, copyN int, chain *markov, rng *rand.Rand, actorID func(string) string) Source {
	n := Source{
		Slug: s.Slug + suffix, Title: chain.sentence(rng, len(strings.Fields(s.Title))),
		Authors: s.Authors, Publisher: s.Publisher, Kind: s.Kind, Language: s.Language, Seed: s.Seed,
		Published: synthDate(rng),
	}
	text := map[string]string{}
	for _, b := range s.Blocks {
		b.Key += suffix
		if b.Kind != "footnote" {
			b.Text = chain.sentence(rng, max(3, len(strings.Fields(b.Text))))
		}
		text[b.Key] = b.Text
		n.Blocks = append(n.Blocks, b)
	}
	for _, r := range s.Roles {
		r.Actor, r.Org, r.Block = actorID(r.Actor), actorID(r.Org), r.Block+suffix
		r.AsStated = span(text[r.Block], 6, rng)
		n.Roles = append(n.Roles, r)
	}
	for _, c := range s.Claims {
		c.ID += suffix
		c.Speaker, c.Holder, c.ReportedBy = actorID(c.Speaker), actorID(c.Holder), actorID(c.ReportedBy)
		c.Statement = chain.sentence(rng, len(strings.Fields(c.Statement)))
		cites := make([]Citation, len(c.Cite))
		for i, q := range c.Cite {
			key := q.Block + suffix
			quote := span(text[key], max(2, len(strings.Fields(q.Quote))), rng)
			cites[i] = Citation{Block: key, Quote: quote, Occurrence: 1}
		}
		c.Cite = cites
		n.Claims = append(n.Claims, c)
	}
	for _, m := range s.Mentions {
		blocks := make([]string, len(m.Blocks))
		for i, b := range m.Blocks {
			blocks[i] = b + suffix
		}
		m.Blocks = blocks
		n.Mentions = append(n.Mentions, m)
	}
	for _, e := range s.Events {
		e.Block += suffix
		n.Events = append(n.Events, e)
	}
	return n
}

// span picks a run of about words words from text, on word boundaries.
func span(text string, words int, rng *rand.Rand) string {
	f := strings.Fields(text)
	if words >= len(f) {
		return text
	}
	start := rng.IntN(len(f) - words + 1)
	return strings.Join(f[start:start+words], " ")
}

func synthDate(rng *rand.Rand) string {
	return "2025-" + pad2(1+rng.IntN(12)) + "-" + pad2(1+rng.IntN(28))
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// romanish makes a distinct name suffix for the nth clone of an actor.
func romanish(n int) string { return "(" + strconv.Itoa(n) + ")" }

// markov is a first-order word chain over the seed's text.
type markov struct {
	next  map[string][]string
	start []string
}

func trainChain(c *Corpus) *markov {
	m := &markov{next: map[string][]string{}}
	for _, s := range c.Sources {
		for _, b := range s.Blocks {
			words := strings.Fields(b.Text)
			if len(words) == 0 {
				continue
			}
			m.start = append(m.start, words[0])
			for i := 0; i+1 < len(words); i++ {
				m.next[words[i]] = append(m.next[words[i]], words[i+1])
			}
		}
	}
	return m
}

func (m *markov) sentence(rng *rand.Rand, n int) string {
	var b strings.Builder
	w := m.start[rng.IntN(len(m.start))]
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
		next := m.next[w]
		if len(next) == 0 {
			w = m.start[rng.IntN(len(m.start))]
		} else {
			w = next[rng.IntN(len(next))]
		}
	}
	s := b.String()
	if !utf8.ValidString(s) {
		return strings.ToValidUTF8(s, "")
	}
	return s
}
