package storage_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// closedStore makes a store with one incident, closed, as a previous
// 'sitrep' command leaves it.
func closedStore(t *testing.T) (string, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sitrep.db")
	st, err := storage.Open(context.Background(), path, storage.Options{Author: "alice@laptop"})
	if err != nil {
		t.Fatal(err)
	}
	id := declare(t, st, "Checkout 500s")
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return path, id
}

// TestOneShotNoteUsesOneConnection: a command that opens the store and
// appends once (sitrep note from a script) opens SQLite once. Preparing
// the append's statements store-wide while its transaction held the only
// connection opened a second one, parsing the schema again.
func TestOneShotNoteUsesOneConnection(t *testing.T) {
	ctx := context.Background()
	path, id := closedStore(t)
	st, err := storage.Open(ctx, path, storage.Options{Author: "bob@laptop"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	note := func(text string) {
		t.Helper()
		if _, err := st.Append(ctx, model.Change{IncidentID: id, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: text}}); err != nil {
			t.Fatal(err)
		}
	}
	note("Rolled back deploy 4812")
	if n := st.DB().Stats().OpenConnections; n != 1 {
		t.Errorf("open connections after one note: %d, want 1", n)
	}
	// Later appends in the same process use the store-wide statements.
	note("Error rate back to 0.1%")
	note("Paged the DB on-call")
	entries, err := st.Timeline(ctx, id, storage.TimelinePage{})
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, e := range entries {
		if e.Kind == model.EventNote {
			texts = append(texts, e.Text)
		}
	}
	if got := strings.Join(texts, "|"); got != "Rolled back deploy 4812|Error rate back to 0.1%|Paged the DB on-call" {
		t.Errorf("notes in the timeline: %q", got)
	}
}

// TestOpenRefusesNewerSchemaWhileOpenElsewhere: a store a newer sitrep
// holds open (its migration still in the WAL, the file's header not yet
// rewritten) is refused, and nothing is written to it.
func TestOpenRefusesNewerSchemaWhileOpenElsewhere(t *testing.T) {
	ctx := context.Background()
	path, _ := closedStore(t)
	newer, err := storage.Open(ctx, path, storage.Options{Author: "future@laptop"})
	if err != nil {
		t.Fatal(err)
	}
	defer newer.Close()
	if _, err := newer.DB().Exec("INSERT INTO schema_migrations(version, applied_at) VALUES (999, 0)"); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	st, err := storage.Open(ctx, path, storage.Options{Author: "old@laptop"})
	if err == nil {
		st.Close()
		t.Fatal("opened a store of a newer schema")
	}
	if msg := err.Error(); !strings.Contains(msg, "newer sitrep (schema 999;") || !strings.Contains(msg, path) {
		t.Errorf("error %q: want it to name %s and the newer schema", msg, path)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("the store file was written to")
	}
	var n int
	if err := newer.DB().QueryRow("SELECT count(*) FROM schema_migrations WHERE version = 999").Scan(&n); err != nil || n != 1 {
		t.Errorf("the newer store's own connection reads version 999 %d times (%v)", n, err)
	}
}

// TestOpenRefusesDamagedSchema: a file whose header is a sitrep store's but
// whose schema page is damaged is refused in words, and left as it was.
func TestOpenRefusesDamagedSchema(t *testing.T) {
	path, _ := closedStore(t)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Page 1 after the 100-byte header holds the schema table's b-tree.
	copy(b[100:], bytes.Repeat([]byte{0xff}, 400))
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := storage.Open(context.Background(), path, storage.Options{})
	if err == nil {
		st.Close()
		t.Fatal("opened a store with a damaged schema")
	}
	msg := err.Error()
	if !strings.Contains(msg, path) || !strings.Contains(msg, "damaged") || strings.Contains(msg, "\n") {
		t.Errorf("error %q: want one line naming %s and saying it is damaged", msg, path)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(b, after) {
		t.Error("the damaged file was changed")
	}
}
