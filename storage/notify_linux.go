//go:build linux

package storage

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"unsafe"
)

// notifier wakes a watcher when the kernel says the store's file or its
// WAL was written (inotify on the folder, so a WAL created later is seen
// too). An idle session then costs nothing at all: no timer, no query.
// It sees writes made on this machine only; a store on a network mount
// written from elsewhere is still noticed by the watcher's slower poll.
type notifier struct {
	f    *os.File
	wake chan struct{}
}

func newNotifier(path string) *notifier {
	fd, err := syscall.InotifyInit1(syscall.IN_CLOEXEC | syscall.IN_NONBLOCK)
	if err != nil {
		return nil
	}
	// Writes only: a commit writes the WAL (or the file). Not closes nor
	// creations: every connection that any sitrep on the hub lets go of
	// (database/sql closes idle ones after a minute) would otherwise wake
	// every session for nothing; fifty processes doing that cost 12% of a
	// core.
	if _, err := syscall.InotifyAddWatch(fd, filepath.Dir(path), syscall.IN_MODIFY|syscall.IN_MOVED_TO); err != nil {
		syscall.Close(fd)
		return nil
	}
	// Non-blocking, so reads wait in the runtime's poller and Close ends
	// them.
	n := &notifier{f: os.NewFile(uintptr(fd), "inotify"), wake: make(chan struct{}, 1)}
	base := filepath.Base(path)
	go n.read(base, base+"-wal")
	return n
}

func (n *notifier) read(names ...string) {
	buf := make([]byte, 16<<10)
	for {
		k, err := n.f.Read(buf)
		if err != nil {
			return
		}
		hit := false
		for off := 0; off+syscall.SizeofInotifyEvent <= k; {
			ev := (*syscall.InotifyEvent)(unsafe.Pointer(&buf[off]))
			end := min(off+syscall.SizeofInotifyEvent+int(ev.Len), k)
			name := string(bytes.TrimRight(buf[off+syscall.SizeofInotifyEvent:end], "\x00"))
			for _, want := range names {
				hit = hit || name == want
			}
			off = end
		}
		if hit {
			select {
			case n.wake <- struct{}{}:
			default:
			}
		}
	}
}

func (n *notifier) close() { n.f.Close() }
