package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestFrameColours: SITREP_FRAME prints one full frame; colours follow the
// environment: forced with CLICOLOR_FORCE, and NO_COLOR always wins.
func TestFrameColours(t *testing.T) {
	bin := buildSitrep(t)
	db := filepath.Join(t.TempDir(), "s.db")
	declare := exec.Command(bin, "declare", "--title", "Frame test", "--sev", "1")
	declare.Env = append(os.Environ(), "SITREP_DB="+db, "SITREP_AUTHOR=alice@laptop")
	if out, err := declare.CombinedOutput(); err != nil {
		t.Fatalf("declare: %v %s", err, out)
	}
	run := func(env ...string) string {
		t.Helper()
		cmd := exec.Command(bin)
		cmd.Env = append(append(os.Environ(), "SITREP_DB="+db, "SITREP_AUTHOR=alice@laptop", "SITREP_FRAME=90x20", "NO_COLOR=", "CLICOLOR_FORCE="), env...)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("frame %v: %v", env, err)
		}
		return string(out)
	}
	plain := run()
	if lines := strings.Split(strings.TrimRight(plain, "\n"), "\n"); len(lines) != 20 || !strings.Contains(plain, "Frame test") {
		t.Fatalf("not a 90x20 frame of the list:\n%s", plain)
	}
	if strings.Contains(plain, "\x1b[") {
		t.Error("colours in a frame piped to a file")
	}
	if forced := run("CLICOLOR_FORCE=1"); !strings.Contains(forced, "\x1b[") {
		t.Error("CLICOLOR_FORCE=1 gave no colours")
	}
	if off := run("CLICOLOR_FORCE=1", "NO_COLOR=1"); strings.Contains(off, "\x1b[") {
		t.Error("NO_COLOR=1 did not turn colours off")
	}
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "SITREP_DB="+db, "SITREP_FRAME=wide")
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "WIDTHxHEIGHT") {
		t.Errorf("a bad SITREP_FRAME: %v %s", err, out)
	}
}

// Without a terminal on standard input the cockpit says so in one line and
// leaves the screen alone (it failed in epoll and left the terminal in the
// alternate screen).
func TestCockpitNeedsATerminal(t *testing.T) {
	bin := buildSitrep(t)
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "SITREP_DB="+filepath.Join(t.TempDir(), "s.db"), "SITREP_FRAME=")
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	cmd.Stdin = devnull
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "the cockpit needs a terminal") || strings.Contains(string(out), "\x1b[?1049h") {
		t.Errorf("sitrep < /dev/null: %v %q", err, out)
	}
}
