package main

import (
	"context"
	"flag"
	"fmt"
	"io"
)

// usage is the program's help: what "sourcebook help" and "sourcebook --help" print.
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

func helpCmd(*flag.FlagSet) runner {
	return func(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
		if len(args) == 0 {
			fmt.Fprint(stdout, usage)
			return nil
		}
		cmd, ok := commands[args[0]]
		if !ok {
			fmt.Fprintf(stderr, "sourcebook help: no command %q\n\n%s", args[0], usage)
			return errUsage
		}
		fmt.Fprint(stdout, cmd.help)
		return nil
	}
}
