package sync

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	stdsync "sync"
	"sync/atomic"
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
	return startLiveWith(t, st, hub, opts, LiveOptions{}, wait)
}

// startLiveWith is startLive with lo's Ping and polls (the test sets the
// backoffs and the notifications).
func startLiveWith(t testing.TB, st *storage.Store, hub string, opts Options, lo LiveOptions, wait bool) *liveRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	l := &liveRun{on: make(chan struct{}, 100), done: make(chan error, 1), cancel: cancel}
	lo.MinBackoff, lo.MaxBackoff, lo.Fallback = 50*time.Millisecond, 400*time.Millisecond, 200*time.Millisecond
	lo.Notify = func(e LiveEvent) {
		l.mu.Lock()
		l.events = append(l.events, e)
		l.mu.Unlock()
		if e.State == LiveOn {
			l.on <- struct{}{}
		}
	}
	go func() {
		l.done <- Live(ctx, st, hub, opts, lo)
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

// A quiet session with a short timeout stays up: it pings often enough
// that a hub that is there is always heard from within the timeout. (With
// a ping every 20 s and "sync --watch --timeout 10s", every quiet session
// was dropped as dead at its first ping.)
func TestLiveQuietSessionWithShortTimeoutStaysUp(t *testing.T) {
	dir := t.TempDir()
	a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
	declare(t, a, "quiet")
	opts := localOpts()
	opts.Timeout = time.Second
	l := startLiveWith(t, a, filepath.Join(dir, "hub.db"), opts, LiveOptions{Ping: 3 * time.Second}, true)
	time.Sleep(5 * time.Second)
	if drops := l.seen(LiveRetrying); len(drops) > 0 {
		t.Fatalf("a quiet session whose hub answers dropped %d times: %+v", len(drops), drops)
	}
}

// A hub that stops answering, its end still open, is noticed within the
// timeout and a ping more, and the session reconnects.
func TestLiveNoticesAHubThatStopsAnswering(t *testing.T) {
	dir := t.TempDir()
	a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
	declare(t, a, "hung")
	opts := localOpts()
	opts.Timeout = time.Second
	var dials atomic.Int32
	var mute atomic.Bool
	opts.wrapServer = func(r io.Reader, w io.Writer, abort func()) (io.Reader, io.Writer) {
		if dials.Add(1) == 1 {
			return r, &muteWriter{w: w, mute: &mute}
		}
		return r, w
	}
	l := startLiveWith(t, a, filepath.Join(dir, "hub.db"), opts, LiveOptions{Ping: 20 * time.Second}, true)
	mute.Store(true)
	start := time.Now()
	l.waitOn(t)
	took := time.Since(start)
	if drops := l.seen(LiveRetrying); len(drops) != 1 {
		t.Fatalf("%d drops reported, want 1: %+v", len(drops), drops)
	}
	if took > 4*time.Second {
		t.Fatalf("a hub that stopped answering was noticed and left after %s, want within the 1 s timeout and a ping more", took)
	}
	t.Logf("a hung hub was noticed and the session back within %s", took.Round(time.Millisecond))
}

// muteWriter drops everything once mute is set, as a hub that hangs with
// its connection open would.
type muteWriter struct {
	w    io.Writer
	mute *atomic.Bool
}

func (m *muteWriter) Write(b []byte) (int, error) {
	if m.mute.Load() {
		return len(b), nil
	}
	return m.w.Write(b)
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
