// Users: editors and admins, their passwords and sign-in, and the session database.

package store

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/trustelem/zxcvbn"
	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// User is an editor or admin. There is no self-registration: the first account is made with
// `sourcebook user add`, later ones by an admin.
type User struct {
	ID        int64
	Email     string
	Name      string
	Role      string // editor | admin
	Disabled  bool
	CreatedAt string
	// SessionEpoch goes up when the account is disabled or its password set; a session
	// made under an earlier epoch is refused (see migration 00007).
	SessionEpoch int64
}

// userColumns are the columns scanUser reads, in its order.
const userColumns = `id, email, name, role, disabled, created_at, session_epoch`

// scanUser reads userColumns, then any further columns into extra.
func scanUser(row interface{ Scan(...any) error }, u *User, extra ...any) error {
	return row.Scan(append([]any{&u.ID, &u.Email, &u.Name, &u.Role, &u.Disabled, &u.CreatedAt, &u.SessionEpoch}, extra...)...)
}

// IsAdmin reports whether the user manages editors and reads the audit log.
func (u User) IsAdmin() bool { return u.Role == "admin" }

// ErrBadLogin is returned for a wrong email or password, without saying which.
var ErrBadLogin = errors.New("the email or password is not right")

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 12

// argon2id parameters: OWASP's recommended minimum (19 MiB, two passes, one lane).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword hashes a password with argon2id, a memory-hard function, into a PHC string.
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// checkPassword compares a password with a PHC string in constant time.
func checkPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when no such user exists, so a wrong email costs as much
// time as a wrong password and timing does not reveal which accounts exist. It is made on
// first use: a 19 MiB hash at start-up would slow every command, check and backup included.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("no such user, but spend the time anyway")
	return h
})

// NormalizeEmail is the one form of an email address the store keeps and looks up:
// composed (NFC), lowercased with Unicode's rules, trimmed. Creating and signing in both go
// through it, so "Ärger@x.test" signs in however it is typed.
func NormalizeEmail(email string) string {
	return strings.ToLower(norm.NFC.String(strings.TrimSpace(email)))
}

// normalizeEmails gives accounts made before emails were normalised their one form, so they
// can sign in. An account whose normal form another account already has keeps its own: two
// people's accounts are not merged here, and the admin sees both.
func normalizeEmails(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `SELECT id, email FROM users`)
	if err != nil {
		return fmt.Errorf("read account emails: %w", err)
	}
	fix := map[int64]string{}
	for rows.Next() {
		var id int64
		var email string
		if err := rows.Scan(&id, &email); err != nil {
			rows.Close()
			return fmt.Errorf("read account emails: %w", err)
		}
		if n := NormalizeEmail(email); n != email {
			fix[id] = n
		}
	}
	rows.Close()
	for id, email := range fix {
		if _, err := db.ExecContext(ctx, `UPDATE OR IGNORE users SET email = ? WHERE id = ?`, email, id); err != nil {
			return fmt.Errorf("normalise the email of account %d: %w", id, err)
		}
	}
	return nil
}

// CheckPassword refuses a password an attacker would guess: shorter than MinPasswordLen, or
// found within 10^8 guesses by zxcvbn, which knows the common-password lists, names, words,
// keyboard walks, dates and repeats ("aaaaaaaaaaaa", "password1234"), and is told the
// account's own email and name.
func CheckPassword(password, email, name string) error {
	if len([]rune(password)) < MinPasswordLen {
		return fmt.Errorf("%w: a password needs at least %d characters", ErrInvalid, MinPasswordLen)
	}
	local, domain, _ := strings.Cut(email, "@")
	inputs := append([]string{email, local, domain, "sourcebook"}, strings.Fields(name)...)
	if zxcvbn.PasswordStrength(password, inputs).Score < minPasswordScore {
		return fmt.Errorf("%w: that password is too easy to guess (a common password, a repeat, a keyboard pattern or a name); a few unrelated words make a strong one", ErrInvalid)
	}
	return nil
}

