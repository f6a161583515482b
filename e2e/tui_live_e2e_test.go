package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLiveCockpitsInTmux runs two cockpits on two stores with one hub (a
// local path): each holds a live session, and a note typed in one shows in
// the other within 2 s, both ways, with no ctrl+s and no 30 s timer.
func TestLiveCockpitsInTmux(t *testing.T) {
	tmux := needTool(t, "tmux", "SITREP_REQUIRE_E2E")
	bin := buildSitrep(t)
	dir := t.TempDir()
	hub := filepath.Join(dir, "hub.db")
	envFor := func(who string) []string {
		return []string{"SITREP_DB=" + filepath.Join(dir, who+".db"), "SITREP_AUTHOR=" + who + "@tmux", "XDG_CONFIG_HOME=" + filepath.Join(dir, "config-"+who),
			"NO_COLOR=1", "SITREP_REMOTE=" + hub, "SITREP_SSH="}
	}
	sitrep := func(who string, args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), envFor(who)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", who, args, err, out)
		}
		return string(out)
	}
	sitrep("ann", "declare", "--title", "Queue backs up", "--sev", "2", "--kind", "outage")
	sitrep("ann", "sync")
	sitrep("ben", "sync")

	a := startCockpit(t, tmux, bin, envFor("ann"))
	b := startCockpit(t, tmux, bin, envFor("ben"))
	for _, s := range []*tmuxSession{a, b} {
		s.waitFor("the list", "Queue backs up")
		s.keys("Enter")
		s.waitFor("the incident, live", "Timeline", "sync live")
	}
	for i, pair := range []struct {
		from, to *tmuxSession
		text     string
	}{{a, b, "ann says the consumer is stuck"}, {b, a, "ben restarted the consumer"}, {a, b, "ann sees the queue draining"}} {
		pair.from.keys("n")
		pair.from.waitFor("the note input", "Note:")
		pair.from.literal(pair.text)
		pair.from.keys("Enter")
		pair.from.waitFor("the saved note", "Saved:", pair.text)
		start := time.Now()
		for !strings.Contains(pair.to.screen(), pair.text) {
			if time.Since(start) > 2*time.Second {
				t.Fatalf("note %d did not show on the other cockpit within 2 s:\n%s", i, pair.to.screen())
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Logf("note %d on the other screen %s after it was saved", i, time.Since(start).Round(time.Millisecond))
	}
}
