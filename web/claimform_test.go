package web_test

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sourcebook/sourcebook/store"
)

const claimSource = "ap-witkoff-article5"

// postJSON posts body to path as c, with the header fields given (name, value, ...).
func (s site) postJSON(t *testing.T, c *http.Client, path, body string, header ...string) (int, string, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var v map[string]any
	_ = json.Unmarshal(b, &v)
	return resp.StatusCode, resp.Header.Get("Content-Type"), v
}

// The claim form's script adds a missing actor through /admin/actors.json: only for a
// signed-in editor on the same site, with each refusal a 422 saying why.
func TestActorsJSONAddsAnActor(t *testing.T) {
	s := newSite(t, withEditor())
	ctx := t.Context()
	status, ct, got := s.postJSON(t, s.client, "/admin/actors.json", `{"name": "  Ivan Testovich ", "kind": "person"}`)
	if status != http.StatusCreated || !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("add an actor: status %d, %s: %v", status, ct, got)
	}
	if got["slug"] != "ivan-testovich" || got["name"] != "Ivan Testovich" {
		t.Errorf("add an actor: got %v", got)
	}
	// Not public yet (nothing published names them), but in the editors' list.
	all, err := s.st.Actors(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(all, func(a store.Actor) bool { return a.Slug == "ivan-testovich" && a.Name == "Ivan Testovich" }) {
		t.Errorf("the actor is not in the editors' list of actors")
	}

	for _, c := range []struct{ name, body, field, want string }{
		{"the same name again", `{"name": "ivan testovich", "kind": "person"}`, "name", "is already an actor: Ivan Testovich (ivan-testovich)"},
		{"an actor already in the corpus", `{"name": "Steve Witkoff", "kind": "person"}`, "name", "is already an actor"},
		{"no name", `{"name": " ", "kind": "person"}`, "name", "an actor needs a name"},
		{"an unknown kind", `{"name": "Someone Else", "kind": "alien"}`, "kind", "choose person, state"},
	} {
		status, ct, got := s.postJSON(t, s.client, "/admin/actors.json", c.body)
		errs, _ := got["errors"].(map[string]any)
		msg, _ := errs[c.field].(string)
		if status != http.StatusUnprocessableEntity || !strings.HasPrefix(ct, "application/json") || !strings.Contains(msg, c.want) {
			t.Errorf("%s: status %d, %s, %v; want 422 JSON with %s: %q", c.name, status, ct, got, c.field, c.want)
		}
		if e, _ := got["error"].(string); e == "" {
			t.Errorf("%s: no one-line error for the form to show: %v", c.name, got)
		}
	}
	if status, ct, got := s.postJSON(t, s.client, "/admin/actors.json", `name=x`); status != http.StatusBadRequest || !strings.HasPrefix(ct, "application/json") {
		t.Errorf("a body that is not JSON: status %d, %s, %v; want 400 JSON", status, ct, got)
	}

	// Another site cannot make the editor's browser add one: the admin's cross-origin
	// protection refuses it, as it refuses every admin POST from elsewhere.
	status, _, _ = s.postJSON(t, s.client, "/admin/actors.json", `{"name": "Forged Actor", "kind": "person"}`,
		"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
	if status != http.StatusForbidden {
		t.Errorf("a cross-site POST: status %d, want 403", status)
	}
	// Nor can anyone without a session.
	status, _, _ = s.postJSON(t, &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		"/admin/actors.json", `{"name": "Forged Actor", "kind": "person"}`)
	if status < 300 {
		t.Errorf("a POST without a session: status %d", status)
	}
	if _, err := s.st.Actor(ctx, "forged-actor"); err == nil {
		t.Error("a refused request added its actor")
	}
}

// adminPage GETs an admin page as the signed-in editor; it must answer 200.
func (s site) adminPage(t *testing.T, path string) string {
	t.Helper()
	resp, err := s.client.Get(s.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", path, resp.StatusCode)
	}
	return string(b)
}

// claimFormValues is a claim form filled in as an editor leaves it after selecting words.
func claimFormValues() url.Values {
	return url.Values{"block": {"c7vtk7"}, "quote": {"NEW YORK"}, "start16": {"0"}, "end16": {"8"}, "occurrence": {""},
		"statement": {"A statement typed before the speaker was found"}, "speaker": {""}, "holder": {""},
		"kind": {"quote"}, "evidence": {"own-words"}, "reported_by": {""}, "said": {"2025-08-20"},
		"stance-us-role": {"for"}, "stance-foreign-troops": {"against"}}
}

// keepsClaimForm checks that the page shows the claim form with everything claimFormValues typed.
func keepsClaimForm(t *testing.T, what, body string) {
	t.Helper()
	for _, want := range []string{
		`A statement typed before the speaker was found</textarea>`,
		`NEW YORK</textarea>`,
		`name="start16" id="start16" value="0"`,
		`name="end16" id="end16" value="8"`,
		`value="2025-08-20"`,
		`<option value="c7vtk7" selected>`,
		`value="own-words" checked`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("%s: the form lost %s", what, want)
		}
	}
	for issue, stance := range map[string]string{"us-role": "for", "foreign-troops": "against"} {
		if selected(body, "stance-"+issue) != stance {
			t.Errorf("%s: the stance on %s is %q, want %q", what, issue, selected(body, "stance-"+issue), stance)
		}
	}
}