// minPasswordScore is zxcvbn's "safely unguessable" score: at least 10^8 guesses.
const minPasswordScore = 3

// CreateUser adds an account.
func (s *Store) CreateUser(ctx context.Context, by *User, email, name, role, password string) (User, error) {
	errs := FieldErrors{}
	cleanText(errs, "email", email, false)
	cleanText(errs, "name", name, false)
	if err := errs.orNil(); err != nil {
		return User{}, err
	}
	email = NormalizeEmail(email)
	switch {
	case !strings.Contains(email, "@") || len(email) > 254:
		return User{}, fmt.Errorf("%w: %q is not an email address", ErrInvalid, email)
	}
	if err := checkRole(role); err != nil {
		return User{}, err
	}
	if err := CheckPassword(password, email, name); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return User{}, fmt.Errorf("hash password: %w", err)
	}
	var u User
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO users (email, name, role, password_hash) VALUES (?, ?, ?, ?)`,
			email, strings.TrimSpace(name), role, hash)
		if err != nil {
			if strings.Contains(err.Error(), "UNIQUE") {
				return fmt.Errorf("%w: there is already an account for %s", ErrInvalid, email)
			}
			return fmt.Errorf("create user: %w", err)
		}
		id, _ := res.LastInsertId()
		if err := audit(ctx, tx, by, "user.create", "user/"+email, "role "+role); err != nil {
			return err
		}
		return scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id), &u)
	})
	return u, err
}

// Authenticate checks an email and password and returns the account, or ErrBadLogin.
func (s *Store) Authenticate(ctx context.Context, email, password string) (User, error) {
	var u User
	var hash string
	err := scanUser(s.queryRow(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE email = ?`,
		NormalizeEmail(email)), &u, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		checkPassword(dummyHash(), password)
		return User{}, ErrBadLogin
	}
	if err != nil {
		return User{}, fmt.Errorf("authenticate: %w", err)
	}
	if !checkPassword(hash, password) || u.Disabled {
		return User{}, ErrBadLogin
	}
	return u, nil
}

// UserByID returns an active account.
func (s *Store) UserByID(ctx context.Context, id int64) (User, error) {
	var u User
	err := scanUser(s.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ? AND disabled = 0`, id), &u)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNotFound
	}
	if err != nil {
		return User{}, fmt.Errorf("user %d: %w", id, err)
	}
	return u, nil
}

// Users lists every account.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.query(ctx, `SELECT `+userColumns+` FROM users ORDER BY email`)
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	defer rows.Close()
	var list []User
	for rows.Next() {
		var u User
		if err := scanUser(rows, &u); err != nil {
			return nil, fmt.Errorf("users: %w", err)
		}
		list = append(list, u)
	}
	return list, rows.Err()
}

func checkRole(role string) error {
	if role != "editor" && role != "admin" {
		return fmt.Errorf("%w: the role is editor or admin, not %q", ErrInvalid, role)
	}
	return nil
}

// userByEmail reads the account a query of userColumns by email found.
func userByEmail(row *sql.Row, email string) (User, error) {
	var u User
	err := scanUser(row, &u)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, fmt.Errorf("there is no account for %s: %w", email, ErrNotFound)
	}
	if err != nil {
		return User{}, fmt.Errorf("account %s: %w", email, err)
	}
	return u, nil
}

const userByEmailSQL = `SELECT ` + userColumns + ` FROM users WHERE email = ?`

// changeUser reads the account for email in a write transaction and lets change update it
// and name the audit action and detail, which are recorded in the same transaction. It
// returns the account as it is afterwards; a change returning errNoChange writes nothing.
func (s *Store) changeUser(ctx context.Context, by *User, email string,
	change func(tx *sql.Tx, u User) (action, detail string, err error)) (User, error) {
	email = NormalizeEmail(email)
	var u User
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if u, err = userByEmail(tx.QueryRowContext(ctx, userByEmailSQL, email), email); err != nil {
			return err
		}
		action, detail, err := change(tx, u)
		if err != nil {
			return err
		}
		if err := audit(ctx, tx, by, action, "user/"+u.Email, detail); err != nil {
			return err
		}
		u, err = userByEmail(tx.QueryRowContext(ctx, userByEmailSQL, email), email)
		return err
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}

// refuseLastAdmin refuses to take u's admin rights away (by disabling or demoting it) when
// no other active admin is left: nobody could then manage accounts on the site.
func refuseLastAdmin(ctx context.Context, tx *sql.Tx, u User, doing string) error {
	if u.Role != "admin" || u.Disabled {
		return nil
	}
	var others int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0 AND id != ?`, u.ID).
		Scan(&others); err != nil {
		return fmt.Errorf("count admins: %w", err)
	}
	if others == 0 {
		return fmt.Errorf("%w: %s is the last active admin and cannot be %s; make another account admin first", ErrInvalid, u.Email, doing)
	}
	return nil
}

