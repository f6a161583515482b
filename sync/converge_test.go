package sync

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

var (
	flagSchedules = flag.Int("sync.schedules", 0, "schedules the convergence test runs (default 1000; 60 under -race)")
	flagSeed      = flag.Uint64("sync.seed", 0, "seed of the convergence test (0: from the clock)")
)

// epochLen is how many schedules share one set of stores. Each schedule
// starts from where the last one left the replicas, so later schedules
// meet longer histories and more concurrent changes; every epoch starts
// from empty stores.
const epochLen = 25

// TestConvergence is the property that makes sync safe: whatever the
// replicas do offline, in whatever order they sync, however often the
// connection drops, after a final round every replica holds every event
// made anywhere, and its projections equal the hub's and a rebuild from
// its own log.
func TestConvergence(t *testing.T) {
	n := *flagSchedules
	if n <= 0 {
		// The race detector makes the pure-Go SQLite about ten times
		// slower; sixty schedules still cross every code path with
		// the detector watching.
		n = 1000
		if raceEnabled {
			n = 60
		}
	}
	seed := *flagSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	base := scratchDir(t)
	for e := 0; e*epochLen < n; e++ {
		es := seed + uint64(e)
		w := newWorld(t, filepath.Join(base, fmt.Sprintf("epoch%d", e)), es)
		for s := 0; s < epochLen && e*epochLen+s < n; s++ {
			if err := w.schedule(); err != nil {
				t.Fatalf("epoch seed %d (rerun: go test ./sync -run TestConvergence -sync.seed=%d -sync.schedules=%d), schedule %d: %v",
					es, es, (e+1)*epochLen, s, err)
			}
		}
		if err := w.checkWhole(); err != nil {
			t.Fatalf("epoch seed %d (rerun with -sync.seed=%d): %v", es, es, err)
		}
		w.close()
	}
	t.Logf("%d schedules from seed %d", n, seed)
}

// scratchDir is a memory-backed folder when the machine has one: thousands
// of schedules commit tens of thousands of durable transactions, and their
// fsyncs, not sync's logic, would dominate on a disk.
func scratchDir(t testing.TB) string {
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		if d, err := os.MkdirTemp("/dev/shm", "sitrep-converge"); err == nil {
			t.Cleanup(func() { os.RemoveAll(d) })
			return d
		}
	}
	return t.TempDir()
}

type world struct {
	t        testing.TB
	rng      *rand.Rand
	dir      string
	hub      *storage.Store
	hubPath  string
	replicas []*storage.Store
	made     map[string]bool // every event made anywhere
	opts     Options
	log      []string // what this epoch did, for the failure message
}

var holders = []string{"alice", "bob", "chen", "dana", ""}

func newWorld(t testing.TB, dir string, seed uint64) *world {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, rng: rand.New(rand.NewPCG(seed, 0xc0ffee)), dir: dir, made: map[string]bool{}}
	w.hubPath = filepath.Join(dir, "hub.db")
	w.hub = openStore(t, w.hubPath, "hub", nil)
	nrep := 4 + w.rng.IntN(2)
	for i := range nrep {
		// Some replicas run with skewed clocks.
		var now func() time.Time
		switch w.rng.IntN(6) {
		case 0:
			now = func() time.Time { return time.Now().Add(-time.Hour) }
		case 1:
			now = func() time.Time { return time.Now().Add(26 * time.Hour) }
		}
		w.replicas = append(w.replicas, openStore(t, filepath.Join(dir, fmt.Sprintf("r%d.db", i)), holders[i%4], now))
	}
	w.opts = localOpts()
	w.opts.Timeout = 10 * time.Second
	w.opts.Batches = smallBatches(3)
	w.opts.serverOpen = func(context.Context, string) (*storage.Store, error) { return w.hub, nil }
	return w
}

func (w *world) close() {
	for _, st := range w.replicas {
		st.Close()
	}
	w.hub.Close()
	os.RemoveAll(w.dir)
}

func (w *world) logf(format string, args ...any) {
	w.log = append(w.log, fmt.Sprintf(format, args...))
}

func (w *world) fail(format string, args ...any) error {
	tail := w.log
	if len(tail) > 40 {
		tail = tail[len(tail)-40:]
	}
	msg := fmt.Sprintf(format, args...)
	for _, l := range tail {
		msg += "\n  " + l
	}
	return fmt.Errorf("%s", msg)
}

