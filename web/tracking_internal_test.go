package web

import "testing"

func TestStripTracking(t *testing.T) {
	for _, tc := range []struct{ raw, want string }{
		{"q=Budapest&utm_source=x&page=2", "q=Budapest&page=2"},
		{"UTM_Campaign=y&fbclid=z", ""},
		{"utm%5Fsource=escaped&q=a", "q=a"},
		{"q=utm_source&sort=title", "q=utm_source&sort=title"}, // a value, not a name
		{"q=a+b&q=c", "q=a+b&q=c"},
		{"utmost=1", "utmost=1"},
	} {
		if got, _ := stripTracking(tc.raw); got != tc.want {
			t.Errorf("stripTracking(%q) = %q, want %q", tc.raw, got, tc.want)
		}
	}
}
