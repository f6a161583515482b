package ui

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

func reviewEvents(t *testing.T, st *storage.Store, id string) int {
	t.Helper()
	entries, err := st.IncidentEvents(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Kind == model.EventReviewSaved {
			n++
		}
	}
	return n
}

// TestReviewKeyFlow: R opens the review; enter edits a section in place,
// ctrl+s saves it as review.saved; the action items read as the review
// document reads them; saving unchanged text records nothing; a bad line
// keeps the text and says why.
func TestReviewKeyFlow(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	mustAppend(t, st, model.Change{IncidentID: incA, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "Pinned: deploy 4812 went out at 02:10"}})
	d := newDriver(t, Options{Store: st, Now: c.Now}, 100, 30)
	d.press("enter", "G", "p") // pin the newest entry
	d.press("R")
	v := ansi.Strip(d.view())
	for _, want := range []string{"Post-incident review", "Summary", "Root cause", "Not written yet"} {
		if !strings.Contains(v, want) {
			t.Errorf("the review screen lacks %q:\n%s", want, v)
		}
	}
	d.press("G") // the action items, and the pinned entries under them
	v = ansi.Strip(d.view())
	for _, want := range []string{"Action items", "Pinned timeline entries (1)", "deploy 4812 went out"} {
		if !strings.Contains(v, want) {
			t.Errorf("the review screen lacks %q:\n%s", want, v)
		}
	}
	d.press("g")
	// Root Cause is the fourth part: summary, impact, impact started.
	d.press("j", "j", "j", "enter")
	if r := d.app().slot.review(); r == nil || !r.editing || reviewParts[r.sel].key != "root_cause" {
		t.Fatalf("enter did not edit the root cause: %+v", r)
	}
	d.typeText("Deploy 4812 shipped a bad TLS config")
	d.press("enter")
	d.typeText("to the EU edge.")
	d.press("ctrl+s")
	r, info, err := st.Review(context.Background(), incA)
	if err != nil {
		t.Fatal(err)
	}
	if r.RootCause != "Deploy 4812 shipped a bad TLS config\nto the EU edge." || info.By != "alice@laptop" {
		t.Fatalf("root cause saved as %q by %q", r.RootCause, info.By)
	}
	if d.app().slot.review().editing {
		t.Error("still editing after the save")
	}
	if v := ansi.Strip(d.view()); !strings.Contains(v, "to the EU edge.") || d.app().slot.review().info.By != "alice@laptop" {
		t.Errorf("the saved text is not shown:\n%s", v)
	}

	// Unchanged: nothing recorded.
	before := reviewEvents(t, st, incA)
	d.press("enter", "ctrl+s")
	if n := reviewEvents(t, st, incA); n != before {
		t.Errorf("an unchanged save recorded %d review event(s)", n-before)
	}

	// Action items: one per line, what | owner | due | status.
	d.press("G", "enter")
	d.typeText("Alert on EU edge 5xx | bob@desk | 2026-04-01 | in progress")
	d.press("ctrl+s")
	r, _, _ = st.Review(context.Background(), incA)
	if len(r.ActionItems) != 1 || r.ActionItems[0] != (model.ActionItem{Title: "Alert on EU edge 5xx", Owner: "bob@desk", Due: "2026-04-01", Status: model.ActionInProgress}) {
		t.Fatalf("action items %+v", r.ActionItems)
	}
	if r.RootCause == "" {
		t.Error("saving the action items lost the root cause")
	}

	// A bad date: not saved, the text is kept, the error says why.
	d.press("enter", "ctrl+u")
	d.typeText("Rotate keys | carol | someday | open")
	d.press("ctrl+s")
	if rv := d.app().slot.review(); !rv.editing || !strings.Contains(rv.err, "someday") || !strings.Contains(rv.area.Value(), "Rotate keys") {
		t.Errorf("a bad due date: editing %v, err %q, text %q", rv.editing, rv.err, rv.area.Value())
	}
	d.press("esc", "esc")
	if d.app().slot.review() != nil {
		t.Error("esc did not close the review")
	}
}

