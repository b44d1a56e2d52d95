// Command sourcebook runs the Sourcebook knowledge base: the web site (serve, the default),
// and the tools around it (check, corpus keys).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/corpus"
	"github.com/sourcebook/sourcebook/web"
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
type command struct {
	define           func(fl *flag.FlagSet) runner
	minArgs, maxArgs int
}

// A runner runs a command with the words left once its flags are parsed.
type runner func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error

var commands = map[string]command{
	"serve":    {serve, 0, 0},
	"check":    {check, 0, 0},
	"corpus":   {corpusCmd, 2, -1}, // keys FILE...
	"generate": {generate, 0, 0},
	"user":     {userCmd, 1, 1}, // add, list, disable, enable, role, password
	"backup":   {onDatabase(backup), 1, 1},
	"restore":  {onDatabase(restore), 1, 1},
	"version":  {version, 0, 0},
	"help":     {helpCmd, 0, 1},
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
	text := helpText[name]
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

func serve(fl *flag.FlagSet) runner {
	dbPath := dbFlag(fl)
	addr := fl.String("addr", envOr("SOURCEBOOK_ADDR", "localhost:8080"), "")
	readOnly := fl.Bool("read-only", os.Getenv("SOURCEBOOK_READ_ONLY") == "1", "")
	https := fl.Bool("https", os.Getenv("SOURCEBOOK_HTTPS") == "1" || os.Getenv("SOURCEBOOK_SECURE_COOKIES") == "1", "")
	fl.BoolVar(https, "secure-cookies", *https, "") // the old name of --https, which now also sends HSTS
	baseURL := fl.String("base-url", os.Getenv("SOURCEBOOK_BASE_URL"), "")
	showVersion := fl.Bool("version", false, "")
	return func(ctx context.Context, _ []string, _ io.Reader, stdout, stderr io.Writer) error {
		if *showVersion {
			return printVersion(stdout)
		}
		if err := checkAddr(*addr); err != nil {
			fmt.Fprintf(stderr, "sourcebook serve: %v\n", err)
			return errUsage
		}
		var opts []web.Option
		if *baseURL != "" {
			base, err := web.ParseBaseURL(*baseURL)
			if err != nil {
				fmt.Fprintf(stderr, "sourcebook serve: --base-url: %v\n", err)
				return errUsage
			}
			opts = append(opts, web.BaseURL(base))
		}
		if *https {
			opts = append(opts, web.BehindHTTPS())
		}
		return serveSite(ctx, *dbPath, *addr, *readOnly, opts, stderr)
	}
}

// checkAddr refuses an address net.Listen would refuse, before the database is opened, and
// reads a bare number as the port it is meant to be.
func checkAddr(addr string) error {
	_, _, err := net.SplitHostPort(addr)
	if err == nil {
		return nil
	}
	if _, notPort := strconv.ParseUint(addr, 10, 16); notPort == nil {
		return fmt.Errorf("--addr %s is a port without its colon: write --addr :%s to listen on every interface, or --addr localhost:%s on this machine only", addr, addr, addr)
	}
	var why *net.AddrError
	if errors.As(err, &why) {
		err = errors.New(why.Err)
	}
	return fmt.Errorf("--addr %q is not HOST:PORT: %v", addr, err)
}

func serveSite(ctx context.Context, dbPath, addr string, readOnly bool, opts []web.Option, stderr io.Writer) error {
	log := slog.New(slog.NewTextHandler(stderr, nil))
	started := time.Now()
	tuneGC()

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	var st *store.Store
	release, err := lockDatabase(dbPath, false, readOnly)
	if err != nil {
		return fmt.Errorf("refusing to serve: %w: start the server again once it has finished", err)
	}
	defer release()
	if readOnly {
		st, err = openReadOnly(ctx, dbPath)
	} else {
		st, err = openSeeded(ctx, dbPath, log)
	}
	if err != nil {
		return err
	}
	defer st.Close()

	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	ln := &closeOnce{Listener: l}
	conns := newConnTracker()
	site := web.New(st, log, opts...)
	defer site.Close() // the database export's copy
	srv := web.HTTPServer(site.Handler(), slog.NewLogLogger(log.Handler(), slog.LevelWarn))
	srv.ConnState = conns.track
	log.Info("serving", "url", "http://"+ln.Addr().String(), "db", dbPath, "read_only", readOnly,
		"startup", time.Since(started).Round(time.Millisecond))

	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		srv.Close()
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return drain(shutdownCtx, srv, ln, conns)
}

// openSeeded opens the database, refuses a corrupt one, and loads the embedded seed corpus
// into it if it is new.
func openSeeded(ctx context.Context, path string, log *slog.Logger) (*store.Store, error) {
	st, err := store.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	if err := checkAtStart(ctx, st); err != nil {
		st.Close()
		return nil, err
	}
	// A database that already holds this corpus needs no parsing of it: compare digests,
	// which costs a hash of the files, not a validation.
	if loaded, err := st.CorpusDigest(ctx); err != nil {
		st.Close()
		return nil, err
	} else if loaded != "" {
		switch d := corpus.Digest(corpus.Files); {
		case loaded == d:
		case strings.HasPrefix(loaded, d+"-synthetic-"):
			log.Info("serving a synthetic corpus generated from the seed", "digest", loaded)
		default:
			log.Warn("the database holds an earlier version of the seed corpus; serving it as it is",
				"loaded", loaded[:min(12, len(loaded))], "embedded", d[:12])
		}
		return st, nil
	}
	c, err := corpus.Read(corpus.Files)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("the embedded seed corpus is invalid:\n%w", err)
	}
	loaded, err := st.LoadCorpus(ctx, c)
	switch {
	case errors.Is(err, store.ErrCorpusMismatch):
		log.Warn("the database holds an earlier version of the seed corpus; serving it as it is", "err", err)
	case err != nil:
		st.Close()
		return nil, fmt.Errorf("load seed corpus: %w", err)
	case loaded:
		log.Info("loaded the seed corpus", "sources", len(c.Sources), "digest", c.Digest[:12])
	}
	return st, nil
}

