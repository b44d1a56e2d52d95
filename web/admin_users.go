package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/web/ui"
)

// The accounts page and the audit log of the admin (/admin/users, /admin/audit).
//
// Changes to an account from /admin/users (admins only). Each form names the account by its
// email; the store refuses what would leave no active admin, and a guessable password.

func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) error {
	return s.renderUsers(w, r, http.StatusOK, ui.UserFormView{Role: "editor"}, ui.AccountFormView{})
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, form ui.UserFormView, acct ui.AccountFormView) error {
	users, err := s.store.Users(r.Context())
	if err != nil {
		return err
	}
	return s.writeHTML(w, r, status, ui.AdminUsersPage(users, form, acct, s.sessions.PopString(r.Context(), "flash")))
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	form := ui.UserFormView{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"), Role: r.PostFormValue("role")}
	_, err := s.store.CreateUser(r.Context(), currentUser(r), form.Email, form.Name, form.Role, r.PostFormValue("password"))
	return s.afterSave(w, r, err, func(fe store.FieldErrors) error {
		form.Errors = fe
		return s.renderUsers(w, r, http.StatusUnprocessableEntity, form, ui.AccountFormView{})
	}, "/admin/users", "Account created for "+form.Email+".")
}

func (s *Server) disableUser(w http.ResponseWriter, r *http.Request) error {
	return s.changeAccount(w, r, func(ctx context.Context, by *store.User, email string) (store.User, error) {
		return s.store.SetUserDisabled(ctx, by, email, true)
	}, func(u store.User) string { return u.Email + " is disabled and signed out." })
}

func (s *Server) enableUser(w http.ResponseWriter, r *http.Request) error {
	return s.changeAccount(w, r, func(ctx context.Context, by *store.User, email string) (store.User, error) {
		return s.store.SetUserDisabled(ctx, by, email, false)
	}, func(u store.User) string { return u.Email + " can sign in again." })
}

func (s *Server) setUserRole(w http.ResponseWriter, r *http.Request) error {
	return s.changeAccount(w, r, func(ctx context.Context, by *store.User, email string) (store.User, error) {
		return s.store.SetUserRole(ctx, by, email, r.PostFormValue("role"))
	}, func(u store.User) string { return u.Email + " is " + u.Role + "." })
}

func (s *Server) setUserPassword(w http.ResponseWriter, r *http.Request) error {
	return s.changeAccount(w, r, func(ctx context.Context, by *store.User, email string) (store.User, error) {
		u, err := s.store.SetUserPassword(ctx, by, email, r.PostFormValue("password"))
		if err == nil && u.ID == by.ID {
			// An admin setting their own password stays signed in here, on a new token
			// under the new epoch; their other sessions end.
			if err := s.sessions.RenewToken(ctx); err != nil {
				return u, err
			}
			s.sessions.Put(ctx, sessionEpochKey, u.SessionEpoch)
		}
		return u, err
	}, func(u store.User) string { return u.Email + " has a new password; the sessions it had are ended." })
}

// changeAccount runs one change to the account the form names and goes back to the users
// page, saying what was done. A refusal is a 422 with the
// reason at that account's row and the role chosen kept; a password is never sent back.
func (s *Server) changeAccount(w http.ResponseWriter, r *http.Request,
	change func(ctx context.Context, by *store.User, email string) (store.User, error), done func(store.User) string) error {
	email := store.NormalizeEmail(r.PostFormValue("email"))
	u, err := change(r.Context(), currentUser(r), email)
	if _, refused := fieldErrors(err); !refused && errors.Is(err, store.ErrNotFound) {
		err = notFound(fmt.Sprintf("There is no account for %q.", email))
	}
	return s.afterSave(w, r, err, func(fe store.FieldErrors) error {
		return s.renderUsers(w, r, http.StatusUnprocessableEntity, ui.UserFormView{Role: "editor"},
			ui.AccountFormView{Email: email, Role: r.PostFormValue("role"), Error: fe["form"]})
	}, "/admin/users", done(u))
}
