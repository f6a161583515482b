package storage_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// moreHistory adds reviews, drills and messages to the incidents in st.
func moreHistory(t *testing.T, st *storage.Store, rng *rand.Rand, n int) {
	t.Helper()
	ctx := context.Background()
	list, err := st.Incidents(ctx)
	if err != nil || len(list) == 0 {
		t.Fatalf("no incidents to add to: %v", err)
	}
	for i := 0; i < n; i++ {
		in := list[rng.IntN(len(list))].ID
		d := model.Change{IncidentID: in}
		switch rng.IntN(7) {
		case 0, 1:
			d.Kind, d.Payload = model.EventReviewSaved, model.ReviewPayload{Review: model.Review{
				Summary: fmt.Sprintf("review %d: the root cause was a bad deploy", i), Lessons: "lesson " + fmt.Sprint(rng.IntN(5)),
				ImpactStart: st.Now().Add(-time.Hour).Truncate(time.Millisecond).UTC(),
				ActionItems: []model.ActionItem{{Title: "add alert", Owner: "bob", Status: model.ActionOpen}}}}
		case 2:
			d.Kind, d.Payload = model.EventMessageSent, model.MessagePayload{Audience: model.Audiences[rng.IntN(3)], Template: "customer", Text: fmt.Sprintf("update %d", i)}
		case 3:
			d.Kind, d.Payload = model.EventExerciseStarted, model.ExerciseStartedPayload{Scenario: "dr", Title: "DR", Start: st.Now(),
				Injects: []model.Inject{{Offset: time.Minute, Title: "db down"}}}
		case 4:
			d.Kind, d.Payload = model.EventExercisePaused, model.ExerciseClockPayload{}
		case 5:
			d.Kind, d.Payload = model.EventInjectSkipped, model.InjectPayload{Index: 0, Title: "db down", Reason: "time"}
		default:
			d.Kind, d.Payload = model.EventExerciseSpeed, model.ExerciseClockPayload{Speed: 2}
		}
		if _, err := st.Append(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
}

// unknownEvent is an event of a kind from a newer sitrep, made and hashed
// by hand as sync would deliver it.
func unknownEvent(incident string, n int) model.Event {
	e := model.Event{ID: storage.NewID(), IncidentID: incident, Kind: "future.thing", Payload: []byte(fmt.Sprintf(`{"n":%d}`, n)),
		Author: "newer@laptop", Origin: "newer-store", At: time.Now().UTC().Truncate(time.Millisecond), HLC: model.NewHLC(time.Now()), ChainSeq: int64(n + 1)}
	e.Occurred = e.At
	return e
}

func TestMoreKindsRebuildAndOrder(t *testing.T) {
	ctx := context.Background()
	src, _ := openTemp(t)
	randomHistory(t, src, rand.New(rand.NewPCG(5, 6)), 120)
	moreHistory(t, src, rand.New(rand.NewPCG(7, 8)), 200)
	list, _ := src.Incidents(ctx)
	var unknown []model.Event
	prev := ""
	for i := 0; i < 3; i++ {
		e := unknownEvent(list[0].ID, i)
		e.Prev = prev
		e.Hash = e.ComputeHash()
		prev = e.Hash
		unknown = append(unknown, e)
	}
	if _, err := src.Apply(ctx, unknown, nil); err != nil {
		t.Fatal(err)
	}
	before := dump(t, src)
	for _, want := range []string{"the root cause was a bad deploy", "update ", "future.thing"} {
		if !strings.Contains(before, want) {
			t.Fatalf("dump lacks %q: the test compares nothing", want)
		}
	}
	if err := src.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	if after := dump(t, src); after != before {
		t.Fatalf("rebuild differs:\n%s", firstDiff(before, after))
	}
	assertOrderIndependent(t, src, 3, 11)
}

// An event of an unknown kind is kept in the log, verified, and shown
// nowhere; it is not an incident or a timeline line.
func TestUnknownKindKeptNotProjected(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	e := unknownEvent(storage.NewID(), 0)
	e.Hash = e.ComputeHash()
	res, err := st.Apply(ctx, []model.Event{e}, nil)
	if err != nil || res.Applied != 1 {
		t.Fatalf("apply: %+v %v", res, err)
	}
	if n, _ := st.CountEvents(ctx); n != 1 {
		t.Fatalf("log holds %d events, want 1", n)
	}
	if list, err := st.Incidents(ctx); err != nil || len(list) != 0 {
		t.Fatalf("an unknown kind made an incident: %+v %v", list, err)
	}
	if rep, err := st.Verify(ctx); err != nil || len(rep.Problems) != 0 {
		t.Fatalf("verify: %v %v", rep.Problems, err)
	}
	if n, err := st.ProjectPending(ctx); err != nil || n != 0 {
		t.Fatalf("projected %d unknown events (%v)", n, err)
	}
	// Applying it again is a no-op.
	if res, _ := st.Apply(ctx, []model.Event{e}, nil); res.Known != 1 {
		t.Fatalf("second apply: %+v", res)
	}
}

func TestReviewLastWriterWinsAndSearchable(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	in := declare(t, st, "db outage")
	for _, s := range []string{"first draft mentions zebras", "final text mentions quokkas"} {
		if _, err := st.Append(ctx, model.Change{IncidentID: in, Kind: model.EventReviewSaved, Payload: model.ReviewPayload{Review: model.Review{Summary: s}}}); err != nil {
			t.Fatal(err)
		}
	}
	r, info, err := st.Review(ctx, in)
	if err != nil || r.Summary != "final text mentions quokkas" || info.By != "alice@laptop" {
		t.Fatalf("review %+v %+v %v", r, info, err)
	}
	for word, want := range map[string]int{"zebras": 0, "quokkas": 1} {
		var n int
		if err := st.DB().QueryRow(`SELECT count(*) FROM review_fts WHERE review_fts MATCH ?`, word).Scan(&n); err != nil || n != want {
			t.Errorf("review index: %d matches for %q (%v), want %d: the index must hold the current review only", n, word, err, want)
		}
	}
	if _, err := st.Append(ctx, model.Change{IncidentID: in, Kind: model.EventReviewSaved, Payload: model.ReviewPayload{Review: model.Review{
		ActionItems: []model.ActionItem{{Title: "x", Due: "next week"}}}}}); err == nil {
		t.Error("accepted a bad due date")
	}
}

func TestTimelineAtMergesInjects(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	start := time.Now().UTC().Truncate(time.Millisecond)
	e, err := st.AppendAll(ctx, []model.Change{
		{Kind: model.EventDeclared, Payload: model.DeclaredPayload{Title: "drill", Kind: "dr", Severity: model.SEV2, Status: model.StatusInvestigating, Exercise: true}},
	})
	if err != nil {
		t.Fatal(err)
	}
	in := e[0].IncidentID
	if _, err := st.Append(ctx, model.Change{IncidentID: in, Kind: model.EventExerciseStarted, Payload: model.ExerciseStartedPayload{Scenario: "s", Start: start,
		Injects: []model.Inject{{Offset: 0, Title: "first"}, {Offset: time.Hour, Title: "later"}}}}); err != nil {
		t.Fatal(err)
	}
	entries, err := st.TimelineAt(ctx, in, start.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	var injects []string
	for _, e := range entries {
		if e.Kind == model.EventInjectDue {
			injects = append(injects, e.Text)
		}
	}
	if len(injects) != 1 || !strings.Contains(injects[0], "first") {
		t.Fatalf("injects in the timeline: %q", injects)
	}
	if all, _ := st.TimelineAt(ctx, in, start.Add(2*time.Hour)); len(all) != len(entries)+1 {
		t.Fatalf("after an hour: %d entries, want %d", len(all), len(entries)+1)
	}
}

// A store an older sitrep wrote holds events it could not project; the first
// Open by a sitrep that knows their kind projects them, and the projections
// then equal a store that knew them all along.
func TestOpenProjectsWhatAnOlderVersionKept(t *testing.T) {
	ctx := context.Background()
	st, path := openTemp(t)
	in := declare(t, st, "upgrade")
	e, err := st.Append(ctx, model.Change{IncidentID: in, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "kept by an old version"}})
	if err != nil {
		t.Fatal(err)
	}
	want := dump(t, st)
	// What an older binary leaves behind: the event in the log, listed as
	// unprojected, and no trace of it in the projections.
	for _, q := range []string{
		`DELETE FROM timeline_fts WHERE rowid IN (SELECT rowid FROM timeline WHERE event_id = ?)`,
		`DELETE FROM timeline WHERE event_id = ?`,
		`UPDATE incidents SET entries = entries - 1 WHERE id = (SELECT incident_id FROM events WHERE id = ?)`,
		`INSERT INTO unprojected (event_id, kind) VALUES (?, 'note.added')`,
	} {
		if _, err := st.DB().ExecContext(ctx, q, e.ID); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if dump(t, st) == want {
		t.Fatal("the simulated old store still shows the note")
	}
	st.Close()
	again, err := storage.Open(ctx, path, storage.Options{Author: "alice@laptop"})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if got := dump(t, again); got != want {
		t.Fatalf("after reopening:\n%s", firstDiff(want, got))
	}
	if n, err := again.ProjectPending(ctx); err != nil || n != 0 {
		t.Fatalf("second pass projected %d (%v)", n, err)
	}
}