// selected is the value of the selected option of the select named name, or "".
func selected(body, name string) string {
	i := strings.Index(body, `name="`+name+`"`)
	if i < 0 {
		return "(no such select)"
	}
	end := strings.Index(body[i:], "</select>")
	m := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(body[i : i+end])
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// Without the script, the new actor's Add button sends the whole claim form: the actor is
// added and the form comes back with everything typed, the new actor chosen, and no claim
// saved yet; a refused name comes back the same way, with the reason.
func TestClaimFormAddsAnActorWithoutTheScript(t *testing.T) {
	s := newSite(t, withEditor())
	ctx := t.Context()
	before, _ := s.st.ClaimsOfSourceOrDraft(ctx, claimSource)
	path := "/admin/sources/" + claimSource + "/claims"

	form := claimFormValues()
	form.Set("add_actor", "speaker")
	form.Set("new_actor_name_speaker", "Ivan Testovich")
	form.Set("new_actor_kind_speaker", "person")
	status, body := s.post(t, s.client, path, form)
	if status != http.StatusOK {
		t.Fatalf("add a speaker from the form: status %d", status)
	}
	keepsClaimForm(t, "after adding a speaker", body)
	if got := selected(body, "speaker"); got != "ivan-testovich" {
		t.Errorf("after adding a speaker the speaker is %q, want ivan-testovich", got)
	}
	for _, other := range []string{"holder", "reported_by"} {
		if !strings.Contains(body[strings.Index(body, `name="`+other+`"`):], `<option value="ivan-testovich">Ivan Testovich</option>`) {
			t.Errorf("the new actor is not offered as %s", other)
		}
	}
	if !strings.Contains(body, "Added Ivan Testovich to the lists") {
		t.Error("the page does not say the actor was added")
	}
	if after, _ := s.st.ClaimsOfSourceOrDraft(ctx, claimSource); len(after) != len(before) {
		t.Errorf("adding an actor saved the claim: %d claims, were %d", len(after), len(before))
	}

	// The same name again, from the holder's Add: refused where it was typed, all kept.
	form.Set("add_actor", "holder")
	form.Del("new_actor_name_speaker")
	form.Set("new_actor_name_holder", "Ivan Testovich")
	form.Set("new_actor_kind_holder", "person")
	form.Set("speaker", "ivan-testovich")
	status, body = s.post(t, s.client, path, form)
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("add an actor twice: status %d, want 422", status)
	}
	keepsClaimForm(t, "after a refused actor", body)
	if !strings.Contains(body, `id="err-new-actor-holder" role="alert" data-role="error">&#34;Ivan Testovich&#34; is already an actor`) &&
		!strings.Contains(body, `id="err-new-actor-holder" role="alert" data-role="error">"Ivan Testovich" is already an actor`) {
		i := strings.Index(body, `id="err-new-actor-holder"`)
		t.Errorf("the refusal is not shown at the holder's new-actor field: %s", body[i:i+200])
	}
	if !strings.Contains(body, `<details class="new-actor" data-for="holder" open>`) {
		t.Error("the holder's new-actor box is closed, hiding its error")
	}
	if got := selected(body, "speaker"); got != "ivan-testovich" {
		t.Errorf("after the refusal the speaker is %q, want ivan-testovich still", got)
	}

	// Then Save: the claim is saved with the new speaker.
	form.Del("add_actor")
	form.Set("save", "1")
	if status, body := s.post(t, s.client, path, form); status != http.StatusSeeOther {
		t.Fatalf("save the claim: status %d\n%s", status, body)
	}
	after, _ := s.st.ClaimsOfSourceOrDraft(ctx, claimSource)
	if len(after) != len(before)+1 {
		t.Fatalf("%d claims after saving, want %d", len(after), len(before)+1)
	}
	c := after[len(after)-1]
	if c.Speaker == nil || c.Speaker.Slug != "ivan-testovich" || c.Citations[0].Exact != "NEW YORK" {
		t.Errorf("the saved claim: speaker %+v, quote %q", c.Speaker, c.Citations[0].Exact)
	}

	// The claim's edit page adds an actor the same way, and keeps its edits.
	form = claimFormValues()
	form.Set("speaker", "ivan-testovich")
	form.Set("add_actor", "reported_by")
	form.Set("new_actor_name_reported_by", "Petro Testenko")
	form.Set("new_actor_kind_reported_by", "person")
	status, body = s.post(t, s.client, "/admin/claims/"+c.Slug+"/edit", form)
	if status != http.StatusOK {
		t.Fatalf("add a reporter from the edit page: status %d", status)
	}
	keepsClaimForm(t, "the edit page after adding a reporter", body)
	if got := selected(body, "reported_by"); got != "petro-testenko" {
		t.Errorf("after adding a reporter on the edit page, reported_by is %q", got)
	}
	if got := selected(body, "speaker"); got != "ivan-testovich" {
		t.Errorf("after adding a reporter on the edit page, the speaker is %q", got)
	}
}

