package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// cockpitEnv is a fresh store and config for a cockpit test, and a way to
// run the CLI against them.
func cockpitEnv(t *testing.T, extra ...string) (env []string, sitrep func(args ...string) string) {
	t.Helper()
	bin := buildSitrep(t)
	dir := t.TempDir()
	env = append([]string{"SITREP_DB=" + filepath.Join(dir, "sitrep.db"), "SITREP_AUTHOR=tess@tmux", "XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "SITREP_REMOTE=",
		"DISPLAY=", "WAYLAND_DISPLAY="}, extra...)
	return env, func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("sitrep %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
}

// TestCopyInTmuxFillsTheBuffer: inside tmux with its default settings
// (set-clipboard external, which ignores an application's OSC 52), y puts
// the step's command in tmux's paste buffer and says so. It used to send
// OSC 52 alone, say "Copied", and leave the buffer empty.
func TestCopyInTmuxFillsTheBuffer(t *testing.T) {
	tmux := needTool(t, "tmux", "SITREP_REQUIRE_E2E")
	env, sitrep := cockpitEnv(t, "NO_COLOR=1")
	short := strings.TrimSpace(sitrep("declare", "--title", "Edge 5xx", "--sev", "1", "--kind", "outage", "--runbook", "major-incident"))

	s := startCockpit(t, tmux, buildSitrep(t), env)
	s.waitFor("the list", short)
	s.keys("Enter")
	s.waitFor("the incident", "Runbook 1/1")
	s.keys("2", "j", "y")
	s.waitFor("the copy reported", "to the tmux buffer")
	buf, err := s.run("show-buffer")
	if err != nil || !strings.Contains(buf, "prometheus.example.internal/api/v1/query") {
		t.Errorf("tmux buffer after y: %v %q", err, buf)
	}
}

// TestRefusalDoesNotRunTypedText: in a real terminal, X on an entry that
// cannot be retracted, then the reason typed as if the input had opened
// and enter. The text is held by the refusal; no role changes. It used to
// be read as keys: its r opened the role input and "tess@tmuxong
// incident" became the Incident Commander.
func TestRefusalDoesNotRunTypedText(t *testing.T) {
	tmux := needTool(t, "tmux", "SITREP_REQUIRE_E2E")
	env, sitrep := cockpitEnv(t, "NO_COLOR=1")
	short := strings.TrimSpace(sitrep("declare", "--title", "Queue backlog", "--sev", "2", "--kind", "outage"))

	s := startCockpit(t, tmux, buildSitrep(t), env)
	s.waitFor("the list", short)
	s.keys("Enter")
	s.waitFor("the incident", "Timeline", "IC tess@tmux")
	s.keys("g", "X")
	s.waitFor("the refusal", "Only notes, decisions and action items are corrected")
	s.literal("wrong incident")
	s.waitFor("the held text", `Not run as keys: "wrong incident"`)
	s.keys("Enter")
	s.waitFor("the notice closed", "add note")
	s.keys("q")
	s.waitFor("the list", "Incidents")
	show := sitrep("show", short)
	if strings.Contains(show, "ong incident") || !strings.Contains(show, "tess@tmux") {
		t.Errorf("a role changed after the refusal:\n%s", show)
	}
}

// TestFocusShowsWithoutColour: with NO_COLOR=1 every attribute is gone,
// and with colour and bold went the only sign of the focused pane. A mark
// before its title shows it, and moves with the focus.
func TestFocusShowsWithoutColour(t *testing.T) {
	tmux := needTool(t, "tmux", "SITREP_REQUIRE_E2E")
	env, sitrep := cockpitEnv(t, "NO_COLOR=1")
	short := strings.TrimSpace(sitrep("declare", "--title", "Disk full on db-3", "--sev", "2", "--kind", "outage", "--runbook", "major-incident"))

	s := startCockpit(t, tmux, buildSitrep(t), env)
	s.waitFor("the list", short)
	s.keys("Enter")
	scr := s.waitFor("the timeline focused", "▶ Timeline")
	if strings.Contains(scr, "▶ Runbook") || strings.Contains(scr, "▶ Roles") {
		t.Errorf("more than one pane marked:\n%s", scr)
	}
	s.keys("2")
	scr = s.waitFor("the runbook focused", "▶ Runbook 1/1")
	if strings.Contains(scr, "▶ Timeline") {
		t.Errorf("the timeline is still marked:\n%s", scr)
	}
	s.keys("3")
	s.waitFor("the RACI focused", "▶ Roles · RACI")
}

// TestWriteReportFromCockpit: W writes the incident's Markdown review, as
// 'sitrep export --format md' does, to the path typed over the default; on
// a drill it writes the after-action report. Both were CLI-only.
func TestWriteReportFromCockpit(t *testing.T) {
	tmux := needTool(t, "tmux", "SITREP_REQUIRE_E2E")
	env, sitrep := cockpitEnv(t, "NO_COLOR=1")
	short := strings.TrimSpace(sitrep("declare", "--title", "Search index stale", "--sev", "3", "--kind", "outage"))
	sitrep("note", "--incident", short, "Reindex started")
	out := t.TempDir()

	s := startCockpit(t, tmux, buildSitrep(t), env)
	s.waitFor("the list", short)
	s.keys("Enter")
	s.waitFor("the incident", "Reindex started", "Runbook")
	s.keys("W")
	s.waitFor("the path asked", "Write the review to:", "sitrep-"+short+"-review.md")
	s.literal(filepath.Join(out, "review.md"))
	s.keys("Enter")
	s.waitFor("written", "Wrote the review to "+filepath.Join(out, "review.md"))
	b, err := os.ReadFile(filepath.Join(out, "review.md"))
	if err != nil {
		t.Fatal(err)
	}
	if want := sitrep("export", short, "--format", "md"); string(b) != want {
		t.Errorf("the file differs from 'sitrep export --format md':\n%s\n---\n%s", b, want)
	}
	s.keys("q")
	s.waitFor("the list", "Incidents")

	sitrep("drill", "credential-stuffing")
	s.waitFor("the drill listed", "[EXERCISE]")
	s.keys("/")
	s.literal("exercise")
	s.waitFor("the drill found", "1 found")
	s.keys("Enter")
	s.waitFor("the filter closed", "filter: exercise")
	s.keys("Enter")
	s.waitFor("the drill", "EXERCISE started")
	s.keys("W")
	s.waitFor("the path asked", "Write the after-action report to:")
	s.literal(filepath.Join(out, "aar.md"))
	s.keys("Enter")
	s.waitFor("written", "Wrote the after-action report to")
	b, err = os.ReadFile(filepath.Join(out, "aar.md"))
	if err != nil || !strings.Contains(string(b), "After-action") && !strings.Contains(string(b), "after-action") {
		t.Errorf("after-action report: %v\n%s", err, b)
	}
}

// TestEverydayLoopKeys drives the everyday loop in a real terminal and
// counts the keys each task takes (typed text counts as one): declaring
// through the form, five steps done, handing command to someone else, and
// copying a step's command into tmux's buffer. The counts are the issue's
// keys-per-task figures; the store is checked after each.
func TestEverydayLoopKeys(t *testing.T) {
	tmux := needTool(t, "tmux", "SITREP_REQUIRE_E2E")
	env, _ := cockpitEnv(t, "NO_COLOR=1")
	s := startCockpit(t, tmux, buildSitrep(t), env)
	n := 0
	press := func(keys ...string) { n += len(keys); s.keys(keys...) }
	text := func(t string) { n++; s.literal(t) }
	task := func(name string, want int) {
		t.Helper()
		t.Logf("%s: %d keys", name, n)
		if n > want {
			t.Errorf("%s took %d keys, want at most %d", name, n, want)
		}
		n = 0
	}

	s.waitFor("the list", "No incidents yet")
	press("N")
	s.waitFor("the form", "Declare an incident")
	text("Checkout 500s in EU")
	press("Tab", "1", "Enter")
	s.waitFor("the incident", "Checkout 500s in EU", "Runbook 1/1")
	task("declare (SEV1 outage, best runbook only)", 5)

	press("2", "x", "x", "x", "x", "x")
	s.waitFor("five steps done", "5/38 done")
	task("five steps done", 6)

	press("3", "r")
	s.waitFor("the role input", "Who takes Incident Commander?", "now tess@tmux")
	text("bob@desk")
	press("Enter")
	s.waitFor("the question", "Hand Incident Commander from tess@tmux over to bob@desk?")
	press("y")
	s.waitFor("handed over", "IC bob@desk")
	task("hand over IC", 5)

	press("2", "g", "j", "y")
	s.waitFor("copied", "to the tmux buffer")
	task("copy a command", 4)
	if buf, err := s.run("show-buffer"); err != nil || !strings.Contains(buf, "prometheus.example.internal") {
		t.Errorf("tmux buffer: %v %q", err, buf)
	}

	// At 100 columns help and the way out are still in the footer.
	if out, err := s.run("resize-window", "-t", "cockpit", "-x", "100", "-y", "30"); err != nil {
		t.Fatalf("resize: %v %s", err, out)
	}
	s.waitFor("the footer at 100 columns", "? help · q back/quit")
}