// schedule is one run of offline work and syncs, then a final round and
// the check.
func (w *world) schedule() error {
	ctx := context.Background()
	steps := 2 + w.rng.IntN(5)
	// In one schedule of four, a replica holds a live session while the
	// others work and sync, its link cut now and then; it ends before the
	// final round.
	live := -1
	var lv *liveWorld
	if w.rng.IntN(4) == 0 {
		live = w.rng.IntN(len(w.replicas))
		lv = w.startLive(live)
		w.logf("r%d live", live)
	}
	for range steps {
		i := w.rng.IntN(len(w.replicas))
		st := w.replicas[i]
		if lv != nil && w.rng.IntN(3) == 0 {
			time.Sleep(time.Duration(w.rng.IntN(15)) * time.Millisecond) // let it move something
		}
		if i == live && w.rng.IntN(3) == 0 {
			lv.k.cut()
			w.logf("r%d live: cut", i)
			continue
		}
		if w.rng.IntN(3) == 0 && i != live {
			opts := w.opts
			cut := w.rng.IntN(3) == 0
			budget := 0
			if cut {
				budget = w.rng.IntN(6000)
				opts = cutAfter(opts, budget)
			}
			rep, err := Sync(ctx, st, w.hubPath, opts)
			w.logf("r%d sync cut=%v/%d: pushed %d pulled %d err %v", i, cut, budget, rep.Pushed, rep.Pulled, err)
			if err != nil && !cut {
				return w.fail("r%d: sync without a cut failed: %v", i, err)
			}
			continue
		}
		for range 1 + w.rng.IntN(3) {
			if err := w.op(i, st); err != nil {
				return w.fail("r%d: %v", i, err)
			}
		}
	}
	if lv != nil {
		if err := lv.stop(); err != nil {
			return w.fail("r%d live: %v", live, err)
		}
	}
	// Final round: everyone pushes, then everyone pulls what the others
	// pushed after them.
	order := w.rng.Perm(len(w.replicas))
	for round := range 2 {
		if round == 1 {
			order = order[:len(order)-1] // the last one already has it all
		}
		for _, i := range order {
			rep, err := Sync(ctx, w.replicas[i], w.hubPath, w.opts)
			w.logf("final %d: r%d pushed %d pulled %d", round, i, rep.Pushed, rep.Pulled)
			if err != nil {
				return w.fail("final sync of r%d: %v", i, err)
			}
		}
	}
	// Idempotent: one more sync of anyone moves nothing.
	i := w.rng.IntN(len(w.replicas))
	if rep, err := Sync(ctx, w.replicas[i], w.hubPath, w.opts); err != nil || rep.Pushed != 0 || rep.Pulled != 0 {
		return w.fail("r%d: a sync after the final round moved %d/%d events (err %v)", i, rep.Pushed, rep.Pulled, err)
	}
	return w.check()
}

// check: every event made is in the hub, every replica holds exactly the
// hub's events, and every replica's projections equal the hub's.
func (w *world) check() error {
	hubIDs, err := ids(w.hub)
	if err != nil {
		return err
	}
	for id := range w.made {
		if !hubIDs[id] {
			return w.fail("the hub lacks event %s", id)
		}
	}
	if len(hubIDs) != len(w.made) {
		return w.fail("the hub holds %d events, %d were made", len(hubIDs), len(w.made))
	}
	hubDump, err := w.hub.ProjectionDump(context.Background())
	if err != nil {
		return err
	}
	for i, st := range w.replicas {
		got, err := ids(st)
		if err != nil {
			return err
		}
		if len(got) != len(hubIDs) {
			return w.fail("r%d holds %d events, the hub %d", i, len(got), len(hubIDs))
		}
		for id := range hubIDs {
			if !got[id] {
				return w.fail("r%d lacks event %s", i, id)
			}
		}
		d, err := st.ProjectionDump(context.Background())
		if err != nil {
			return err
		}
		if d != hubDump {
			return w.fail("r%d's projections differ from the hub's:\n%s", i, diffLines(d, hubDump))
		}
	}
	return nil
}

// checkWhole ends an epoch: every store verifies and equals a rebuild of
// its own log.
func (w *world) checkWhole() error {
	for _, st := range append([]*storage.Store{w.hub}, w.replicas...) {
		rep, err := st.Verify(context.Background())
		if err != nil {
			return err
		}
		if len(rep.Problems) > 0 {
			return w.fail("%s: verify: %v", st.Path(), rep.Problems)
		}
		before, err := st.ProjectionDump(context.Background())
		if err != nil {
			return err
		}
		if err := st.Rebuild(context.Background()); err != nil {
			return err
		}
		after, err := st.ProjectionDump(context.Background())
		if err != nil {
			return err
		}
		if before != after {
			return w.fail("%s: projections differ from a rebuild of its log:\n%s", st.Path(), diffLines(before, after))
		}
	}
	return nil
}

func ids(st *storage.Store) (map[string]bool, error) {
	out := map[string]bool{}
	var after int64
	for {
		page, last, err := st.IDsAfter(context.Background(), after, 10000)
		if err != nil {
			return nil, err
		}
		if len(page) == 0 {
			return out, nil
		}
		for _, id := range page {
			if out[id] {
				return nil, fmt.Errorf("%s holds %s twice", st.Path(), id)
			}
			out[id] = true
		}
		after = last
	}
}

