package main

import (
	"context"
	"flag"
	"fmt"
	"io"
)

const usage = `Sourcebook: a knowledge base on security guarantees for Ukraine.

Usage:
  sourcebook [serve] [--db PATH] [--addr HOST:PORT]
                                   run the web site (the default command)
  sourcebook check [--dir DIR]     validate the seed corpus; print problems as file:line: message
  sourcebook corpus keys FILE...   give every block of a corpus source file a permanent key
  sourcebook generate --db PATH --scale N
                                   write a database of the seed corpus and N-1 synthetic copies
  sourcebook backup [--db PATH] DEST
                                   write a consistent copy of the database while it serves
  sourcebook restore [--db PATH] BACKUP
                                   put a backup in place (refused while a server runs on it)
  sourcebook user add --email E [--role editor|admin] [--name N] [--db PATH]
                                   create an editor account (password read from stdin)
  sourcebook user list|disable|enable|role|password [--email E] [--role R] [--db PATH]
                                   list accounts; revoke or restore one's access, change its
                                   role, set its password (read from stdin)
  sourcebook version               print the version and the commit the binary was built from
  sourcebook help [COMMAND]        show a command's help

Flags may stand before or after the command and its arguments.

Flags:
  --db PATH          the SQLite database file (env SOURCEBOOK_DB; default data/sourcebook.db)
  --addr HOST:PORT   where serve listens (env SOURCEBOOK_ADDR; default localhost:8080)
  --read-only        serve without ever opening a writable connection: a public replica
                     (env SOURCEBOOK_READ_ONLY=1); the admin is switched off
  --https            the site is served over HTTPS, perhaps behind a proxy: Secure session
                     cookie, HSTS, https URLs (env SOURCEBOOK_HTTPS=1; --secure-cookies is
                     its old name)
  --base-url URL     the site's public address, e.g. https://sourcebook.example.org: every
                     absolute URL uses it, whatever Host a request sends (env SOURCEBOOK_BASE_URL)
  --dir DIR          check a corpus folder on disk instead of the embedded one
  --version          the same as the version command
`

var helpText = map[string]string{
	"serve": `Usage: sourcebook serve [flags]

Runs the public web site. On first start it creates the database and loads the seed corpus
embedded in the binary; later starts reuse the database as it is.

Flags:
  --db PATH          the SQLite database file (env SOURCEBOOK_DB; default data/sourcebook.db)
  --addr HOST:PORT   where to listen (env SOURCEBOOK_ADDR; default localhost:8080)
  --read-only        open the database read-only (env SOURCEBOOK_READ_ONLY=1): no write is
                     possible, the corpus is not loaded, and /admin answers 503
  --https            served over HTTPS, perhaps behind a proxy: Secure session cookie, HSTS
                     and https URLs (env SOURCEBOOK_HTTPS=1; --secure-cookies is its old name)
  --base-url URL     the public address, e.g. https://sourcebook.example.org; every absolute
                     URL uses it, whatever Host a request sends (env SOURCEBOOK_BASE_URL).
                     Without it, absolute URLs follow the Host, and the Host is part of every
                     ETag and cache key.
  --version          print the version and stop

Startup runs SQLite's quick_check and refuses to serve a corrupt file.
On SIGINT or SIGTERM it stops accepting connections, finishes requests in flight, and
closes the database cleanly.
`,
	"check": `Usage: sourcebook check [--dir DIR]

Validates the seed corpus without touching a database: front matter, block keys, that every
block is a faithful run of its captured seed and free of page clutter, that every quote is
an exact substring of the block it cites, and that every id resolves. Each problem is printed
as file:line: message; the exit status is 1 if there are any.

Flags:
  --dir DIR   check the corpus in DIR (laid out like the repository's store/corpus/ folder)
              instead of the one embedded in the binary
`,
	"corpus": `Usage: sourcebook corpus keys FILE...

Adds a permanent key {#xxxxxx} to every block of each corpus source file that lacks one.
Existing keys are never changed: permalinks depend on them.
`,
	"generate": `Usage: sourcebook generate --db PATH [--scale N] [--seed S]

Writes a new database holding the seed corpus and N-1 synthetic copies of it: sources whose
passages are written by a Markov chain over the seed's words (realistic lengths and
vocabulary), with actors, claims, citations, positions and precedent links in the seed's
proportions. For benchmarks and load tests; the same N and S always give the same data.

Flags:
  --db PATH   the database to create (must not exist)
  --scale N   how many times the seed corpus (default 10)
  --seed S    the random seed (default 1)
`,
	"user": `Usage: sourcebook user COMMAND [flags] [--db PATH]

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
`,
	"backup": `Usage: sourcebook backup [--db PATH] DEST

Writes a consistent copy of the database to DEST (which must not exist) with VACUUM INTO,
while the site keeps serving, without the editors' sessions. The copy is written beside
DEST, checked (quick_check) and only then renamed to DEST, readable by its owner only; a
failed backup leaves nothing at DEST. It reports the sources, published and drafts, the
claims and the citations it holds.
`,
	"restore": `Usage: sourcebook restore [--db PATH] BACKUP

Checks BACKUP's integrity and puts it in place of the database, keeping the file it
replaces beside it (.replaced-TIMESTAMP). While any process holds the database (serve,
serve --read-only, a backup: each holds a lock on PATH.lock for as long as it runs) it
refuses, with exit status 1, and changes nothing: stop the server, then restore.
`,
	"version": `Usage: sourcebook version

Prints the module version, the commit the binary was built from (and whether the tree had
uncommitted changes), the commit's time, and the Go release that built it. go build and
go install record these; go run does not.
`,
	"help": usage,
}

func helpCmd(*flag.FlagSet) runner {
	return func(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
		if len(args) == 0 {
			fmt.Fprint(stdout, usage)
			return nil
		}
		text, ok := helpText[args[0]]
		if !ok {
			fmt.Fprintf(stderr, "sourcebook help: no command %q\n\n%s", args[0], usage)
			return errUsage
		}
		fmt.Fprint(stdout, text)
		return nil
	}
}