// The form chooses no speaker for a new claim, and a quote is refused without one: the
// author default once gave a minister's words to the journalist.
func TestAQuoteIsNotTheAuthorsByDefault(t *testing.T) {
	s := newSite(t, withEditor())
	page := s.adminPage(t, "/admin/sources/"+claimSource)
	if got := selected(page, "speaker"); got != "" {
		t.Errorf("a new claim's speaker is %q, want none chosen", got)
	}
	path := "/admin/sources/" + claimSource + "/claims"
	for _, c := range []struct{ speaker, kind, want string }{
		{"", "quote", "a direct quote needs its speaker"},
		{"author", "quote", "a direct quote needs its speaker"},
		{"", "analysis", "choose the speaker"},
	} {
		form := claimFormValues()
		form.Set("speaker", c.speaker)
		form.Set("kind", c.kind)
		status, body := s.post(t, s.client, path, form)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, c.want) {
			t.Errorf("speaker %q, kind %s: status %d, want 422 saying %q", c.speaker, c.kind, status, c.want)
			continue
		}
		keepsClaimForm(t, "speaker "+c.speaker+", "+c.kind, strings.Replace(body, `value="`+c.kind+`" selected`, "", 1))
	}
	// The author's own analysis is the author's.
	form := claimFormValues()
	form.Set("speaker", "author")
	form.Set("kind", "analysis")
	form.Set("evidence", "inferred")
	if status, body := s.post(t, s.client, path, form); status != http.StatusSeeOther {
		t.Errorf("the author's analysis: status %d\n%s", status, body)
	}
}

// The edit page previews an edit: the blocks, each marked new or reworded, and what saving
// would do to blocks and citations, with nothing saved until Save.
func TestSourceEditPreviews(t *testing.T) {
	s := newSite(t, withEditor())
	ctx := t.Context()
	edit := s.adminPage(t, "/admin/sources/"+claimSource+"/edit")
	if !strings.Contains(edit, `formaction="/admin/sources/`+claimSource+`/edit/preview"`) {
		t.Fatal("the edit page has no Preview button")
	}
	src, blocks, err := s.st.SourceOrDraft(ctx, claimSource)
	if err != nil {
		t.Fatal(err)
	}
	claims, _ := s.st.ClaimsOfSourceOrDraft(ctx, claimSource)
	// Reword the first cited block so its quote goes, and add a paragraph.
	var cited string
	for _, c := range claims {
		if len(c.Citations) > 0 {
			cited = c.Citations[0].Block.Key
			break
		}
	}
	text := html.UnescapeString(regexp.MustCompile(`(?s)<textarea id="text"[^>]*>(.*?)</textarea>`).FindStringSubmatch(edit)[1])
	var old string
	for _, b := range blocks {
		if b.Key == cited {
			old = b.Text
		}
	}
	if !strings.Contains(text, old+" {#"+cited+"}") {
		t.Fatalf("the edit text lacks block %s", cited)
	}
	text = strings.Replace(text, old+" {#"+cited+"}", "Words nobody cited. {#"+cited+"}\n\nA new paragraph.", 1)
	form := url.Values{"title": {src.Title}, "kind": {src.Kind}, "language": {src.Language}, "publisher": {src.Publisher},
		"published": {src.Published}, "url": {src.URL}, "authors": {strings.Join(src.Authors, "; ")}, "text": {text}}
	status, body := s.post(t, s.client, "/admin/sources/"+claimSource+"/edit/preview", form)
	if status != http.StatusOK {
		t.Fatalf("preview the edit: status %d\n%s", status, body)
	}
	for _, want := range []string{"Nothing is saved yet.", "1 block revised, 1 added, 0 removed", "flagged for you to check",
		`<span class="change change-reworded">reworded</span>`, `<span class="change change-new">new</span>`,
		"Words nobody cited.</p>", "A new paragraph.</p>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the preview lacks %q", want)
		}
	}
	if strings.Contains(body, "1 blocks") {
		t.Error(`the preview says "1 blocks"`)
	}
	if _, after, _ := s.st.SourceOrDraft(ctx, claimSource); len(after) != len(blocks) {
		t.Errorf("the preview saved: %d blocks, were %d", len(after), len(blocks))
	}
	// The preview keeps the form, and its Save saves what was previewed.
	if !strings.Contains(body, "A new paragraph.\n") || !strings.Contains(body, `>Save a new revision</button>`) {
		t.Error("the preview does not keep the edited text with its Save button")
	}
	if status, _ := s.post(t, s.client, "/admin/sources/"+claimSource+"/edit", form); status != http.StatusSeeOther {
		t.Fatalf("save the edit: status %d", status)
	}
	page := s.adminPage(t, "/admin/sources/"+claimSource) // where the save leads, with its flash
	if !strings.Contains(page, "Saved. 1 block revised, 1 added, 0 removed") {
		t.Errorf("the flash after saving does not say what the preview said")
	}
}
