package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A command whose output is redirected to the terminal ('>/dev/tty', which
// opens it write-only) leaves nothing in the shell: Bubble Tea's start-up
// colour query used to leave its answer, shown as "1R" on the prompt line.
func TestNoStrayTerminalAnswers(t *testing.T) {
	tmux := needTool(t, "tmux", "SITREP_REQUIRE_E2E")
	bin := buildSitrep(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "sitrep.db")
	r := newResponder(t, bin, dir, "alice@laptop")
	r.db = db
	id := strings.TrimSpace(r.ok("declare", "--title", "Checkout 500s", "--sev", "1", "--kind", "outage"))

	s := &tmuxSession{t: t, tmux: tmux, socket: "sitrep-tty-" + filepath.Base(dir)}
	t.Cleanup(func() { s.run("kill-server") })
	cmd := exec.Command(tmux, "-L", s.socket, "-f", "/dev/null", "new-session", "-d", "-s", "cockpit", "-x", "120", "-y", "40",
		"env TERM=xterm-256color PS1='PROMPT$ ' SITREP_AUTHOR=alice@laptop XDG_CONFIG_HOME="+shellQuote(filepath.Join(dir, "config"))+" bash --norc --noprofile")
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v %s", err, out)
	}
	s.waitFor("the shell", "PROMPT$")
	for i, args := range []string{"show " + id, "ls", "verify"} {
		// Each run ends with its own mark, printed by the shell's arithmetic
		// so that the typed line never shows it: the previous run's mark is
		// still on screen until clear has run.
		done := fmt.Sprintf("END-OF-RUN-%d", 100+i)
		s.keys(fmt.Sprintf("clear; %s --db %s %s >/dev/tty; echo END-OF-RUN-$((%d+100))", shellQuote(bin), shellQuote(db), args, i), "Enter")
		s.waitFor(args, done+"\nPROMPT$")
		// An answer arrives within milliseconds; give it time to show.
		time.Sleep(400 * time.Millisecond)
		scr := s.screen()
		lines := strings.Split(strings.TrimRight(scr, "\n"), "\n")
		last := lines[len(lines)-1]
		if strings.TrimSpace(last) != "PROMPT$" {
			t.Errorf("sitrep %s >/dev/tty left %q on the prompt line:\n%s", args, last, scr)
		}
	}
}
