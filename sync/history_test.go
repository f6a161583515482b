package sync

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	stdsync "sync"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// backup copies a store as a backup tool would catch it: a consistent
// snapshot of its committed state.
func backup(t testing.TB, st *storage.Store, to string) {
	t.Helper()
	if _, err := st.DB().Exec(`VACUUM INTO ?`, to); err != nil {
		t.Fatal(err)
	}
}

// restore closes a store, puts the backup in its place and opens it again
// as the same author.
func restore(t testing.TB, st *storage.Store, from string) *storage.Store {
	t.Helper()
	path, author := st.Path(), st.Author()
	st.Close()
	for _, p := range []string{path + "-wal", path + "-shm"} {
		os.Remove(p)
	}
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	back, err := storage.Open(context.Background(), path, storage.Options{Author: author})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { back.Close() })
	return back
}

func texts(t testing.TB, st *storage.Store, in string) string {
	t.Helper()
	es, err := st.Timeline(context.Background(), in, storage.TimelinePage{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		if e.Kind == model.EventNote {
			out = append(out, e.Text)
		}
	}
	return strings.Join(out, "|")
}

// TestLaptopRestoredFromBackup: alice's laptop goes back to a backup taken
// before her last notes reached the hub, and she writes more before
// syncing (or nothing: the same as a WAL that lost its newest commits).
// The sync takes her lost notes back from the hub, renumbers the new ones
// to follow them, says so, and then pushes: verify stays ok everywhere,
// nothing the hub held changed, every note is kept.
func TestLaptopRestoredFromBackup(t *testing.T) {
	for _, after := range []int{0, 1, 3} {
		t.Run(fmt.Sprintf("notes after the restore=%d", after), func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			hub := filepath.Join(dir, "hub.db")
			a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
			b := openStore(t, filepath.Join(dir, "b.db"), "bob", nil)
			in := declare(t, a, "shared")
			note(t, a, in, "before the backup")
			mustSync(t, a, hub, localOpts())
			mustSync(t, b, hub, localOpts())
			bak := filepath.Join(dir, "a.bak")
			backup(t, a, bak)
			note(t, a, in, "lost 1")
			note(t, a, in, "lost 2")
			mustSync(t, a, hub, localOpts())
			note(t, b, in, "bob meanwhile")
			mustSync(t, b, hub, localOpts())
			hubBefore := eventIDs(t, openHub(t, hub))

			a = restore(t, a, bak)
			var made []string
			for i := range after {
				made = append(made, note(t, a, in, fmt.Sprintf("after the restore %d", i)).ID)
			}
			rep := mustSync(t, a, hub, localOpts())
			if rep.TakenBack != 2 || rep.Renumbered != after {
				t.Errorf("sync after the restore: took back %d, renumbered %d; want 2, %d", rep.TakenBack, rep.Renumbered, after)
			}
			mustSync(t, b, hub, localOpts())
			h := openHub(t, hub)
			for id := range hubBefore {
				if !eventIDs(t, h)[id] {
					t.Fatalf("the hub lost %s", id)
				}
			}
			want := eventIDs(t, h)
			if len(want) != len(hubBefore)+after {
				t.Fatalf("hub holds %d events, want %d", len(want), len(hubBefore)+after)
			}
			for _, id := range made {
				if !want[id] {
					t.Errorf("note %s made after the restore is not in the hub under its id", id)
				}
			}
			sameIDs(t, want, a, b)
			for _, st := range []*storage.Store{a, b, h} {
				checkConsistent(t, st)
			}
			wantText := "before the backup|lost 1|lost 2|bob meanwhile"
			for i := range after {
				wantText += fmt.Sprintf("|after the restore %d", i)
			}
			if got := texts(t, h, in); got != wantText {
				t.Errorf("hub timeline: %s\nwant %s", got, wantText)
			}
			// Alice's history on the hub runs 1..n without a second event
			// anywhere: the hub kept its copy and the new notes follow it.
			head, err := h.ChainHead(ctx, a.ID(), "alice")
			if err != nil {
				t.Fatal(err)
			}
			if head.Seq != int64(2+1+2+after) {
				t.Errorf("alice's history on the hub ends at %d, want %d", head.Seq, 2+1+2+after)
			}
			if rep := mustSync(t, a, hub, localOpts()); rep.TakenBack+rep.Renumbered+rep.Pushed+rep.Pulled != 0 {
				t.Errorf("a second sync moved something: %+v", rep)
			}
		})
	}
}

