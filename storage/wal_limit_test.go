package storage_test

import (
	"context"
	"os"
	"testing"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
	"github.com/sitrep-dev/sitrep/storage/storagetest"
)

// walSize is the size of a store's write-ahead log file, 0 when there is
// none.
func walSize(t *testing.T, path string) int64 {
	t.Helper()
	info, err := os.Stat(path + "-wal")
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return info.Size()
}

// A big bulk apply (a first pull, an import) writes the whole store
// through SQLite's write-ahead log, which SQLite keeps at its largest
// size for reuse: a cockpit left open after a first pull held a second
// copy of the store on disk (100 MB beside a 100 MB store after 100,000
// events). The next write cuts it back to 8 MB.
func TestWALCutBackAfterBulkApply(t *testing.T) {
	ctx := context.Background()
	src, err := storage.Open(ctx, storagetest.CachedCopy(t, storagetest.Spec{Incidents: 100, Entries: 10000, Big: 100, Seed: 3}), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	events := allEvents(t, src)
	src.Close()

	dst, path := openTemp(t)
	if _, err := dst.ApplyBulk(ctx, feed(events), nil); err != nil {
		t.Fatal(err)
	}
	const limit = 8 << 20
	pulled := walSize(t, path)
	if pulled <= limit {
		t.Fatalf("the bulk apply left a %d-byte log: the test needs one over %d", pulled, limit)
	}
	if _, err := dst.Append(ctx, model.Change{IncidentID: events[0].IncidentID, Kind: model.EventNote,
		Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "first note after the pull"}}); err != nil {
		t.Fatal(err)
	}
	if got := walSize(t, path); got > limit {
		t.Errorf("after the next write the log is %d bytes (%d after the pull), want it cut back to at most %d", got, pulled, limit)
	}
}
