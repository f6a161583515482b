package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/model"
)

// Replay walks the seeded incident back entry by entry: every pane shows
// it as it stood (the scribe not yet named, steps not yet skipped or
// blocked, a pin not yet made, later notes absent), the header says
// REPLAY with the moment, writing keys refuse, and esc returns to live.
func TestReplayStepsBackThroughAnIncident(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	lib := bundled(t)
	seed(t, st, c, lib)
	note := findEntry(t, st, incA, "Error rate at 38%")
	c.Add(time.Minute)
	mustAppend(t, st, model.Change{IncidentID: incA, Kind: model.EventPinned, Payload: model.PinnedPayload{Entry: note.EventID, Pinned: true}})
	c.Add(time.Minute)
	d := newDriver(t, Options{Store: st, Incident: incA, Library: lib}, 160, 48)

	d.press("H")
	a := d.app()
	if !a.replay.on || !a.replay.ready {
		t.Fatalf("H did not enter the replay: %+v", a.replay)
	}
	v := d.view()
	if !strings.Contains(v, "REPLAY 02:44Z (T+10m)") || !strings.Contains(v, "bob@desk") || strings.Contains(v, "★ pinned") {
		t.Fatalf("replay entered at the newest entry (02:44) should show it then, before the pin:\n%s", v)
	}
	d.press("right") // past the newest entry: now, with the pin
	if v := d.view(); !strings.Contains(v, "REPLAY 02:53Z") || !strings.Contains(v, "★ pinned") {
		t.Fatalf("one step on is now, pinned:\n%s", v)
	}
	d.press("right")
	if !strings.Contains(d.view(), "This is now: esc returns to live.") {
		t.Fatalf("stepping past now should say so:\n%s", d.view())
	}
	d.press("left", "left", "left", "left", "left", "left") // 02:39: the second step done, no scribe yet
	a = d.app()
	v = d.view()
	if !strings.Contains(v, "REPLAY 02:39Z (T+5m)") {
		t.Fatalf("header after six steps back:\n%s", v)
	}
	if strings.Contains(v, "bob@desk") || strings.Contains(v, "Roll back deploy") || timelineHas(d, "Roll back deploy") {
		t.Fatalf("at 02:39 the scribe and the decision are still to come:\n%s", v)
	}
	if got := a.stepper.state("major-incident", 2).State; got != model.StepOpen {
		t.Fatalf("step 3 is %q at 02:39; it was skipped at 02:41", got)
	}
	if got := a.stepper.state("major-incident", 1).State; got != model.StepDone {
		t.Fatalf("step 2 is %q at 02:39; it was done then", got)
	}
	if n := len(a.timeline.entries); n != 6 || a.timeline.total != 6 {
		t.Fatalf("%d entries shown of %d; 6 were made by 02:39", n, a.timeline.total)
	}

	events := countEvents(t, st)
	for _, k := range []string{"n", "x", "S", "r", "N", "!"} {
		d.press(k)
		if v := d.view(); !strings.Contains(v, "nothing can be written here. esc returns to live") {
			t.Fatalf("%s while replaying should refuse:\n%s", k, v)
		}
		d.press("esc") // closes the refusal, not the replay
		if !d.app().replay.on {
			t.Fatalf("esc after the refusal of %s left the replay", k)
		}
	}
	if n := countEvents(t, st); n != events {
		t.Fatalf("%d events written while replaying", n-events)
	}

	d.send(tea.KeyMsg{Type: tea.KeyShiftRight}) // 02:49: everything but the pin
	if v := d.view(); !strings.Contains(v, "REPLAY 02:49Z") || !strings.Contains(v, "bob@desk") || strings.Contains(v, "★ pinned") {
		t.Fatalf("ten minutes on:\n%s", v)
	}
	d.send(tea.KeyMsg{Type: tea.KeyShiftLeft})
	d.send(tea.KeyMsg{Type: tea.KeyShiftLeft}) // before the declaration: its first moment
	if v := d.view(); !strings.Contains(v, "REPLAY 02:34Z (T+0s)") || d.app().timeline.total != 1 {
		t.Fatalf("twenty minutes back stops at the declaration:\n%s", v)
	}
	d.press("left")
	if !strings.Contains(d.view(), "This is the first moment") {
		t.Fatalf("stepping before the first entry should say so:\n%s", d.view())
	}

	d.press("esc")
	a = d.app()
	if a.replay.on || strings.Contains(d.view(), "REPLAY") || a.timeline.total != 11 || !strings.Contains(d.view(), "★ pinned") {
		t.Fatalf("esc should return to live (%d entries):\n%s", a.timeline.total, d.view())
	}
}

