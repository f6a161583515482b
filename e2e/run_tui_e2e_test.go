package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// stepRunbook is a team runbook whose first step has a command to run.
const stepRunbook = "# Checkout rollback\n\n" +
	"1. Check the pods\n\n" +
	"   ```sh\n" +
	"   printf '\\033[31mpods are red\\033[0m\\n'; exit 3\n" +
	"   ```\n\n" +
	"2. Roll back the deploy\n"

// TestRunStepInTmux: ! on a step shows its command and runs it only on
// enter (y, the copy key, does not); the cockpit steps aside for it, its
// output stays on screen until a key is pressed, and then the timeline
// has the evidence entry, the step its exit status, and the store the
// output without its colours, linked to the step.
func TestRunStepInTmux(t *testing.T) {
	tmux := needTool(t, "tmux", "SITREP_REQUIRE_E2E")
	bin := buildSitrep(t)
	dir := t.TempDir()
	team := filepath.Join(dir, "team")
	if err := os.MkdirAll(team, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(team, "checkout-rollback.md"), []byte(stepRunbook), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "sitrep.db")
	env := []string{"SITREP_DB=" + db, "SITREP_AUTHOR=tess@tmux", "XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "NO_COLOR=1", "SITREP_REMOTE=", "SHELL=/bin/sh"}
	sitrep := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("sitrep %q: %v\n%s", args, err, out)
		}
		return string(out)
	}
	short := strings.TrimSpace(sitrep("--runbooks", team, "declare", "--title", "Checkout 500s", "--sev", "2", "--kind", "outage", "--runbook", "checkout-rollback"))

	s := startCockpit(t, tmux, bin, env)
	s.waitFor("the list", "Incidents", "Checkout 500s")
	s.keys("Enter")
	s.waitFor("the incident", "Timeline", "Check the pods")
	s.keys("2", "!")
	s.waitFor("the question", "Run here: printf", "enter run it")
	s.keys("y")
	s.waitFor("still asking after y", "Run here: printf")
	s.keys("Enter")
	s.waitFor("the command's output, held", "pods are red", "[sitrep] exit 3 after")
	s.keys("Enter")
	s.waitFor("the cockpit again, with the entry and the step's status", "evidence", "$ printf", "exit 3")

	show := sitrep("show", short)
	for _, want := range []string{"$ printf '\\033[31mpods are red\\033[0m\\n'; exit 3", "exit 3", "step 1 of checkout-rollback", "pods are red"} {
		if !strings.Contains(show, want) {
			t.Errorf("sitrep show lacks %q:\n%s", want, show)
		}
	}
	if strings.Contains(show, "\x1b") || strings.Contains(show, "^[") {
		t.Errorf("the stored output kept its escape sequences:\n%s", show)
	}
}
