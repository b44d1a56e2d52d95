package web_test

import (
	"context"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"
)

// clientFrom is an HTTP client whose connections come from the given loopback address, so a
// test can sign in from two places at once (Linux routes all of 127.0.0.0/8 to loopback).
func clientFrom(addr string) *http.Client {
	jar, _ := cookiejar.New(nil)
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(addr)}, Timeout: 10 * time.Second}
	return &http.Client{Jar: jar, Timeout: time.Minute,
		Transport:     &http.Transport{DialContext: d.DialContext, MaxConnsPerHost: 0},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func signInStatus(t *testing.T, c *http.Client, base, email, password string) int {
	t.Helper()
	resp, err := c.PostForm(base+"/admin/login", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		t.Error(err)
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// burst sends n sign-ins at once and counts the answers by status.
func burst(t *testing.T, c *http.Client, base, email string, passwords []string) map[int]int {
	var mu sync.Mutex
	got := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, pw := range passwords {
		wg.Go(func() {
			<-start
			code := signInStatus(t, c, base, email, pw)
			mu.Lock()
			got[code]++
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	return got
}

// TestSignInBurstTriesFivePasswordsAtMost sends 30 passwords at once, as the red team did
// (29 wrong, the right one last): five are checked, the rest refused unchecked, and the right
// one does not get in through the crowd.
func TestSignInBurstTriesFivePasswordsAtMost(t *testing.T) {
	s := newSite(t, withEditor())
	c := clientFrom("127.0.0.1")
	var passwords []string
	for i := range 29 {
		passwords = append(passwords, "wrong password number "+string(rune('a'+i)))
	}
	got := burst(t, c, s.URL, "editor@example.org", passwords)
	t.Logf("29 wrong passwords at once: %v", got)
	if got[http.StatusUnauthorized] != 5 || got[http.StatusUnauthorized]+got[http.StatusTooManyRequests]+got[http.StatusServiceUnavailable] != 29 {
		t.Errorf("29 wrong passwords at once: %v; want exactly 5 checked (401), the rest refused", got)
	}
	if code := signInStatus(t, c, s.URL, "editor@example.org", testPassword); code != http.StatusTooManyRequests {
		t.Errorf("the right password after the burst: %d, want 429", code)
	}
}

// TestAStrangerCannotLockAnEditorOut fails on purpose from one address; the editor signing
// in from another still gets in, and the stranger's address is limited on every account.
func TestAStrangerCannotLockAnEditorOut(t *testing.T) {
	s := newSite(t, withEditor())
	stranger, editor := clientFrom("127.0.0.2"), clientFrom("127.0.0.3")
	for range 5 {
		if code := signInStatus(t, stranger, s.URL, "editor@example.org", "not the password at all"); code != http.StatusUnauthorized {
			t.Fatalf("a wrong password: %d", code)
		}
	}
	if code := signInStatus(t, stranger, s.URL, "editor@example.org", testPassword); code != http.StatusTooManyRequests {
		t.Errorf("the stranger's address after 5 failures: %d, want 429", code)
	}
	if code := signInStatus(t, editor, s.URL, "editor@example.org", testPassword); code != http.StatusSeeOther {
		t.Errorf("the editor from another address: %d, want 303 (signed in)", code)
	}
	// Twenty failures from one address, over many accounts, close that address to all.
	for i := range 15 {
		signInStatus(t, stranger, s.URL, "someone"+string(rune('a'+i))+"@example.org", "not the password at all")
	}
	if code := signInStatus(t, stranger, s.URL, "nobody@example.org", "not the password at all"); code != http.StatusTooManyRequests {
		t.Errorf("a 21st failure from one address: %d, want 429", code)
	}
}

// TestSignInFloodLeavesThePublicSiteUp sends 100 sign-ins at once from 100 addresses (so the
// address limits let them all through to the hash) and reads a public page meanwhile: every
// sign-in is answered, none with a 500, and the page answers 200.
func TestSignInFloodLeavesThePublicSiteUp(t *testing.T) {
	if testing.Short() {
		t.Skip("a flood of 100 sign-ins runs in the full suite")
	}
	s := newSite(t, withEditor())
	var mu sync.Mutex
	got := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 100 {
		c := clientFrom("127.0.1." + strconv.Itoa(i+1))
		wg.Go(func() {
			<-start
			code := signInStatus(t, c, s.URL, "editor@example.org", "not the password, flooding")
			mu.Lock()
			got[code]++
			mu.Unlock()
		})
	}
	close(start)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.URL+"/sources/newsweek-putin-guarantees?flood=1", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("a public page during the flood: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	wg.Wait()
	t.Logf("100 sign-ins at once: %v", got)
	if got[http.StatusUnauthorized]+got[http.StatusServiceUnavailable] != 100 || got[http.StatusUnauthorized] < 2 {
		t.Errorf("100 sign-ins at once: %v; want each checked (401) or turned away to retry (503)", got)
	}
}