// openReadOnly opens a replica for reading only, refusing a corrupt one.
func openReadOnly(ctx context.Context, path string) (*store.Store, error) {
	st, err := store.OpenReadOnly(ctx, path)
	if err != nil {
		return nil, err
	}
	if err := checkAtStart(ctx, st); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// checkAtStart refuses a corrupt database. It runs before the server listens, whatever the
// file's size: a large file was once checked in the background after serving began, and a
// corrupt one answered /healthz 200 until the check failed, long enough for a load balancer
// to send it traffic. quick_check reads every page, about 130 MB a second with this driver on
// a 2-core machine, so a large database starts that much later.
func checkAtStart(ctx context.Context, st *store.Store) error {
	if err := st.IntegrityCheck(ctx); err != nil {
		return fmt.Errorf("refusing to serve: %w (restore it from a backup)", err)
	}
	return nil
}

func check(fl *flag.FlagSet) runner {
	dir := fl.String("dir", "", "")
	return func(_ context.Context, _ []string, _ io.Reader, stdout, _ io.Writer) error {
		return checkCorpus(*dir, stdout)
	}
}

// checkCorpus validates the corpus in dir, or the embedded one if dir is empty.
func checkCorpus(dir string, stdout io.Writer) error {
	var fsys fs.FS = corpus.Files
	where := "the embedded corpus"
	if dir != "" {
		fsys, where = os.DirFS(dir), dir
	}
	c, err := corpus.Read(fsys)
	var problems corpus.Problems
	if errors.As(err, &problems) {
		for _, p := range problems {
			if dir != "" {
				p.File = filepath.Join(dir, p.File)
			}
			fmt.Fprintln(stdout, p)
		}
		return fmt.Errorf("%s: %d problems", where, len(problems))
	}
	if err != nil {
		return err
	}
	claims, citations, blocks := 0, 0, 0
	for _, s := range c.Sources {
		blocks += len(s.Blocks)
		claims += len(s.Claims)
		for _, cl := range s.Claims {
			citations += len(cl.Cite)
		}
	}
	fmt.Fprintf(stdout, "%s is valid: %d sources, %d blocks, %d actors, %d issues, %d claims, %d citations, %d positions, %d precedents\n",
		where, len(c.Sources), blocks, len(c.Actors), len(c.Issues), claims, citations, len(c.Positions), len(c.Precedents))
	return nil
}

func corpusCmd(*flag.FlagSet) runner {
	return func(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
		if args[0] != "keys" {
			return unknownSubcommand("corpus", args[0], stderr)
		}
		return assignKeys(args[1:], stdout)
	}
}

// assignKeys gives the new blocks of each corpus source file their permanent keys.
func assignKeys(files []string, stdout io.Writer) error {
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		slug := strings.TrimSuffix(filepath.Base(file), ".md")
		out, n := corpus.AssignKeys(slug, string(b))
		if n > 0 {
			if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
				return err
			}
		}
		fmt.Fprintf(stdout, "%s: %d new keys\n", file, n)
	}
	return nil
}

// generate writes a database holding the seed corpus and synthetic copies of it, for
// measuring how the site and search grow with the corpus.
func generate(fl *flag.FlagSet) runner {
	dbPath := fl.String("db", "", "")
	scale := fl.Int("scale", 10, "")
	seed := fl.Uint64("seed", 1, "")
	return func(ctx context.Context, _ []string, _ io.Reader, stdout, stderr io.Writer) error {
		if *dbPath == "" || *scale < 1 {
			fmt.Fprintf(stderr, "sourcebook generate: --db is required and --scale must be at least 1\n\n%s", helpText["generate"])
			return errUsage
		}
		return generateDB(ctx, *dbPath, *scale, *seed, stdout)
	}
}

func generateDB(ctx context.Context, dbPath string, scale int, seed uint64, stdout io.Writer) error {
	if _, err := os.Stat(dbPath); err == nil {
		return fmt.Errorf("%s exists: generate writes a new database", dbPath)
	}
	c, err := corpus.Read(corpus.Files)
	if err != nil {
		return err
	}
	started := time.Now()
	st, err := store.Open(ctx, dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.LoadCorpus(ctx, corpus.Synthetic(c, scale, seed)); err != nil {
		return err
	}
	stats, err := st.Stats(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d× the seed corpus in %v: %d sources, %d blocks, %d actors, %d claims, %d citations\n",
		dbPath, scale, time.Since(started).Round(time.Millisecond), stats.Sources, stats.Blocks, stats.Actors, stats.Claims, stats.Citations)
	return nil
}

// unknownSubcommand refuses the word after a command that has words of its own.
func unknownSubcommand(cmd, word string, stderr io.Writer) error {
	fmt.Fprintf(stderr, "sourcebook %s: unknown command %q\n\n%s", cmd, word, helpText[cmd])
	return errUsage
}
