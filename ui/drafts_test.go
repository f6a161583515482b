package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// TestDraftSurvivesQuit: a note typed and not saved when the cockpit quits
// is in the note line, with a word of where it came from, when the incident
// is opened again; saving it clears the draft.
func TestDraftSurvivesQuit(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	d := newDriver(t, Options{Store: st, Now: c.Now}, 120, 40)
	d.press("enter", "d")
	d.typeText("Fail over to eu-west if p99 stays above 2s")
	d.press("ctrl+c")
	if !d.quit {
		t.Fatal("ctrl+c did not quit")
	}

	again := newDriver(t, Options{Store: st, Now: c.Now}, 120, 40)
	again.press("enter")
	p := again.app().prompt()
	if p == nil || p.kind != promptDecision || p.input.Value() != "Fail over to eu-west if p99 stays above 2s" {
		t.Fatalf("reopened: prompt %+v, want the decision typed before quitting", p)
	}
	if v := again.view(); !strings.Contains(v, "Restored what you typed") {
		t.Errorf("the restored text is not explained:\n%s", v)
	}
	again.press("enter")
	entries, err := st.Timeline(context.Background(), incA, storage.TimelinePage{})
	if err != nil {
		t.Fatal(err)
	}
	if last := entries[len(entries)-1]; last.Text != "Fail over to eu-west if p99 stays above 2s" || last.NoteKind != model.NoteKindDecision {
		t.Errorf("last entry %q (%s), want the restored decision", last.Text, last.NoteKind)
	}
	if drafts, err := st.Drafts(incA); err != nil || len(drafts) != 0 {
		t.Errorf("after saving, drafts %+v %v", drafts, err)
	}
}

// TestDraftKeptOnEsc: esc closes the note line without losing it; the same
// key brings the text back; emptying the line and closing it lets it go.
func TestDraftKeptOnEsc(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	d := newDriver(t, Options{Store: st, Now: c.Now}, 120, 40)
	d.press("enter", "n")
	d.typeText("half a thought")
	d.press("esc")
	if d.app().prompt() != nil {
		t.Fatal("esc did not close the note line")
	}
	d.press("a") // another kind starts empty
	if p := d.app().prompt(); p == nil || p.input.Value() != "" {
		t.Fatalf("action line: %+v", p)
	}
	d.press("esc", "n")
	if p := d.app().prompt(); p == nil || p.input.Value() != "half a thought" {
		t.Fatalf("note line reopened: %+v", p)
	}
	drafts, err := st.Drafts(incA)
	if err != nil || len(drafts) != 1 || drafts[0].Text != "half a thought" {
		t.Fatalf("on disk: %+v %v", drafts, err)
	}
	d.press("ctrl+u", "esc")
	if drafts, _ := st.Drafts(incA); len(drafts) != 0 {
		t.Errorf("an emptied line left a draft: %+v", drafts)
	}
}

// TestReviewAndUpdateDraftsSurviveQuit: text typed into a review section
// or an update and not saved comes back when the same section or update is
// opened after a quit; esc drops it on purpose; saving clears it.
func TestReviewAndUpdateDraftsSurviveQuit(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	d := newDriver(t, Options{Store: st, Now: c.Now, Cadence: model.DefaultCadence()}, 120, 40)
	d.press("enter", "R", "enter") // edit the summary
	d.typeText("EU checkout failed for 40 minutes")
	d.press("ctrl+c")

	d = newDriver(t, Options{Store: st, Now: c.Now, Cadence: model.DefaultCadence()}, 120, 40)
	d.press("enter")
	if v := d.view(); !strings.Contains(v, "Unsaved text kept from before: a review section (R)") {
		t.Errorf("the kept review text is not mentioned:\n%s", v)
	}
	d.press("R", "enter")
	r := d.app().review()
	if r == nil || !r.editing || !strings.Contains(r.area.Value(), "EU checkout failed for 40 minutes") || !strings.Contains(d.view(), "Restored what you typed") {
		t.Fatalf("the summary reopened without its unsaved text: %+v\n%s", r, d.view())
	}
	d.press("ctrl+s")
	if rv, _, err := st.Review(context.Background(), incA); err != nil || !strings.Contains(rv.Summary, "EU checkout failed for 40 minutes") {
		t.Fatalf("summary saved as %q %v", rv.Summary, err)
	}
	if drafts, _ := st.Drafts(incA); len(drafts) != 0 {
		t.Errorf("drafts after saving the review: %+v", drafts)
	}

	// An update being written: kept through a quit, dropped by esc.
	d.press("esc", "m", "enter")
	d.typeText(" Next: failover drill.")
	d.press("ctrl+c")
	d = newDriver(t, Options{Store: st, Now: c.Now, Cadence: model.DefaultCadence()}, 120, 40)
	d.press("enter", "m", "enter")
	cs := d.app().comms()
	if cs == nil || !strings.HasSuffix(cs.area.Value(), " Next: failover drill.") {
		t.Fatalf("the internal update reopened without its unsaved text: %+v", cs)
	}
	d.press("esc")
	if drafts, _ := st.Drafts(incA); len(drafts) != 0 {
		t.Errorf("esc kept the update as a draft: %+v", drafts)
	}
}
