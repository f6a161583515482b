package storagetest

import (
	"database/sql"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite" // the same driver the store uses
)

// KilledMidCheckpoint leaves at path the files a process leaves when it is
// killed (or the disk fills) while SQLite copies the write-ahead log into
// the main file: the main file's header already counts the pages the log
// adds, the file is not yet that long, and the log still holds every
// committed frame. SQLite reads such a store correctly.
//
// The store at path must exist and be closed. write runs while the test
// holds a connection open, so the writes stay in the -wal (the last
// connection to close would otherwise copy them in and delete the log); it
// must grow the store by a few pages (a few dozen notes do). The state is
// built without timing luck: the files are copied as they are after write
// returns (what a SIGKILL leaves), a copy of them is checkpointed to learn
// what the finished checkpoint writes, and the first pages of that are laid
// over the main file, in the order SQLite's checkpoint writes them (page 1,
// holding the new page count, first).
func KilledMidCheckpoint(t testing.TB, path string, write func()) {
	t.Helper()
	holder, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(15000)")
	if err != nil {
		t.Fatal(err)
	}
	// Only this connection, kept open, holds the log in place.
	holder.SetMaxOpenConns(1)
	holder.SetConnMaxIdleTime(0)
	var n int
	if err := holder.QueryRow("SELECT count(*) FROM sqlite_master").Scan(&n); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	write()
	main, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	wal, err := os.ReadFile(path + "-wal")
	if err != nil {
		t.Fatalf("no write-ahead log after the writes: %v", err)
	}
	holder.Close()

	// What the main file looks like once the checkpoint has finished.
	dir := t.TempDir()
	done := filepath.Join(dir, "done.db")
	if err := os.WriteFile(done, main, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(done+"-wal", wal, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+done)
	if err != nil {
		t.Fatal(err)
	}
	var busy, logged, copied int
	if err := db.QueryRow("PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logged, &copied); err != nil || busy != 0 {
		t.Fatalf("checkpoint of the copy: busy=%d %v", busy, err)
	}
	db.Close()
	full, err := os.ReadFile(done)
	if err != nil {
		t.Fatal(err)
	}
	pageSize := int(binary.BigEndian.Uint16(full[16:18]))
	if pageSize == 1 {
		pageSize = 65536
	}
	pages := int(binary.BigEndian.Uint32(full[28:32]))
	have := len(main) / pageSize
	if pages-have < 2 || len(before) > len(main) {
		t.Fatalf("the writes must grow the store by 2 pages or more while it is open: main file %d pages, %d after a checkpoint", have, pages)
	}
	// Killed after writing about half of the new pages.
	k := have + (pages-have)/2
	crashed := append([]byte(nil), main...)
	if len(crashed) < k*pageSize {
		crashed = append(crashed, make([]byte, k*pageSize-len(crashed))...)
	}
	copy(crashed, full[:k*pageSize])
	if err := os.WriteFile(path, crashed, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+"-wal", wal, 0o600); err != nil {
		t.Fatal(err)
	}
	// A killed process's -shm is rebuilt from the log by the next reader;
	// leaving none makes that rebuild certain.
	if err := os.Remove(path + "-shm"); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if got := int(binary.BigEndian.Uint32(crashed[28:32])); got*pageSize <= len(crashed) {
		t.Fatal(fmt.Sprintf("construction failed: header says %d pages, file has %d bytes", got, len(crashed)))
	}
}
