package storage_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// richHistory is a store holding every kind of event the projections
// read: notes, status with milestones, severity, roles, steps, runbooks,
// pins, amendments, retractions, reviews, messages, drills, a declaration
// with a detection time, events of a kind from a newer sitrep, and events
// from laptops whose clocks run an hour slow and a day fast (placed by
// the logical clock, flagged as from the future).
func richHistory(t *testing.T) *storage.Store {
	t.Helper()
	ctx := context.Background()
	src, _ := openTemp(t)
	randomHistory(t, src, rand.New(rand.NewPCG(21, 22)), 400)
	moreHistory(t, src, rand.New(rand.NewPCG(23, 24)), 150)
	logged, _, err := src.EventsAfter(ctx, 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	// The incident of the first note: the one whose notes are retracted
	// and that the skewed laptops write to.
	var in string
	for _, l := range logged {
		if l.Kind == model.EventNote {
			in = l.IncidentID
			break
		}
	}
	retracted := 0
	for _, l := range logged {
		if l.Kind == model.EventNote && l.IncidentID == in && retracted < 3 {
			if _, err := src.Append(ctx, model.Change{IncidentID: in, Kind: model.EventRetracted, Payload: model.RetractedPayload{Entry: l.ID, Reason: "wrong"}}); err != nil {
				t.Fatal(err)
			}
			retracted++
		}
	}
	if retracted == 0 {
		t.Fatal("no note to retract: the test covers no retraction")
	}
	if _, err := src.Append(ctx, model.Change{Kind: model.EventDeclared, Payload: model.DeclaredPayload{Title: "detected earlier", Kind: "outage",
		Severity: model.SEV1, Status: model.StatusInvestigating, DetectedAt: src.Now().Add(-20 * time.Minute).UTC()}}); err != nil {
		t.Fatal(err)
	}
	for _, skew := range []time.Duration{-time.Hour, 24 * time.Hour} {
		now := time.Now().Add(skew)
		other, err := storage.Open(ctx, filepath.Join(t.TempDir(), "skewed.db"), storage.Options{Author: fmt.Sprintf("skewed%v", skew), Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		mine, _, _ := src.EventsAfter(ctx, 0, 100000)
		var events []model.Event
		for _, l := range mine {
			events = append(events, l.Event)
		}
		if _, err := other.Apply(ctx, events, nil); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 5; i++ {
			for _, d := range []model.Change{
				{IncidentID: in, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: fmt.Sprintf("skewed note %d", i)}},
				{IncidentID: in, Kind: model.EventStatusChanged, Payload: model.StatusPayload{Status: model.Statuses[i%len(model.Statuses)]}},
				{IncidentID: in, Kind: model.EventRoleAssigned, Payload: model.RoleAssignedPayload{Role: model.RoleCommander, Holder: fmt.Sprintf("skewed%d", i)}},
			} {
				if _, err := other.Append(ctx, d); err != nil {
					t.Fatal(err)
				}
			}
		}
		theirs, _, _ := other.EventsAfter(ctx, 0, 100000)
		events = events[:0]
		for _, l := range theirs {
			events = append(events, l.Event)
		}
		if _, err := src.Apply(ctx, events, nil); err != nil {
			t.Fatal(err)
		}
		other.Close()
	}
	prev := ""
	var unknown []model.Event
	for i := 0; i < 3; i++ {
		e := unknownEvent(in, i)
		e.Prev = prev
		e.Hash = e.ComputeHash()
		prev = e.Hash
		unknown = append(unknown, e)
	}
	if _, err := src.Apply(ctx, unknown, nil); err != nil {
		t.Fatal(err)
	}
	return src
}

func allEvents(t *testing.T, st *storage.Store) []model.Event {
	t.Helper()
	logged, _, err := st.EventsAfter(context.Background(), 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]model.Event, len(logged))
	for i, l := range logged {
		out[i] = l.Event
	}
	return out
}

func feed(events []model.Event) func(func(model.Event) error) error {
	return func(add func(model.Event) error) error {
		for _, e := range events {
			if err := add(e); err != nil {
				return err
			}
		}
		return nil
	}
}

// The bulk projection (rebuild, ApplyBulk into an empty store, into a
// half-full one, or a small batch into a big one) gives the tables the
// per-event projector gives, to the byte, for every kind of event.
func TestBulkProjectionEqualsIncremental(t *testing.T) {
	ctx := context.Background()
	src := richHistory(t)
	want := dump(t, src)
	for _, s := range []string{"skewed note", "future.thing", "the root cause was a bad deploy", "update ", "|1\n"} {
		if !strings.Contains(want, s) {
			t.Fatalf("dump lacks %q: the test compares nothing", s)
		}
	}
	events := allEvents(t, src)
	check := func(name string, st *storage.Store) {
		t.Helper()
		if got := dump(t, st); got != want {
			t.Fatalf("%s: bulk differs from per-event projection:\n%s", name, firstDiff(want, got))
		}
		if rep, err := st.Verify(ctx); err != nil || len(rep.Problems) != 0 {
			t.Fatalf("%s: verify: %v %v", name, rep.Problems, err)
		}
	}
	fresh := func(name string) *storage.Store {
		st, err := storage.Open(ctx, filepath.Join(t.TempDir(), name+".db"), storage.Options{Author: "other"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}

	empty := fresh("empty")
	res, err := empty.ApplyBulk(ctx, feed(append(events, events[:10]...)), nil)
	if err != nil || res.Applied != len(events) || res.Known != 10 {
		t.Fatalf("into an empty store: %+v %v", res, err)
	}
	check("into an empty store", empty)

	rng := rand.New(rand.NewPCG(1, 2))
	shuffled := append([]model.Event(nil), events...)
	rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	mixed := fresh("shuffled")
	if _, err := mixed.ApplyBulk(ctx, feed(shuffled), nil); err != nil {
		t.Fatal(err)
	}
	check("in another order", mixed)

	half := fresh("half") // a rebuild after the batch
	if _, err := half.Apply(ctx, shuffled[:len(shuffled)/2], nil); err != nil {
		t.Fatal(err)
	}
	if _, err := half.ApplyBulk(ctx, feed(shuffled), nil); err != nil {
		t.Fatal(err)
	}
	check("into a half-full store", half)

	most := fresh("most") // a few events into a big store: one by one
	if _, err := most.Apply(ctx, shuffled[:len(shuffled)-20], nil); err != nil {
		t.Fatal(err)
	}
	res, err = most.ApplyBulk(ctx, feed(shuffled), nil)
	if err != nil || res.Applied != 20 {
		t.Fatalf("a small batch: %+v %v", res, err)
	}
	check("a small batch into a big store", most)

	if err := src.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	check("rebuild", src)
}

// A bulk apply that fails, or is cut, midway stores nothing: the store is
// as it was, and a later one succeeds.
func TestApplyBulkAllOrNothing(t *testing.T) {
	ctx := context.Background()
	src := richHistory(t)
	events := allEvents(t, src)
	dst, _ := openTemp(t)
	in := declare(t, dst, "before the import")
	before := dump(t, dst)
	cut := errors.New("link cut")
	_, err := dst.ApplyBulk(ctx, func(add func(model.Event) error) error {
		for _, e := range events[:len(events)/2] {
			if err := add(e); err != nil {
				return err
			}
		}
		return cut
	}, nil)
	if !errors.Is(err, cut) {
		t.Fatalf("want the cut reported, got %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	n := 0
	_, err = dst.ApplyBulk(cctx, func(add func(model.Event) error) error {
		for _, e := range events {
			if n++; n == 100 {
				cancel()
			}
			if err := add(e); err != nil {
				return err
			}
		}
		return nil
	}, nil)
	if err == nil {
		t.Fatal("a cancelled apply succeeded")
	}
	forged := append([]model.Event(nil), events...)
	forged[len(forged)-1].Payload = []byte(`{"kind":"note","text":"forged"}`)
	if _, err := dst.ApplyBulk(ctx, feed(forged), nil); !errors.Is(err, model.ErrInvalid) {
		t.Fatalf("a forged last event: want it refused, got %v", err)
	}
	if got := dump(t, dst); got != before {
		t.Fatalf("a failed apply changed the store:\n%s", firstDiff(before, got))
	}
	if n, _ := dst.CountEvents(ctx); n != 1 {
		t.Fatalf("a failed apply left %d events, want the 1 from before", n)
	}
	if _, err := dst.ApplyBulk(ctx, feed(events), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := dst.Incident(ctx, in); err != nil {
		t.Fatalf("the incident from before the import: %v", err)
	}
	if rep, err := dst.Verify(ctx); err != nil || len(rep.Problems) != 0 {
		t.Fatalf("verify: %v %v", rep.Problems, err)
	}
}

// ApplyBulkAt stores many events to a statement: within one statement and
// across them, a copy of an event already held counts as known, the same
// id with other content as a conflict (ours kept), and extra is told where
// the log stood before the batch.
func TestApplyBulkCopiesAndConflicts(t *testing.T) {
	ctx := context.Background()
	events := allEvents(t, richHistory(t))
	dst, _ := openTemp(t)
	held := events[:30]
	if _, err := dst.Apply(ctx, held, nil); err != nil {
		t.Fatal(err)
	}
	k := 3
	for events[k].Kind != model.EventNote {
		k++
	}
	changed := events[k]
	changed.Payload = []byte(`{"kind":"note","text":"another text under the same id"}`)
	changed.Hash = changed.ComputeHash()
	batch := append([]model.Event{changed, events[40], events[40]}, events[3:]...)
	var before, after int64
	res, err := dst.ApplyBulkAt(ctx, time.Time{}, feed(batch), func(tx *sql.Tx, b int64) error {
		before = b
		var err error
		after, _, err = dst.NewestIn(ctx, tx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Held: events 3 to 29 again; new: event 40, then twice more.
	want := storage.ApplyResult{Applied: len(events) - 30, Known: 27 + 2}
	if res.Applied != want.Applied || res.Known != want.Known || len(res.Conflicts) != 1 || !strings.Contains(res.Conflicts[0], changed.ID) {
		t.Fatalf("got %+v; want %d applied, %d known and a conflict on %s", res, want.Applied, want.Known, changed.ID)
	}
	if n, _ := dst.CountEvents(ctx); before != 30 || after <= before || n != int64(len(events)) {
		t.Fatalf("extra was told the log stood at %d before and %d after, holding %d events; want 30, more, and %d", before, after, n, len(events))
	}
	if got, err := dst.EventsByID(ctx, []string{changed.ID}); err != nil || len(got) != 1 || got[0].Hash != events[k].Hash {
		t.Fatalf("the conflicting event replaced ours: %v %v", got, err)
	}
	if rep, err := dst.Verify(ctx); err != nil || len(rep.Problems) != 0 {
		t.Fatalf("verify: %v %v", rep.Problems, err)
	}
}

// When storing fails midway, the feed is stopped within a few batches
// (events are checked on the feed's goroutine while the batch before is
// stored on another), the store's own error is the one returned, and
// nothing is kept.
func TestApplyBulkStoreFailureStopsFeed(t *testing.T) {
	ctx := context.Background()
	events := allEvents(t, richHistory(t))
	dst, path := openTemp(t)
	bad := events[len(events)/4].ID
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`CREATE TRIGGER planted BEFORE INSERT ON events WHEN NEW.id = '` + bad + `' BEGIN SELECT RAISE(ABORT, 'planted failure'); END`); err != nil {
		t.Fatal(err)
	}
	// Fed three times over (copies are skipped), so the feed is long
	// beside where it fails.
	added := 0
	_, err = dst.ApplyBulk(ctx, func(add func(model.Event) error) error {
		for range 3 {
			for _, e := range events {
				if err := add(e); err != nil {
					return err
				}
				added++
			}
		}
		return nil
	}, nil)
	if err == nil || !strings.Contains(err.Error(), "planted failure") {
		t.Fatalf("want the store's failure reported, got %v", err)
	}
	if limit := len(events)/4 + 4*200; added > limit {
		t.Errorf("the feed went on for %d events after storing failed at event %d (want it stopped within a few batches)", added, len(events)/4)
	}
	if n, _ := dst.CountEvents(ctx); n != 0 {
		t.Fatalf("a failed apply left %d events", n)
	}
	if _, err := raw.Exec(`DROP TRIGGER planted`); err != nil {
		t.Fatal(err)
	}
	res, err := dst.ApplyBulk(ctx, feed(events), nil)
	if err != nil || res.Applied != len(events) {
		t.Fatalf("after the failure: applied %d of %d, %v", res.Applied, len(events), err)
	}
}
