package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// versionHelp is what "sourcebook help version" prints.
const versionHelp = `Usage: sourcebook version

Prints the module version, the commit the binary was built from (and whether the tree had
uncommitted changes), the commit's time, and the Go release that built it. go build and
go install record these; go run does not.
`

func version(*flag.FlagSet) runner {
	return func(_ context.Context, _ []string, _ io.Reader, stdout, _ io.Writer) error {
		return printVersion(stdout)
	}
}

// printVersion says which source the binary was built from, as the Go toolchain recorded it:
// the module's version (a tag or pseudo-version under go install, "(devel)" in a checkout),
// the commit, its time, whether the tree had uncommitted changes, and the Go release.
func printVersion(stdout io.Writer) error {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return fmt.Errorf("this binary carries no build information")
	}
	vcs := map[string]string{}
	for _, s := range info.Settings {
		if k, ok := strings.CutPrefix(s.Key, "vcs."); ok {
			vcs[k] = s.Value
		}
	}
	fmt.Fprintf(stdout, "sourcebook %s\n", info.Main.Version)
	if rev := vcs["revision"]; rev != "" {
		fmt.Fprintf(stdout, "commit     %s", rev)
		if vcs["modified"] == "true" {
			fmt.Fprint(stdout, " with uncommitted changes")
		}
		fmt.Fprintln(stdout)
		if at := vcs["time"]; at != "" {
			fmt.Fprintf(stdout, "committed  %s\n", at)
		}
	} else {
		// go run and go test build without stamping; so does a build outside a checkout.
		fmt.Fprintln(stdout, "commit     unknown (built without version control information)")
	}
	fmt.Fprintf(stdout, "built with %s\n", info.GoVersion)
	return nil
}
