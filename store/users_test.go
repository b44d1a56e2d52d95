package store_test

import (
	"errors"
	"testing"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/storetest"
)

func TestGuessablePasswordsAreRefused(t *testing.T) {
	st := storetest.Store(t)
	ctx := t.Context()
	for _, pw := range []string{"aaaaaaaaaaaa", "password1234", "qwertyuiop12", "123456789012", "abcabcabcabc",
		"iloveyouiloveyou", "editor@example.org", "short"} {
		if _, err := st.CreateUser(ctx, nil, "editor@example.org", "Ed", "editor", pw); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("password %q: %v, want it refused", pw, err)
		}
	}
	if _, err := st.CreateUser(ctx, nil, "editor@example.org", "Ed", "editor", "a long enough password"); err != nil {
		t.Errorf("a passphrase of four words was refused: %v", err)
	}
}

// TestEmailsSignInHoweverTheyAreTyped creates an account with a capital umlaut; it signs in
// typed in any case, as the red team's "Ärger@x.test" could not.
func TestEmailsSignInHoweverTheyAreTyped(t *testing.T) {
	st := storetest.Store(t)
	ctx := t.Context()
	if _, err := st.CreateUser(ctx, nil, " Ärger@X.test ", "", "editor", "a long enough password"); err != nil {
		t.Fatal(err)
	}
	for _, typed := range []string{"Ärger@x.test", "ärger@x.test", "ÄRGER@X.TEST", "A\u0308rger@x.test"} {
		if _, err := st.Authenticate(ctx, typed, "a long enough password"); err != nil {
			t.Errorf("sign in as %q: %v", typed, err)
		}
	}
}
