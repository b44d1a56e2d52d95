// Package intake turns a web page (fetched, uploaded or pasted) into a source's fields and
// text blocks for the editor to check in the preview before anything is saved.
package intake

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Refusal is an error the editor is told as it is: a URL the server will not fetch, a page
// too large, a response that is not a web page. The form answers it with 422.
type Refusal struct{ Msg string }

func (r *Refusal) Error() string { return r.Msg }

func refuse(format string, a ...any) error { return &Refusal{Msg: fmt.Sprintf(format, a...)} }

// FetchOptions limit what the server fetches on an editor's behalf.
type FetchOptions struct {
	// AllowPrivate lets the server fetch from loopback, private and link-local addresses.
	// Off by default: a URL typed into the admin must not become a way to read the
	// server's own network (a metadata service, an internal dashboard).
	AllowPrivate bool
	MaxBytes     int64         // the largest page read; 5 MiB when zero
	Timeout      time.Duration // the whole fetch, redirects included; 15 s when zero
	MaxRedirects int           // 5 when zero

	// publicForTest treats an address as public: tests serve a "public" page from
	// 127.0.0.1 and check that its redirects to other local addresses are still refused.
	publicForTest func(netip.AddrPort) bool
}

// MaxPageBytes is the largest page read, fetched or uploaded: 5 MiB, room for an article
// saved with its scripts and styles inline.
const MaxPageBytes = 5 << 20

func (o FetchOptions) withDefaults() FetchOptions {
	if o.MaxBytes <= 0 {
		o.MaxBytes = MaxPageBytes
	}
	if o.Timeout <= 0 {
		o.Timeout = 15 * time.Second
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = 5
	}
	return o
}

// Page is a fetched web page: its bytes and the address it was finally read from.
type Page struct {
	Body        []byte
	URL         *url.URL // after redirects
	ContentType string
}

// nonPublic are the ranges that are not the public internet, beyond what net.IP's own
// predicates name: shared address space, benchmarking, documentation, reserved, NAT64 and
// the 6to4, Teredo and IPv4-compatible forms (which would reach IPv4 addresses through a
// translator or tunnel), site-local, and discard-only.
var nonPublic = func() []netip.Prefix {
	var out []netip.Prefix
	for _, p := range []string{"0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15",
		"198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64",
		"2001:db8::/32", "2002::/16", "192.88.99.0/24", "::/96", "2001::/32", "fec0::/10"} {
		out = append(out, netip.MustParsePrefix(p))
	}
	return out
}()

// addressProblem says why ip is not a public address, or "" when it is.
func addressProblem(ip netip.Addr) string {
	ip = ip.Unmap()
	switch {
	case ip.IsLoopback():
		return "a loopback address"
	case ip.IsPrivate():
		return "a private address"
	case ip.IsLinkLocalUnicast(), ip.IsLinkLocalMulticast():
		return "a link-local address"
	case ip.IsUnspecified():
		return "an unspecified address"
	case ip.IsMulticast(), ip.IsInterfaceLocalMulticast():
		return "a multicast address"
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return "a reserved, non-public address"
		}
	}
	return ""
}

// checkURL refuses what is not an http or https URL with a host.
func checkURL(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return refuse("only http and https addresses can be imported, not %q", u.Scheme+":")
	}
	if u.Hostname() == "" {
		return refuse("the address has no host name")
	}
	if u.User != nil {
		return refuse("an address with a user name or password in it is not fetched")
	}
	return nil
}

// Fetch reads the web page at raw. Every address dialled, including each redirect's and
// whatever a host name resolves to at that moment, is checked as the connection is made, so
// a host name that resolves to a private address (or changes to one between lookups) is
// refused just as an IP literal is.
func Fetch(ctx context.Context, opts FetchOptions, raw string) (Page, error) {
	opts = opts.withDefaults()
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return Page{}, refuse("that is not a web address")
	}
	if err := checkURL(u); err != nil {
		return Page{}, err
	}
	dialer := &net.Dialer{Timeout: opts.Timeout}
	if !opts.AllowPrivate {
		dialer.Control = func(network, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return refuse("cannot read the address %q", address)
			}
			ip, err := netip.ParseAddr(host)
			if err != nil {
				return refuse("cannot read the address %q", address)
			}
			if ap, err := netip.ParseAddrPort(address); err == nil && opts.publicForTest != nil && opts.publicForTest(ap) {
				return nil
			}
			if why := addressProblem(ip); why != "" {
				return refuse("%s is %s: the server does not fetch from its own or private networks", ip.Unmap(), why)
			}
			return nil
		}
	}
	transport := &http.Transport{
		Proxy:                 nil, // a proxy would be the address dialled, and checked, instead of the page's
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   opts.Timeout,
		ResponseHeaderTimeout: opts.Timeout,
		MaxIdleConns:          1,
		DisableKeepAlives:     true,
	}
	defer transport.CloseIdleConnections()
	client := &http.Client{
		Transport: transport,
		Timeout:   opts.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > opts.MaxRedirects {
				return refuse("the page redirects more than %d times", opts.MaxRedirects)
			}
			return checkURL(req.URL)
		},
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Page{}, refuse("that is not a web address")
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1")
	req.Header.Set("User-Agent", "Sourcebook-import/1 (+an editor importing a source)")
	resp, err := client.Do(req)
	if err != nil {
		var ref *Refusal
		if errors.As(err, &ref) {
			return Page{}, ref
		}
		if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
			return Page{}, refuse("the page did not answer within %s", opts.Timeout)
		}
		return Page{}, refuse("the page could not be fetched: %s", fetchProblem(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return Page{}, refuse("the page answered %s", resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, opts.MaxBytes+1))
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
			return Page{}, refuse("the page did not finish loading within %s", opts.Timeout)
		}
		return Page{}, refuse("the page could not be read: %s", fetchProblem(err))
	}
	if int64(len(body)) > opts.MaxBytes {
		return Page{}, refuse("the page is too large: more than %d MB", opts.MaxBytes>>20)
	}
	ct := resp.Header.Get("Content-Type")
	if err := checkHTML(ct, body); err != nil {
		return Page{}, err
	}
	return Page{Body: body, URL: resp.Request.URL, ContentType: ct}, nil
}

// checkHTML refuses a response that is not a web page: a PDF, an image, JSON. A missing
// Content-Type is sniffed.
func checkHTML(contentType string, body []byte) error {
	if contentType == "" {
		contentType = http.DetectContentType(body)
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return refuse("the page's type %q cannot be read", contentType)
	}
	if mt != "text/html" && mt != "application/xhtml+xml" {
		return refuse("the address gives %s, not a web page (HTML): only web pages can be imported", mt)
	}
	return nil
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// fetchProblem is the innermost cause of a failed fetch, without the URL repeated.
func fetchProblem(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return "the host name " + dns.Name + " was not found"
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err.Error()
	}
	return err.Error()
}
