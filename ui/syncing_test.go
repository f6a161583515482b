package ui

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
	ssync "github.com/sitrep-dev/sitrep/sync"
)

func syncFuncs(st *storage.Store, hub string) (SyncFunc, PendingFunc) {
	return func(ctx context.Context) (ssync.Report, error) { return ssync.Sync(ctx, st, hub, ssync.Options{}) },
		func(ctx context.Context) (int64, error) { return ssync.Pending(ctx, st, hub) }
}

// TestSyncInTheCockpit syncs two stores through a hub file: a note bob
// makes elsewhere shows on alice's open incident after ctrl+s, and the
// header shows the last sync and what waits to go out.
func TestSyncInTheCockpit(t *testing.T) {
	ctx := context.Background()
	hub := filepath.Join(t.TempDir(), "hub.db")
	c := newClock()
	alice := openStore(t, c, "alice@laptop")
	seed(t, alice, c, bundled(t))
	bob := openStore(t, c, "bob@desk")

	syncA, pendA := syncFuncs(alice, hub)
	d := newDriver(t, Options{Store: alice, Now: c.Now, Sync: syncA, Pending: pendA, Remote: hub}, 160, 48)
	// Init synced once: everything of alice's went to the hub.
	a := d.app()
	if a.sync.Running || a.sync.Err != "" || a.sync.At.IsZero() {
		t.Fatalf("after the first sync: %+v", a.sync)
	}
	if _, err := ssync.Sync(ctx, bob, hub, ssync.Options{}); err != nil {
		t.Fatal(err)
	}
	c.Add(time.Minute)
	mustAppend(t, bob, model.Change{IncidentID: incA, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "Bob here: EU edge recovered at 02:52"}})
	if _, err := ssync.Sync(ctx, bob, hub, ssync.Options{}); err != nil {
		t.Fatal(err)
	}

	d.press("enter")
	if strings.Contains(d.view(), "Bob here") {
		t.Fatal("bob's note is here before any sync")
	}
	d.press("ctrl+s")
	if v := d.view(); !strings.Contains(v, "Bob here: EU edge recovered") {
		t.Fatalf("bob's note did not appear after ctrl+s:\n%s", v)
	}

	// A note of alice's waits to go out until the next sync.
	d.press("n")
	d.typeText("Alice: closing the bridge")
	d.press("enter")
	if d.app().sync.Pending != 1 {
		t.Errorf("pending %d, want 1", d.app().sync.Pending)
	}
	if head := ansi.Strip(d.view()); !strings.Contains(head, "1 to send") || !strings.Contains(head, "synced") {
		t.Errorf("header lacks the sync state:\n%s", strings.SplitN(head, "\n", 3)[1])
	}
	d.send(syncTickMsg{})
	if d.app().sync.Pending != 0 {
		t.Errorf("pending %d after a sync, want 0", d.app().sync.Pending)
	}
	n, err := ssync.Pending(ctx, alice, hub)
	if err != nil || n != 0 {
		t.Errorf("store says %d pending, %v", n, err)
	}
}

// TestSyncFailureInHeader: a hub that cannot be used shows as an error in
// the header, in words, and the cockpit carries on.
func TestSyncFailureInHeader(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	hub := filepath.Join(t.TempDir(), "no-such-folder", "hub.db")
	syncFn, pend := syncFuncs(st, hub)
	d := newDriver(t, Options{Store: st, Now: c.Now, Sync: syncFn, Pending: pend, Remote: hub}, 160, 48)
	a := d.app()
	if a.sync.Err == "" || a.sync.Running {
		t.Fatalf("sync to a missing folder did not fail: %+v", a.sync)
	}
	// The error's start, at least: a long one is cut to the line.
	if head := strings.SplitN(ansi.Strip(d.view()), "\n", 2)[0]; !strings.Contains(head, "sync "+a.sync.Err[:min(len(a.sync.Err), 20)]) {
		t.Errorf("header does not show the sync error %q: %q", a.sync.Err, head)
	}
	d.press("enter", "n")
	d.typeText("still works offline")
	d.press("enter")
	if p := d.app().slot.prompt(); p != nil {
		t.Fatalf("note not saved: %q", p.err)
	}
}

func TestSyncErrorWords(t *testing.T) {
	words, offline := syncErrorWords(&ssync.Error{Remote: "ops@hub:x.db", Kind: ssync.KindUnreachable, Reason: "ssh: connect to host hub port 22: Network is unreachable"})
	if !offline || !strings.Contains(words, "offline") {
		t.Errorf("unreachable hub: %q %v", words, offline)
	}
	words, offline = syncErrorWords(&ssync.Error{Remote: "x", Kind: ssync.KindRefused, Reason: "no folder /srv/sitrep on the hub"})
	if offline || words != "no folder /srv/sitrep on the hub" {
		t.Errorf("refused: %q %v", words, offline)
	}
	if words, _ := syncErrorWords(context.DeadlineExceeded); !strings.Contains(words, "did not answer") {
		t.Errorf("timeout: %q", words)
	}
	if words, _ := syncErrorWords(errors.New("boom")); words != "boom" {
		t.Errorf("other: %q", words)
	}
}

