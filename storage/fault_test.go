package storage_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
	"github.com/sitrep-dev/sitrep/storage/storagetest"
)

// A store whose process was killed (or whose disk filled) while SQLite was
// copying the write-ahead log into the main file has a main file shorter
// than its header says; SQLite reads it from the log. sitrep opens it with
// every acknowledged note, and it checks out.
func TestOpenAfterKillDuringCheckpoint(t *testing.T) {
	ctx := context.Background()
	st, path := openTemp(t)
	in := declare(t, st, "checkpoint")
	st.Close()
	var promised []string
	storagetest.KilledMidCheckpoint(t, path, func() {
		st, err := storage.Open(ctx, path, storage.Options{Author: "alice@laptop"})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		for i := 0; i < 60; i++ {
			e, err := st.Append(ctx, model.Draft{IncidentID: in, Kind: model.EventNote, Payload: model.NotePayload{
				Kind: model.NoteKindNote, Text: fmt.Sprintf("note %d: %s", i, strings.Repeat("disk latency on db-3 ", 20))}})
			if err != nil {
				t.Fatal(err)
			}
			promised = append(promised, e.ID)
		}
	})
	st, err := storage.Open(ctx, path, storage.Options{Author: "alice@laptop"})
	if err != nil {
		t.Fatalf("a store SQLite can read was refused: %v", err)
	}
	defer st.Close()
	for _, id := range promised {
		if _, err := st.TimelineEntry(ctx, id); err != nil {
			t.Errorf("acknowledged note %s is gone: %v", id, err)
		}
	}
	var check string
	if err := st.DB().QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q %v", check, err)
	}
	if rep, err := st.Verify(ctx); err != nil || len(rep.Problems) > 0 {
		t.Fatalf("verify: %v %v", rep.Problems, err)
	}
	if _, err := st.Append(ctx, model.Draft{IncidentID: in, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "after"}}); err != nil {
		t.Fatalf("writing after the crash: %v", err)
	}
}
