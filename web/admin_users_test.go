package web_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// getAs fetches an admin page with a signed-in client (redirects not followed).
func getAs(t *testing.T, c *http.Client, u string) (int, string, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

// withAdmin adds an admin to the site and signs it in.
func withAdmin(t *testing.T, s site, email string) *http.Client {
	t.Helper()
	if _, err := s.st.CreateUser(t.Context(), nil, email, "", "admin", testPassword); err != nil {
		t.Fatal(err)
	}
	return s.signIn(t, email, testPassword, http.StatusSeeOther)
}

// signedOut checks that a session made before is refused: a page sends it to sign in, a
// write is 401.
func signedOut(t *testing.T, s site, c *http.Client, who string) {
	t.Helper()
	if status, loc, _ := getAs(t, c, s.URL+"/admin"); status != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/login") {
		t.Errorf("%s's old session opening /admin: status %d to %q, want 303 to sign in", who, status, loc)
	}
	if status, _ := s.post(t, c, "/admin/actors", url.Values{"name": {"Zed Actor"}, "kind": {"person"}}); status != http.StatusUnauthorized {
		t.Errorf("%s's old session writing: status %d, want 401", who, status)
	}
}

// auditSays checks that the audit page, as an admin reads it, records action on entity by who.
func auditSays(t *testing.T, s site, admin *http.Client, entity string, want ...string) {
	t.Helper()
	status, _, body := getAs(t, admin, s.URL+"/admin/audit?entity="+url.QueryEscape(entity))
	if status != http.StatusOK {
		t.Fatalf("audit page: status %d", status)
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("the audit log of %s does not show %q", entity, w)
		}
	}
}

// An admin disables an editor: the editor's open session is refused on its very next
// request, and they cannot sign in. Enabled again, they can, but a session from before the
// disabling stays ended.
func TestDisablingAnEditorEndsTheirAccess(t *testing.T) {
	s := newSite(t, withEditor())
	admin := withAdmin(t, s, "admin@example.org")
	other := s.signIn(t, "editor@example.org", testPassword, http.StatusSeeOther) // unused while disabled
	if status, _, _ := getAs(t, s.client, s.URL+"/admin"); status != http.StatusOK {
		t.Fatalf("the editor's session before: status %d", status)
	}

	if status, body := s.post(t, admin, "/admin/users/disable", url.Values{"email": {"editor@example.org"}}); status != http.StatusSeeOther {
		t.Fatalf("disable: status %d\n%s", status, body)
	}
	signedOut(t, s, s.client, "the disabled editor")
	s.signIn(t, "editor@example.org", testPassword, http.StatusUnauthorized)
	if _, _, body := getAs(t, admin, s.URL+"/admin/users"); !strings.Contains(body, "<strong>disabled</strong>") ||
		!strings.Contains(body, `action="/admin/users/enable"`) {
		t.Error("the users page does not show the editor disabled, with a way to enable them")
	}

	if status, body := s.post(t, admin, "/admin/users/enable", url.Values{"email": {"editor@example.org"}}); status != http.StatusSeeOther {
		t.Fatalf("enable: status %d\n%s", status, body)
	}
	signedOut(t, s, other, "the re-enabled editor")
	again := s.signIn(t, "editor@example.org", testPassword, http.StatusSeeOther)
	if status, _, _ := getAs(t, again, s.URL+"/admin"); status != http.StatusOK {
		t.Errorf("the re-enabled editor's new session: status %d", status)
	}
	auditSays(t, s, admin, "user/editor@example.org", "user.disable", "user.enable", "admin@example.org")
}

