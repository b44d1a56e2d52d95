package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/sourcebook/sourcebook/store"
	"github.com/sourcebook/sourcebook/store/corpus"
	"github.com/sourcebook/sourcebook/web"
)

// serveHelp is what "sourcebook help serve" prints.
const serveHelp = `Usage: sourcebook serve [flags]

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
  --allow-private-fetch
                     let editors import pages from loopback, private and link-local
                     addresses (env SOURCEBOOK_ALLOW_PRIVATE_FETCH=1); off by default, so an
                     address typed into the admin cannot read the server's own network
  --version          print the version and stop

Startup runs SQLite's quick_check and refuses to serve a corrupt file.
On SIGINT or SIGTERM it stops accepting connections, finishes requests in flight, and
closes the database cleanly.
`

func serve(fl *flag.FlagSet) runner {
	dbPath := dbFlag(fl)
	addr := fl.String("addr", envOr("SOURCEBOOK_ADDR", "localhost:8080"), "")
	readOnly := fl.Bool("read-only", os.Getenv("SOURCEBOOK_READ_ONLY") == "1", "")
	https := fl.Bool("https", os.Getenv("SOURCEBOOK_HTTPS") == "1" || os.Getenv("SOURCEBOOK_SECURE_COOKIES") == "1", "")
	fl.BoolVar(https, "secure-cookies", *https, "") // the old name of --https, which now also sends HSTS
	baseURL := fl.String("base-url", os.Getenv("SOURCEBOOK_BASE_URL"), "")
	allowPrivate := fl.Bool("allow-private-fetch", os.Getenv("SOURCEBOOK_ALLOW_PRIVATE_FETCH") == "1", "")
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
		if *allowPrivate {
			opts = append(opts, web.AllowPrivateFetch())
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
