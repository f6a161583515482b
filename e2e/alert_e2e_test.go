package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestAlertIncidentInTmux: an Alertmanager webhook piped into the built
// binary declares an incident the cockpit opens with the team runbook the
// alert's runbook_url names in the runbook pane and the alert as the first
// note; the same group firing again, sent while the cockpit is open, shows
// up on its timeline as a note, and the incident is not declared twice.
func TestAlertIncidentInTmux(t *testing.T) {
	tmux := needTool(t, "tmux", "SITREP_REQUIRE_E2E")
	bin := buildSitrep(t)
	dir := t.TempDir()
	config := filepath.Join(dir, "config")
	runbooks := filepath.Join(config, "sitrep", "runbooks")
	if err := os.MkdirAll(runbooks, 0o755); err != nil {
		t.Fatal(err)
	}
	rb := "# NodeFilesystemSpaceFillingUp\n\n## Mitigation\n\n1. Find what grew on the volume\n2. Grow the volume by 20%\n"
	if err := os.WriteFile(filepath.Join(runbooks, "NodeFilesystemSpaceFillingUp.md"), []byte(rb), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"SITREP_DB=" + filepath.Join(dir, "sitrep.db"), "SITREP_AUTHOR=tess@tmux", "XDG_CONFIG_HOME=" + config, "NO_COLOR=1", "SITREP_REMOTE="}
	fromAlert := func(fixture string) string {
		t.Helper()
		f, err := os.Open(filepath.Join("..", "alerts", "testdata", fixture))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		cmd := exec.Command(bin, "declare", "--from-alert", "-")
		cmd.Env = append(os.Environ(), env...)
		cmd.Stdin = f
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("declare --from-alert %s: %v", fixture, err)
		}
		return strings.TrimSpace(string(out))
	}
	id := fromAlert("alertmanager-webhook-firing.json")

	s := startCockpit(t, tmux, bin, env)
	s.waitFor("the list", "Incidents", "NodeFilesystemSpaceFillingUp")
	s.keys("Enter")
	s.waitFor("the incident with its runbook and the alert's note", "Timeline", "Find what grew on the volume", "Declared from an alert")
	if again := fromAlert("alertmanager-webhook-firing.json"); again != id {
		t.Fatalf("the group's second notification printed %q, want %q", again, id)
	}
	s.waitFor("the note of the second notification, live", "Alert fired again")
	s.keys("q")
	s.waitFor("back on the list", "Incidents")
	if scr := s.screen(); strings.Count(scr, "NodeFilesystemSpaceFillingUp") != 1 {
		t.Errorf("want one incident on the list:\n%s", scr)
	}
	s.keys("q")
}
