package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/runbooks"
	"github.com/sitrep-dev/sitrep/storage"
)

// startTestDrill starts a bundled scenario as `sitrep drill` does, on the
// test clock, and returns its id and scenario.
// f is the first inject after the start.
func startTestDrill(t *testing.T, st *storage.Store, c *clock, lib *runbooks.Library) (id string, sc *model.Scenario, f int) {
	t.Helper()
	for _, s := range lib.Scenarios() {
		f = 0
		for f < len(s.Injects) && s.Injects[f].Offset == 0 {
			f++
		}
		if len(s.Injects) >= f+4 {
			sc = s
			break
		}
	}
	if sc == nil {
		t.Fatal("no bundled scenario with four injects after the start")
	}
	id = storage.NewID()
	now := c.Now()
	drafts := []model.Change{
		{IncidentID: id, Kind: model.EventDeclared, Occurred: now, Payload: model.DeclaredPayload{Title: sc.Title, Kind: sc.Kind, Severity: model.SEV2, Status: model.StatusInvestigating, Exercise: true}},
		{IncidentID: id, Kind: model.EventRoleAssigned, Occurred: now, Payload: model.RoleAssignedPayload{Role: model.RoleCommander, Holder: st.Author()}},
		{IncidentID: id, Kind: model.EventExerciseStarted, Occurred: now, Payload: model.ExerciseStartedPayload{
			Scenario: sc.Name, Title: sc.Title, Source: sc.Source, Hash: sc.Hash, Text: sc.Text, Start: now,
			Duration: sc.Duration, Runbooks: sc.Runbooks, Objectives: sc.Objectives, Injects: sc.Injects}},
	}
	if _, err := st.AppendAll(context.Background(), drafts); err != nil {
		t.Fatal(err)
	}
	return id, sc, f
}

// timelineHas reports whether the loaded timeline holds an entry whose
// text starts with prefix.
func timelineHas(d *driver, prefix string) bool {
	for _, e := range d.app().timeline.entries {
		if strings.HasPrefix(e.Text, prefix) {
			return true
		}
	}
	return false
}

// TestDrillFacilitator: on a fake clock, an inject appears in the timeline
// at its offset (the header counting down to it), pausing the clock holds
// the next one back, the facilitator's keys record the clock's events, and
// the panel shows every inject and objective.
func TestDrillFacilitator(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	lib := bundled(t)
	id, sc, f := startTestDrill(t, st, c, lib)
	offset := func(i int) time.Duration { return sc.Injects[f+i].Offset }
	d := newDriver(t, Options{Store: st, Library: lib, Now: c.Now, Incident: id}, 120, 40)
	tick := func() { d.send(tickMsg(c.Now())) }
	inj := func(i int) string { return fmt.Sprintf("Inject %d (", f+i+1) }

	if timelineHas(d, inj(0)) {
		t.Fatal("inject 1 shown before its offset")
	}
	head := ansi.Strip(strings.Join(strings.Split(d.view(), "\n")[:2], "\n"))
	if !strings.Contains(head, "drill T+0:00") || !strings.Contains(head, fmt.Sprintf("inject %d in %s", f+1, model.FormatAge(offset(0)))) {
		t.Errorf("header lacks the drill clock and the countdown:\n%s", head)
	}
	if f > 0 && !timelineHas(d, "Inject 1 (") {
		t.Error("an inject at +0m is not in the timeline at the start")
	}
	c.Add(offset(0) - time.Second)
	tick()
	if timelineHas(d, inj(0)) {
		t.Fatal("inject 1 shown a second before its offset")
	}
	c.Add(time.Second)
	tick()
	if !timelineHas(d, inj(0)) {
		t.Fatalf("inject %d not in the timeline at its offset %v", f+1, offset(0))
	}
	if got := d.app().timeline.total; got != d.app().inc.Entries+f+1 {
		t.Errorf("timeline counts %d entries, want the stored %d and the inject", got, d.app().inc.Entries)
	}

	// Pause: the clock stops, and inject 2 does not come at its time.
	d.press("P")
	if x := d.app().drill.x; x == nil || !x.Paused(c.Now()) {
		t.Fatal("P did not pause the exercise clock")
	}
	if head := ansi.Strip(strings.Split(d.view(), "\n")[1]); !strings.Contains(head, "PAUSED") {
		t.Errorf("header does not say PAUSED: %q", head)
	}
	c.Add(offset(1))
	tick()
	if timelineHas(d, inj(1)) {
		t.Fatal("inject 2 released while the clock was paused")
	}
	// Resume at double speed: inject 2 comes after half the time left.
	d.press("P", "+")
	x := d.app().drill.x
	if x.Paused(c.Now()) || x.Speed(c.Now()) != 2 {
		t.Fatalf("after P and +: paused %v, speed %g", x.Paused(c.Now()), x.Speed(c.Now()))
	}
	left := offset(1) - offset(0)
	c.Add(left/2 - time.Second)
	tick()
	if timelineHas(d, inj(1)) {
		t.Fatal("inject 2 early at double speed")
	}
	c.Add(time.Second)
	tick()
	if !timelineHas(d, inj(1)) {
		t.Fatal("inject 2 missing at double speed")
	}

	// Release inject 3 early; skip the next with a reason.
	d.press("I")
	if st := d.app().drill.x.Injects(c.Now())[f+2]; st.State != model.InjectReleased || !st.Early {
		t.Errorf("inject %d after I: %+v", f+3, st)
	}
	d.press("K")
	d.typeText("out of time")
	d.press("enter")
	x = d.app().drill.x
	if st := x.Injects(c.Now())[f+3]; st.State != model.InjectSkipped || st.Reason != "out of time" {
		t.Errorf("inject %d after K: %+v", f+4, st)
	}
	// The panel: every inject and objective with its state.
	d.press("O")
	v := ansi.Strip(d.view())
	for _, want := range []string{"Facilitator", "Injects", "Objectives", "RELEASED early", strings.ToUpper(string(model.ObjectiveOpen))} {
		if !strings.Contains(v, want) {
			t.Errorf("panel lacks %q:\n%s", want, v)
		}
	}
	d.press("esc")
	if d.app().drill.panel || d.app().screen != screenIncident {
		t.Error("esc did not close the panel (only)")
	}
	d.press("E")
	d.typeText("time is up")
	d.press("enter")
	if x := d.app().drill.x; !x.Over(c.Now()) || x.EndReason != "time is up" {
		t.Errorf("E did not end the drill: %+v", x.Ended)
	}
	// As with 'sitrep drill end', the exercise incident is resolved: it
	// leaves the active list and no update falls due.
	if in := d.app().inc; in.Status != model.StatusResolved {
		t.Errorf("after E the drill is %s, want resolved", in.Status)
	}
}

