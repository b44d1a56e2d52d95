package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/web/intake"
	"github.com/sourcebook/sourcebook/web/ui"
)

// The admin side: editors sign in, add and annotate sources. Every admin route needs a
// session; every write is a POST behind cross-origin protection and a body size limit.

const (
	maxFormBytes   = 2 << 20 // a form with a pasted article
	maxUploadBytes = 1 << 20 // an uploaded .md or .txt file
	// maxImportBytes bounds the import form: an uploaded page as large as the URL importer
	// fetches (intake.MaxPageBytes), with room for the form's other fields.
	maxImportBytes = intake.MaxPageBytes + 1<<20
	importPath     = "/admin/sources/import"
	sessionUserKey = "user"
	// sessionEpochKey holds the account's session epoch at sign-in; disabling the account or
	// setting its password raises the epoch, which ends every session made before.
	sessionEpochKey = "epoch"
)

// currentUser is the signed-in editor of an admin request.
func currentUser(r *http.Request) *store.User { return ui.UserFrom(r.Context()) }

func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := int64(maxFormBytes)
		if r.URL.Path == importPath {
			limit = maxImportBytes
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

func noStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

func (s *Server) requireEditor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := s.sessions.GetInt64(r.Context(), sessionUserKey)
		if id == 0 {
			s.deny(w, r)
			return
		}
		u, err := s.store.UserByID(r.Context(), id)
		if errors.Is(err, store.ErrNotFound) || err == nil && s.sessions.GetInt64(r.Context(), sessionEpochKey) != u.SessionEpoch {
			// Disabled, or made before the account was disabled or its password set: the
			// session is over, and its row goes with it.
			if err := s.sessions.Destroy(r.Context()); err != nil {
				s.fail(w, r, err)
				return
			}
			s.deny(w, r)
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(ui.WithUser(r.Context(), &u)))
	})
}

// deny sends a page request to the sign-in page and refuses anything else with 401.
func (s *Server) deny(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		http.Redirect(w, r, "/admin/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	s.fail(w, r, statusError(http.StatusUnauthorized, "Sign in as an editor first."))
}

func (s *Server) requireAdmin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u := currentUser(r); u == nil || !u.IsAdmin() {
			s.fail(w, r, &httpError{status: http.StatusForbidden, msg: "Only an admin may do this.", plain: true})
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	return s.writeHTML(w, r, http.StatusOK, ui.LoginPage(ui.LoginView{Next: r.URL.Query().Get("next")}))
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return statusError(http.StatusBadRequest, "The form could not be read.")
	}
	email := store.NormalizeEmail(r.PostForm.Get("email"))
	view := ui.LoginView{Email: email, Next: r.PostForm.Get("next")}
	try, wait, ok := s.limiter.begin(email, r, time.Now())
	if !ok {
		view.Error = fmt.Sprintf("Too many failed sign-ins. Try again in %d minutes.", int(wait.Minutes())+1)
		w.Header().Set("Retry-After", fmt.Sprint(int(wait.Seconds())+1))
		return s.writeHTML(w, r, http.StatusTooManyRequests, ui.LoginPage(view))
	}
	done, ok := s.limiter.hashSlot(r.Context())
	if !ok {
		try.withdraw()
		view.Error = "Too many people are signing in at once. Try again in a few seconds."
		w.Header().Set("Retry-After", "5")
		return s.writeHTML(w, r, http.StatusServiceUnavailable, ui.LoginPage(view))
	}
	u, err := s.store.Authenticate(r.Context(), email, r.PostForm.Get("password"))
	done()
	if errors.Is(err, store.ErrBadLogin) {
		view.Error = "The email or password is not right."
		return s.writeHTML(w, r, http.StatusUnauthorized, ui.LoginPage(view))
	}
	try.withdraw()
	if err != nil {
		return err
	}
	// A new session token on sign-in, so a token planted before cannot be ridden.
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), sessionUserKey, u.ID)
	s.sessions.Put(r.Context(), sessionEpochKey, u.SessionEpoch)
	next := view.Next
	if !strings.HasPrefix(next, "/admin") || strings.HasPrefix(next, "//") {
		next = "/admin"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if err := s.sessions.Destroy(r.Context()); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
	return nil
}

func (s *Server) adminHome(w http.ResponseWriter, r *http.Request) error {
	sources, err := s.store.SourcesAndDrafts(r.Context())
	if err != nil {
		return err
	}
	recent, err := s.store.Audit(r.Context(), "", 15)
	if err != nil {
		return err
	}
	return s.writeHTML(w, r, http.StatusOK, ui.AdminHome(ui.AdminHomeView{User: currentUser(r), Sources: sources, Recent: recent,
		Flash: s.sessions.PopString(r.Context(), "flash")}))
}

// fieldErrors returns the validation errors in err, or false if err is another failure.
func fieldErrors(err error) (store.FieldErrors, bool) {
	var fe store.FieldErrors
	if errors.As(err, &fe) {
		return fe, true
	}
	if errors.Is(err, store.ErrInvalid) {
		return store.FieldErrors{"form": strings.TrimPrefix(err.Error(), "invalid: ")}, true
	}
	return nil, false
}

// afterSave ends a form's POST the way every admin form does: input the store refuses shows
// the form again with its problems (reshow answers them, with a 422), another failure is
// the handler's error, and a save goes on to the page at to, with flash said there.
func (s *Server) afterSave(w http.ResponseWriter, r *http.Request, err error,
	reshow func(store.FieldErrors) error, to, flash string) error {
	if fe, ok := fieldErrors(err); ok {
		return reshow(fe)
	}
	if err != nil {
		return err
	}
	s.sessions.Put(r.Context(), "flash", flash)
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
