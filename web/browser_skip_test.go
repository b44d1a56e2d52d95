package web_test

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
)

// skipped is why browser tests were skipped in this run: each reason with the tests it
// skipped, in the order they were first given.
var skipped struct {
	mu      sync.Mutex
	reasons []string
	tests   map[string][]string
}

// skipBrowserTest skips t and remembers why, for TestMain's one line.
func skipBrowserTest(t *testing.T, why string) {
	t.Helper()
	skipped.mu.Lock()
	if skipped.tests == nil {
		skipped.tests = map[string][]string{}
	}
	if skipped.tests[why] == nil {
		skipped.reasons = append(skipped.reasons, why)
	}
	skipped.tests[why] = append(skipped.tests[why], t.Name())
	skipped.mu.Unlock()
	t.Skipf("%s; skipping the browser test", why)
}

// TestMain says in one line which browser tests were skipped and why. go test shows a
// skip's reason only under -v, and the output of a package that passes not at all, so
// without -v the line goes to the terminal, when there is one.
func TestMain(m *testing.M) {
	code := m.Run()
	if len(skipped.reasons) > 0 {
		var parts []string
		for _, why := range skipped.reasons {
			parts = append(parts, fmt.Sprintf("%s (%s)", why, strings.Join(skipped.tests[why], ", ")))
		}
		fmt.Fprintf(terminal(), "browser tests skipped: %s; README.md says how to run them\n", strings.Join(parts, "; "))
	}
	os.Exit(code)
}

// terminal is where a line reaches the person running the tests: standard error under -v,
// or when there is no terminal (CI, which runs the browser tests anyway); else the terminal.
func terminal() io.Writer {
	if !testing.Verbose() {
		if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
			return tty
		}
	}
	return os.Stderr
}
