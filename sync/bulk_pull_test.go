package sync

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// bulkHub makes a hub of two responders' incidents: notes, a step, a role,
// a status change, several batches' worth.
func bulkHub(t *testing.T, dir string, opts Options) string {
	t.Helper()
	ctx := context.Background()
	hub := filepath.Join(dir, "hub.db")
	for _, who := range []string{"alice", "bob"} {
		st := openStore(t, filepath.Join(dir, who+".db"), who, nil)
		in := declare(t, st, who+"'s outage")
		for i := range 40 {
			note(t, st, in, fmt.Sprintf("%s note %d", who, i))
		}
		for _, c := range []model.Change{
			{IncidentID: in, Kind: model.EventStepChanged, Payload: model.StepPayload{Runbook: "db", Step: 1, Title: "Fail over", State: model.StepDone}},
			{IncidentID: in, Kind: model.EventRoleAssigned, Payload: model.RoleAssignedPayload{Role: model.RoleCommander, Holder: who}},
			{IncidentID: in, Kind: model.EventStatusChanged, Payload: model.StatusPayload{Status: model.StatusMitigated, From: model.StatusInvestigating}},
		} {
			if _, err := st.Append(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		mustSync(t, st, hub, opts)
	}
	return hub
}

// TestBulkPullMatchesBatchByBatch: a first pull stored in one bulk
// transaction gives the tables a pull a batch at a time gives, verifies,
// and leaves both cursors at the end: the next sync moves nothing, and
// sends nothing back.
func TestBulkPullMatchesBatchByBatch(t *testing.T) {
	dir := t.TempDir()
	opts := localOpts()
	opts.Batches = smallBatches(7)
	hub := bulkHub(t, dir, opts)
	bulk, batches := opts, opts
	bulk.BulkPull, batches.BulkPull = 1, -1
	a := openStore(t, filepath.Join(dir, "new-a.db"), "carol", nil)
	b := openStore(t, filepath.Join(dir, "new-b.db"), "dave", nil)
	ra, rb := mustSync(t, a, hub, bulk), mustSync(t, b, hub, batches)
	total, err := openHub(t, hub).CountEvents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if int64(ra.Pulled) != total || int64(rb.Pulled) != total {
		t.Fatalf("pulled %d in bulk and %d batch by batch; want the hub's %d each", ra.Pulled, rb.Pulled, total)
	}
	if da, db := dump(t, a), dump(t, b); da != db {
		t.Fatalf("a bulk pull's tables differ from a pull batch by batch:\n%s", diffLines(da, db))
	}
	checkConsistent(t, a)
	if rep := mustSync(t, a, hub, bulk); rep.Pushed != 0 || rep.Pulled != 0 || rep.BytesSent > 2000 {
		t.Fatalf("the sync after a bulk pull moved %d/%d events (%d bytes sent); want nothing", rep.Pushed, rep.Pulled, rep.BytesSent)
	}
	// A note made after it goes up, and only it.
	in, err := a.Incidents(context.Background())
	if err != nil || len(in) == 0 {
		t.Fatal(in, err)
	}
	note(t, a, in[0].ID, "carol joined")
	if rep := mustSync(t, a, hub, bulk); rep.Pushed != 1 || rep.Pulled != 0 {
		t.Fatalf("after a note: pushed %d, pulled %d; want 1, 0", rep.Pushed, rep.Pulled)
	}
}

// TestBulkPullCutLeavesStoreAsItWas cuts a bulk first pull at random
// points: the store is left exactly as it was (no event, no cursor), the
// error says to sync again, and the next sync pulls everything.
func TestBulkPullCutLeavesStoreAsItWas(t *testing.T) {
	dir := t.TempDir()
	opts := localOpts()
	opts.Timeout = 5 * time.Second
	opts.Batches = smallBatches(5)
	opts.BulkPull = 1
	hub := bulkHub(t, dir, opts)
	probe := openStore(t, filepath.Join(dir, "probe.db"), "probe", nil)
	whole := mustSync(t, probe, hub, opts)
	total := whole.BytesReceived
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 3))
	for i := range 8 {
		// Past the handshake (a few hundred bytes), inside the stream.
		budget := 1000 + rng.IntN(int(total)-1100)
		st := openStore(t, filepath.Join(dir, fmt.Sprintf("cut%d.db", i)), "erin", nil)
		before := dump(t, st)
		se := syncFails(t, st, hub, cutOutputAfter(opts, budget))
		if se.Kind != KindInterrupted {
			t.Fatalf("cut after %d of %d bytes: kind %d: %v", budget, total, se.Kind, se)
		}
		n, err := st.CountEvents(context.Background())
		if err != nil || n != 0 {
			t.Fatalf("cut after %d of %d bytes: the store holds %d events (%v); want none", budget, total, n, err)
		}
		if after := dump(t, st); after != before {
			t.Fatalf("cut after %d bytes: the store changed:\n%s", budget, diffLines(before, after))
		}
		if _, ok, err := st.SyncCursor(context.Background(), whole.HubID); err != nil || (ok && mustCursor(t, st, whole.HubID).Pulled != 0) {
			t.Fatalf("cut after %d bytes: a pull cursor was saved (%v)", budget, err)
		}
		rep := mustSync(t, st, hub, opts)
		if rep.Pulled != whole.Pulled {
			t.Fatalf("after the cut: pulled %d, want %d", rep.Pulled, whole.Pulled)
		}
		if dump(t, st) != dump(t, probe) {
			t.Fatalf("after the cut and a sync, the tables differ from an uncut pull")
		}
	}
}

// cutOutputAfter makes Options whose in-process hub's output breaks after
// budget bytes: a pull cut part way through its stream.
func cutOutputAfter(opts Options, budget int) Options {
	opts.wrapServer = func(r io.Reader, w io.Writer, abort func()) (io.Reader, io.Writer) {
		return r, cutWriter{&cutter{budget: budget, abort: abort}, w}
	}
	return opts
}

func mustCursor(t *testing.T, st *storage.Store, hub string) storage.SyncCursor {
	t.Helper()
	c, _, err := st.SyncCursor(context.Background(), hub)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
