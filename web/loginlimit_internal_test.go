package web

import (
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestLimiterMemoryIsBounded fails sign-ins for 100,000 distinct emails from as many
// addresses, some emails megabytes long, and measures what the limiter keeps.
func TestLimiterMemoryIsBounded(t *testing.T) {
	l := newLoginLimiter()
	now := time.Now()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	huge := strings.Repeat("x", 1<<20)
	for i := range 100_000 {
		r := &http.Request{RemoteAddr: "10." + strconv.Itoa(i>>16&255) + "." + strconv.Itoa(i>>8&255) + "." + strconv.Itoa(i&255) + ":4000"}
		email := "user" + strconv.Itoa(i) + "@example.org"
		if i%10_000 == 0 {
			email = huge + email
		}
		if _, _, ok := l.begin(email, r, now.Add(time.Duration(i)*time.Millisecond)); !ok {
			t.Fatalf("attempt %d refused", i)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	grew := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("100,000 distinct failed emails: %d keys, heap %+.1f MiB", l.keys(), float64(grew)/(1<<20))
	if l.keys() > maxLimiterKeys {
		t.Errorf("%d keys kept; the bound is %d", l.keys(), maxLimiterKeys)
	}
	if grew > 64<<20 {
		t.Errorf("the limiter took %.1f MiB", float64(grew)/(1<<20))
	}
	// Entries leave with the window.
	r := &http.Request{RemoteAddr: "192.0.2.1:4000"}
	if _, _, ok := l.begin("late@example.org", r, now.Add(2*loginWindow)); !ok {
		t.Fatal("refused after the window")
	}
	if l.keys() > 1000 {
		t.Errorf("%d keys after the window passed; expired ones should be gone", l.keys())
	}
}

func TestIPv6AddressesCountBySlash64(t *testing.T) {
	a := addressKey(&http.Request{RemoteAddr: "[2001:db8:1:2:aaaa::1]:443"})
	b := addressKey(&http.Request{RemoteAddr: "[2001:db8:1:2:bbbb::9]:443"})
	c := addressKey(&http.Request{RemoteAddr: "[2001:db8:1:3::1]:443"})
	if a != b || a == c {
		t.Errorf("keys %q %q %q: one /64 should be one address, another /64 another", a, b, c)
	}
}
