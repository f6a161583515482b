package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/adrg/xdg"
)

func TestCLIMessageFlow(t *testing.T) {
	// No tmux and no desktop: --copy can only send OSC 52.
	for _, v := range []string{"TMUX", "DISPLAY", "WAYLAND_DISPLAY"} {
		t.Setenv(v, "")
	}
	start := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	c := newClockCLI(t, start)
	id := strings.TrimSpace(c.ok("declare", "--title", "Checkout 500s", "--sev", "1", "--kind", "outage"))
	c.ok("note", "Rolled back deploy 4812")
	c.at(3*time.Minute, start)
	due := c.ok("message", "--due")
	if !strings.Contains(due, "customers due 09:05:00Z (in 2m)") {
		t.Errorf("due before the first message:\n%s", due)
	}
	preview := c.ok("message", id, "--template", "customer")
	for _, want := range []string{"Investigating: Checkout 500s", "next update by 09:23 UTC"} {
		if !strings.Contains(preview, want) {
			t.Errorf("preview lacks %q:\n%s", want, preview)
		}
	}
	_, errOut, _ := c.run("", "message", id, "--template", "customer", "--copy")
	if !strings.Contains(errOut, "\x1b]52;c;") {
		t.Errorf("--copy wrote no OSC 52 sequence: %q", errOut)
	}
	if !strings.Contains(errOut, "Sent the message to the terminal via OSC 52") {
		t.Errorf("--copy did not say what it did: %q", errOut)
	}
	if show := c.ok("show", id); strings.Contains(show, "Message sent") {
		t.Error("a preview was logged as sent")
	}
	c.ok("message", "--template", "customer", "--send", "--channel", "status page")
	fakeEditor(t, `echo "Exec summary: we rolled back." > "$1"`)
	c.ok("message", "--template", "exec", "--edit")
	show := c.ok("show", id)
	for _, want := range []string{"Message sent to customers via status page: Investigating: Checkout 500s", "Message sent to executive: Exec summary: we rolled back."} {
		if !strings.Contains(show, want) {
			t.Errorf("timeline lacks %q:\n%s", want, show)
		}
	}
	c.at(30*time.Minute, start)
	due = c.ok("message", "--due")
	if !strings.Contains(due, "internal  due 09:05:00Z (LATE by 25m)") || !strings.Contains(due, "customers due 09:23:00Z (LATE by 7m)") {
		t.Errorf("due after sending:\n%s", due)
	}
	// The config changes the cadence.
	cfgDir := os.Getenv("XDG_CONFIG_HOME")
	os.MkdirAll(filepath.Join(cfgDir, "sitrep"), 0o700)
	os.WriteFile(filepath.Join(cfgDir, "sitrep", "config"), []byte("cadence.sev1.customers = first=5m every=1h\ncadence.sev1.internal = none\n"), 0o600)
	xdg.Reload() // xdg reads XDG_CONFIG_HOME once; see it now, and forget it after
	t.Cleanup(func() { os.Unsetenv("XDG_CONFIG_HOME"); xdg.Reload() })
	due = c.ok("message", "--due")
	if strings.Contains(due, "internal") || !strings.Contains(due, "customers due 10:03:00Z") {
		t.Errorf("due with config:\n%s", due)
	}
	if _, errOut, code := c.run("", "message", "--template", "tweet"); code == 0 || !strings.Contains(errOut, "no message template") {
		t.Errorf("bad template: %d %s", code, errOut)
	}
}

// An editor that fails sends nothing, and the text it was given is where the
// error says it is.
func TestCLIMessageEditorFails(t *testing.T) {
	c := newCLI(t)
	id := strings.TrimSpace(c.ok("declare", "--title", "Checkout 500s", "--sev", "1", "--kind", "outage"))
	fakeEditor(t, `echo "half an update" > "$1"; exit 3`)
	_, errOut, code := c.run("", "message", id, "--template", "customer", "--edit")
	if code == 0 || !strings.Contains(errOut, "your text is in ") {
		t.Fatalf("editor failure: exit %d %q", code, errOut)
	}
	kept := strings.TrimRight(strings.Fields(errOut[strings.Index(errOut, "your text is in ")+len("your text is in "):])[0], ")")
	if b, err := os.ReadFile(kept); err != nil || !strings.Contains(string(b), "half an update") {
		t.Fatalf("the text the error names is gone: %q %v", b, err)
	}
	if show := c.ok("show", id); strings.Contains(show, "Message sent") {
		t.Error("a failed edit was logged as sent")
	}
}
