package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// TestFindInTimeline: / in an incident finds entries by their words in the
// store, newest first, including one long paged out of the timeline's
// window; enter opens the timeline at it, selected, with its place in the
// whole timeline, and the entries around it page in as usual.
func TestFindInTimeline(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	ctx := context.Background()
	notedIncident(t, st, c, 600, map[int]string{50: "Restarted the primary database: no change", 400: "Restarted the primary database again after the spike"})
	all, err := st.Timeline(ctx, incA, storage.TimelinePage{})
	if err != nil {
		t.Fatal(err)
	}
	want := -1
	for i, e := range all {
		if strings.HasPrefix(e.Text, "Restarted the primary database: no change") {
			want = i
		}
	}

	d := newDriver(t, Options{Store: st, Now: c.Now, SearchDelay: -1}, 120, 40)
	d.press("enter")
	if a := d.app(); a.screen != screenIncident || a.timeline.offset == 0 {
		t.Fatalf("the incident is not open on the newest entries (screen %d, window from %d)", a.screen, a.timeline.offset)
	}
	d.press("/")
	f := d.app().slot.find()
	if f == nil {
		t.Fatal("/ did not open the find line")
	}
	// j and k are letters here, not moves.
	d.typeText("restart prim")
	f = d.app().slot.find()
	if f.input.Value() != "restart prim" || len(f.hits) != 2 {
		t.Fatalf("find line %q found %d entries, want 2", f.input.Value(), len(f.hits))
	}
	if !strings.HasSuffix(f.hits[0].entry.Text, "after the spike") {
		t.Errorf("first match %q, want the newest", f.hits[0].entry.Text)
	}
	if v := d.view(); !strings.Contains(v, "2 entries with \"restart prim\"") || !strings.Contains(v, "no change") {
		t.Errorf("the find screen does not show both matches:\n%s", v)
	}
	d.press("down", "enter")
	a := d.app()
	if a.slot.find() != nil || a.focus != paneTimeline {
		t.Fatalf("enter left the find line open (%v) or the timeline unfocused (%d)", a.slot.find() != nil, a.focus)
	}
	e, ok := a.timeline.selected()
	if !ok || !strings.HasPrefix(e.Text, "Restarted the primary database: no change") {
		t.Fatalf("selected %q, want the older restart", e.Text)
	}
	if got := a.timeline.offset + a.timeline.sel; got != want {
		t.Errorf("the entry is at %d in the timeline, the pane says %d", want, got)
	}
	if v := d.view(); !strings.Contains(v, fmt.Sprintf("Timeline %d/%d", want+1, len(all))) {
		t.Errorf("the timeline's title does not say %d/%d:\n%s", want+1, len(all), v)
	}
	// The entries around it are the timeline's own, in order.
	d.press("j")
	if e, _ := d.app().timeline.selected(); e.Text != fmt.Sprintf("Error rate check %d", 51) {
		t.Errorf("after j: %q", e.Text)
	}
	d.press("k", "k")
	if e, _ := d.app().timeline.selected(); e.Text != fmt.Sprintf("Error rate check %d", 49) {
		t.Errorf("after k k: %q", e.Text)
	}

	// Nothing found says so; esc leaves the timeline where it was.
	d.press("/")
	d.typeText("quokka")
	if v := d.view(); !strings.Contains(v, `No entry has "quokka".`) {
		t.Errorf("no match is not said:\n%s", v)
	}
	d.press("esc")
	if a := d.app(); a.slot.find() != nil {
		t.Error("esc did not close the find line")
	} else if e, _ := a.timeline.selected(); e.Text != "Error rate check 49" {
		t.Errorf("esc moved the timeline to %q", e.Text)
	}
}

// An incident opened from the list's search, where the words were found in
// its timeline, opens with the timeline at that entry.
func TestOpenFromSearchAtEntry(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	notedIncident(t, st, c, 400, map[int]string{30: "Paged the quokka team about the certificate"})
	d := newDriver(t, Options{Store: st, Now: c.Now, SearchDelay: -1}, 120, 40)
	d.press("/")
	d.typeText("quokka")
	d.press("enter", "enter")
	a := d.app()
	if a.screen != screenIncident {
		t.Fatalf("enter on the found incident did not open it (screen %d)", a.screen)
	}
	if e, ok := a.timeline.selected(); !ok || e.Text != "Paged the quokka team about the certificate" {
		t.Errorf("the timeline opened at %q, want the entry the search found", e.Text)
	}
	// Opened from the plain list, it opens at the newest entry as always.
	d.press("q", "esc", "enter")
	if e, _ := d.app().timeline.selected(); e.Text != "Error rate check 399" {
		t.Errorf("opened from the list: at %q, want the newest entry", e.Text)
	}
}

// notedIncident declares incA and adds n notes to it (addNotes).
func notedIncident(t *testing.T, st *storage.Store, c *clock, n int, special map[int]string) {
	t.Helper()
	mustAppend(t, st, model.Change{IncidentID: incA, Kind: model.EventDeclared, Payload: model.DeclaredPayload{Title: "Checkout 500s", Kind: "outage", Severity: model.SEV2, Status: model.StatusInvestigating}})
	addNotes(t, st, c, incA, n, special)
}

