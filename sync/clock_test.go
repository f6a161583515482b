package sync

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// TestSlowClockPlaced: a laptop whose clock is an hour behind joins an
// incident declared on an honest one. Its acknowledgement and note land
// after the declaration on every store (placed by the hybrid clock, flagged
// "clock behind"), the time to acknowledge is never negative, and the slow
// laptop, judging by the hub's clock, no longer marks the honest entries
// [clock ahead]. Every store still shows the same thing.
func TestSlowClockPlaced(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	hub := filepath.Join(dir, "hub.db")
	slow := openStore(t, filepath.Join(dir, "slow.db"), "alice", func() time.Time { return time.Now().Add(-time.Hour) })
	honest := openStore(t, filepath.Join(dir, "honest.db"), "carol", nil)

	// Declared as detected, so the acknowledgement is the slow laptop's.
	in := storage.NewID()
	if _, err := honest.AppendAll(ctx, []model.Change{
		{IncidentID: in, Kind: model.EventDeclared, Payload: model.DeclaredPayload{Title: "checkout down", Kind: "outage", Severity: model.SEV2, Status: model.StatusDetected}},
		{IncidentID: in, Kind: model.EventRoleAssigned, Payload: model.RoleAssignedPayload{Role: model.RoleCommander, Holder: "carol"}},
	}); err != nil {
		t.Fatal(err)
	}
	note(t, honest, in, "paged the on-call")
	mustSync(t, honest, hub, localOpts())
	rep := mustSync(t, slow, hub, localOpts())
	if rep.ClockOffset > -59*time.Minute || rep.ClockOffset < -61*time.Minute {
		t.Errorf("the slow laptop measured its clock %s off the hub's, want about -1h", rep.ClockOffset)
	}
	if rep.Flagged != 0 {
		t.Errorf("the slow laptop flagged %d honest events as from a clock ahead", rep.Flagged)
	}
	setStatus(t, slow, in, model.StatusInvestigating)
	note(t, slow, in, "looking at the dashboards")
	mustSync(t, slow, hub, localOpts())
	mustSync(t, honest, hub, localOpts())

	h := openHub(t, hub)
	for _, st := range []*storage.Store{slow, honest, h} {
		entries, err := st.Timeline(ctx, in, storage.TimelinePage{})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 5 || entries[0].Kind != model.EventDeclared {
			t.Fatalf("%s: timeline starts with %v of %d entries, want the declaration first", st.Author(), entries[0].Kind, len(entries))
		}
		for i, e := range entries {
			if i > 0 && e.Placed().Before(entries[i-1].Placed()) {
				t.Errorf("%s: %q placed %s, before %q at %s", st.Author(), e.Text, e.Placed(), entries[i-1].Text, entries[i-1].Placed())
			}
			switch e.Author {
			case "alice":
				if e.ClockMark() != "clock behind" || e.ClockBehind() < 50*time.Minute {
					t.Errorf("%s: alice's %q marked %q (%s behind), want clock behind by about an hour", st.Author(), e.Text, e.ClockMark(), e.ClockBehind())
				}
				if i < 3 {
					t.Errorf("%s: alice's %q is entry %d, before carol's", st.Author(), e.Text, i)
				}
			default:
				if e.ClockMark() != "" {
					t.Errorf("%s: carol's %q marked %q", st.Author(), e.Text, e.ClockMark())
				}
			}
		}
		inc, err := st.Incident(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if d := inc.Milestones.Acknowledged.Sub(inc.Milestones.Detected); d < 0 || d > time.Minute {
			t.Errorf("%s: acknowledged %s after detection, want within the minute it happened", st.Author(), d)
		}
		if d := dump(t, st); d != dump(t, h) {
			t.Fatalf("%s differs from the hub:\n%s", st.Author(), diffLines(d, dump(t, h)))
		}
		rep, err := st.Verify(ctx)
		if err != nil || len(rep.Problems) > 0 {
			t.Errorf("%s: verify: %v %v", st.Author(), err, rep.Problems)
		}
	}
}
