package vocab

import "testing"

func TestEveryWordHasItsLabel(t *testing.T) {
	for _, s := range Stances {
		if s.Word() == "" || s.Symbol() == "" || (s != Neutral && s.Symbol() == Neutral.Symbol()) {
			t.Errorf("stance %q: word %q, symbol %q", s, s.Word(), s.Symbol())
		}
	}
	for _, k := range ActorKinds {
		if k.Label() == string(k) || k.Plural() == string(k) {
			t.Errorf("actor kind %q has no label", k)
		}
	}
	for _, k := range SourceKinds {
		if k.Label() == string(k) {
			t.Errorf("source kind %q has no label", k)
		}
	}
	for _, k := range ClaimKinds {
		if k.Label() == "" {
			t.Errorf("claim kind %q has no label", k)
		}
	}
	if len(ActorGroups) != len(ActorKinds) {
		t.Error("the actors page would leave a kind out")
	}
	for date, want := range map[string]Precision{"2025-08-18": Day, "2025-08": Month, "2025": Year, "": Unknown} {
		if got := PrecisionOf(date); got != want {
			t.Errorf("PrecisionOf(%q) = %s, want %s", date, got, want)
		}
	}
}
