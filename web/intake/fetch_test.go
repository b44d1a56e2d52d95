package intake

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
)

// A redirect is checked like the first address: from a page the fetcher may read, a
// redirect to the server's own network, the metadata service, a name resolving to loopback,
// or another scheme is refused, and the private page is never asked.
func TestFetchChecksEveryRedirect(t *testing.T) {
	var privateHits atomic.Int32
	private := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		privateHits.Add(1)
		io.WriteString(w, "<html><body><p>internal dashboard</p></body></html>")
	}))
	defer private.Close()
	privatePort := private.URL[strings.LastIndex(private.URL, ":")+1:]
	mux := http.NewServeMux()
	public := httptest.NewServer(mux)
	defer public.Close()
	redirect := func(path, to string) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, http.StatusFound) })
	}
	redirect("/to-private", private.URL+"/")
	redirect("/to-localhost", "http://localhost:"+privatePort+"/")
	redirect("/to-metadata", "http://169.254.169.254/latest/meta-data/")
	redirect("/to-lan", "http://192.168.0.10/")
	redirect("/to-file", "file:///etc/passwd")
	redirect("/loop", "/loop")
	redirect("/hop", "/page")
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<html><body><p>public</p></body></html>")
	})
	publicAddr := netip.MustParseAddrPort(public.Listener.Addr().String())
	opts := FetchOptions{publicForTest: func(ap netip.AddrPort) bool { return ap == publicAddr }}

	page, err := Fetch(context.Background(), opts, public.URL+"/hop")
	if err != nil || !strings.Contains(string(page.Body), "public") || page.URL.Path != "/page" {
		t.Fatalf("a redirect within the public page: %v, read from %v", err, page.URL)
	}
	for path, want := range map[string]string{
		"/to-private":   "127.0.0.1 is a loopback address",
		"/to-localhost": "is a loopback address",
		"/to-metadata":  "169.254.169.254 is a link-local address",
		"/to-lan":       "192.168.0.10 is a private address",
		"/to-file":      "only http and https",
		"/loop":         "redirects more than 5 times",
	} {
		_, err := Fetch(context.Background(), opts, public.URL+path)
		var ref *Refusal
		if !errors.As(err, &ref) || !strings.Contains(ref.Msg, want) {
			t.Errorf("%s: %v, want a refusal saying %q", path, err, want)
		}
	}
	if n := privateHits.Load(); n != 0 {
		t.Errorf("the private server was asked %d times", n)
	}
}

func TestAddressProblem(t *testing.T) {
	for addr, public := range map[string]bool{
		"127.0.0.1": false, "127.8.9.1": false, "::1": false, "10.0.0.1": false, "172.16.0.1": false, "172.31.255.255": false,
		"192.168.1.1": false, "169.254.169.254": false, "fe80::1": false, "fc00::1": false, "0.0.0.0": false, "::": false,
		"224.0.0.1": false, "100.64.0.1": false, "::ffff:10.0.0.1": false, "64:ff9b::a00:1": false,
		"93.184.215.14": true, "172.32.0.1": true, "2606:4700::1111": true, "8.8.8.8": true,
	} {
		if got := addressProblem(netip.MustParseAddr(addr)) == ""; got != public {
			t.Errorf("%s: public %v, want %v", addr, got, public)
		}
	}
}

func TestISODate(t *testing.T) {
	for in, want := range map[string]string{
		"2025-08-18T21:40:00-04:00": "2025-08-18", "2025/8/20": "2025-08-20", "2025-08": "2025-08", "2025": "2025",
		"2025-13-01": "2025", "18 Aug 2025": "", "": "", "Monday": "", "2025-08-18 10:00": "2025-08-18",
	} {
		if got := isoDate(in); got != want {
			t.Errorf("isoDate(%q) = %q, want %q", in, got, want)
		}
	}
}