// op makes one random change on replica i, as a responder would offline.
func (w *world) op(i int, st *storage.Store) error {
	ctx := context.Background()
	incs, err := st.Incidents(ctx)
	if err != nil {
		return err
	}
	var known []model.Incident
	for _, inc := range incs {
		if inc.Title != "" { // the declaration is here, not only later events
			known = append(known, inc)
		}
	}
	r := w.rng
	var drafts []model.Change
	if len(known) == 0 || r.IntN(12) == 0 {
		drafts = []model.Change{{Kind: model.EventDeclared, Payload: model.DeclaredPayload{
			Title: fmt.Sprintf("incident %d by r%d", len(w.made), i), Kind: "outage",
			Severity: model.Severities[r.IntN(4)], Status: model.StatusInvestigating}}}
		w.logf("r%d declares", i)
	} else {
		inc := known[r.IntN(len(known))].ID
		d := model.Change{IncidentID: inc}
		switch k := r.IntN(10); k {
		case 0, 1:
			d.Kind, d.Payload = model.EventNote, model.NotePayload{Kind: model.NoteKinds[r.IntN(len(model.NoteKinds))],
				Text: fmt.Sprintf("r%d: rolled back deploy %d", i, r.IntN(1000))}
		case 2:
			state := []model.StepState{model.StepOpen, model.StepDone, model.StepSkipped, model.StepBlocked}[r.IntN(4)]
			reason := ""
			if state == model.StepSkipped || state == model.StepBlocked {
				reason = "waiting on the vendor"
			}
			d.Kind, d.Payload = model.EventStepChanged, model.StepPayload{Runbook: "major-incident", Step: r.IntN(3),
				Title: "Page the on-call", State: state, Reason: reason}
		case 3:
			role := []model.Role{model.RoleCommander, model.RoleScribe}[r.IntN(2)]
			prev, replaces, err := st.RoleEvent(ctx, inc, role)
			if err != nil {
				return err
			}
			d.Kind, d.Payload = model.EventRoleAssigned, model.RoleAssignedPayload{Role: role, Holder: holders[r.IntN(len(holders))],
				Previous: prev, Replaces: replaces}
		case 4:
			d.Kind, d.Payload = model.EventStatusChanged, model.StatusPayload{Status: model.Statuses[r.IntN(len(model.Statuses))]}
		case 5:
			d.Kind, d.Payload = model.EventSeverityChanged, model.SeverityPayload{Severity: model.Severities[r.IntN(4)]}
		case 6:
			text := fmt.Sprintf("# Runbook v%d\n\n- [ ] Page the on-call\n- [ ] Roll back\n", r.IntN(4))
			d.Kind, d.Payload = model.EventRunbookAttached, model.RunbookAttachedPayload{Name: []string{"major-incident", "dos"}[r.IntN(2)],
				Title: "Major incident", Source: "bundled", Hash: model.TextHash(text), Text: text}
		case 7:
			d.Kind, d.Payload = model.EventRetitled, model.RetitledPayload{Title: fmt.Sprintf("retitled by r%d #%d", i, r.IntN(100))}
		default:
			entries, err := st.Timeline(ctx, inc, storage.TimelinePage{})
			if err != nil {
				return err
			}
			if len(entries) == 0 {
				return nil
			}
			entry := entries[r.IntN(len(entries))].EventID
			// Only a standing note can be amended or retracted here;
			// another replica may still retract it at the same time.
			var notes []string
			for _, e := range entries {
				if e.Kind == model.EventNote && !e.Retracted {
					notes = append(notes, e.EventID)
				}
			}
			choice := r.IntN(3)
			if len(notes) == 0 {
				choice = 1
			} else if choice != 1 {
				entry = notes[r.IntN(len(notes))]
			}
			switch choice {
			case 0:
				d.Kind, d.Payload = model.EventAmended, model.AmendedPayload{Entry: entry, Text: fmt.Sprintf("amended by r%d #%d", i, r.IntN(100))}
			case 1:
				d.Kind, d.Payload = model.EventPinned, model.PinnedPayload{Entry: entry, Pinned: r.IntN(2) == 0}
			default:
				d.Kind, d.Payload = model.EventRetracted, model.RetractedPayload{Entry: entry, Reason: "wrong incident"}
			}
		}
		drafts = []model.Change{d}
		w.logf("r%d %s on %s", i, d.Kind, model.ShortID(inc))
	}
	events, err := st.AppendAll(ctx, drafts)
	if err != nil {
		return fmt.Errorf("append %s: %w", drafts[0].Kind, err)
	}
	for _, e := range events {
		w.made[e.ID] = true
	}
	return nil
}

// liveWorld is a live session one replica holds during a schedule.
type liveWorld struct {
	k      killable
	cancel context.CancelFunc
	done   chan error
}

func (w *world) startLive(i int) *liveWorld {
	ctx, cancel := context.WithCancel(context.Background())
	lv := &liveWorld{cancel: cancel, done: make(chan error, 1)}
	opts := lv.k.opts(w.opts)
	go func() {
		lv.done <- Live(ctx, w.replicas[i], w.hubPath, opts, LiveOptions{MinBackoff: 5 * time.Millisecond, MaxBackoff: 20 * time.Millisecond})
	}()
	return lv
}

func (lv *liveWorld) stop() error {
	lv.cancel()
	select {
	case err := <-lv.done:
		return err
	case <-time.After(20 * time.Second):
		return fmt.Errorf("the live session did not end")
	}
}
