package main

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/web"
)

// The user commands change accounts in a real database file while a site serves it: an
// editor disabled from the command line is refused on the next request of the session it
// had open and cannot sign in; enabled, they can; a new password ends the session and only
// the new password signs in; the last admin stays an active admin; each change is audited.
func TestUserCommandsChangeAccountsOfAServedDatabase(t *testing.T) {
	dir := t.TempDir()
	ctx := t.Context()
	const password = "a long enough password"
	const newPassword = "walnut harbour violin seventeen"
	succeeds := func(stdin, says string, args ...string) string {
		t.Helper()
		r := runSourcebook(t, dir, stdin, append([]string{"--db", "x.db", "user"}, args...)...)
		if r.status != 0 || !strings.Contains(r.stdout, says) {
			t.Fatalf("sourcebook user %s: exit status %d, stdout %q, want 0 and %q; stderr:\n%s",
				strings.Join(args, " "), r.status, r.stdout, says, r.stderr)
		}
		return r.stdout
	}
	fails := func(stdin, says string, args ...string) {
		t.Helper()
		r := runSourcebook(t, dir, stdin, append([]string{"--db", "x.db", "user"}, args...)...)
		if r.status != 1 || !strings.Contains(r.stderr, says) {
			t.Errorf("sourcebook user %s: exit status %d, stderr %q, want 1 saying %q",
				strings.Join(args, " "), r.status, r.stderr, says)
		}
	}
	listed := func(email, words string) {
		t.Helper()
		out := succeeds("", "EMAIL", "list")
		for _, line := range strings.Split(out, "\n") {
			if f := strings.Fields(line); len(f) > 0 && f[0] == email {
				if got := strings.Join(f[1:3], " "); got != words {
					t.Errorf("user list shows %s as %q, want %q:\n%s", email, got, words, out)
				}
				return
			}
		}
		t.Errorf("user list does not show %s:\n%s", email, out)
	}

	succeeds(password+"\n", "created admin admin@example.org", "add", "--email", "admin@example.org", "--role", "admin")
	succeeds(password+"\n", "created editor editor@example.org", "add", "--email", "editor@example.org")
	listed("admin@example.org", "admin active")
	listed("editor@example.org", "editor active")

	st, err := store.Open(ctx, filepath.Join(dir, "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	site := web.New(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	defer site.Close()
	ts := httptest.NewServer(site.Handler())
	defer ts.Close()
	signIn := func(pw string, want int) *http.Client {
		t.Helper()
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.PostForm(ts.URL+"/admin/login", url.Values{"email": {"editor@example.org"}, "password": {pw}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Fatalf("sign in with %q: status %d, want %d", pw, resp.StatusCode, want)
		}
		return c
	}
	opens := func(c *http.Client) bool {
		t.Helper()
		resp, err := c.Get(ts.URL + "/admin")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}

	editor := signIn(password, http.StatusSeeOther)
	if !opens(editor) {
		t.Fatal("the editor's session does not open /admin")
	}
	succeeds("", "disabled editor editor@example.org", "disable", "--email", "editor@example.org")
	listed("editor@example.org", "editor disabled")
	if opens(editor) {
		t.Error("the disabled editor's open session still opens /admin")
	}
	signIn(password, http.StatusUnauthorized)

	succeeds("", "enabled editor editor@example.org", "enable", "--email", "Editor@Example.org")
	editor = signIn(password, http.StatusSeeOther)
	succeeds("", "editor@example.org is admin", "role", "--email", "editor@example.org", "--role", "admin")
	listed("editor@example.org", "admin active")

	fails("aaaaaaaaaaaa\n", "too easy to guess", "password", "--email", "editor@example.org")
	if !opens(editor) {
		t.Error("a refused password ended the editor's session")
	}
	succeeds(newPassword+"\n", "set the password of editor@example.org", "password", "--email", "editor@example.org")
	if opens(editor) {
		t.Error("the session from before the new password still opens /admin")
	}
	signIn(password, http.StatusUnauthorized)
	signIn(newPassword, http.StatusSeeOther)

	succeeds("", "editor@example.org is editor", "role", "--email", "editor@example.org", "--role", "editor")
	fails("", "admin@example.org is the last active admin", "disable", "--email", "admin@example.org")
	fails("", "admin@example.org is the last active admin", "role", "--email", "admin@example.org", "--role", "editor")
	fails("", "the role is editor or admin", "role", "--email", "editor@example.org", "--role", "owner")
	fails("", "no account for nobody@example.org", "disable", "--email", "nobody@example.org")
	listed("admin@example.org", "admin active")

	entries, err := st.Audit(ctx, "user/editor@example.org", 20)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action+" by "+e.User)
	}
	for _, want := range []string{"user.disable", "user.enable", "user.role", "user.password"} {
		if !slices.Contains(actions, want+" by system") {
			t.Errorf("the audit log of editor@example.org lacks %s by system: %q", want, actions)
		}
	}
}

// A user command line that cannot be followed is refused with status 2 before the database
// is opened; one naming a database that does not exist fails without creating it.
func TestMistakenUserCommandsAreRefused(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"user", "disable"}, "--email is required"},
		{[]string{"user", "enable", "--name", "E"}, "--name does not apply"},
		{[]string{"user", "role", "--email", "e@example.org"}, "--role is required"},
		{[]string{"user", "disable", "--email", "e@example.org", "--role", "admin"}, "--role does not apply"},
		{[]string{"user", "password"}, "--email is required"},
		{[]string{"user", "list", "extra"}, `unexpected argument "extra"`},
		{[]string{"user", "list", "--email", "e@example.org"}, "--email does not apply"},
		{[]string{"user", "revoke", "--email", "e@example.org"}, `unknown command "revoke"`},
	} {
		line := strings.Join(c.args, " ")
		r := runSourcebook(t, dir, "a long enough password\n", append([]string{"--db", "x.db"}, c.args...)...)
		if r.status != 2 || !strings.Contains(r.stderr, c.says) || !strings.Contains(r.stderr, "Usage") || r.stdout != "" {
			t.Errorf("sourcebook %s: exit status %d, stdout %q, stderr:\n%s\nwant 2, the usage and %q", line, r.status, r.stdout, r.stderr, c.says)
		}
	}
	r := runSourcebook(t, dir, "", "--db", "x.db", "user", "list")
	if r.status != 1 || !strings.Contains(r.stderr, "no database at x.db") {
		t.Errorf("user list on a missing database: exit status %d, stderr %q", r.status, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.db")); err == nil {
		t.Error("a user command created the database")
	}
}
