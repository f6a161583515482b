package sync

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	stdsync "sync"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/storage"
)

// liveRun is a live session a test started, and what it reported.
type liveRun struct {
	mu     stdsync.Mutex
	events []LiveEvent
	on     chan struct{} // a value each time the session goes live
	done   chan error
	cancel context.CancelFunc
}

func (l *liveRun) seen(state LiveState) []LiveEvent {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []LiveEvent
	for _, e := range l.events {
		if e.State == state {
			out = append(out, e)
		}
	}
	return out
}

// startLive runs Live for st until the test ends, and waits until it is
// live (unless wait is false).
func startLive(t testing.TB, st *storage.Store, hub string, opts Options, wait bool) *liveRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	l := &liveRun{on: make(chan struct{}, 100), done: make(chan error, 1), cancel: cancel}
	go func() {
		l.done <- Live(ctx, st, hub, opts, LiveOptions{MinBackoff: 50 * time.Millisecond, MaxBackoff: 400 * time.Millisecond, Fallback: 200 * time.Millisecond,
			Notify: func(e LiveEvent) {
				l.mu.Lock()
				l.events = append(l.events, e)
				l.mu.Unlock()
				if e.State == LiveOn {
					l.on <- struct{}{}
				}
			}})
	}()
	t.Cleanup(func() { l.stop(t) })
	if wait {
		l.waitOn(t)
	}
	return l
}

func (l *liveRun) waitOn(t testing.TB) {
	t.Helper()
	select {
	case <-l.on:
	case <-time.After(10 * time.Second):
		l.mu.Lock()
		defer l.mu.Unlock()
		t.Fatalf("the session did not go live: %+v", l.events)
	}
}

func (l *liveRun) stop(t testing.TB) {
	l.cancel()
	select {
	case err := <-l.done:
		if err != nil {
			t.Errorf("Live: %v", err)
		}
		l.done <- err
	case <-time.After(10 * time.Second):
		t.Error("Live did not return after its context ended")
	}
}

