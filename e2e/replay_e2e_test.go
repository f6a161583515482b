package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestReplayInTmux replays an incident in the real binary: H enters the
// replay at the newest entry, ← steps back to before the fix (status
// back to investigating, the later note gone), a writing key refuses,
// shift+→ jumps ten minutes on, and esc returns to live; nothing was
// written meanwhile.
func TestReplayInTmux(t *testing.T) {
	tmux := needTool(t, "tmux", "SITREP_REQUIRE_E2E")
	bin := buildSitrep(t)
	dir := t.TempDir()
	env := []string{"SITREP_DB=" + filepath.Join(dir, "sitrep.db"), "SITREP_AUTHOR=tess@tmux", "XDG_CONFIG_HOME=" + filepath.Join(dir, "config"),
		"NO_COLOR=1", "SITREP_REMOTE="}
	sitrep := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("sitrep %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	short := strings.TrimSpace(sitrep("declare", "--title", "Search returns nothing", "--sev", "2", "--at", "-30m"))
	sitrep("note", "--at", "-19m", "first look: index empty")
	sitrep("status", short, "mitigated", "--at", "-10m")
	sitrep("note", "after the fix: results back")
	before := sitrep("verify")

	s := startCockpit(t, tmux, bin, env)
	s.waitFor("the list", "Search returns nothing")
	s.keys("Enter")
	s.waitFor("the incident", "after the fix: results back", "MITIGATED")

	s.keys("H")
	s.waitFor("the replay", "REPLAY ", "as of ", "esc back to live · ← previous entry")
	s.keys("Left")
	scr := s.waitFor("one entry back", "REPLAY ", "(T+20m)", "MITIGATED")
	if strings.Contains(scr, "after the fix") {
		t.Fatalf("the note after the fix shows before it was written:\n%s", scr)
	}
	s.keys("Left")
	scr = s.waitFor("before the fix", "(T+11m)", "INVESTIGATING", "first look: index empty")
	if strings.Contains(scr, "Status investigating → mitigated") {
		t.Fatalf("the fix shows before it happened:\n%s", scr)
	}
	s.keys("n")
	s.waitFor("the refusal", "nothing can be written here. esc returns to live")
	s.keys("Escape")
	s.waitFor("the refusal closed", "esc back to live · ← previous entry")
	s.keys("S-Right")
	s.waitFor("ten minutes on", "(T+21m)", "MITIGATED")
	s.keys("Escape")
	scr = s.waitFor("back to live", "after the fix: results back", "· live")
	if strings.Contains(scr, "REPLAY") {
		t.Fatalf("esc left the replay on screen:\n%s", scr)
	}
	if after := sitrep("verify"); after != before {
		t.Fatalf("the store changed while replaying: %q, then %q", before, after)
	}
}
