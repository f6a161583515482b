package sync

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sitrep-dev/sitrep/storage"
)

// local returns Options for the in-process transport with a short timeout.
func localOpts() Options { return Options{Version: "test", Timeout: 10 * 1e9} }

func TestSyncTwoReplicasThroughLocalHub(t *testing.T) {
	dir := t.TempDir()
	hub := filepath.Join(dir, "team.db")
	a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
	b := openStore(t, filepath.Join(dir, "b.db"), "bob", nil)
	in := declare(t, a, "Checkout 500s")
	note(t, a, in, "rolled back deploy 4812")

	rep := mustSync(t, a, hub, localOpts())
	if !rep.Created || rep.Pushed != 3 || rep.Pulled != 0 {
		t.Fatalf("first sync of alice: %+v", rep)
	}
	rep = mustSync(t, b, hub, localOpts())
	if rep.Created || rep.Pushed != 0 || rep.Pulled != 3 {
		t.Fatalf("first sync of bob: %+v", rep)
	}
	note(t, b, in, "paged the database on-call")
	note(t, a, in, "error rate down")
	mustSync(t, b, hub, localOpts())
	mustSync(t, a, hub, localOpts())
	mustSync(t, b, hub, localOpts())
	if da, db := dump(t, a), dump(t, b); da != db {
		t.Fatalf("replicas differ:\n%s", diffLines(da, db))
	}
	for _, st := range []*storage.Store{a, b} {
		checkConsistent(t, st)
		if n := len(eventIDs(t, st)); n != 5 {
			t.Fatalf("%s holds %d events, want 5", st.Author(), n)
		}
	}
	// Idempotence: a second round moves nothing, in either direction.
	for _, st := range []*storage.Store{a, b} {
		rep := mustSync(t, st, hub, localOpts())
		if rep.Pushed != 0 || rep.Pulled != 0 || len(rep.Conflicts) != 0 || rep.Reconciled {
			t.Fatalf("second sync of %s moved something: %+v", st.Author(), rep)
		}
		n, err := Pending(context.Background(), st, hub)
		if err != nil || n != 0 {
			t.Fatalf("pending after sync: %d %v", n, err)
		}
	}
	note(t, a, in, "one more")
	if n, err := Pending(context.Background(), a, hub); err != nil || n != 1 {
		t.Fatalf("pending with one new note: %d %v", n, err)
	}
	if !strings.Contains(dump(t, b), "paged the database") {
		t.Fatal("dump lacks a note")
	}
}

// What the hub says is cut to a readable length without splitting a
// character, so an error line is always valid UTF-8.
func TestFromRemoteCutsWholeCharacters(t *testing.T) {
	for pad := 0; pad < 4; pad++ {
		s := fromRemote(strings.Repeat("x", pad) + strings.Repeat("é€😀", 200))
		if !utf8.ValidString(s) || !strings.HasSuffix(s, "…") {
			t.Fatalf("pad %d: %q", pad, s)
		}
	}
}
