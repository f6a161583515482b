//go:build !unix

package storage

// writable cannot ask without writing here; SQLite's own refusal, said in
// words by describeSQLiteError, covers a store that turns out read-only.
func writable(string) error { return nil }
