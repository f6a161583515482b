package sync

import (
	"context"
	"errors"
	"fmt"
	"os"
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

// What the hub says is cut to a readable length (in the middle: the cause
// comes last) without splitting a character, so an error line is always
// valid UTF-8.
func TestFromRemoteCutsWholeCharacters(t *testing.T) {
	for pad := 0; pad < 4; pad++ {
		s := fromRemote(strings.Repeat("x", pad) + strings.Repeat("é€😀", 200))
		if !utf8.ValidString(s) || !strings.Contains(s, " … ") || len(s) > maxRemote+8 {
			t.Fatalf("pad %d: %q", pad, s)
		}
	}
}

// TestFromRemoteKeepsTheCause: a hub's message made long by a deep path
// keeps its cause (at the end) and loses the middle of the path instead.
func TestFromRemoteKeepsTheCause(t *testing.T) {
	path := "/srv/" + strings.Repeat("very-long-folder-name/", 30) + "team.db"
	msg := "open store " + path + ": not a sitrep store (it has tables of another program); name the team's shared file"
	got := fromRemote(msg)
	if len(got) > maxRemote+8 || !strings.HasSuffix(got, "not a sitrep store (it has tables of another program); name the team's shared file") || !strings.HasPrefix(got, "open store ") || !strings.Contains(got, "team.db") {
		t.Fatalf("%d bytes: %s", len(got), got)
	}
	long := strings.Repeat("word ", 200) + "the cause"
	if got := fromRemote(long); len(got) > maxRemote+8 || !strings.HasSuffix(got, "the cause") {
		t.Fatalf("%d bytes: %s", len(got), got)
	}
	if got := fromRemote("serve-sync: write |1: broken pipe"); got != "serve-sync: the connection dropped" {
		t.Fatalf("%q", got)
	}
}

// TestLongHubPathKeepsCause: a shared file deep in folders that is not a
// store: the refusal names the cause, however long the path.
func TestLongHubPathKeepsCause(t *testing.T) {
	dir := t.TempDir()
	deep := dir
	for i := 0; len(deep) < 700; i++ {
		deep = filepath.Join(deep, fmt.Sprintf("a-rather-long-folder-name-%02d", i))
	}
	if err := os.MkdirAll(deep, 0o700); err != nil {
		t.Fatal(err)
	}
	hub := filepath.Join(deep, "team.db")
	if err := os.WriteFile(hub, []byte("shopping list\nmilk\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
	declare(t, a, "x")
	_, err := Sync(context.Background(), a, hub, localOpts())
	var se *Error
	if !errors.As(err, &se) || se.Kind != KindRefused || se.ExitCode() != ExitHub {
		t.Fatalf("%v", err)
	}
	if reason := se.Reason; !strings.Contains(reason, "not a SQLite database") || len(reason) > maxRemote+40 {
		t.Fatalf("%d bytes: %s", len(reason), reason)
	}
}
