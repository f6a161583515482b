//go:build unix

package storage

import "syscall"

// writable asks the kernel whether this process may write path, without
// writing: it answers for permission bits, ACLs, read-only mounts and
// immutable files alike (root included, which ignores only the bits).
func writable(path string) error {
	return syscall.Access(path, 2 /* W_OK */)
}
