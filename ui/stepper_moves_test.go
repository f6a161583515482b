package ui

import (
	"context"
	"testing"

	"github.com/sitrep-dev/sitrep/model"
)

// TestStepperMovesOn: after x, s or b the cursor goes to the next step not
// done or skipped, so five steps done is five presses of x; it used to
// stay, and every step took x and j.
func TestStepperMovesOn(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t)) // steps 1-2 done, 3 skipped, 4 blocked
	d := newDriver(t, Options{Store: st, Now: c.Now, Incident: incA}, 160, 48)
	sel := func() int { a := d.app(); _, s, _ := a.stepper.selected(); return s.Index }
	d.press("2")
	if sel() != 4 {
		t.Fatalf("the stepper opens on step %d, want the first open one, 5", sel()+1)
	}
	d.press("x", "x", "x", "x", "x")
	steps, err := st.Steps(context.Background(), incA)
	if err != nil {
		t.Fatal(err)
	}
	done := map[int]bool{}
	for _, s := range steps {
		if s.State == model.StepDone {
			done[s.Step] = true
		}
	}
	for i := 4; i < 9; i++ {
		if !done[i] {
			t.Errorf("step %d not done after five x: %v", i+1, done)
		}
	}
	if sel() != 9 {
		t.Errorf("cursor on step %d after five x, want 10", sel()+1)
	}
	// s moves on once the reason is sent.
	d.press("s")
	d.typeText("not needed")
	d.press("enter")
	if sel() != 10 {
		t.Errorf("cursor on step %d after s, want 11", sel()+1)
	}
	d.press("g", "x") // step 1 is done already: refused, and the cursor stays
	d.press("esc")
	if sel() != 0 {
		t.Errorf("cursor on step %d after a refused x, want 1", sel()+1)
	}
	// A blocked step is a stop: step 3 reopened and done moves on to 4.
	d.press("j", "j", "u", "x")
	if sel() != 3 {
		t.Errorf("cursor on step %d after x on step 3, want the blocked step 4", sel()+1)
	}
}
