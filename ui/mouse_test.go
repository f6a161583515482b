package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestMouse: the wheel scrolls the pane under the pointer without moving
// the focus; a click focuses a pane and selects the row under it; on the
// list a click selects an incident, and a second click opens it.
func TestMouse(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	d := newDriver(t, Options{Store: st, Now: c.Now}, 160, 48)
	click := func(x, y int) {
		d.send(tea.MouseMsg{X: x, Y: y, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	}
	// The list: ACTIVE heading on row 3, then incA (SEV1) and incB.
	click(10, 5)
	if a := d.app(); a.list.selectedID() != incB {
		t.Fatalf("click on the second active row selected %s", a.list.selectedID())
	}
	click(10, 4)
	click(10, 4)
	a := d.app()
	if a.screen != screenIncident || a.incID != incA {
		t.Fatalf("two clicks on the first row: screen %d, incident %s", a.screen, a.incID)
	}

	l := computeLayout(160, 48)
	sel := func() int { a := d.app(); _, s, _ := a.stepper.selected(); return s.Index }
	before := sel()
	d.send(tea.MouseMsg{X: l.Stepper.X + 5, Y: l.Stepper.Y + 5, Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	if a := d.app(); sel() != before+wheelLines || a.focus != paneTimeline {
		t.Errorf("wheel over the runbook: step %d → %d, focus %d", before+1, sel()+1, a.focus)
	}
	// Rows of the RACI pane: border, then roles; the second is the scribe.
	click(l.RACI.X+5, l.RACI.Y+2)
	if a := d.app(); a.focus != paneRACI || a.raci.sel != 1 {
		t.Errorf("click on the RACI's second row: focus %d, role %d", a.focus, a.raci.sel)
	}
	// The stepper: border, name, bar, phase heading, then steps 1, 2.
	click(l.Stepper.X+5, l.Stepper.Y+1+2)
	if a := d.app(); a.focus != paneStepper {
		t.Errorf("click on the runbook: focus %d", a.focus)
	}
	d.send(tea.MouseMsg{X: l.Stepper.X + 5, Y: l.Stepper.Y + 1, Button: tea.MouseButtonWheelUp, Action: tea.MouseActionPress})
	for range 5 {
		d.send(tea.MouseMsg{X: l.Stepper.X + 5, Y: l.Stepper.Y + 1, Button: tea.MouseButtonWheelUp, Action: tea.MouseActionPress})
	}
	// step 2's line, wherever the document puts it: border, name, bar,
	// then the document from its top line
	a = d.app()
	doc := a.stepper.document(a.stepper.current())
	row := doc.r.Steps[1].Start - a.stepper.top
	if row < 0 || row >= a.stepper.docHeight() {
		t.Fatalf("step 2 is not on screen (line %d, top %d)", doc.r.Steps[1].Start, a.stepper.top)
	}
	click(l.Stepper.X+5, l.Stepper.Y+1+2+row)
	if sel() != 1 {
		t.Errorf("click on the second step's row selected step %d", sel()+1)
	}
}