// TestOtherProcessWritesShow: an event another process appends to the same
// file shows on the next poll, without a restart.
func TestOtherProcessWritesShow(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	other, err := storage.Open(context.Background(), st.Path(), storage.Options{Author: "cli@laptop", Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	d := newDriver(t, Options{Store: st, Now: c.Now}, 160, 48)
	d.press("enter")
	mustAppend(t, other, model.Change{IncidentID: incA, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "written by sitrep note in another terminal"}})
	d.send(tickMsg(c.Now()))
	if !strings.Contains(d.view(), "written by sitrep note in another terminal") {
		t.Error("a note written by another process did not show after a poll")
	}
}

// TestCadenceTimer: the header counts down to the next update an audience
// is owed, and says LATE once it passes.
func TestCadenceTimer(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	policy := model.CadencePolicy{model.SEV1: {model.AudienceCustomers: {First: 5 * time.Minute, Every: 20 * time.Minute}}}
	d := newDriver(t, Options{Store: st, Now: c.Now, Cadence: policy}, 160, 48)
	d.press("enter")
	head := func() string { return strings.Split(ansi.Strip(d.view()), "\n")[1] }
	// Declared at 02:34, now 02:51: the first customer message was due at 02:39.
	if h := head(); !strings.Contains(h, "customers update LATE by 12m") {
		t.Errorf("header %q, want the customer update 12m late", h)
	}
	mustAppend(t, st, model.Change{IncidentID: incA, Kind: model.EventMessageSent, Payload: model.MessagePayload{Audience: model.AudienceCustomers, Text: "We are investigating failed checkouts in the EU."}})
	d.send(tickMsg(c.Now()))
	if h := head(); !strings.Contains(h, "customers update due in 20m") {
		t.Errorf("after a message, header %q, want due in 20m", h)
	}
	c.Add(17 * time.Minute)
	d.send(tickMsg(c.Now()))
	if h := head(); !strings.Contains(h, "customers update due in 3m") {
		t.Errorf("later, header %q, want due in 3m", h)
	}
}

// TestLiveInHeader: with a live session the header says live, counts down
// to the next try after a drop, says since when the hub is unreachable,
// and says when the hub is too old for a session.
func TestLiveInHeader(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	a := New(Options{Store: st, Now: c.Now, Renderer: asciiRenderer(), Poll: -1, Remote: "hub.db",
		Sync: func(context.Context) (ssync.Report, error) { return ssync.Report{}, nil },
		Live: func(ctx context.Context, _ func(ssync.LiveEvent)) error { <-ctx.Done(); return nil }})
	a.sync.Live.started = true
	head := func(e ssync.LiveEvent) string {
		t.Helper()
		a.onLive(liveMsg(e))
		return ansi.Strip(a.syncField())
	}
	if h := head(ssync.LiveEvent{State: ssync.LiveConnecting}); h != "sync connecting…" {
		t.Errorf("connecting: %q", h)
	}
	if h := head(ssync.LiveEvent{State: ssync.LiveOn}); h != "sync live" {
		t.Errorf("live: %q", h)
	}
	drop := &ssync.Error{Kind: ssync.KindInterrupted, Reason: "the connection to the hub dropped"}
	if h := head(ssync.LiveEvent{State: ssync.LiveRetrying, Err: drop, RetryAt: time.Now().Add(8*time.Second + 300*time.Millisecond)}); h != "sync reconnecting in 8s" {
		t.Errorf("dropped: %q", h)
	}
	head(ssync.LiveEvent{State: ssync.LiveRetrying, Err: drop, RetryAt: time.Now().Add(-time.Second)})
	if h := head(ssync.LiveEvent{State: ssync.LiveConnecting, OfflineSince: time.Now()}); h != "sync reconnecting…" {
		t.Errorf("reconnecting: %q", h)
	}
	since := time.Date(2026, 3, 1, 14, 2, 0, 0, time.UTC)
	gone := &ssync.Error{Kind: ssync.KindUnreachable, Reason: "ssh could not connect"}
	if h := head(ssync.LiveEvent{State: ssync.LiveRetrying, Err: gone, RetryAt: time.Now().Add(time.Minute), OfflineSince: since}); h != "sync offline since 14:02Z" {
		t.Errorf("offline: %q", h)
	}
	if h := head(ssync.LiveEvent{State: ssync.LiveOneShot, Err: ssync.ErrHubTooOld}); !strings.Contains(h, "synced") || !strings.Contains(h, "hub too old for live") {
		t.Errorf("old hub: %q", h)
	}
}
