package e2e

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

// TestBinaryRunbookLintExitCodes runs the built binary, as CI would call
// it: exit 1 and compiler-style lines on errors, exit 0 on warnings only.
func TestBinaryRunbookLintExitCodes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildSitrep(t)
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.md", "# Bad\n\n- [ ] Step {A: ic, A: scribe}\n")
	warn := writeFile(t, dir, "warn.md", "# Warn\n\n1. one\n3. two\n")
	env := append(os.Environ(), "XDG_CONFIG_HOME="+t.TempDir(), "SITREP_DB="+filepath.Join(t.TempDir(), "s.db"))

	cmd := exec.Command(bin, "runbook", "lint", bad, warn)
	cmd.Env = env
	out, err := cmd.Output()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("lint with an error: %v\n%s", err, out)
	}
	if !regexp.MustCompile(`(?m)^`+regexp.QuoteMeta(bad)+`:3:\d+: error: 2 Accountable roles`).Match(out) ||
		!regexp.MustCompile(`(?m)^`+regexp.QuoteMeta(warn)+`:4:1: warning: item numbered 3 is item 2`).Match(out) {
		t.Errorf("lint output:\n%s", out)
	}

	cmd = exec.Command(bin, "runbook", "lint", warn)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("warnings only should exit 0: %v\n%s", err, out)
	}
}

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
