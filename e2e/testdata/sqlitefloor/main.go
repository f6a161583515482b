// Command sqlitefloor is the least a Go program on sitrep's stack does to
// add a row durably: start the Go runtime, open the store through
// modernc.org/sqlite with sitrep's settings (WAL, synchronous=FULL),
// insert one row in a transaction, close. BenchmarkCLINote times it beside
// 'sitrep note' and the C sqlite3 shell, so what is sitrep's own cost and
// what is the stack's can be told apart.
//
// Usage: sqlitefloor STORE TEXT
package main

import (
	"database/sql"
	"fmt"
	"os"
	"time"

	_ "modernc.org/sqlite"
)

func main() {
	if err := insert(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "sqlitefloor:", err)
		os.Exit(1)
	}
}

func insert(path, text string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(15000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate")
	if err != nil {
		return err
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	if _, err := tx.Exec(`INSERT INTO bench_notes(at, body) VALUES (?, ?)`, time.Now().UnixMilli(), text); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
