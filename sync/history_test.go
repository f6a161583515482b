package sync

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	stdsync "sync"
	"testing"

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
