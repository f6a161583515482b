//go:build unix

package sync

import (
	"os"
	"syscall"
)

// lockDir holds an exclusive flock on the shared file's folder while the
// hub opens it, so syncs racing to create (and migrate) one shared file
// take turns instead of seeing each other's half-made file. Locking the
// folder leaves no file behind. Where flock is not supported (some
// network filesystems), it returns a no-op and the open's retries cover
// the race.
func lockDir(dir string) func() {
	f, err := os.Open(dir)
	if err != nil {
		return func() {}
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return func() {}
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}
}
