package ui

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

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
	p := again.app().slot.prompt()
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
	if d.app().slot.prompt() != nil {
		t.Fatal("esc did not close the note line")
	}
	d.press("a") // another kind starts empty
	if p := d.app().slot.prompt(); p == nil || p.input.Value() != "" {
		t.Fatalf("action line: %+v", p)
	}
	d.press("esc", "n")
	if p := d.app().slot.prompt(); p == nil || p.input.Value() != "half a thought" {
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
	r := d.app().slot.review()
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
	cs := d.app().slot.comms()
	if cs == nil || !strings.HasSuffix(cs.area.Value(), " Next: failover drill.") {
		t.Fatalf("the internal update reopened without its unsaved text: %+v", cs)
	}
	d.press("esc")
	if drafts, _ := st.Drafts(incA); len(drafts) != 0 {
		t.Errorf("esc kept the update as a draft: %+v", drafts)
	}
}

// gatedStore holds draft writes until release is closed, once gated: a
// home directory on a slow or hung network share.
type gatedStore struct {
	*storage.Store
	gated   atomic.Bool
	release chan struct{}
}

func (s *gatedStore) SaveDraft(incidentID, slot, text string) error {
	if s.gated.Load() {
		<-s.release
	}
	return s.Store.SaveDraft(incidentID, slot, text)
}

// TestDraftWritesLeaveTheKeyboardFree: typing while draft files cannot be
// written does not wait for them (they are written from commands), and
// the commands, run in any order, leave the newest text as the draft.
func TestDraftWritesLeaveTheKeyboardFree(t *testing.T) {
	c := newClock()
	plain := openStore(t, c, "alice@laptop")
	seed(t, plain, c, bundled(t))
	st := &gatedStore{Store: plain, release: make(chan struct{})}
	d := newDriver(t, Options{Store: st, Now: c.Now}, 120, 40)
	d.press("enter", "n")
	st.gated.Store(true)
	done := make(chan []tea.Cmd)
	go func() {
		var cmds []tea.Cmd
		for _, r := range "abc" {
			var cmd tea.Cmd
			d.m, cmd = d.m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
			cmds = append(cmds, cmd)
		}
		done <- cmds
	}()
	var cmds []tea.Cmd
	select {
	case cmds = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("typing waited for the draft file to be written")
	}
	if p := d.app().slot.prompt(); p == nil || p.input.Value() != "abc" {
		t.Fatalf("note line %+v, want abc typed", p)
	}
	close(st.release)
	// Newest first: the older writes come last and must not win.
	var run func(cmd tea.Cmd)
	run = func(cmd tea.Cmd) {
		if cmd == nil {
			return
		}
		if batch, ok := cmd().(tea.BatchMsg); ok {
			for i := len(batch) - 1; i >= 0; i-- {
				run(batch[i])
			}
		}
	}
	for i := len(cmds) - 1; i >= 0; i-- {
		run(cmds[i])
	}
	drafts, err := plain.Drafts(incA)
	if err != nil || len(drafts) != 1 || drafts[0].Text != "abc" {
		t.Fatalf("drafts %+v %v, want the newest text, abc", drafts, err)
	}
}
