package storage_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// randomHistory appends a random mix of every event kind to st.
func randomHistory(t *testing.T, st *storage.Store, rng *rand.Rand, n int) {
	t.Helper()
	ctx := context.Background()
	var incidents, entries []string
	notes := map[string][]string{} // note ids by incident: what may be amended
	for i := 0; i < n; i++ {
		var d model.Change
		if len(incidents) == 0 || rng.IntN(12) == 0 {
			d = model.Change{Kind: model.EventDeclared, Payload: model.DeclaredPayload{Title: fmt.Sprintf("incident %d", i), Kind: "outage",
				Severity: model.Severities[rng.IntN(4)], Status: model.StatusInvestigating}}
		} else {
			in := incidents[rng.IntN(len(incidents))]
			d.IncidentID = in
			switch rng.IntN(8) {
			case 0:
				d.Kind, d.Payload = model.EventStatusChanged, model.StatusPayload{Status: model.Statuses[rng.IntN(len(model.Statuses))]}
			case 1:
				d.Kind, d.Payload = model.EventSeverityChanged, model.SeverityPayload{Severity: model.Severities[rng.IntN(4)]}
			case 2:
				d.Kind, d.Payload = model.EventRoleAssigned, model.RoleAssignedPayload{Role: model.StandardRoles[rng.IntN(3)], Holder: fmt.Sprintf("p%d", rng.IntN(4))}
			case 3:
				d.Kind, d.Payload = model.EventStepChanged, model.StepPayload{Runbook: "major-incident", Step: rng.IntN(5), Title: "step", State: model.StepBlocked, Reason: "waiting"}
			case 4:
				d.Kind, d.Payload = model.EventRunbookAttached, model.RunbookAttachedPayload{Name: "rb", Title: "RB", Hash: fmt.Sprint(i), Text: "- [ ] a", Rules: []string{"", "per-section"}[rng.IntN(2)]}
			case 5:
				if len(entries) > 0 {
					d.Kind, d.Payload = model.EventPinned, model.PinnedPayload{Entry: entries[rng.IntN(len(entries))], Pinned: rng.IntN(2) == 0}
					break
				}
				fallthrough
			case 6:
				if ns := notes[in]; len(ns) > 0 {
					d.Kind, d.Payload = model.EventAmended, model.AmendedPayload{Entry: ns[rng.IntN(len(ns))], Text: "amended note"}
					break
				}
				fallthrough
			default:
				d.Kind, d.Payload = model.EventNote, model.NotePayload{Kind: model.NoteKindNote, Text: fmt.Sprintf("rolled back deploy %d", i)}
				d.Occurred = st.Now().Add(-time.Duration(rng.IntN(600)) * time.Second)
			}
		}
		e, err := st.Append(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		switch e.Kind {
		case model.EventDeclared:
			incidents = append(incidents, e.IncidentID)
		case model.EventNote:
			notes[e.IncidentID] = append(notes[e.IncidentID], e.ID)
		}
		entries = append(entries, e.ID)
	}
}

func dump(t *testing.T, st *storage.Store) string {
	t.Helper()
	d, err := st.ProjectionDump(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestRebuildEqualsIncremental(t *testing.T) {
	st, _ := openTemp(t)
	randomHistory(t, st, rand.New(rand.NewPCG(1, 2)), 400)
	before := dump(t, st)
	if err := st.Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	if after := dump(t, st); after != before {
		t.Fatalf("rebuild differs from incremental projections:\n%s", firstDiff(before, after))
	}
	if !strings.Contains(before, "rolled back deploy") {
		t.Fatal("dump holds no notes: the test compares nothing")
	}
}

// Applying the same events in any order gives the same projections: the
// property sync rests on.
func TestApplyOrderIndependent(t *testing.T) {
	src, _ := openTemp(t)
	randomHistory(t, src, rand.New(rand.NewPCG(3, 4)), 300)
	assertOrderIndependent(t, src, 5, 9)
}

// assertOrderIndependent applies src's whole log to fresh stores in
// shuffled orders, in two halves with the second twice (batches and
// repeats change nothing), and fails unless each store ends with src's
// projections and verifies clean.
func assertOrderIndependent(t *testing.T, src *storage.Store, seeds, stream uint64) {
	t.Helper()
	ctx := context.Background()
	logged, _, err := src.EventsAfter(ctx, 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	events := make([]model.Event, len(logged))
	for i, l := range logged {
		events[i] = l.Event
	}
	want := dump(t, src)
	for seed := uint64(0); seed < seeds; seed++ {
		rng := rand.New(rand.NewPCG(seed, stream))
		shuffled := append([]model.Event(nil), events...)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		dst, err := storage.Open(ctx, filepath.Join(t.TempDir(), fmt.Sprintf("d%d.db", seed)), storage.Options{Author: "other"})
		if err != nil {
			t.Fatal(err)
		}
		half := len(shuffled) / 2
		for _, part := range [][]model.Event{shuffled[:half], shuffled[half:], shuffled[half:]} {
			if _, err := dst.Apply(ctx, part, nil); err != nil {
				t.Fatal(err)
			}
		}
		if got := dump(t, dst); got != want {
			t.Fatalf("seed %d: order changed the projections:\n%s", seed, firstDiff(want, got))
		}
		if rep, err := dst.Verify(ctx); err != nil || len(rep.Problems) != 0 {
			t.Fatalf("seed %d: verify after apply: %v %v", seed, rep.Problems, err)
		}
		dst.Close()
	}
}

func TestApplyRefusesForgedEvents(t *testing.T) {
	ctx := context.Background()
	src, _ := openTemp(t)
	in := declare(t, src, "forge")
	e, err := src.Append(ctx, model.Change{IncidentID: in, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "original"}})
	if err != nil {
		t.Fatal(err)
	}
	dst, _ := openTemp(t)
	forged := e
	forged.Payload = []byte(`{"kind":"note","text":"forged"}`)
	garbage := e
	garbage.Payload = []byte(`{not json`)
	for name, ev := range map[string]model.Event{"changed payload": forged, "bad json": garbage, "no author": {ID: "x", IncidentID: in, Kind: "note.added"}} {
		if _, err := dst.Apply(ctx, []model.Event{ev}, nil); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if n, _ := dst.CountEvents(ctx); n != 0 {
		t.Errorf("forged batches wrote %d events", n)
	}
	// The same id with other content from a store that already has it is
	// a reported conflict, and ours is kept.
	res, err := src.Apply(ctx, []model.Event{withHash(forged)}, nil)
	if err != nil || len(res.Conflicts) != 1 {
		t.Fatalf("conflict not reported: %+v %v", res, err)
	}
	got, _ := src.TimelineEntry(ctx, e.ID)
	if got.Text != "original" {
		t.Errorf("conflict overwrote: %q", got.Text)
	}
}

func withHash(e model.Event) model.Event {
	e.Hash = e.ComputeHash()
	return e
}

func TestFutureEventsFlaggedNotDropped(t *testing.T) {
	ctx := context.Background()
	ahead := time.Now().Add(24 * time.Hour)
	fast, err := storage.Open(ctx, filepath.Join(t.TempDir(), "fast.db"), storage.Options{Author: "fast", Now: func() time.Time { return ahead }})
	if err != nil {
		t.Fatal(err)
	}
	defer fast.Close()
	in := declare(t, fast, "skew")
	logged, _, _ := fast.EventsAfter(ctx, 0, 100)
	dst, _ := openTemp(t)
	var events []model.Event
	for _, l := range logged {
		events = append(events, l.Event)
	}
	if _, err := dst.Apply(ctx, events, nil); err != nil {
		t.Fatal(err)
	}
	entries, _ := dst.Timeline(ctx, in, storage.TimelinePage{})
	if len(entries) != 1 || !entries[0].Future {
		t.Fatalf("want one flagged entry, got %+v", entries)
	}
	// A note made here after seeing the fast clock still sorts after it.
	e, err := dst.Append(ctx, model.Change{IncidentID: in, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "after"}})
	if err != nil {
		t.Fatal(err)
	}
	if e.HLC <= events[0].HLC {
		t.Errorf("local clock %v did not move past the remote %v", e.HLC, events[0].HLC)
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n  want %s\n  got  %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("lengths differ: %d vs %d lines", len(al), len(bl))
}