// arrives waits until st holds the event id, at most within.
func arrives(t testing.TB, st *storage.Store, id string, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		missing, err := st.MissingIDs(context.Background(), []string{id})
		if err != nil {
			t.Fatal(err)
		}
		if len(missing) == 0 {
			return time.Since(start)
		}
		if time.Since(start) > within {
			where := ""
			if h, err := storage.Open(context.Background(), filepath.Join(filepath.Dir(st.Path()), "hub.db"), storage.Options{}); err == nil {
				m, _ := h.MissingIDs(context.Background(), []string{id})
				where = fmt.Sprintf(" (the hub lacks it: %v)", len(m) > 0)
				h.Close()
			}
			t.Fatalf("%s: event %s did not arrive within %s%s", st.Author(), id, within, where)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func holdSame(t testing.TB, stores ...*storage.Store) {
	t.Helper()
	want := eventIDs(t, stores[0])
	for _, st := range stores[1:] {
		got := eventIDs(t, st)
		if len(got) != len(want) {
			t.Fatalf("%s holds %d events, %s %d", st.Path(), len(got), stores[0].Path(), len(want))
		}
		for id := range want {
			if !got[id] {
				t.Fatalf("%s lacks %s", st.Path(), id)
			}
		}
	}
}

// A note saved in one store reaches another through the hub while both
// sessions stay open, both ways, within 2 s; notes saved by another
// handle on the store (another process, such as 'sitrep note') go too.
func TestLiveNoteReachesTheOtherStore(t *testing.T) {
	dir := t.TempDir()
	hub := filepath.Join(dir, "hub.db")
	a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
	b := openStore(t, filepath.Join(dir, "b.db"), "bob", nil)
	in := declare(t, a, "live")
	la := startLive(t, a, hub, localOpts(), true)
	startLive(t, b, hub, localOpts(), true)
	arrives(t, b, note(t, a, in, "first").ID, 2*time.Second)
	for i := range 5 {
		e := note(t, a, in, "from alice")
		t.Logf("a→b %d: %s", i, arrives(t, b, e.ID, 2*time.Second))
		e = note(t, b, in, "from bob")
		t.Logf("b→a %d: %s", i, arrives(t, a, e.ID, 2*time.Second))
	}
	// Another process's handle on a's file: what 'sitrep note' does.
	other, err := storage.Open(context.Background(), a.Path(), storage.Options{Author: "alice-cli"})
	if err != nil {
		t.Fatal(err)
	}
	e := note(t, other, in, "from the shell")
	other.Close()
	arrives(t, b, e.ID, 2*time.Second)
	h, err := storage.Open(context.Background(), hub, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	holdSame(t, a, b, h)
	if len(la.seen(LiveBatch)) == 0 {
		t.Fatal("no batches reported")
	}
}

// killable lets a test cut every in-process link it made, as a dead ssh
// or a killed serve-sync would.
type killable struct {
	mu     stdsync.Mutex
	aborts []func()
}

func (k *killable) opts(o Options) Options {
	o.wrapServer = func(r io.Reader, w io.Writer, abort func()) (io.Reader, io.Writer) {
		k.mu.Lock()
		k.aborts = append(k.aborts, abort)
		k.mu.Unlock()
		return r, w
	}
	return o
}

func (k *killable) cut() {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, f := range k.aborts {
		f()
	}
	k.aborts = nil
}

// A cut link reconnects by itself, and what either side saved while it was
// down arrives after: nothing is lost, nothing doubled.
func TestLiveReconnectsAfterACut(t *testing.T) {
	dir := t.TempDir()
	hub := filepath.Join(dir, "hub.db")
	a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
	b := openStore(t, filepath.Join(dir, "b.db"), "bob", nil)
	in := declare(t, a, "cut")
	var k killable
	la := startLive(t, a, hub, k.opts(localOpts()), true)
	startLive(t, b, hub, localOpts(), true)
	arrives(t, b, note(t, a, in, "first").ID, 2*time.Second)
	for round := range 3 {
		k.cut()
		var ids []string
		for range 3 {
			ids = append(ids, note(t, a, in, "while cut").ID, note(t, b, in, "while a is cut").ID)
		}
		la.waitOn(t)
		for _, id := range ids {
			arrives(t, a, id, 5*time.Second)
			arrives(t, b, id, 5*time.Second)
		}
		t.Logf("round %d: reconnected", round)
	}
	if n := len(la.seen(LiveRetrying)); n < 3 {
		t.Fatalf("%d reconnects reported, want 3", n)
	}
	h, err := storage.Open(context.Background(), hub, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	holdSame(t, a, b, h)
	checkConsistent(t, a)
	checkConsistent(t, b)
}

// A hub speaking protocol 2 cannot hold a session: the client says so and
// syncs one-shot on its timer instead, and events still move. An old
// one-shot client syncs with a hub that holds live sessions as before.
func TestLiveWithOlderPeers(t *testing.T) {
	dir := t.TempDir()
	hub := filepath.Join(dir, "hub.db")
	a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
	b := openStore(t, filepath.Join(dir, "b.db"), "bob", nil)
	c := openStore(t, filepath.Join(dir, "c.db"), "carol", nil)
	in := declare(t, a, "old")
	oldHub := localOpts()
	oldHub.serverProto = 2
	la := startLive(t, a, hub, oldHub, false)
	startLive(t, b, hub, localOpts(), true)
	arrives(t, b, note(t, a, in, "first").ID, 3*time.Second)
	e := note(t, b, in, "to a, the slow way")
	arrives(t, a, e.ID, 3*time.Second)
	old := la.seen(LiveOneShot)
	if len(old) == 0 || !errors.Is(old[0].Err, ErrHubTooOld) || len(la.seen(LiveOn)) != 0 {
		t.Fatalf("against an old hub: %+v", la.events)
	}
	t.Logf("old hub: %v", old[0].Err)

	oldClient := localOpts()
	oldClient.maxProto = 2
	if rep := mustSync(t, c, hub, oldClient); rep.Pulled < 4 {
		t.Fatalf("old client: %+v", rep)
	}
	e = note(t, c, in, "carol")
	if rep := mustSync(t, c, hub, oldClient); rep.Pushed != 1 {
		t.Fatalf("old client: %+v", rep)
	}
	arrives(t, b, e.ID, 2*time.Second)
}
