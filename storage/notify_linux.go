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
// It sees writes made on this machine only, so on a network or user-space
// filesystem there is no notifier and the watcher polls often instead.
type notifier struct {
	f    *os.File
	wake chan struct{}
}

func newNotifier(path string) *notifier {
	if remoteFS(filepath.Dir(path)) {
		return nil
	}
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

// Filesystems whose files other machines write: inotify reports only this
// machine's writes to them, so a watcher there must poll.
var remoteMagic = map[uint32]bool{
	0x6969:     true, // nfs
	0x517b:     true, // smb
	0xff534d42: true, // cifs
	0xfe534d42: true, // smb2
	0x65735546: true, // fuse; sshfs, rclone, s3fs and other user-space mounts
	0x00c36400: true, // ceph
	0x5346414f: true, // afs
	0x6b414653: true, // afs
	0x01021997: true, // 9p; also WSL's drives and VM shared folders
	0x01161970: true, // gfs2
	0x7461636f: true, // ocfs2
	0x0bd00bd0: true, // lustre
	0x47504653: true, // gpfs
}

// remoteFS says whether dir is on a filesystem that other machines may
// write; an unreadable one is taken as local, as before.
func remoteFS(dir string) bool {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return false
	}
	return remoteMagic[uint32(st.Type)] // a 32-bit magic, signed on some platforms
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
