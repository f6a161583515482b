package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestScreenshotsRun runs the whole tool as 'go run ./tools/screenshots'
// does, into a temp folder: every picture is written, is well-formed SVG
// and shows its screen. It needs tmux: it skips without it, and fails
// without it under SITREP_REQUIRE_E2E=1, as the other tmux tests do.
func TestScreenshotsRun(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("SITREP_REQUIRE_E2E") == "1" {
			t.Fatalf("tmux is required (SITREP_REQUIRE_E2E=1) but not found: %v", err)
		}
		t.Skipf("tmux not installed; set SITREP_REQUIRE_E2E=1 to require it")
	}
	out := t.TempDir()
	var log bytes.Buffer
	if err := run(context.Background(), out, "", &log); err != nil {
		t.Fatalf("screenshots: %v\n%s", err, log.String())
	}
	for file, want := range map[string][]string{
		"incident-list.svg":     {"Incidents", "Checkout returns 500 for EU customers", "PAST"},
		"incident-view.svg":     {"Timeline", "Roll back deploy 4812", "2/38 done"},
		"drill-facilitator.svg": {"Facilitator", "SKIPPED", "MET"},
		"review.svg":            {"Post-incident review", "Root cause"},
	} {
		b, err := os.ReadFile(filepath.Join(out, file))
		if err != nil {
			t.Errorf("%s not written: %v", file, err)
			continue
		}
		var doc svgDoc
		if err := xml.Unmarshal(b, &doc); err != nil {
			t.Errorf("%s is not well-formed SVG: %v", file, err)
			continue
		}
		var text strings.Builder
		for _, tx := range doc.Texts {
			text.WriteString(tx.Text)
		}
		for _, w := range want {
			// A run may end mid-phrase where the colour changes, so the
			// words are looked for with the runs joined.
			if !strings.Contains(text.String(), w) {
				t.Errorf("%s does not show %q", file, w)
			}
		}
	}
}
