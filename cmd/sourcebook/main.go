// Command sourcebook runs the Sourcebook knowledge base: the web site (serve, the default),
// and the tools around it: checking and keying the seed corpus, generating synthetic data,
// editor accounts, backup and restore. Each command has a file of its own, with its help;
// this one finds the command on the command line and runs it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	restrictFileModes()
	if err := run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "sourcebook:", err)
		}
		os.Exit(exitCode(err))
	}
}

// errUsage is a command line the program cannot follow; what was wrong has been printed,
// with the usage, and the exit status is 2.
var errUsage = errors.New("usage")

func exitCode(err error) int {
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}

// A command is a word of the command line. define declares its flags and returns what runs
// it; a command takes between minArgs and maxArgs words besides its flags (-1: any number).
// help is what "sourcebook help NAME" and "sourcebook NAME --help" print.
type command struct {
	define           func(fl *flag.FlagSet) runner
	minArgs, maxArgs int
	help             string
}

// A runner runs a command with the words left once its flags are parsed.
type runner func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error

// commands is filled in init rather than by its declaration because the help command reads
// it, and so do commands that refuse a word with their help: a variable's initializer may
// not refer to itself, even through a function.
var commands map[string]command

func init() {
	commands = map[string]command{
		"serve":    {serve, 0, 0, serveHelp},
		"check":    {check, 0, 0, checkHelp},
		"corpus":   {corpusCmd, 2, -1, corpusHelp}, // keys FILE...
		"generate": {generate, 0, 0, generateHelp},
		"user":     {userCmd, 1, 1, userHelp}, // add, list, disable, enable, role, password
		"backup":   {onDatabase(backup), 1, 1, backupHelp},
		"restore":  {onDatabase(restore), 1, 1, restoreHelp},
		"version":  {version, 0, 0, versionHelp},
		"help":     {helpCmd, 0, 1, usage},
	}
}

// run finds the command among args and runs it. The command is the first word that is
// neither a flag nor a flag's value, so flags may stand before or after it; without one,
// it is serve. It takes its arguments and streams so tests can drive it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags, words := splitArgs(args, standsAlone())
	name, named := "serve", len(words) > 0
	if named {
		name, words = words[0], words[1:]
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "sourcebook: unknown command %q\n\n%s", name, usage)
		return errUsage
	}
	text := cmd.help
	if !named {
		text = usage // "sourcebook --help" asks about the program, not about serve
	}
	fl := flag.NewFlagSet("sourcebook "+name, flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() {} // the help is printed below, to stdout when it was asked for
	runCmd := cmd.define(fl)
	if err := fl.Parse(flags); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, text)
			return nil
		}
		fmt.Fprint(stderr, "\n"+text)
		return errUsage
	}
	switch {
	case cmd.maxArgs >= 0 && len(words) > cmd.maxArgs:
		fmt.Fprintf(stderr, "sourcebook %s: unexpected argument %q\n\n%s", name, words[cmd.maxArgs], text)
		return errUsage
	case len(words) < cmd.minArgs:
		fmt.Fprintf(stderr, "sourcebook %s: missing arguments\n\n%s", name, text)
		return errUsage
	}
	return runCmd(ctx, words, stdin, stdout, stderr)
}

// splitArgs separates the flags, each with its value, from the other words of args,
// wherever they stand. standsAlone names the flags that take no value; any other flag
// written without "=value" takes the word after it. Every word after "--" is an argument,
// even one that starts with a dash.
func splitArgs(args []string, standsAlone map[string]bool) (flags, words []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return flags, append(words, args[i+1:]...)
		case len(a) < 2 || a[0] != '-': // "-" is a word: a file name for standard input
			words = append(words, a)
		default:
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && !standsAlone[name] && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		}
	}
	return flags, words
}

// standsAlone names the flags that take no value in the commands that declare them, and
// the help flags every command knows. A flag name means the same in every command, so the
// flags before the command word can be told from their values before it is known.
func standsAlone() map[string]bool {
	names := map[string]bool{"h": true, "help": true}
	for name, c := range commands {
		fl := flag.NewFlagSet(name, flag.ContinueOnError)
		c.define(fl)
		fl.VisitAll(func(f *flag.Flag) {
			if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
				names[f.Name] = true
			}
		})
	}
	return names
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func dbFlag(fl *flag.FlagSet) *string {
	return fl.String("db", envOr("SOURCEBOOK_DB", filepath.Join("data", "sourcebook.db")), "")
}

// unknownSubcommand refuses the word after a command that has words of its own.
func unknownSubcommand(cmd, word string, stderr io.Writer) error {
	fmt.Fprintf(stderr, "sourcebook %s: unknown command %q\n\n%s", cmd, word, commands[cmd].help)
	return errUsage
}