// A drill replays with its exercise clock as it read at the moment.
func TestReplayShowsTheExerciseClock(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	lib := bundled(t)
	id, _, _ := startTestDrill(t, st, c, lib)
	c.Add(5 * time.Minute)
	mustAppend(t, st, model.Change{IncidentID: id, Kind: model.EventExercisePaused, Payload: model.ExerciseClockPayload{}})
	c.Add(10 * time.Minute)
	mustAppend(t, st, model.Change{IncidentID: id, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "paused for questions"}})
	d := newDriver(t, Options{Store: st, Incident: id, Library: lib}, 160, 48)
	d.press("H", "left")
	v := d.view()
	if !strings.Contains(v, "REPLAY 02:35Z (T+5m, exercise T+5:00)") || !strings.Contains(v, "drill T+5:00 PAUSED") {
		t.Fatalf("the drill at its pause:\n%s", v)
	}
	if strings.Contains(v, "paused for questions") {
		t.Fatalf("the note after the pause shows:\n%s", v)
	}
	d.press("P")
	if !strings.Contains(d.view(), "nothing can be written here") {
		t.Fatalf("P while replaying a drill should refuse:\n%s", d.view())
	}
}

// H appears in help, with the replay's keys.
func TestReplayKeysInHelp(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	d := newDriver(t, Options{Store: st, Incident: incA}, 160, 80)
	d.press("?")
	v := d.view()
	for _, want := range []string{"Replay (read-only)", "replay: the incident as it stood", "shift+←", "back to live"} {
		if !strings.Contains(v, want) {
			t.Errorf("help lacks %q:\n%s", want, v)
		}
	}
}

func findEntry(t *testing.T, st interface {
	TimelineAt(context.Context, string, time.Time) ([]model.TimelineEntry, error)
}, id, prefix string) model.TimelineEntry {
	t.Helper()
	all, err := st.TimelineAt(context.Background(), id, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range all {
		if strings.HasPrefix(e.Text, prefix) {
			return e
		}
	}
	t.Fatalf("no entry %q", prefix)
	return model.TimelineEntry{}
}

func countEvents(t *testing.T, st interface {
	CountEvents(context.Context) (int64, error)
}) int64 {
	t.Helper()
	n, err := st.CountEvents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestReplayBeforeTheRunbook: at a moment before any runbook was attached
// the pane says so for that moment, without the hint to press A, which a
// replay refuses.
func TestReplayBeforeTheRunbook(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	lib := bundled(t)
	seed(t, st, c, lib)
	d := newDriver(t, Options{Store: st, Incident: incA, Library: lib}, 160, 48)
	d.press("H")
	for i := 0; i < 20; i++ {
		d.press("left")
	}
	v := d.view()
	if !strings.Contains(v, "No runbook attached as of") || strings.Contains(v, "Press A to attach") {
		t.Fatalf("the runbook pane before the attachment, in a replay:\n%s", v)
	}
	d.press("esc")
	if v := d.view(); strings.Contains(v, "as of") || !strings.Contains(v, "Major incident") && !strings.Contains(v, "major-incident") {
		t.Fatalf("back to live, the runbook pane should show the runbook again:\n%s", v)
	}
}