// addNotes adds n notes to incident id ten seconds apart: "Error rate
// check i", or the text special gives for i.
func addNotes(t *testing.T, st *storage.Store, c *clock, id string, n int, special map[int]string) {
	t.Helper()
	for i := range n {
		c.Add(10 * time.Second)
		text, ok := special[i]
		if !ok {
			text = fmt.Sprintf("Error rate check %d", i)
		}
		mustAppend(t, st, model.Change{IncidentID: id, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: text}})
	}
}

// On a narrow screen the words before a match give way, so the match
// shows.
func TestFitSnippet(t *testing.T) {
	text := "Checked the load balancer health checks: two targets failing"
	i := strings.Index(text, "health")
	m := [][2]int{{i, i + len("health")}}
	if got, gm := fitSnippet(text, m, 80); got != text || gm[0] != m[0] {
		t.Errorf("room enough: %q %v", got, gm)
	}
	got, gm := fitSnippet(text, m, 20)
	if !strings.HasPrefix(got, "…") || got[gm[0][0]:gm[0][1]] != "health" {
		t.Fatalf("narrow: %q with match %v", got, gm)
	}
	if w := len([]rune(got[:gm[0][1]])); w > 20 {
		t.Errorf("the match ends at column %d of 20: %q", w, got)
	}
	if !strings.HasPrefix(got, "…balancer health") && !strings.HasPrefix(got, "…load balancer health") {
		t.Errorf("cut mid-word or too much: %q", got)
	}
}

// With the Runbook pane focused, / finds lines of the runbook shown, and
// enter takes the pane to the step the line is in.
func TestFindInRunbook(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	d := newDriver(t, Options{Store: st, Now: c.Now, SearchDelay: -1}, 120, 40)
	d.press("enter", "2", "/")
	f := d.app().slot.find()
	if f == nil || f.doc == nil || f.runbook != "major-incident" {
		t.Fatalf("/ on the Runbook pane did not open a find in its runbook: %+v", f)
	}
	d.typeText("blameless REVIEW")
	f = d.app().slot.find()
	if len(f.hits) != 1 || !strings.Contains(f.hits[0].snippet, "Schedule a blameless review") {
		t.Fatalf("hits %+v", f.hits)
	}
	if v := d.view(); !strings.Contains(v, "Find in the runbook major-incident") || !strings.Contains(v, "1 line with") {
		t.Errorf("the overlay does not say what it finds in:\n%s", v)
	}
	d.press("enter")
	a := d.app()
	if a.slot.find() != nil || a.focus != paneStepper {
		t.Fatalf("enter left the find open or the runbook unfocused")
	}
	_, step, ok := a.stepper.selected()
	if !ok || !strings.Contains(step.Title, "Schedule a blameless review") {
		t.Errorf("the cursor is on %q, want the step the line is in", step.Title)
	}
	if v := d.view(); !strings.Contains(v, "Schedule a blameless review") {
		t.Errorf("the step found is not on screen:\n%s", v)
	}
	// On the Timeline pane, / finds in the timeline.
	d.press("1", "/")
	if f := d.app().slot.find(); f == nil || f.doc != nil {
		t.Errorf("/ on the timeline: %+v", f)
	}
}

// In a drill the injects the clock has released are entries of the
// timeline: a jump's place counts those before it too.
func TestFindInDrillTimeline(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	lib := bundled(t)
	id, _, _ := startTestDrill(t, st, c, lib)
	addNotes(t, st, c, id, 500, map[int]string{420: "Failover of the quokka cluster began"})
	d := newDriver(t, Options{Store: st, Library: lib, Respond: service(st, c, lib), Now: c.Now, SearchDelay: -1}, 120, 40)
	d.press("enter")
	a := d.app()
	if a.incID != id || a.drill.x == nil {
		t.Fatalf("the drill did not open (%s)", a.incID)
	}
	stored, err := st.Timeline(context.Background(), id, storage.TimelinePage{})
	if err != nil {
		t.Fatal(err)
	}
	all := model.MergeEntries(stored, a.drill.x.InjectEntries(c.Now()))
	want := -1
	for i, e := range all {
		if e.Text == "Failover of the quokka cluster began" {
			want = i
		}
	}
	if len(all)-len(stored) < 2 {
		t.Fatalf("only %d injects released: the test needs some before the entry", len(all)-len(stored))
	}
	d.press("/")
	d.typeText("quokka")
	d.press("enter")
	a = d.app()
	if e, _ := a.timeline.selected(); e.Text != "Failover of the quokka cluster began" {
		t.Fatalf("selected %q", e.Text)
	}
	if got := a.timeline.offset + a.timeline.sel; got != want {
		t.Errorf("the entry is at %d of the drill's timeline (injects included), the pane says %d", want, got)
	}
}
