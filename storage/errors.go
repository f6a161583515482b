package storage

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// The faults a responder can act on, for errors.Is. Their messages are
// written here once, so the CLI and the cockpit say the same thing.
var (
	// ErrDiskFull: a change did not fit on the disk. Nothing of it was
	// saved and everything saved before it is kept.
	ErrDiskFull = errors.New("the disk is full")
	// ErrReadOnly: the store, or the folder it is in, cannot be written.
	ErrReadOnly = errors.New("the store is read-only")
	// ErrDamaged: SQLite itself cannot read the store.
	ErrDamaged = errors.New("the store is damaged")
)

// RecoverHint says what to do with a store SQLite cannot read. Every part
// of it is something sitrep offers: a sync into a new file pulls every
// event the team's hub holds, and verify checks the result.
const RecoverHint = "keep this file as it is for later; restore the store from a backup, or from the team's hub with 'sitrep --db NEW-FILE sync REMOTE', then run 'sitrep --db NEW-FILE verify'"

const diskFullText = "the disk is full: this change was not saved (everything saved before it is kept); free some space and try again"

// describe is describeSQLiteError for this store's own calls: a full disk
// also names the store, last, so the cause still shows when a status line
// cuts the message short.
func (s *Store) describe(err error) error {
	err = describeSQLiteError(err)
	var f *faultError
	if errors.As(err, &f) && f.kind == ErrDiskFull && !strings.Contains(f.msg, s.path) {
		return &faultError{ErrDiskFull, fmt.Sprintf("%s (the store is %s)", f.msg, s.path), f.err}
	}
	return err
}

// faultError is one of the faults above, in words, still matching the
// driver's error underneath.
type faultError struct {
	kind error
	msg  string
	err  error
}

func (e *faultError) Error() string        { return e.msg }
func (e *faultError) Unwrap() error        { return e.err }
func (e *faultError) Is(target error) bool { return target == e.kind }

// describeSQLiteError turns the driver's reports of the faults a person can
// act on (a damaged file, a full disk, a read-only file, a wait that ran
// out) into words; anything else is returned as it is.
func describeSQLiteError(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return timeoutError{err}
	}
	var f *faultError
	if errors.As(err, &f) {
		return err
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB:
			return &faultError{ErrDamaged, "not a SQLite database", err}
		case sqlite3.SQLITE_CORRUPT:
			return &faultError{ErrDamaged, "the database file is damaged (SQLite cannot read it): " + RecoverHint, err}
		case sqlite3.SQLITE_FULL:
			return &faultError{ErrDiskFull, diskFullText, err}
		case sqlite3.SQLITE_READONLY:
			return &faultError{ErrReadOnly, "the store or its folder is read-only (SQLite could not write the file or the -wal and -shm files beside it): nothing was saved", err}
		}
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "file is not a database"):
		return &faultError{ErrDamaged, "not a SQLite database", err}
	case strings.Contains(msg, "malformed"):
		return &faultError{ErrDamaged, "the database file is damaged (SQLite cannot read it): " + RecoverHint, err}
	}
	return err
}

// timeoutError is a store call that ran out of time, said in words: what
// runs out is the wait for a database another program holds. It still
// matches context.DeadlineExceeded.
type timeoutError struct{ err error }

func (e timeoutError) Error() string {
	return "the database did not answer in time (another sitrep may be holding it): try again"
}

func (e timeoutError) Unwrap() error { return e.err }

// isBusy says err is SQLite's "database is locked": another process holds
// the lock this one needs.
func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}
