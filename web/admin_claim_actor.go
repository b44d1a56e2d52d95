package web

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/web/ui"
)

// actorRoles are the claim form's actor selects, each of which can add a missing actor.
var actorRoles = []string{"speaker", "holder", "reported_by"}

// newActorJSON is what POST /admin/actors.json takes and gives.
type newActorJSON struct {
	Slug string `json:"slug,omitempty"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// createActorJSON adds an actor for the claim form's script, so that a speaker missing from
// the list is added without leaving the page, and the words selected in a passage stay in
// the form. It is under /admin, so a request from another site is refused as any admin
// POST is (cross-origin protection); refused input answers 422 with each field's reason.
func (s *Server) createActorJSON(w http.ResponseWriter, r *http.Request) error {
	var in newActorJSON
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		return statusError(http.StatusBadRequest, `send the actor as JSON: {"name": "…", "kind": "person"}`)
	}
	slug, err := s.store.CreateActor(r.Context(), currentUser(r), in.Name, in.Kind, nil)
	if fe, ok := fieldErrors(err); ok {
		b, _ := json.Marshal(map[string]any{"error": firstFieldError(fe, "name", "kind", "aliases", "form"), "errors": fe})
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusUnprocessableEntity)
		w.Write(append(b, '\n'))
		return nil
	}
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Location", "/admin/actors")
	w.WriteHeader(http.StatusCreated)
	return json.NewEncoder(w).Encode(newActorJSON{Slug: slug, Name: strings.TrimSpace(in.Name), Kind: in.Kind})
}

// firstFieldError is the first of fields that has an error, for a one-line message.
func firstFieldError(fe store.FieldErrors, fields ...string) string {
	for _, f := range fields {
		if fe[f] != "" {
			return fe[f]
		}
	}
	for _, msg := range fe {
		return msg
	}
	return ""
}

// addActorFromClaimForm is the claim form's Add button without the script: the whole form
// came, so the actor is added and the form shown again with everything typed kept and the
// new actor chosen in the select it was asked from. It reports false when the form did not
// ask to add an actor. The role is the button's, unless only another role's name was typed
// (Enter in that field presses the form's first button, which is the speaker's Add).
func (s *Server) addActorFromClaimForm(r *http.Request, v *ui.ClaimFormView) (status int, asked bool, err error) {
	role := r.PostForm.Get("add_actor")
	if role == "" {
		return 0, false, nil
	}
	name := func(role string) string { return strings.TrimSpace(r.PostForm.Get("new_actor_name_" + role)) }
	if name(role) == "" {
		for _, other := range actorRoles {
			if name(other) != "" {
				role = other
				break
			}
		}
	}
	known := false
	for _, k := range actorRoles {
		known = known || k == role
	}
	if !known {
		role = "speaker"
	}
	v.NewActor = ui.NewActorView{For: role, Name: r.PostForm.Get("new_actor_name_" + role), Kind: r.PostForm.Get("new_actor_kind_" + role)}
	if name(role) == "" {
		v.NewActor.Errors = store.FieldErrors{"name": "type the new actor's name, then Add. Nothing was saved; to save the claim, use its Save button"}
		return http.StatusUnprocessableEntity, true, nil
	}
	slug, err := s.store.CreateActor(r.Context(), currentUser(r), v.NewActor.Name, v.NewActor.Kind, nil)
	if fe, ok := fieldErrors(err); ok {
		v.NewActor.Errors = fe
		return http.StatusUnprocessableEntity, true, nil
	}
	if err != nil {
		return 0, true, err
	}
	switch role {
	case "speaker":
		v.Speaker = slug
	case "holder":
		v.Holder = slug
	case "reported_by":
		v.ReportedBy = slug
	}
	v.Added = strings.TrimSpace(v.NewActor.Name)
	v.NewActor = ui.NewActorView{}
	return http.StatusOK, true, nil
}

// speakerChosen refuses a claim form whose speaker was left unchosen, with every other
// problem the claim has, so that the author is never the speaker by default.
func speakerChosen(v ui.ClaimFormView, in store.ClaimInput) error {
	if v.Speaker != "" {
		return nil
	}
	fe := in.Check()
	if fe["speaker"] == "" {
		fe["speaker"] = "choose the speaker: the person or body whose words these are, or the source's author(s) for the author's own analysis"
	}
	return fe
}
