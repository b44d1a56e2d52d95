package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/sourcebook/sourcebook/store"
)

// A userCommand is a word after "user": the flags it takes besides --db, those it needs,
// and what it does. A flag it does not take is refused rather than ignored, so
// "user disable --role admin" cannot look as if it did something it did not.
type userCommand struct {
	takes, needs []string
	run          func(ctx context.Context, st *store.Store, f userFlags, stdin io.Reader, stdout, stderr io.Writer) error
}

type userFlags struct{ email, name, role string }

var userCommands = map[string]userCommand{
	"add":      {[]string{"email", "name", "role"}, []string{"email"}, addUser},
	"list":     {nil, nil, listUsers},
	"disable":  {[]string{"email"}, []string{"email"}, setDisabled(true)},
	"enable":   {[]string{"email"}, []string{"email"}, setDisabled(false)},
	"role":     {[]string{"email", "role"}, []string{"email", "role"}, setRole},
	"password": {[]string{"email"}, []string{"email"}, setPassword},
}

// userHelp is what "sourcebook help user" prints.
const userHelp = `Usage: sourcebook user COMMAND [flags] [--db PATH]

Manages editor accounts. There is no self-registration: make the first admin here, then
add editors here or at /admin/users. Passwords are read from the first line of standard
input, so they stay out of the process list and shell history; a password is refused if it
is shorter than 12 characters or easy to guess.

  user add --email E [--name N] [--role editor|admin]
                            create an account (role editor unless given)
  user list                 every account: email, role, whether it is active, since when
  user disable --email E    revoke the account's access: it cannot sign in, and each of
                            its sessions is refused from its next request
  user enable --email E     let a disabled account sign in again (its old sessions stay ended)
  user role --email E --role editor|admin
                            change the account's role
  user password --email E   set a new password; the account's sessions are ended

The last active admin cannot be disabled or made an editor. Each change is in the audit log.

  printf '%s\n' "$PASSWORD" | sourcebook user add --email me@example.org --role admin
  sourcebook user disable --email former@example.org
`

// userCmd manages editor accounts from the command line; "user add" makes the first one,
// since there is no self-registration. Passwords are read from the first line of stdin, so
// they never appear in the process list or shell history.
func userCmd(fl *flag.FlagSet) runner {
	dbPath := dbFlag(fl)
	var f userFlags
	fl.StringVar(&f.email, "email", "", "")
	fl.StringVar(&f.name, "name", "", "")
	fl.StringVar(&f.role, "role", "editor", "")
	return func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
		cmd, ok := userCommands[args[0]]
		if !ok {
			return unknownSubcommand("user", args[0], stderr)
		}
		given := map[string]bool{}
		fl.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
		for name := range given {
			if name != "db" && !slices.Contains(cmd.takes, name) {
				fmt.Fprintf(stderr, "sourcebook user %s: --%s does not apply to it\n\n%s", args[0], name, userHelp)
				return errUsage
			}
		}
		for _, name := range cmd.needs {
			if !given[name] {
				fmt.Fprintf(stderr, "sourcebook user %s: --%s is required\n\n%s", args[0], name, userHelp)
				return errUsage
			}
		}
		st, err := openForUsers(ctx, *dbPath, args[0] == "add")
		if err != nil {
			return err
		}
		defer st.Close()
		return cmd.run(ctx, st, f, stdin, stdout, stderr)
	}
}

// openForUsers opens the database. Only "user add" may create it, since the first account
// is made on a new install; the other commands on a missing file would make an empty one
// and then report that it has no such account.
func openForUsers(ctx context.Context, dbPath string, create bool) (*store.Store, error) {
	if create {
		return openSeeded(ctx, dbPath, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}
	if _, err := os.Stat(dbPath); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("there is no database at %s (--db PATH or SOURCEBOOK_DB names it)", dbPath)
	}
	return store.Open(ctx, dbPath)
}

// readPassword reads the first line of stdin, after saying what it is for on stderr.
func readPassword(email string, stdin io.Reader, stderr io.Writer) (string, error) {
	fmt.Fprintf(stderr, "Password for %s (at least %d characters), then Enter: ", email, store.MinPasswordLen)
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("read password: %w", err)
	}
	fmt.Fprintln(stderr)
	return strings.TrimRight(line, "\r\n"), nil
}

func addUser(ctx context.Context, st *store.Store, f userFlags, stdin io.Reader, stdout, stderr io.Writer) error {
	password, err := readPassword(f.email, stdin, stderr)
	if err != nil {
		return err
	}
	u, err := st.CreateUser(ctx, nil, f.email, f.name, f.role, password)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created %s %s\n", u.Role, u.Email)
	return nil
}

func listUsers(ctx context.Context, st *store.Store, _ userFlags, _ io.Reader, stdout, _ io.Writer) error {
	users, err := st.Users(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tROLE\tACCESS\tSINCE\tNAME")
	for _, u := range users {
		access := "active"
		if u.Disabled {
			access = "disabled"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Email, u.Role, access, u.CreatedAt, u.Name)
	}
	return tw.Flush()
}

// setDisabled makes "user disable" or "user enable".
func setDisabled(disabled bool) func(context.Context, *store.Store, userFlags, io.Reader, io.Writer, io.Writer) error {
	return func(ctx context.Context, st *store.Store, f userFlags, _ io.Reader, stdout, _ io.Writer) error {
		u, err := st.SetUserDisabled(ctx, nil, f.email, disabled)
		if err != nil {
			return err
		}
		if disabled {
			fmt.Fprintf(stdout, "disabled %s %s: it cannot sign in, and its sessions are ended\n", u.Role, u.Email)
		} else {
			fmt.Fprintf(stdout, "enabled %s %s: it can sign in again\n", u.Role, u.Email)
		}
		return nil
	}
}

func setRole(ctx context.Context, st *store.Store, f userFlags, _ io.Reader, stdout, _ io.Writer) error {
	u, err := st.SetUserRole(ctx, nil, f.email, f.role)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s is %s\n", u.Email, u.Role)
	return nil
}

func setPassword(ctx context.Context, st *store.Store, f userFlags, stdin io.Reader, stdout, stderr io.Writer) error {
	password, err := readPassword(f.email, stdin, stderr)
	if err != nil {
		return err
	}
	u, err := st.SetUserPassword(ctx, nil, f.email, password)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "set the password of %s: its sessions are ended\n", u.Email)
	return nil
}
