package export_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sitrep-dev/sitrep/export"
	"github.com/sitrep-dev/sitrep/storage"
	"github.com/sitrep-dev/sitrep/storage/storagetest"
)

// An import that fails midway (here the disk fills after 5,500 events, a
// trigger standing in for it) stores nothing: not the first batches, as
// it did when each batch of 5,000 was its own transaction. Once the cause
// is gone, the same file imports whole.
func TestImportFailingMidwayStoresNothing(t *testing.T) {
	ctx := context.Background()
	srcPath := filepath.Join(t.TempDir(), "src.db")
	if err := storagetest.Generate(ctx, srcPath, storagetest.Spec{Incidents: 5, Entries: 6000, Big: 2000, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	src, err := storage.Open(ctx, srcPath, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var all bytes.Buffer
	if err := export.WriteAll(ctx, src, &all, nil); err != nil {
		t.Fatal(err)
	}
	file := writeTemp(t, all.Bytes())
	dst := storeWith(t, nil)
	if _, err := dst.DB().ExecContext(ctx, `CREATE TRIGGER disk_full BEFORE INSERT ON events WHEN NEW.seq > 5500 OR (SELECT count(*) FROM events) >= 5500
		BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`); err != nil {
		t.Fatal(err)
	}
	_, err = export.Import(ctx, dst, file)
	if err == nil || !strings.Contains(err.Error(), "full") {
		t.Fatalf("want the import to fail on the full disk, got %v", err)
	}
	if n := countEvents(t, dst); n != 0 {
		t.Fatalf("a failed import stored %d events", n)
	}
	if list, _ := dst.Incidents(ctx); len(list) != 0 {
		t.Fatalf("a failed import left %d incidents", len(list))
	}
	if _, err := dst.DB().ExecContext(ctx, `DROP TRIGGER disk_full`); err != nil {
		t.Fatal(err)
	}
	res, err := export.Import(ctx, dst, file)
	if err != nil || res.Applied < 6000 {
		t.Fatalf("import after the disk was freed: %+v %v", res, err)
	}
	if rep, err := dst.Verify(ctx); err != nil || len(rep.Problems) != 0 {
		t.Fatalf("verify: %v %v", rep.Problems, err)
	}
	want, _ := src.ProjectionDigest(ctx)
	if got, _ := dst.ProjectionDigest(ctx); got != want {
		t.Fatal("the imported store's tables differ from the exported one's")
	}
}
