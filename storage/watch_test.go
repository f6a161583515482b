package storage_test

import (
	"context"
	"runtime"
	"testing"
	"time"
)

// On Linux, a store on a local disk is watched by the kernel's word, not by
// polling: the live session's long safety poll relies on it. A commit by
// the store's own connections wakes the watcher, and Changed then sees it.
func TestWatcherWokenByCommit(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("inotify is Linux's")
	}
	ctx := context.Background()
	st, _ := openTemp(t)
	w, err := st.Watch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if !w.Notified() {
		t.Fatal("a store in a local temp dir is not watched by inotify: the live session would wait a minute between looks")
	}
	declare(t, st, "wake up")
	select {
	case <-w.Wake():
	case <-time.After(5 * time.Second):
		t.Fatal("no wake within 5 s of a commit")
	}
	// The wake may come before the commit is published: look a few times.
	for range 100 {
		changed, err := w.Changed(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if changed {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("woken, but the commit was not seen within 2 s")
}
