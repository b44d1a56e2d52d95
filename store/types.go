package store

// Source is an article or document, as the knowledge base records it.
type Source struct {
	ID           int64
	Slug         string
	Title        string
	Subtitle     string
	Authors      []string // empty when the source names none
	Publisher    string   // "" when unknown
	CapturedFrom string
	Published    string // ISO date cut to its precision; "" when unknown
	URL          string
	Retrieved    string
	Kind         string
	Language     string
	Notes        string
	Status       string
	Blocks       int // how many blocks the current text has
	Claims       int
}

// PublishedPrecision is day, month, year or unknown.
func (s Source) PublishedPrecision() string { return precision(s.Published) }

// Block is one numbered block of a source's current text.
type Block struct {
	ID       int64
	SourceID int64
	Key      string
	Position int
	Kind     string
	Label    string
	Rev      int
	Text     string
}

// Stats counts what the knowledge base holds.
type Stats struct {
	Sources, Blocks, Actors, Issues, Claims, Citations, Positions, Precedents, Events, Roles int
}

func precision(date string) string {
	switch len(date) {
	case 10:
		return "day"
	case 7:
		return "month"
	case 4:
		return "year"
	}
	return "unknown"
}