// SetUserDisabled disables an account or enables it again. A disabled account cannot sign
// in, and disabling ends its sessions for good: they stay refused after it is enabled again.
func (s *Store) SetUserDisabled(ctx context.Context, by *User, email string, disabled bool) (User, error) {
	return s.changeUser(ctx, by, email, func(tx *sql.Tx, u User) (string, string, error) {
		switch {
		case u.Disabled == disabled:
			return "", "", errNoChange
		case !disabled:
			_, err := tx.ExecContext(ctx, `UPDATE users SET disabled = 0 WHERE id = ?`, u.ID)
			return "user.enable", "can sign in again", err
		}
		if err := refuseLastAdmin(ctx, tx, u, "disabled"); err != nil {
			return "", "", err
		}
		_, err := tx.ExecContext(ctx, `UPDATE users SET disabled = 1, session_epoch = session_epoch + 1 WHERE id = ?`, u.ID)
		return "user.disable", "sessions ended", err
	})
}

// SetUserRole makes an account an editor or an admin; the change holds from the account's
// next request, since every request reads the account afresh.
func (s *Store) SetUserRole(ctx context.Context, by *User, email, role string) (User, error) {
	if err := checkRole(role); err != nil {
		return User{}, err
	}
	return s.changeUser(ctx, by, email, func(tx *sql.Tx, u User) (string, string, error) {
		if u.Role == role {
			return "", "", errNoChange
		}
		if err := refuseLastAdmin(ctx, tx, u, "made an editor"); err != nil {
			return "", "", err
		}
		_, err := tx.ExecContext(ctx, `UPDATE users SET role = ? WHERE id = ?`, role, u.ID)
		return "user.role", u.Role + " → " + role, err
	})
}

// SetUserPassword gives an account a new password, refused as CheckPassword refuses one,
// and ends the account's sessions. The hash is made before the write transaction, which
// would otherwise hold the one writer for the hash's time.
func (s *Store) SetUserPassword(ctx context.Context, by *User, email, password string) (User, error) {
	email = NormalizeEmail(email)
	u, err := userByEmail(s.queryRow(ctx, userByEmailSQL, email), email)
	if err != nil {
		return User{}, err
	}
	if err := CheckPassword(password, u.Email, u.Name); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return User{}, fmt.Errorf("hash password: %w", err)
	}
	return s.changeUser(ctx, by, email, func(tx *sql.Tx, u User) (string, string, error) {
		_, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, session_epoch = session_epoch + 1 WHERE id = ?`, hash, u.ID)
		return "user.password", "password set; sessions ended", err
	})
}

// SessionDB is the database handle for the session store: sessions are written only by
// signed-in editors' requests, through the one writer connection.
func (s *Store) SessionDB() *sql.DB { return s.write }