// TestDrillKeysOnlyInDrills: the facilitator's keys do nothing on a real
// incident.
func TestDrillKeysOnlyInDrills(t *testing.T) {
	store := newSeeded(t)
	d := store.driver(t, 120, 40)
	d.press("enter")
	before, _ := store.st.MaxSeq(context.Background())
	d.press("P", "I", "+", "O")
	after, _ := store.st.MaxSeq(context.Background())
	if after != before || d.app().drill.panel {
		t.Errorf("facilitator keys acted on a real incident (%d events, panel %v)", after-before, d.app().drill.panel)
	}
}

// TestFacilitatorExpectedActions: once an inject is read out, the panel
// keeps what to look for under it, and ticks an action when a note tagged
// with it (#2a) is logged.
func TestFacilitatorExpectedActions(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	lib := bundled(t)
	id, sc, f := startTestDrill(t, st, c, lib)
	in := sc.Injects[f]
	if len(in.Expected) == 0 {
		t.Skipf("inject %d of %s expects nothing", f+1, sc.Name)
	}
	tag := model.ExpectedTag(f, 0)
	want := "#" + tag
	d := newDriver(t, Options{Store: st, Library: lib, Now: c.Now, Incident: id}, 160, 48)
	d.press("O")
	if v := ansi.Strip(d.view()); strings.Contains(v, "· "+fmt.Sprintf("%-5s", want)) {
		t.Fatalf("inject %d's expected actions shown before its release:\n%s", f+1, v)
	}
	d.press("esc")
	c.Add(in.Offset)
	d.send(tickMsg(c.Now()))
	d.press("O")
	first := model.OneLine(in.Expected[0])
	if v := ansi.Strip(d.view()); !strings.Contains(v, "· "+fmt.Sprintf("%-5s", want)+" "+first[:20]) {
		t.Fatalf("panel lacks %q unticked under inject %d:\n%s", want, f+1, v)
	}
	d.press("esc")
	c.Add(time.Minute)
	d.press("n")
	d.typeText("Seen it " + want)
	d.press("enter")
	d.press("O")
	v := ansi.Strip(d.view())
	if !strings.Contains(v, "✓ "+fmt.Sprintf("%-5s", want)+" "+first[:20]) || !strings.Contains(v, "seen at T+") {
		t.Errorf("the note tagged %s does not tick it:\n%s", want, v)
	}
}
