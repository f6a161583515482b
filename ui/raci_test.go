package ui

import (
	"strings"
	"testing"

	"github.com/sitrep-dev/sitrep/model"
)

// TestRACIPanelQuietWithoutAnnotations: a runbook a team brings as it is
// usually names no roles at all; the panel says so once, quietly, instead of
// warning on every step that it has no Accountable. A RACI given but broken
// still warns.
func TestRACIPanelQuietWithoutAnnotations(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	mustAppend(t, st, model.Change{IncidentID: incA, Kind: model.EventDeclared, Payload: model.DeclaredPayload{Title: "Disk filling", Kind: "outage", Severity: model.SEV3, Status: model.StatusInvestigating}})
	plain := "# Disk filling\n\n## Mitigation\n\n1. Find the biggest directory.\n2. Rotate the logs.\n"
	broken := "---\nraci:\n  R: ops\n---\n# Broken\n\n1. Do the thing.\n"
	for _, text := range []struct{ name, text string }{{"plain", plain}, {"broken", broken}} {
		mustAppend(t, st, model.Change{IncidentID: incA, Kind: model.EventRunbookAttached, Payload: model.RunbookAttachedPayload{
			Name: text.name, Title: text.name, Source: "test", Hash: model.TextHash(text.text), Text: text.text}})
	}
	d := newDriver(t, Options{Store: st, Now: c.Now, Incident: incA}, 160, 48)
	d.press("2")
	seen := map[string]bool{}
	for i := 0; i < 2; i++ {
		view := d.view()
		switch {
		case strings.Contains(view, "◂ plain ▸"):
			seen["plain"] = true
			if strings.Contains(view, "no Accountable role") {
				t.Errorf("a runbook without RACI annotations warns about its Accountable:\n%s", view)
			}
			if !strings.Contains(view, "The runbook names no roles") {
				t.Errorf("the RACI panel does not say the runbook names no roles:\n%s", view)
			}
		case strings.Contains(view, "◂ broken ▸"):
			seen["broken"] = true
			if !strings.Contains(view, "no Accountable role") {
				t.Errorf("a RACI without its Accountable is not flagged:\n%s", view)
			}
		}
		d.press("]")
	}
	if !seen["plain"] || !seen["broken"] {
		t.Fatalf("] did not show both runbooks: %v", seen)
	}
}
