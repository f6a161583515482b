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

// tmuxSession is the cockpit running in a tmux server of the test's own,
// at a fixed size.
type tmuxSession struct {
	t      *testing.T
	tmux   string
	socket string
}

func (s *tmuxSession) run(args ...string) (string, error) {
	out, err := exec.Command(s.tmux, append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	return string(out), err
}

// screen is what the pane shows now, lines joined.
func (s *tmuxSession) screen() string {
	out, err := s.run("capture-pane", "-p", "-J", "-t", "cockpit")
	if err != nil {
		return ""
	}
	return out
}

// waitFor polls the screen until every want is on it, or fails at the
// deadline showing what was there.
func (s *tmuxSession) waitFor(what string, want ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var scr string
	for time.Now().Before(deadline) {
		scr = s.screen()
		ok := true
		for _, w := range want {
			if !strings.Contains(scr, w) {
				ok = false
				break
			}
		}
		if ok {
			return scr
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("%s: %q not on screen in time:\n%s", what, want, scr)
	return ""
}

func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	if out, err := s.run(append([]string{"send-keys", "-t", "cockpit"}, keys...)...); err != nil {
		s.t.Fatalf("send-keys %q: %v %s", keys, err, out)
	}
}

func (s *tmuxSession) literal(text string) {
	s.t.Helper()
	if out, err := s.run("send-keys", "-t", "cockpit", "-l", text); err != nil {
		s.t.Fatalf("send-keys -l %q: %v %s", text, err, out)
	}
}

// startCockpit runs the built binary in a tmux server of its own at
// 120x40, with env added to the environment.
func startCockpit(t *testing.T, tmux, bin string, env []string) *tmuxSession {
	t.Helper()
	s := &tmuxSession{t: t, tmux: tmux, socket: fmt.Sprintf("sitrep-e2e-%d-%d", os.Getpid(), time.Now().UnixNano())}
	t.Cleanup(func() { s.run("kill-server") })
	var command strings.Builder
	command.WriteString("env TERM=xterm-256color")
	for _, e := range env {
		command.WriteString(" " + shellQuote(e))
	}
	command.WriteString(" " + shellQuote(bin))
	cmd := exec.Command(tmux, "-L", s.socket, "-f", "/dev/null", "new-session", "-d", "-s", "cockpit", "-x", "120", "-y", "40", command.String())
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	return s
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// TestCockpitInTmux drives the built binary in a real terminal: open the
// list, open an incident, add a note, complete a step, write the review's
// summary in $EDITOR (a script), log an internal update, look at the
// stats, quit; then `sitrep show` and `sitrep review --show` must have it
// all.
func TestCockpitInTmux(t *testing.T) {
	tmux := needTool(t, "tmux", "SITREP_REQUIRE_E2E")
	bin := buildSitrep(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "sitrep.db")
	// The editor sits in a folder with a space and is named quoted, as
	// git would run it: through the shell, like the CLI's review.
	editor := filepath.Join(dir, "my editors", "editor.sh")
	script := "#!/bin/sh\nsed -i 's/^## Summary$/## Summary\\n\\nFixed by the tmux editor./' \"$1\"\n"
	if err := os.MkdirAll(filepath.Dir(editor), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(editor, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	env := []string{"SITREP_DB=" + db, "SITREP_AUTHOR=tess@tmux", "XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "NO_COLOR=1", "SITREP_REMOTE=",
		"VISUAL=", "EDITOR='" + editor + "'"}
	sitrep := func(args ...string) (string, error) {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}

	out, err := sitrep("declare", "--title", "Login page times out", "--sev", "1", "--kind", "outage", "--runbook", "major-incident")
	if err != nil {
		t.Fatalf("declare: %v\n%s", err, out)
	}
	short := strings.TrimSpace(out)

	s := startCockpit(t, tmux, bin, env)

	s.waitFor("the list", "Incidents", "Login page times out", short)
	s.keys("Enter")
	s.waitFor("the incident", "Timeline", "Runbook 1/1", "IC tess@tmux")

	s.keys("n")
	s.waitFor("the note input", "Note:")
	s.literal("tmux says the LB pool is drained")
	s.keys("Enter")
	s.waitFor("the saved note", "Saved:", "tmux says the LB pool is drained")

	s.keys("2", "x")
	s.waitFor("the step done", "[x] Acknowledge")

	s.keys("R")
	s.waitFor("the review", "Post-incident review", "Not written yet")
	s.keys("e")
	s.waitFor("the review saved from $EDITOR", "Review saved", "Fixed by the tmux editor.")
	s.keys("Escape")
	// Wait for the review to close before the next key: an Escape and an
	// "m" read together arrive as alt+m.
	s.waitFor("the incident again", "x/space step done")
	s.keys("m")
	s.waitFor("the templates", "Send an update", "Internal update")
	s.keys("Enter")
	s.waitFor("the filled update", "ctrl+s logs it", "Login page times out")
	s.keys("C-s")
	s.waitFor("the update logged", "Logged as sent to internal")

	s.keys("q")
	s.waitFor("back on the list", "Incidents")
	s.keys("T")
	s.waitFor("the stats", "Response times", "acknowledge")
	s.keys("Escape")
	s.waitFor("back on the list", "Incidents")
	s.keys("q")
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := s.run("has-session", "-t", "cockpit"); err != nil {
			break // the program quit and its session closed
		}
		if time.Now().After(deadline) {
			t.Fatalf("the cockpit did not quit on q:\n%s", s.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}

	show, err := sitrep("show", short)
	if err != nil {
		t.Fatalf("show: %v\n%s", err, show)
	}
	for _, want := range []string{"tmux says the LB pool is drained", "Done step 1 of major-incident", "Message sent to internal"} {
		if !strings.Contains(show, want) {
			t.Errorf("sitrep show lacks %q:\n%s", want, show)
		}
	}
	review, err := sitrep("review", short, "--show")
	if err != nil || !strings.Contains(review, "Fixed by the tmux editor.") {
		t.Errorf("review --show: %v\n%s", err, review)
	}
}

// TestDraftSurvivesHangup: a responder types half a note and the SSH
// connection drops (the terminal hangs up, as tmux kill-server does to its
// panes). Opening the cockpit again puts the text back in the note line.
func TestDraftSurvivesHangup(t *testing.T) {
	tmux := needTool(t, "tmux", "SITREP_REQUIRE_E2E")
	bin := buildSitrep(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "sitrep.db")
	env := []string{"SITREP_DB=" + db, "SITREP_AUTHOR=tess@tmux", "XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "NO_COLOR=1", "SITREP_REMOTE="}
	cmd := exec.Command(bin, "declare", "--title", "Queue backlog growing", "--sev", "2")
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("declare: %v\n%s", err, out)
	}

	s := startCockpit(t, tmux, bin, env)
	s.waitFor("the list", "Queue backlog growing")
	s.keys("Enter")
	s.waitFor("the incident", "Timeline")
	s.keys("n")
	s.waitFor("the note input", "Note:")
	text := "consumer lag 40k on orders, scaling workers to"
	s.literal(text)
	s.waitFor("the typed text", text)
	time.Sleep(time.Second) // typing pauses; the draft is written
	if out, err := s.run("kill-server"); err != nil {
		t.Fatalf("kill-server: %v %s", err, out)
	}

	again := startCockpit(t, tmux, bin, env)
	again.waitFor("the list", "Queue backlog growing")
	again.keys("Enter")
	again.waitFor("the restored note line", "Note: "+text, "Restored what you typed")
	again.keys(" 6", "Enter")
	again.waitFor("the saved note", "Saved:", text+" 6")
}

// TestWideTextTypedFast: a burst of more than 256 bytes of CJK text and
// emoji (a paste in a terminal without bracketed paste) arrives whole, and
// words that name keys in it stay text. Bubble Tea dropped the character
// cut by each 256-byte read, and "ctrl+c" typed in a note quit.
func TestWideTextTypedFast(t *testing.T) {
	tmux := needTool(t, "tmux", "SITREP_REQUIRE_E2E")
	bin := buildSitrep(t)
	dir := t.TempDir()
	env := []string{"SITREP_DB=" + filepath.Join(dir, "sitrep.db"), "SITREP_AUTHOR=tess@tmux", "XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "NO_COLOR=1", "SITREP_REMOTE="}
	sitrep := func(args ...string) string {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("sitrep %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	short := strings.TrimSpace(sitrep("declare", "--title", "東京 region down", "--sev", "2"))

	s := startCockpit(t, tmux, bin, env)
	s.waitFor("the list", short)
	s.keys("Enter")
	s.waitFor("the incident", "Timeline")
	s.keys("n")
	s.waitFor("the note input", "Note:")
	text := strings.Repeat("字", 200) + " 🙂 see ctrl+c then esc " + strings.Repeat("é", 150)
	s.literal(text)
	s.keys("Enter")
	s.waitFor("the saved note", "Saved:")
	if show := sitrep("show", short); !strings.Contains(show, text) {
		t.Errorf("sitrep show lacks the note as typed (%d bytes):\n%s", len(text), show)
	}
}