// TestReviewInEditor: e writes the whole document to a file for $EDITOR;
// what the editor leaves there is read back and saved; an unreadable
// document is kept and named.
func TestReviewInEditor(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	d := newDriver(t, Options{Store: st, Now: c.Now}, 100, 30)
	d.press("enter", "R")
	a := d.app()
	ready := prepareEditor(incA, a.inc, a.slot.review().saved, nil)().(editorReadyMsg)
	if ready.Err != nil {
		t.Fatal(ready.Err)
	}
	text := strings.Replace(ready.Text, "## Summary\n", "## Summary\n\nA bad deploy broke EU checkout.\n", 1)
	if err := os.WriteFile(ready.Path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	d.send(editorDoneMsg{ID: incA, Path: ready.Path, Text: ready.Text})
	r, _, _ := st.Review(context.Background(), incA)
	if r.Summary != "A bad deploy broke EU checkout." {
		t.Fatalf("summary %q", r.Summary)
	}
	if _, err := os.Stat(ready.Path); !os.IsNotExist(err) {
		t.Errorf("the file was not removed after the save: %v", err)
	}

	bad := prepareEditor(incA, a.inc, r, nil)().(editorReadyMsg)
	if err := os.WriteFile(bad.Path, []byte("## Summry\n\ntypo\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(bad.Path) })
	d.send(editorDoneMsg{ID: incA, Path: bad.Path, Text: bad.Text})
	if f := d.app().flash; !strings.Contains(f, "Summry") || !strings.Contains(f, bad.Path) {
		t.Errorf("flash %q does not say what and where", f)
	}
}

// A refused action item says so on screen, even in the last section at the
// bottom of a small terminal.
func TestReviewErrorOnScreen(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	d := newDriver(t, Options{Store: st, Now: c.Now}, 80, 24)
	d.press("enter", "R", "G", "enter")
	d.typeText("Add an alert | bob | 2026-12-01 | open")
	d.press("enter")
	d.typeText("Fix the TLS config | alice | 2026-13-45 | open")
	d.press("ctrl+s")
	v := ansi.Strip(d.view())
	if !strings.Contains(v, "Not saved") || !strings.Contains(v, "2026-13-45") {
		t.Errorf("the refusal is not on screen:\n%s", v)
	}
	// Parse errors count lines as the text area shows them.
	if _, err := applyPart(model.Review{}, reviewParts[len(reviewParts)-1], "Add an alert | bob | 2026-12-01 | open\n\n- [ ] x | y | z | open | extra", c.Now()); err == nil || !strings.HasPrefix(err.Error(), "line 3:") {
		t.Errorf("error for the third line: %v", err)
	}
}

// Editing the action items in the cockpit keeps their ### categories: the
// text the editor starts from carries them and reads back the same.
func TestReviewActionCategoriesInCockpit(t *testing.T) {
	r := model.Review{ActionItems: []model.ActionItem{
		{Title: "Page earlier", Owner: "amy", Status: model.ActionOpen},
		{Title: "Add a canary stage", Owner: "bob", Due: "2026-12-01", Status: model.ActionOpen, Category: "Process"},
		{Title: "Alert on 5xx rate", Status: model.ActionDone, Category: "Monitoring"},
	}}
	part := reviewParts[len(reviewParts)-1]
	text := partText(r, part.key)
	if !strings.Contains(text, "### Process\nAdd a canary stage") {
		t.Errorf("the editor text lacks the category:\n%s", text)
	}
	got, err := applyPart(model.Review{}, part, text, newClock().Now())
	if err != nil || !got.Equal(r) {
		t.Errorf("edited back: %+v %v\nwant %+v", got.ActionItems, err, r.ActionItems)
	}
}

// A review wrapped at 80 columns elsewhere reads as paragraphs: their
// lines are joined before wrapping to the screen, while list items,
// headings, tables, quotes, code and hard breaks keep their lines.
func TestReviewReflow(t *testing.T) {
	in := "The webhook handler was down\nfor about four hours.\n\n" +
		"- first item\n  wraps here\n- second\n" +
		"### Heading\nafter heading\n" +
		"| a | b |\n|---|---|\n" +
		"> quoted\n" +
		"```\nline one\nline two\n```\n" +
		"hard break  \nnext\n" +
		"1. numbered\ncontinued"
	want := "The webhook handler was down for about four hours.\n\n" +
		"- first item wraps here\n- second\n" +
		"### Heading\nafter heading\n" +
		"| a | b |\n|---|---|\n" +
		"> quoted\n" +
		"```\nline one\nline two\n```\n" +
		"hard break  \nnext\n" +
		"1. numbered continued"
	if got := reflow(in); got != want {
		t.Errorf("reflow:\n%s\nwant:\n%s", got, want)
	}
	// A "~~~" line inside a backtick block is code, not the block's end.
	nested := "```\n~~~\nline one\nline two\n```\nafter\ncode"
	if got, want := reflow(nested), "```\n~~~\nline one\nline two\n```\nafter code"; got != want {
		t.Errorf("reflow:\n%s\nwant:\n%s", got, want)
	}
	// A sentence wrapped so that a number opens a line is still the
	// paragraph's, not a list item.
	number := "Replication fell behind by\n1.5 GB before the failover."
	if got, want := reflow(number), "Replication fell behind by 1.5 GB before the failover."; got != want {
		t.Errorf("reflow:\n%s\nwant:\n%s", got, want)
	}
}

// A list item's wrapped lines hang under its text; the layout is kept for
// the next frame while the text and width stay.
func TestReviewLayoutHangsListItems(t *testing.T) {
	r := &reviewScreen{}
	text := "- Breaking something that deploys itself makes rollback trickier.\n12. Second item wraps as well, under its text."
	got := r.layout("went_poorly", text, 30)
	want := []string{
		"  - Breaking something that",
		"    deploys itself makes",
		"    rollback trickier.",
		"  12. Second item wraps as",
		"      well, under its text.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("layout:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if again := r.layout("went_poorly", text, 30); &again[0] != &got[0] {
		t.Error("the same text at the same width was laid out again")
	}
	if wider := r.layout("went_poorly", text, 80); len(wider) != 2 {
		t.Errorf("at 80 columns: %q", wider)
	}
}

// The review is laid out when it arrives or the screen changes size, and
// drawing only reads that layout: View changes nothing.
func TestReviewViewOnlyReadsLayout(t *testing.T) {
	k := newKeyMap()
	r := newReviewScreen(NewStyles(asciiRenderer()), &k, incA, time.Now)
	r.SetSize(60, 30)
	r.take(reviewLoadedMsg{ID: incA, Review: model.Review{Summary: "The checkout service returned 500s for EU customers for forty minutes."}})
	kept := r.wrapped
	if len(kept) == 0 {
		t.Fatal("no section laid out when the review arrived")
	}
	first := &kept["summary"].lines[0]
	view := strings.Join(r.View(), "\n")
	if !strings.Contains(view, "The checkout service returned 500s") {
		t.Errorf("view lacks the summary:\n%s", view)
	}
	if &r.wrapped["summary"].lines[0] != first || len(r.wrapped) != len(kept) {
		t.Error("drawing laid the review out again")
	}
	r.SetSize(100, 30)
	if r.wrapped["summary"].w != 100 {
		t.Errorf("after a resize the layout is for %d columns", r.wrapped["summary"].w)
	}
	// Text not laid out yet is drawn, and not kept by drawing.
	fresh := newReviewScreen(NewStyles(asciiRenderer()), &k, incA, time.Now)
	fresh.w, fresh.h, fresh.loaded = 60, 30, true
	fresh.saved = model.Review{Summary: "Drawn before any layout."}
	if view := strings.Join(fresh.View(), "\n"); !strings.Contains(view, "Drawn before any layout.") || len(fresh.wrapped) != 0 {
		t.Errorf("drawing kept %d layouts, or lost the text:\n%s", len(fresh.wrapped), view)
	}
}
