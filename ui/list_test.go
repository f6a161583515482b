package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/runbooks"
	"github.com/sitrep-dev/sitrep/storage"
)

// TestListPages: the list opens on one page of a long history, its header
// counting the whole store, and reads the next page as the cursor nears
// the end of what it has.
func TestListPages(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	const n = 2*listPage + 50
	var drafts []model.Change
	for i := range n {
		drafts = append(drafts, model.Change{IncidentID: storage.NewID(), Kind: model.EventDeclared, Payload: model.DeclaredPayload{
			Title: fmt.Sprintf("Incident number %d", i), Kind: "outage", Severity: model.SEV3, Status: model.StatusInvestigating}})
	}
	if _, err := st.AppendAll(context.Background(), drafts); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Options{Store: st, Now: c.Now, SearchDelay: -1}, 100, 30)
	l := d.app().list
	if len(l.pages) != listPage || !l.more {
		t.Fatalf("first load read %d incidents (more %v), want one page of %d", len(l.pages), l.more, listPage)
	}
	if v := ansi.Strip(d.view()); !strings.Contains(v, fmt.Sprintf("%d active · 0 past", n)) || !strings.Contains(v, fmt.Sprintf("ACTIVE (%d)", n)) {
		t.Errorf("the header does not count the whole store:\n%s", v)
	}
	d.press("G")
	if l := d.app().list; len(l.pages) != 2*listPage {
		t.Fatalf("after G, %d loaded, want %d", len(l.pages), 2*listPage)
	}
	d.press("G")
	l = d.app().list
	if len(l.pages) != n || l.more {
		t.Fatalf("after G twice, %d loaded (more %v), want all %d", len(l.pages), l.more, n)
	}
	seen := map[string]bool{}
	for _, in := range l.pages {
		if seen[in.ID] {
			t.Fatalf("%s loaded twice", in.ID)
		}
		seen[in.ID] = true
	}
	// A filter asks the store, not the pages: the oldest incident is found
	// though it is on the last page.
	d.press("g", "/")
	d.typeText("number 0")
	d.press("enter")
	l = d.app().list
	if in, ok := l.selected(); !ok || in.Title != "Incident number 0" || len(l.items()) != 1 {
		t.Errorf("filter found %+v", in)
	}
}

// noticeLibrary is a library whose loading went partly wrong.
type noticeLibrary struct {
	*runbooks.Library
	notice string
}

func (l noticeLibrary) Notice() string { return l.notice }

// A library that could not load everything says so on screen once the
// cockpit is up, not before its first frame.
func TestLibraryNoticeShown(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	lib := noticeLibrary{bundled(t), "using bundled runbooks only: /team/runbooks: permission denied"}
	d := newDriver(t, Options{Store: st, Library: lib, Now: c.Now}, 120, 40)
	if v := d.view(); !strings.Contains(v, "using bundled runbooks only") {
		t.Fatalf("the notice is not on screen:\n%s", v)
	}
}

// On a narrow terminal the list still shows what each incident is.
func TestListNarrowShowsTitles(t *testing.T) {
	s := newSeeded(t)
	d := s.driver(t, 40, 12)
	if v := d.view(); !strings.Contains(v, "Checkout") {
		t.Errorf("no title at 40 columns:\n%s", v)
	}
}
