package storage

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
)

// readOnlyReason says why this process cannot write the store at path (the
// file, its folder, or the -wal and -shm files SQLite keeps beside it), or
// "" when it can. Reading commands then still work; writing ones say this.
func readOnlyReason(path string) string {
	dir := filepath.Dir(path)
	if err := writable(dir); err != nil {
		return fmt.Sprintf("the folder %s is %s", dir, why(err))
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := writable(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Sprintf("%s is %s", p, why(err))
		}
	}
	return ""
}

func why(err error) string {
	if errors.Is(err, syscall.EROFS) {
		return "on a read-only file system"
	}
	return "read-only for you (" + err.Error() + ")"
}

// cannotCreate says why a new store could not be made at path, naming the
// folder that refused when that is the reason.
func cannotCreate(path string, err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) && (errors.Is(err, syscall.EROFS) || errors.Is(err, os.ErrPermission)) {
		// The folder that refused is the one the file or folder was to
		// be made in.
		dir := filepath.Dir(pe.Path)
		return &faultError{ErrReadOnly, fmt.Sprintf("create store %s: the folder %s is %s", path, dir, why(pe.Err)), err}
	}
	if errors.Is(err, syscall.ENOSPC) {
		return &faultError{ErrDiskFull, fmt.Sprintf("create store %s: the disk is full: free some space and try again", path), err}
	}
	return fmt.Errorf("create store %s: %w", path, err)
}

// readOnlyDSN opens a store this process may not write. SQLite in WAL mode
// wants to create its -wal and -shm files even to read; it cannot here, and
// where it could (a read-only file in a folder that is not) the -shm it
// made would carry the file's read-only mode and block every later write.
// With no -wal beside it, every committed change is in the main file, and
// immutable=1 reads just that, creating nothing. With one (a writer is at
// work, or was killed), the log holds committed changes that only reading
// through it shows, so SQLite reads it with the -shm that must then exist.
// A snapshot, when there is one, is read instead of path.
//
// immutable=1 also tells SQLite to take no locks. If someone who may write
// the store (its owner, on a folder only this user cannot write) starts
// while this process reads, a read can fail as damaged or see an older
// state; running the command again reads the new one. On a read-only mount
// nothing can write.
func readOnlyDSN(path, snapshot string) string {
	if snapshot != "" {
		path = snapshot
	}
	u := "file:" + escapePath(path) + "?" + busyPragma + "&_pragma=foreign_keys(1)&mode=ro"
	if info, err := os.Stat(path + "-wal"); err != nil || info.Size() == 0 {
		u += "&immutable=1"
	}
	return u
}

// readOnlySnapshot copies the store and its -wal into a private folder, for
// the one read-only case SQLite cannot read in place: a -wal left with no
// -shm beside it (its writer was killed and the -shm removed, or the files
// were copied without it). SQLite must rebuild the -shm to read the log and
// cannot create it here; in the copy it can. Nothing can be writing the
// original meanwhile: a live writer keeps a -shm. The folder is removed when
// the store closes.
func readOnlySnapshot(path string) (copyPath string, err error) {
	if _, err := os.Stat(path + "-shm"); err == nil {
		return "", nil
	}
	if info, err := os.Stat(path + "-wal"); err != nil || info.Size() == 0 {
		return "", nil
	}
	dir, err := os.MkdirTemp("", "sitrep-readonly-")
	if err != nil {
		return "", fmt.Errorf("open store %s read-only: copy it to read its -wal: %w", path, err)
	}
	copyPath = filepath.Join(dir, filepath.Base(path))
	for _, suffix := range []string{"", "-wal"} {
		if err := copyFile(path+suffix, copyPath+suffix); err != nil {
			os.RemoveAll(dir)
			return "", fmt.Errorf("open store %s read-only: copy it to read its -wal: %w", path, err)
		}
	}
	return copyPath, nil
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// readOnlyError is what every write to a read-only store returns.
func (s *Store) readOnlyError() error {
	return &faultError{ErrReadOnly, "read-only: " + s.readOnly + "; sitrep can show this store but not save to it, and nothing was saved", nil}
}

// ReadOnly says why this store cannot be written, or "" when it can.
func (s *Store) ReadOnly() string { return s.readOnly }