// TestRestoredTwiceAndCopied: two copies of one store (a restored laptop
// and the original, or a file copied to a second machine) keep writing and
// syncing in turn. Each sync renumbers the copy's new notes after what the
// other pushed, so neither forks the history.
func TestRestoredTwiceAndCopied(t *testing.T) {
	dir := t.TempDir()
	hub := filepath.Join(dir, "hub.db")
	a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
	in := declare(t, a, "shared")
	mustSync(t, a, hub, localOpts())
	bak := filepath.Join(dir, "a.bak")
	backup(t, a, bak)
	b, err := os.ReadFile(bak)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "copy.db"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := storage.Open(context.Background(), filepath.Join(dir, "copy.db"), storage.Options{Author: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for round := range 3 {
		note(t, a, in, fmt.Sprintf("original %d", round))
		note(t, c, in, fmt.Sprintf("copy %d", round))
		mustSync(t, a, hub, localOpts())
		mustSync(t, c, hub, localOpts())
	}
	mustSync(t, a, hub, localOpts())
	h := openHub(t, hub)
	sameIDs(t, eventIDs(t, h), a, c)
	for _, st := range []*storage.Store{a, c, h} {
		checkConsistent(t, st)
	}
}

// TestHubRefusesAFork: a store that pushes an event into a place of its
// author's history the hub already fills (what an older sitrep does after
// a restore) is refused, the whole batch, with words that say why and
// what to do; the hub's file is untouched.
func TestHubRefusesAFork(t *testing.T) {
	dir := t.TempDir()
	hub := filepath.Join(dir, "hub.db")
	a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
	in := declare(t, a, "shared")
	mustSync(t, a, hub, localOpts())
	bak := filepath.Join(dir, "a.bak")
	backup(t, a, bak)
	note(t, a, in, "pushed")
	mustSync(t, a, hub, localOpts())
	a = restore(t, a, bak)
	e := note(t, a, in, "forks")
	before := fileState(t, hub)
	h := openHub(t, hub)
	_, err := h.ApplyNoFork(context.Background(), []model.Event{e}, nil)
	if err == nil || !strings.Contains(err.Error(), "already holds event") {
		t.Fatalf("the hub stored a fork: %v", err)
	}
	h.Close()
	if after := fileState(t, hub); after != before {
		t.Error("the hub's file changed")
	}
}

// TestManyFirstSyncsOneCreator: several first syncs race to a hub that does
// not exist yet; exactly one says it created the shared store.
func TestManyFirstSyncsOneCreator(t *testing.T) {
	for range 3 {
		dir := t.TempDir()
		hub := filepath.Join(dir, "hub.db")
		const n = 8
		stores := make([]*storage.Store, n)
		for i := range stores {
			stores[i] = openStore(t, filepath.Join(dir, fmt.Sprintf("r%d.db", i)), fmt.Sprintf("r%d", i), nil)
			declare(t, stores[i], "x")
		}
		var wg stdsync.WaitGroup
		reps := make([]Report, n)
		errs := make([]error, n)
		start := make(chan struct{})
		for i, st := range stores {
			wg.Go(func() {
				<-start
				reps[i], errs[i] = Sync(context.Background(), st, hub, localOpts())
			})
		}
		close(start)
		wg.Wait()
		created := 0
		for i := range stores {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			if reps[i].Created {
				created++
			}
		}
		if created != 1 {
			t.Fatalf("%d syncs said they created the shared store", created)
		}
	}
}

// verifyAgainst is 'sitrep verify --against': the hub's heads compared
// with the store's log.
func verifyAgainst(t testing.TB, st *storage.Store, hub string) []storage.Problem {
	t.Helper()
	heads, _, err := Heads(context.Background(), st, hub, localOpts())
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := st.CompareHeads(context.Background(), heads, "the hub", "sitrep sync --full")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func problems(t testing.TB, st *storage.Store) []storage.Problem {
	t.Helper()
	rep, err := st.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rep.Problems
}

func mustExec(t testing.TB, st *storage.Store, q string, args ...any) {
	t.Helper()
	if _, err := st.DB().Exec(q, args...); err != nil {
		t.Fatal(err)
	}
}

// TestVerifyFindsDeletedHistory: alice's newest notes, then her whole
// history, deleted from bob's store with sqlite3 and the tables rebuilt.
// The hash chains still link, so only what the hub acknowledged shows it:
// plain verify names them from the marks sync recorded; with the marks
// deleted too, only verify --against does. A sync takes them back (with
// the marks; --full without).
func TestVerifyFindsDeletedHistory(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	hub := filepath.Join(dir, "hub.db")
	a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
	b := openStore(t, filepath.Join(dir, "b.db"), "bob", nil)
	in := declare(t, b, "bob's incident")
	mustSync(t, b, hub, localOpts())
	mustSync(t, a, hub, localOpts())
	for i := range 5 {
		note(t, a, in, fmt.Sprintf("alice %d", i))
	}
	mustSync(t, a, hub, localOpts())
	mustSync(t, b, hub, localOpts())
	all := eventIDs(t, b)

	for _, c := range []struct {
		name, del, want string
		forgetMarks     bool
	}{
		{"newest two", `DELETE FROM events WHERE author = 'alice' AND chain_seq > 3`, "ends at event 3 here", false},
		{"whole chain", `DELETE FROM events WHERE author = 'alice'`, "is missing here", false},
		{"newest two, marks too", `DELETE FROM events WHERE author = 'alice' AND chain_seq > 3`, "events 4–5 are missing", true},
		{"whole chain, marks too", `DELETE FROM events WHERE author = 'alice'`, "events 1–5", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			if len(problems(t, b)) != 0 || len(verifyAgainst(t, b, hub)) != 0 {
				t.Fatal("not clean before")
			}
			mustExec(t, b, c.del)
			if c.forgetMarks {
				mustExec(t, b, `DELETE FROM meta WHERE key LIKE 'acked %'`)
			}
			if err := b.Rebuild(ctx); err != nil {
				t.Fatal(err)
			}
			ps := problems(t, b)
			if c.forgetMarks {
				if len(ps) != 0 {
					t.Fatalf("verify without marks found %v (it cannot know)", ps)
				}
			} else if len(ps) != 1 || ps[0].Author != "alice" || !strings.Contains(ps[0].Message, c.want) {
				t.Fatalf("verify: %v; want one problem naming alice: %q", ps, c.want)
			}
			ps = verifyAgainst(t, b, hub)
			if len(ps) != 1 || ps[0].Author != "alice" || !strings.Contains(ps[0].String(), c.want) {
				t.Fatalf("verify --against: %v; want one problem naming alice: %q", ps, c.want)
			}
			t.Logf("verify --against: %s", ps[0])
			opts := localOpts()
			opts.Full = c.forgetMarks
			rep := mustSync(t, b, hub, opts)
			if rep.TakenBack+rep.Pulled == 0 {
				t.Fatalf("the sync took nothing back: %+v", rep)
			}
			sameIDs(t, all, b)
			checkConsistent(t, b)
			if ps := verifyAgainst(t, b, hub); len(ps) != 0 {
				t.Fatalf("after the sync: %v", ps)
			}
		})
	}
}

// TestCorruptWALLosesNewestEvents: a store's WAL is damaged after its
// newest notes were synced, so SQLite drops those commits when it opens
// the file. verify alone cannot see it; verify --against names the
// missing events the hub holds, and the next sync takes them back (and
// renumbers a note written in between).
func TestCorruptWALLosesNewestEvents(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	hub := filepath.Join(dir, "hub.db")
	a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
	in := declare(t, a, "wal")
	mustSync(t, a, hub, localOpts())
	mustExec(t, a, `PRAGMA wal_checkpoint(TRUNCATE)`)
	for i := range 3 {
		note(t, a, in, fmt.Sprintf("in the WAL %d", i))
	}
	mustSync(t, a, hub, localOpts())
	// The crash: the files as they are on disk, with the WAL's first frame
	// damaged, so every commit in it is dropped.
	crashed := filepath.Join(dir, "crashed.db")
	for _, sfx := range []string{"", "-wal"} {
		b, err := os.ReadFile(a.Path() + sfx)
		if err != nil {
			t.Fatal(err)
		}
		if sfx == "-wal" {
			if len(b) < 32+24+100 {
				t.Fatalf("the WAL holds %d bytes", len(b))
			}
			b[32+24+50] ^= 0xff
		}
		if err := os.WriteFile(crashed+sfx, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	want := eventIDs(t, a)
	a.Close()
	c, err := storage.Open(ctx, crashed, storage.Options{Author: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	lost := len(want) - len(eventIDs(t, c))
	if lost != 3 {
		t.Fatalf("the damaged WAL lost %d events, want 3", lost)
	}
	if ps := problems(t, c); len(ps) != 0 {
		t.Fatalf("verify alone: %v", ps)
	}
	ps := verifyAgainst(t, c, hub)
	if len(ps) != 1 || !strings.Contains(ps[0].String(), "events 3–5 are missing here") {
		t.Fatalf("verify --against: %v", ps)
	}
	t.Logf("verify --against: %s", ps[0])
	after := note(t, c, in, "written after the crash")
	rep := mustSync(t, c, hub, localOpts())
	if rep.TakenBack != 3 || rep.Renumbered != 1 {
		t.Errorf("sync: %+v", rep)
	}
	want[after.ID] = true
	h := openHub(t, hub)
	sameIDs(t, want, c, h)
	checkConsistent(t, c)
	checkConsistent(t, h)
}

// TestOlderPeers: protocol 2 is an extension. A client speaking 1 syncs
// with a new hub; when it was restored and pushes into a place of its
// history the hub fills, the hub refuses the batch, untouched, saying to
// upgrade. A new client syncs with a hub speaking 1 as before, and
// verify --against says the hub is too old without creating anything.
func TestOlderPeers(t *testing.T) {
	dir := t.TempDir()
	hub := filepath.Join(dir, "hub.db")
	old := localOpts()
	old.maxProto = 1
	a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
	b := openStore(t, filepath.Join(dir, "b.db"), "bob", nil)
	in := declare(t, a, "shared")
	mustSync(t, a, hub, old)
	mustSync(t, b, hub, localOpts())
	note(t, b, in, "bob")
	mustSync(t, b, hub, localOpts())
	if rep := mustSync(t, a, hub, old); rep.Pulled != 1 {
		t.Fatalf("old client: %+v", rep)
	}
	bak := filepath.Join(dir, "a.bak")
	backup(t, a, bak)
	note(t, a, in, "pushed")
	mustSync(t, a, hub, old)
	a = restore(t, a, bak)
	note(t, a, in, "forks")
	before := fileState(t, hub)
	se := syncFails(t, a, hub, old)
	if se.Kind != KindRefused || se.ExitCode() != ExitHub || !strings.Contains(se.Error(), "Upgrade sitrep") || !strings.Contains(se.Error(), "already holds event") {
		t.Fatalf("old client forking: %v (kind %d)", se, se.Kind)
	}
	if fileState(t, hub) != before {
		t.Fatal("the hub changed")
	}
	t.Logf("old client forking: %s", se)
	// Upgraded, the same laptop mends it.
	if rep := mustSync(t, a, hub, localOpts()); rep.TakenBack != 1 || rep.Renumbered != 1 {
		t.Fatalf("upgraded: %+v", rep)
	}
	checkConsistent(t, a)

	oldHub := localOpts()
	oldHub.serverProto = 1
	note(t, b, in, "to an old hub")
	if rep := mustSync(t, b, hub, oldHub); rep.Pushed != 1 {
		t.Fatalf("new client, old hub: %+v", rep)
	}
	missing := filepath.Join(dir, "none.db")
	_, _, err := Heads(context.Background(), b, missing, oldHub)
	var he *Error
	if !errors.As(err, &he) || he.Kind != KindIncompatible || !strings.Contains(err.Error(), "too old to compare") {
		t.Fatalf("verify --against an old hub: %v", err)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Fatal("a hub was created")
	}
}

var (
	flagRestoreRounds = flag.Int("sync.restore-rounds", 60, "rounds of TestRandomRestores")
	flagRestoreSeed   = flag.Uint64("sync.restore-seed", 0, "seed of TestRandomRestores (0: from the clock)")
)

// TestRandomRestores: three laptops write, sync, take backups and are
// restored from random earlier backups (or get a copy of another's old
// backup of their own file), in random order. After every sync the
// laptop's store and the hub verify ok; at the end everyone holds every
// event the hub ever held, and nothing the hub held was lost.
func TestRandomRestores(t *testing.T) {
	seed := *flagRestoreSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 11))
	verbose := os.Getenv("SITREP_RESTORE_TRACE") != ""
	dir := t.TempDir()
	hub := filepath.Join(dir, "hub.db")
	const n = 3
	stores := make([]*storage.Store, n)
	backups := make([][]string, n)
	for i := range stores {
		stores[i] = openStore(t, filepath.Join(dir, fmt.Sprintf("s%d.db", i)), fmt.Sprintf("r%d", i), nil)
	}
	in := declare(t, stores[0], "restores")
	mustSync(t, stores[0], hub, localOpts())
	for _, st := range stores[1:] {
		mustSync(t, st, hub, localOpts())
	}
	rounds := *flagRestoreRounds
	if testing.Short() || raceEnabled {
		rounds = min(rounds, 20)
	}
	everInHub := map[string]bool{}
	restores, taken, renumbered := 0, 0, 0
	for r := range rounds {
		i := rng.IntN(n)
		st := stores[i]
		op := rng.IntN(20)
		if verbose {
			t.Logf("round %d: r%d op %d", r, i, op)
		}
		switch {
		case op < 7:
			note(t, st, in, fmt.Sprintf("r%d round %d", i, r))
		case op < 13:
			if verbose {
				chainTrace(t, "local before", st, st.ID())
				h := openHub(t, hub)
				chainTrace(t, "hub before", h, st.ID())
				h.Close()
			}
			rep := mustSync(t, st, hub, localOpts())
			if verbose {
				t.Logf("sync: %+v", rep)
				chainTrace(t, "local after", st, st.ID())
			}
			taken += rep.TakenBack
			renumbered += rep.Renumbered
			checkConsistent(t, st)
			h := openHub(t, hub)
			checkConsistent(t, h)
			for id := range eventIDs(t, h) {
				everInHub[id] = true
			}
			h.Close()
		case op < 16:
			b := filepath.Join(dir, fmt.Sprintf("s%d.bak%d", i, len(backups[i])))
			backup(t, st, b)
			backups[i] = append(backups[i], b)
		default:
			if len(backups[i]) == 0 {
				continue
			}
			stores[i] = restore(t, st, backups[i][rng.IntN(len(backups[i]))])
			restores++
		}
	}
	for range 2 {
		for _, st := range stores {
			rep := mustSync(t, st, hub, localOpts())
			taken += rep.TakenBack
			renumbered += rep.Renumbered
		}
	}
	h := openHub(t, hub)
	want := eventIDs(t, h)
	for id := range everInHub {
		if !want[id] {
			t.Fatalf("the hub lost %s", id)
		}
	}
	sameIDs(t, want, stores...)
	checkConsistent(t, h)
	for _, st := range stores {
		checkConsistent(t, st)
		if ps := verifyAgainst(t, st, hub); len(ps) != 0 {
			t.Fatalf("%s: %v", st.Path(), ps)
		}
	}
	t.Logf("%d rounds, %d restores: %d events taken back, %d renumbered; %d events everywhere, verify ok on %d stores and the hub", rounds, restores, taken, renumbered, len(want), n)
}

func chainTrace(t testing.TB, label string, st *storage.Store, origin string) {
	rows, err := st.DB().Query(`SELECT chain_seq, id, seq, substr(hash,1,6), substr(prev,1,6) FROM events WHERE origin = ? ORDER BY chain_seq, seq`, origin)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c, seq int64
		var id, h, p string
		rows.Scan(&c, &id, &seq, &h, &p)
		out = append(out, fmt.Sprintf("%d:%s@%d[%s<%s]", c, id[len(id)-4:], seq, h, p))
	}
	var pushed int64
	st.DB().QueryRow(`SELECT coalesce(max(pushed),0) FROM sync_peers`).Scan(&pushed)
	t.Logf("%s (pushed %d): %s", label, pushed, strings.Join(out, " "))
}
