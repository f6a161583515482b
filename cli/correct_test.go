package cli

import (
	"strings"
	"testing"
)

// Corrections through the CLI: amend and retract a note by the id 'show
// --ids' prints, retitle the incident; other entries are refused; the log
// still verifies.
func TestCLICorrections(t *testing.T) {
	c := newCLI(t)
	id := strings.TrimSpace(c.ok("declare", "--title", "Checkout", "--sev", "2"))
	c.ok("note", "Rolled back 4821")
	var noteID, roleID string
	for _, line := range strings.Split(c.ok("show", "--ids"), "\n") {
		f := strings.Fields(line)
		switch {
		case strings.Contains(line, "Rolled back 4821"):
			noteID = f[0]
		case strings.Contains(line, "Incident Commander taken"):
			roleID = f[0]
		}
	}
	if len(noteID) != 8 || len(roleID) != 8 {
		t.Fatalf("show --ids gave note %q, role %q", noteID, roleID)
	}
	if out := c.ok("amend", noteID, "Rolled back 4812 (not 4821)"); !strings.Contains(out, "Amended an entry") {
		t.Errorf("amend: %q", out)
	}
	c.fails(1, "not a note", "amend", roleID, "x")
	c.fails(1, "no entry 00000000", "amend", "00000000", "x")
	c.fails(1, "too short", "retract", "7c4")
	c.ok("retract", noteID, "--reason", "wrong incident")
	c.fails(1, "retracted already", "retract", noteID)
	c.ok("retitle", id, "Checkout 500s for EU cards")
	show := c.ok("show")
	for _, want := range []string{"Checkout 500s for EU cards", "Rolled back 4812 (not 4821) [retracted] [amended]", "Retracted an entry — wrong incident"} {
		if !strings.Contains(show, want) {
			t.Errorf("show lacks %q:\n%s", want, show)
		}
	}
	c.ok("verify")
}
