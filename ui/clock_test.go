package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// copyAll applies every event of from to to, as a sync would.
func copyAll(t *testing.T, from, to *storage.Store) {
	t.Helper()
	page, _, err := from.EventsAfter(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var events []model.Event
	for _, l := range page {
		events = append(events, l.Event)
	}
	if _, err := to.Apply(context.Background(), events, nil); err != nil {
		t.Fatal(err)
	}
}

// An incident that spans five weeks: the timeline shows a date line where
// the day changes and the selected entry's date in its title, T+ in days
// and hours, and flags the entry of a laptop whose clock was an hour slow
// while placing it after what that laptop had seen.
func TestTimelineDatesAndSlowClock(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	mustAppend(t, st, model.Change{IncidentID: incA, Kind: model.EventDeclared, Payload: model.DeclaredPayload{Title: "Slow burn", Kind: "outage", Severity: model.SEV3, Status: model.StatusInvestigating}})
	c.Add(35*24*time.Hour + 90*time.Minute)
	mustAppend(t, st, model.Change{IncidentID: incA, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "still seeing it"}})

	slow, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "slow.db"), storage.Options{Author: "bob@slow", Now: func() time.Time { return c.Now().Add(-time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	copyAll(t, st, slow)
	mustAppend(t, slow, model.Change{IncidentID: incA, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "from the slow laptop"}})
	copyAll(t, slow, st)

	d := newDriver(t, Options{Store: st, Now: c.Now, Incident: incA}, 120, 40)
	view := ansi.Strip(d.view())
	for _, want := range []string{"── Sat 14 Mar 2026 ──", "── Sat 18 Apr 2026 ──", "T+35d01h", "· live · Sat 18 Apr 2026", "⚠ clock beh"} {
		if !strings.Contains(view, want) {
			t.Errorf("timeline lacks %q:\n%s", want, view)
		}
	}
	still, slowLine := strings.Index(view, "still seeing it"), strings.Index(view, "from the slow laptop")
	if still < 0 || slowLine < still {
		t.Errorf("the slow laptop's note is not after the note it saw:\n%s", view)
	}
	if strings.Contains(view, "T-") {
		t.Errorf("a negative offset is shown:\n%s", view)
	}
}

// The list shows when each incident was declared, as well as its age.
func TestListShowsDeclaredDate(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	mustAppend(t, st, model.Change{IncidentID: incA, Kind: model.EventDeclared, Payload: model.DeclaredPayload{Title: "Old one", Kind: "outage", Severity: model.SEV3, Status: model.StatusResolved}})
	c.Add(35 * 24 * time.Hour)
	d := newDriver(t, Options{Store: st, Now: c.Now}, 120, 30)
	view := ansi.Strip(d.view())
	if !strings.Contains(view, "Mar 14   35d00h Old one") {
		t.Errorf("list row lacks the declared date and age:\n%s", view)
	}
}

// A facilitator pressing + three times sees one timeline line for the
// three speed changes, and a drill's T+ column and first-response times
// read on the exercise clock.
func TestDrillSpeedChangesShowAsOneLine(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	lib := bundled(t)
	id, _, _ := startTestDrill(t, st, c, lib)
	d := newDriver(t, Options{Store: st, Library: lib, Now: c.Now, Incident: id}, 140, 40)
	d.press("+", "+", "+")
	if x := d.app().drill.x; x == nil || x.Speed(c.Now()) != 8 {
		t.Fatalf("three + did not set ×8")
	}
	n := 0
	for _, e := range d.app().timeline.entries {
		if e.Kind == model.EventExerciseSpeed {
			n++
			if e.Text != "Exercise clock speed set to 2x → 4x → 8x" {
				t.Errorf("speed line %q", e.Text)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d speed lines, want one", n)
	}
	// Two wall minutes at ×8 are sixteen on the exercise clock.
	c.Add(2 * time.Minute)
	mustAppend(t, st, model.Change{IncidentID: id, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "responding"}})
	d.send(tickMsg(c.Now()))
	if view := ansi.Strip(d.view()); !strings.Contains(view, "T+16:00 alice@laptop note") {
		t.Errorf("the note is not at T+16:00 on the exercise clock:\n%s", view)
	}
}
