package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDeclareFormWhenInTmux records an incident after the fact from the
// real cockpit: N, a title, tab to When, a time three hours back, enter. The declaration is
// dated three hours back with the time it was written down beside it, and
// acknowledged is the declaration.
func TestDeclareFormWhenInTmux(t *testing.T) {
	tmux := needTool(t, "tmux", "SITREP_REQUIRE_E2E")
	bin := buildSitrep(t)
	dir := t.TempDir()
	env := []string{"SITREP_DB=" + filepath.Join(dir, "sitrep.db"), "SITREP_AUTHOR=tess@tmux", "XDG_CONFIG_HOME=" + filepath.Join(dir, "config"),
		"NO_COLOR=1", "SITREP_REMOTE="}
	s := startCockpit(t, tmux, bin, env)
	s.waitFor("the empty list", "Incidents")
	s.keys("N")
	s.waitFor("the declare form", "Declare an incident", "When")
	s.literal("Queue backlog on billing")
	s.keys("Tab", "Tab", "Tab", "Tab")
	before := time.Now().UTC()
	s.literal(before.Add(-3 * time.Hour).Format("2006-01-02 15:04"))
	s.keys("Enter")
	s.waitFor("the declared incident", "Timeline", "Queue backlog on billing")
	s.keys("q")
	s.waitFor("back on the list", "Incidents")
	s.keys("q")

	cmd := exec.Command(bin, "show")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	show := string(out)
	if err != nil {
		t.Fatalf("show: %v\n%s", err, show)
	}
	// show heads each day's entries with a date line: the declaration's
	// date is the last one above it.
	var day, declared string
	for _, l := range strings.Split(show, "\n") {
		if strings.HasPrefix(l, "── ") && strings.HasSuffix(l, " ──") && declared == "" {
			day = strings.TrimSuffix(strings.TrimPrefix(l, "── "), " ──")
		}
		if strings.Contains(l, " declared ") && strings.Contains(l, "Queue backlog on billing") {
			declared = l
		}
	}
	var clock string
	if f := strings.Fields(declared); len(f) > 0 {
		clock = f[0]
	}
	at, err := time.Parse("Mon 2 Jan 2006 15:04:05Z", day+" "+clock)
	if err != nil {
		t.Fatalf("no declared line in show (%v):\n%s", err, show)
	}
	if d := before.Sub(at); d < 3*time.Hour || d > 3*time.Hour+time.Minute || !strings.Contains(declared, "(logged ") {
		t.Errorf("declared %s, %s before the form was sent; want 3h back with its logged time:\n%s", at, d, show)
	}
	if !strings.Contains(show, "acknowledged "+at.Format("2006-01-02 15:04:05")) {
		t.Errorf("acknowledged is not the declaration time %s:\n%s", at, show)
	}
}
