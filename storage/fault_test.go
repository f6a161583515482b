package storage_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
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
			e, err := st.Append(ctx, model.Change{IncidentID: in, Kind: model.EventNote, Payload: model.NotePayload{
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
	if _, err := st.Append(ctx, model.Change{IncidentID: in, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "after"}}); err != nil {
		t.Fatalf("writing after the crash: %v", err)
	}
}

// A store SQLite cannot read is refused in one line that names it and says
// what to do, with nothing written to it.
func TestUnreadableStoreSaysWhatToDo(t *testing.T) {
	ctx := context.Background()
	good := func(t *testing.T) (string, []byte) {
		st, path := openTemp(t)
		in := declare(t, st, "damaged")
		for i := 0; i < 50; i++ {
			if _, err := st.Append(ctx, model.Change{IncidentID: in, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: strings.Repeat("x", 500)}}); err != nil {
				t.Fatal(err)
			}
		}
		st.Close()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return path, b
	}
	for name, damage := range map[string]func([]byte) []byte{
		"truncated": func(b []byte) []byte { return b[:len(b)/2] },
		// The first page's b-tree header: the schema cannot be read.
		"damaged schema": func(b []byte) []byte { b[100] = 0x42; return b },
	} {
		t.Run(name, func(t *testing.T) {
			path, b := good(t)
			b = damage(b)
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := storage.Open(ctx, path, storage.Options{})
			if err == nil {
				t.Fatal("opened a store SQLite cannot read")
			}
			msg := err.Error()
			t.Log(msg)
			for _, want := range []string{path, "sync REMOTE", "verify", "backup"} {
				if !strings.Contains(msg, want) {
					t.Errorf("%q lacks %q", msg, want)
				}
			}
			if !errors.Is(err, storage.ErrDamaged) || strings.Contains(msg, "\n") || strings.Contains(msg, "(11)") {
				t.Errorf("want one line matching ErrDamaged, got %q", msg)
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(after, b) {
				t.Error("the damaged file was changed")
			}
		})
	}
}
