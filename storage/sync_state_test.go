package storage

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/sitrep-dev/sitrep/model"
)

func openSyncTestStore(t *testing.T, name string) *Store {
	t.Helper()
	st, err := Open(context.Background(), filepath.Join(t.TempDir(), name), Options{Author: name})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func appendNotes(t *testing.T, st *Store, n int) (string, []model.Event) {
	t.Helper()
	ctx := context.Background()
	d, err := st.Append(ctx, model.Change{Kind: model.EventDeclared, Payload: model.DeclaredPayload{Title: "x", Kind: "outage", Severity: model.SEV2, Status: model.StatusInvestigating}})
	if err != nil {
		t.Fatal(err)
	}
	out := []model.Event{d}
	for range n {
		e, err := st.Append(ctx, model.Change{IncidentID: d.IncidentID, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "note"}})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return d.IncidentID, out
}

func TestSyncCursorMovesOnlyForward(t *testing.T) {
	ctx := context.Background()
	st := openSyncTestStore(t, "a.db")
	if _, ok, err := st.SyncCursor(ctx, "hub-1"); ok || err != nil {
		t.Fatalf("cursor before any sync: %v %v", ok, err)
	}
	save := func(c SyncCursor) {
		t.Helper()
		if err := st.SaveSyncCursor(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	save(SyncCursor{HubID: "hub-1", Remote: "ops@bastion:/srv/a.db", Pushed: 5, Pulled: 7, PulledID: "e7"})
	// A slower sync finishing later with older positions does not undo it.
	save(SyncCursor{HubID: "hub-1", Remote: "ops@bastion:/srv/a.db", Pushed: 3, Pulled: 6, PulledID: "e6"})
	c, ok, err := st.SyncCursor(ctx, "hub-1")
	if err != nil || !ok || c.Pushed != 5 || c.Pulled != 7 || c.PulledID != "e7" {
		t.Fatalf("cursor: %+v %v %v", c, ok, err)
	}
	save(SyncCursor{HubID: "hub-1", Remote: "bastion:/srv/a.db", Pushed: 9, Pulled: 8, PulledID: "e8"})
	c, _, _ = st.SyncCursor(ctx, "hub-1")
	if c.Pushed != 9 || c.Pulled != 8 || c.PulledID != "e8" || c.Remote != "bastion:/srv/a.db" {
		t.Fatalf("cursor after moving on: %+v", c)
	}
	// The same hub under a new name shares the cursor; the old name is gone.
	if _, ok, _ := st.SyncCursorForRemote(ctx, "ops@bastion:/srv/a.db"); ok {
		t.Fatal("the old name still has a cursor")
	}
	byName, ok, err := st.SyncCursorForRemote(ctx, "bastion:/srv/a.db")
	if err != nil || !ok || byName.HubID != "hub-1" {
		t.Fatalf("by name: %+v %v %v", byName, ok, err)
	}
	if err := st.ResetSyncCursor(ctx, "hub-1", "bastion:/srv/a.db"); err != nil {
		t.Fatal(err)
	}
	c, _, _ = st.SyncCursor(ctx, "hub-1")
	if c.Pushed != 0 || c.Pulled != 0 || c.PulledID != "" {
		t.Fatalf("after reset: %+v", c)
	}
}

func TestSyncLookups(t *testing.T) {
	ctx := context.Background()
	st := openSyncTestStore(t, "a.db")
	_, events := appendNotes(t, st, 4)
	n, err := st.CountAfter(ctx, 2)
	if err != nil || n != 3 {
		t.Fatalf("CountAfter(2) = %d, %v; want 3", n, err)
	}
	ids, last, err := st.IDsAfter(ctx, 1, 2)
	if err != nil || len(ids) != 2 || ids[0] != events[1].ID || ids[1] != events[2].ID || last != 3 {
		t.Fatalf("IDsAfter: %v %d %v", ids, last, err)
	}
	if id, _ := st.IDAt(ctx, 3); id != events[2].ID {
		t.Fatalf("IDAt(3) = %s", id)
	}
	if id, err := st.IDAt(ctx, 99); id != "" || err != nil {
		t.Fatalf("IDAt(99) = %q, %v", id, err)
	}
	missing, err := st.MissingIDs(ctx, []string{"nope-2", events[0].ID, "nope-1", events[3].ID})
	if err != nil || len(missing) != 2 || missing[0] != "nope-2" || missing[1] != "nope-1" {
		t.Fatalf("MissingIDs: %v %v", missing, err)
	}
	got, err := st.EventsByID(ctx, []string{events[3].ID, "nope", events[1].ID})
	if err != nil || len(got) != 2 || got[0].ID != events[1].ID || got[1].ID != events[3].ID {
		t.Fatalf("EventsByID: %v %v", got, err)
	}
	if string(got[0].Payload) != string(events[1].Payload) || got[0].Hash != events[1].Hash {
		t.Fatal("EventsByID changed an event")
	}

	covered := func(seq int64, ids ...string) (int64, string, bool) {
		t.Helper()
		var top int64
		var topID string
		var ok bool
		err := st.write(ctx, func(tx *sql.Tx) error {
			var err error
			top, topID, ok, err = st.CoveredThrough(ctx, tx, seq, ids)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return top, topID, ok
	}
	if top, id, ok := covered(3, events[3].ID, events[4].ID, "other"); !ok || top != 5 || id != events[4].ID {
		t.Fatalf("covered through: %d %s %v", top, id, ok)
	}
	if _, _, ok := covered(3, events[4].ID); ok {
		t.Fatal("covered, though event 4 is not in the list")
	}
	if top, _, ok := covered(5); ok || top != 5 {
		t.Fatalf("nothing after the top: %d %v", top, ok)
	}
	if v, err := st.Schema(ctx); err != nil || v != SchemaVersion() {
		t.Fatalf("schema %d (%v), binary knows %d", v, err, SchemaVersion())
	}
}

// TestProjectionDumpOrderIndependent applies one store's events to two
// fresh stores in opposite orders: the dumps (and digests) agree, and
// they agree with the source.
func TestProjectionDumpOrderIndependent(t *testing.T) {
	ctx := context.Background()
	src := openSyncTestStore(t, "src.db")
	in, _ := appendNotes(t, src, 3)
	for _, d := range []model.Change{
		{IncidentID: in, Kind: model.EventStatusChanged, Payload: model.StatusPayload{Status: model.StatusMitigated}},
		{IncidentID: in, Kind: model.EventSeverityChanged, Payload: model.SeverityPayload{Severity: model.SEV1}},
		{IncidentID: in, Kind: model.EventRoleAssigned, Payload: model.RoleAssignedPayload{Role: model.RoleCommander, Holder: "dana"}},
		{IncidentID: in, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "rolled back deploy"}},
	} {
		if _, err := src.Append(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	page, _, err := src.EventsAfter(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var fwd, back []model.Event
	for i := range page {
		fwd = append(fwd, page[i].Event)
		back = append(back, page[len(page)-1-i].Event)
	}
	a, b := openSyncTestStore(t, "a.db"), openSyncTestStore(t, "b.db")
	if _, err := a.Apply(ctx, fwd, nil); err != nil {
		t.Fatal(err)
	}
	for _, e := range back { // one at a time, newest first
		if _, err := b.Apply(ctx, []model.Event{e}, nil); err != nil {
			t.Fatal(err)
		}
	}
	// An error gives an empty dump on every side: each must succeed for
	// equal dumps to mean anything.
	must := func(s string, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	ds, da, db := must(src.ProjectionDump(ctx)), must(a.ProjectionDump(ctx)), must(b.ProjectionDump(ctx))
	if ds != da || da != db {
		t.Fatalf("dumps differ:\nsource:\n%s\nforward:\n%s\nbackward:\n%s", ds, da, db)
	}
	ga, gb := must(a.ProjectionDigest(ctx)), must(b.ProjectionDigest(ctx))
	if ga != gb || len(ga) != 64 {
		t.Fatalf("digests %s %s", ga, gb)
	}
	// The digest sees a change.
	if _, err := a.Append(ctx, model.Change{IncidentID: in, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "more"}}); err != nil {
		t.Fatal(err)
	}
	if g := must(a.ProjectionDigest(ctx)); g == gb {
		t.Fatal("digest unchanged after a new note")
	}
}

func TestReidentifyOnlyWhenEmpty(t *testing.T) {
	ctx := context.Background()
	st := openSyncTestStore(t, "a.db")
	old := st.ID()
	if err := st.Reidentify(ctx); err != nil || st.ID() == old {
		t.Fatalf("reidentify an empty store: %v (%s → %s)", err, old, st.ID())
	}
	appendNotes(t, st, 1)
	if err := st.Reidentify(ctx); err == nil {
		t.Fatal("reidentified a store holding its own events")
	}
}