// A new password ends the account's sessions; the new one signs in and the old one does
// not. A guessable password is refused with the reason, and ends nothing.
func TestSettingAPasswordEndsTheOldSessions(t *testing.T) {
	s := newSite(t, withEditor())
	admin := withAdmin(t, s, "admin@example.org")

	status, body := s.post(t, admin, "/admin/users/password", url.Values{"email": {"editor@example.org"}, "password": {"aaaaaaaaaaaa"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "too easy to guess") || !strings.Contains(body, `id="err-account-`) {
		t.Errorf("a guessable password: status %d, want 422 with the reason at the account", status)
	}
	if status, _, _ := getAs(t, s.client, s.URL+"/admin"); status != http.StatusOK {
		t.Errorf("a refused password ended the editor's session: status %d", status)
	}

	const newPassword = "walnut harbour violin seventeen"
	if status, body := s.post(t, admin, "/admin/users/password", url.Values{"email": {"editor@example.org"}, "password": {newPassword}}); status != http.StatusSeeOther {
		t.Fatalf("set password: status %d\n%s", status, body)
	}
	signedOut(t, s, s.client, "the editor")
	s.signIn(t, "editor@example.org", testPassword, http.StatusUnauthorized)
	s.signIn(t, "editor@example.org", newPassword, http.StatusSeeOther)

	// An admin setting their own password stays signed in where they did it; their other
	// sessions end.
	elsewhere := s.signIn(t, "admin@example.org", testPassword, http.StatusSeeOther)
	if status, _ := s.post(t, admin, "/admin/users/password", url.Values{"email": {"admin@example.org"}, "password": {newPassword}}); status != http.StatusSeeOther {
		t.Fatalf("an admin setting their own password: status %d", status)
	}
	if status, _, body := getAs(t, admin, s.URL+"/admin/users"); status != http.StatusOK || !strings.Contains(body, "has a new password") {
		t.Errorf("the admin who set their own password, next request: status %d", status)
	}
	signedOut(t, s, elsewhere, "the admin elsewhere")
	auditSays(t, s, admin, "user/editor@example.org", "user.password", "admin@example.org")
}

// The last active admin can be neither disabled nor made an editor, so someone can always
// manage accounts; with a second admin, either can step down. A role change holds from the
// account's next request.
func TestTheLastAdminKeepsTheirRights(t *testing.T) {
	s := newSite(t, withEditor())
	admin := withAdmin(t, s, "admin@example.org")

	for _, c := range []struct {
		path string
		form url.Values
	}{
		{"/admin/users/disable", url.Values{"email": {"admin@example.org"}}},
		{"/admin/users/role", url.Values{"email": {"Admin@Example.org"}, "role": {"editor"}}},
	} {
		status, body := s.post(t, admin, c.path, c.form)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "admin@example.org is the last active admin") {
			t.Errorf("%s of the last admin: status %d, want 422 saying why", c.path, status)
		}
		if c.form.Get("role") == "editor" && !strings.Contains(body, `<option value="editor" selected>`) {
			t.Errorf("%s: the refused form does not keep the role chosen", c.path)
		}
	}
	if status, _, _ := getAs(t, admin, s.URL+"/admin/users"); status != http.StatusOK {
		t.Fatalf("the last admin after the refusals: status %d", status)
	}

	// An editor is made admin: it manages accounts at once, in the session it had.
	if status, _ := s.post(t, admin, "/admin/users/role", url.Values{"email": {"editor@example.org"}, "role": {"admin"}}); status != http.StatusSeeOther {
		t.Fatalf("make the editor an admin: status %d", status)
	}
	if status, _, _ := getAs(t, s.client, s.URL+"/admin/users"); status != http.StatusOK {
		t.Errorf("the new admin opening /admin/users: status %d", status)
	}
	// Now the first admin may step down, and loses the users page.
	if status, _ := s.post(t, admin, "/admin/users/role", url.Values{"email": {"admin@example.org"}, "role": {"editor"}}); status != http.StatusSeeOther {
		t.Fatalf("an admin stepping down beside another: status %d", status)
	}
	if status, _, _ := getAs(t, admin, s.URL+"/admin/users"); status != http.StatusForbidden {
		t.Errorf("the former admin opening /admin/users: status %d, want 403", status)
	}
	auditSays(t, s, s.client, "user/admin@example.org", "user.role", "admin → editor", "editor@example.org")

	// Bad input is a 4xx with the reason, never a 500; editors change no accounts.
	for _, c := range []struct {
		c      *http.Client
		path   string
		form   url.Values
		status int
		says   string
	}{
		{s.client, "/admin/users/role", url.Values{"email": {"admin@example.org"}, "role": {"owner"}}, http.StatusUnprocessableEntity, "the role is editor or admin"},
		{s.client, "/admin/users/disable", url.Values{"email": {"nobody@example.org"}}, http.StatusNotFound, "no account for"},
		{s.client, "/admin/users/password", url.Values{"email": {"admin@example.org"}, "password": {"short"}}, http.StatusUnprocessableEntity, "at least 12 characters"},
		{admin, "/admin/users/disable", url.Values{"email": {"editor@example.org"}}, http.StatusForbidden, "Only an admin"},
	} {
		status, body := s.post(t, c.c, c.path, c.form)
		if status != c.status || !strings.Contains(body, c.says) {
			t.Errorf("%s %v: status %d, want %d saying %q", c.path, c.form, status, c.status, c.says)
		}
	}
}
