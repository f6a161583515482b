package export_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/export"
	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// Every export marks an entry from a clock that was an hour behind, and
// places it after the declaration it answered.
func TestExportsMarkSlowClock(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)
	open := func(name string, now time.Time) *storage.Store {
		st, err := storage.Open(ctx, filepath.Join(t.TempDir(), name), storage.Options{Author: name, Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	copyAll := func(from, to *storage.Store) {
		page, _, err := from.EventsAfter(ctx, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var events []model.Event
		for _, l := range page {
			events = append(events, l.Event)
		}
		if _, err := to.Apply(ctx, events, nil); err != nil {
			t.Fatal(err)
		}
	}
	honest, slow := open("carol", t0), open("alice", t0.Add(-time.Hour+time.Minute))
	in := storage.NewID()
	if _, err := honest.Append(ctx, model.Change{IncidentID: in, Kind: model.EventDeclared,
		Payload: model.DeclaredPayload{Title: "checkout down", Kind: "outage", Severity: model.SEV2, Status: model.StatusDetected}}); err != nil {
		t.Fatal(err)
	}
	copyAll(honest, slow)
	if _, err := slow.Append(ctx, model.Change{IncidentID: in, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "on it"}}); err != nil {
		t.Fatal(err)
	}
	copyAll(slow, honest)

	inc, err := export.Load(ctx, honest, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	last := inc.Timeline[len(inc.Timeline)-1]
	if last.Text != "on it" || last.Clock != "behind" || last.Stamped == nil || !last.Stamped.Equal(t0.Add(-time.Hour+time.Minute)) || last.Occurred.Before(t0) {
		t.Errorf("JSON entry %+v: want the note last, clock behind, stamped by the slow clock, placed at or after %s", last, t0)
	}
	var md, csv bytes.Buffer
	if err := export.Markdown(&md, inc); err != nil {
		t.Fatal(err)
	}
	if err := export.CSV(&csv, inc); err != nil {
		t.Fatal(err)
	}
	want := "clock 59m behind: stamped 2026-11-23 13:01:00Z"
	if !strings.Contains(md.String(), want) {
		t.Errorf("Markdown lacks %q:\n%s", want, md.String())
	}
	if !strings.Contains(csv.String(), want) || strings.Contains(csv.String(), "T-") {
		t.Errorf("CSV lacks %q or shows a negative T+:\n%s", want, csv.String())
	}
}
