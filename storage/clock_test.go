package storage_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// slowClockIncident declares an incident on an honest store and has a
// store whose clock is an hour behind, having received the declaration,
// acknowledge it and add a note; the honest store then receives those.
func slowClockIncident(t *testing.T, honest *storage.Store) (incident string) {
	t.Helper()
	ctx := context.Background()
	t0 := time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)
	slow, err := storage.Open(ctx, filepath.Join(t.TempDir(), "slow.db"), storage.Options{Author: "alice", Now: func() time.Time { return t0.Add(-time.Hour + 2*time.Minute) }})
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	in := storage.NewID()
	if _, err := honest.Append(ctx, model.Change{IncidentID: in, Kind: model.EventDeclared,
		Payload: model.DeclaredPayload{Title: "checkout down", Kind: "outage", Severity: model.SEV2, Status: model.StatusDetected}}); err != nil {
		t.Fatal(err)
	}
	copyEvents(t, honest, slow)
	if _, err := slow.AppendAll(ctx, []model.Change{
		{IncidentID: in, Kind: model.EventStatusChanged, Payload: model.StatusPayload{Status: model.StatusInvestigating, From: model.StatusDetected}},
		{IncidentID: in, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "looking at the dashboards"}},
	}); err != nil {
		t.Fatal(err)
	}
	copyEvents(t, slow, honest)
	return in
}

func copyEvents(t *testing.T, from, to *storage.Store) {
	t.Helper()
	page, _, err := from.EventsAfter(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	events := make([]model.Event, len(page))
	for i, l := range page {
		events[i] = l.Event
	}
	if _, err := to.Apply(context.Background(), events, nil); err != nil {
		t.Fatal(err)
	}
}

// An hour-slow laptop's acknowledgement lands after the declaration it
// answers, flagged, and the time to acknowledge is not negative.
func TestSlowClockEntriesPlacedAfterWhatTheySaw(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)
	honest, err := storage.Open(ctx, filepath.Join(t.TempDir(), "honest.db"), storage.Options{Author: "carol", Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	defer honest.Close()
	in := slowClockIncident(t, honest)
	entries, err := honest.Timeline(ctx, in, storage.TimelinePage{})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 || entries[0].Kind != model.EventDeclared {
		t.Fatalf("timeline %v: want the declaration first of 3", entries)
	}
	for _, e := range entries[1:] {
		if e.ClockMark() != "clock behind" || e.Placed().Before(entries[0].Placed()) {
			t.Errorf("%q: mark %q, placed %s; want clock behind, at or after the declaration at %s", e.Text, e.ClockMark(), e.Placed(), entries[0].Placed())
		}
		if e.Occurred.After(t0.Add(-50 * time.Minute)) {
			t.Errorf("%q keeps its stamp %s, want the slow clock's", e.Text, e.Occurred)
		}
	}
	inc, err := honest.Incident(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := inc.Milestones.Since(model.MilestoneAcknowledged); !ok || d < 0 || d > time.Second {
		t.Errorf("acknowledged %s after detection (%v), want at it", d, ok)
	}
	// Paging by key walks the same order.
	last := entries[len(entries)-1]
	before, err := honest.Timeline(ctx, in, storage.TimelinePage{Before: ptr(storage.KeyOf(last)), Limit: 10})
	if err != nil || len(before) != 2 || before[1].EventID != entries[1].EventID {
		t.Errorf("page before the last entry: %v %v", before, err)
	}
}

func ptr[T any](v T) *T { return &v }

// A store written before events were placed by the logical clock is
// rebuilt once when opened: its milestones move to where they happened and
// verify agrees with them.
func TestOpenRebuildsStoreFromBeforePlacement(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "old.db")
	honest, err := storage.Open(ctx, path, storage.Options{Author: "carol", Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	in := slowClockIncident(t, honest)
	// Put the store back as schema 3 left it: no placed column, the old
	// index, milestones at the authors' stamps.
	for _, q := range []string{
		`DELETE FROM schema_migrations WHERE version >= 4`,
		`DROP INDEX timeline_evidence`,
		`ALTER TABLE attachments DROP COLUMN rules`,
		`DROP INDEX timeline_order`,
		`ALTER TABLE timeline DROP COLUMN placed`,
		`CREATE INDEX timeline_order ON timeline(incident_id, occurred, hlc, event_id)`,
		`UPDATE incidents SET acknowledged_at = (SELECT min(occurred) FROM timeline WHERE kind = 'status.changed')`,
	} {
		if _, err := honest.DB().ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	honest.Close()

	st, err := storage.Open(ctx, path, storage.Options{Author: "carol", Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	inc, err := st.Incident(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := inc.Milestones.Since(model.MilestoneAcknowledged); inc.Milestones.Acknowledged.Before(inc.Milestones.Detected) || d > time.Second {
		t.Errorf("after the upgrade acknowledged at %s, detected %s", inc.Milestones.Acknowledged, inc.Milestones.Detected)
	}
	rep, err := st.Verify(ctx)
	if err != nil || len(rep.Problems) > 0 {
		t.Errorf("verify after the upgrade: %v %v", err, rep.Problems)
	}
	if v, _ := st.Meta(ctx, "rebuild_projections"); v != "" {
		t.Errorf("the rebuild request is still there: %q", v)
	}
}

// A drill's metrics read on its exercise clock: mitigated 45 s of wall
// time into a drill running at 40 times speed took 30 minutes.
func TestDrillStatsInExerciseTime(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)
	now := t0
	st, err := storage.Open(ctx, filepath.Join(t.TempDir(), "drill.db"), storage.Options{Author: "fac", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	in := storage.NewID()
	if _, err := st.AppendAll(ctx, []model.Change{
		{IncidentID: in, Kind: model.EventDeclared, Payload: model.DeclaredPayload{Title: "DR drill", Kind: "dr", Severity: model.SEV1, Status: model.StatusInvestigating, Exercise: true}},
		{IncidentID: in, Kind: model.EventExerciseStarted, Payload: model.ExerciseStartedPayload{Scenario: "dr", Title: "DR", Hash: "x", Start: t0, Speed: 40}},
	}); err != nil {
		t.Fatal(err)
	}
	now = t0.Add(45 * time.Second)
	if _, err := st.Append(ctx, model.Change{IncidentID: in, Kind: model.EventStatusChanged, Payload: model.StatusPayload{Status: model.StatusMitigated}}); err != nil {
		t.Fatal(err)
	}
	times, err := st.IncidentTimes(ctx, storage.StatsFilter{Exercises: true})
	if err != nil || len(times) != 1 {
		t.Fatalf("%v %v", times, err)
	}
	if d, ok := times[0].Duration(model.MetricMitigate); !ok || d != 30*time.Minute {
		t.Errorf("time to mitigate %s (%v), want 30m on the exercise clock", d, ok)
	}
}
