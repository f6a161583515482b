package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/sitrep-dev/sitrep/model"
)

// TestTimelinePaging walks a timeline of 1,500 notes with the keys: the
// entry under the cursor is always the right one, the window in memory
// never outgrows its bound, and new entries show while following.
func TestTimelinePaging(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	ctx := context.Background()
	mustAppend(t, st, model.Change{IncidentID: incA, Kind: model.EventDeclared, Payload: model.DeclaredPayload{Title: "Long one", Kind: "outage", Severity: model.SEV2, Status: model.StatusInvestigating}})
	const n = 1500
	var drafts []model.Change
	for i := 0; i < n; i++ {
		drafts = append(drafts, model.Change{IncidentID: incA, Kind: model.EventNote, Occurred: t0.Add(time.Duration(i+1) * time.Second),
			Payload: model.NotePayload{Kind: model.NoteKindNote, Text: fmt.Sprintf("note %04d", i)}})
	}
	if _, err := st.AppendAll(ctx, drafts); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Options{Store: st, Now: c.Now, Incident: incA}, 120, 40)
	sel := func() string {
		t.Helper()
		a := d.app()
		e, ok := a.timeline.selected()
		if !ok {
			t.Fatal("nothing selected")
		}
		if w := len(d.app().timeline.entries); w > timelineWindow {
			t.Fatalf("%d entries in memory, bound %d", w, timelineWindow)
		}
		return e.Text
	}
	title := func() string {
		return ansi.Strip(strings.Split(d.view(), "\n")[headerRows])
	}
	if got := sel(); got != "note 1499" {
		t.Fatalf("opened on %q, want the newest", got)
	}
	if !strings.Contains(title(), fmt.Sprintf("Timeline %d/%d · live", n+1, n+1)) {
		t.Errorf("title %q", title())
	}
	d.press("g")
	if a := d.app(); a.timeline.entries[a.timeline.sel].Kind != model.EventDeclared {
		t.Fatalf("g did not select the declaration")
	}
	for i := 0; i < 700; i++ {
		d.press("j")
	}
	if got := sel(); got != "note 0699" {
		t.Fatalf("700 down from the top: %q, want note 0699", got)
	}
	if !strings.Contains(title(), fmt.Sprintf("Timeline 701/%d", n+1)) || strings.Contains(title(), "live") {
		t.Errorf("title %q", title())
	}
	for i := 0; i < 100; i++ {
		d.press("pgdown")
	}
	if got := sel(); got != "note 1499" {
		t.Fatalf("paging down to the end: %q", got)
	}
	for i := 0; i < 1200; i++ {
		d.press("k")
	}
	if got := sel(); got != "note 0299" {
		t.Fatalf("1200 up from the end: %q, want note 0299", got)
	}
	// Not following: a new note does not move the cursor.
	c.Add(time.Hour)
	mustAppend(t, st, model.Change{IncidentID: incA, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "late news"}})
	d.send(tickMsg(c.Now()))
	if got := sel(); got != "note 0299" {
		t.Fatalf("a new note moved the cursor to %q", got)
	}
	// G follows again, and the new note is there.
	d.press("G")
	if got := sel(); got != "late news" {
		t.Fatalf("G: %q, want the newest", got)
	}
	mustAppend(t, st, model.Change{IncidentID: incA, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "later news"}})
	d.send(tickMsg(c.Now()))
	if got := sel(); got != "later news" {
		t.Fatalf("following: %q, want the newest", got)
	}
}

// Growing the terminal shows the earlier entries in the new room, instead
// of the few that fitted before above rows of nothing.
func TestTimelineFillsRoomAfterGrowing(t *testing.T) {
	s := newSeeded(t)
	d := s.driver(t, 70, 20)
	d.press("enter")
	d.send(tea.WindowSizeMsg{Width: 160, Height: 48})
	tl := d.app().timeline
	if tl.top != 0 {
		t.Errorf("after growing to 160x48 the timeline starts at entry %d of %d, with room for all:\n%s", tl.top, len(tl.entries), d.view())
	}
}
