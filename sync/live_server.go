package sync

import (
	"context"
	"fmt"
	"time"

	"github.com/sitrep-dev/sitrep/model"
)

// pollDefaults fills in how often a live session looks for new commits to
// its store (the hub's side for other clients' events, the client's for
// events made here) where the kernel cannot say when the files change: one
// look is one data_version pragma, and a new event waits at most poll.
// Where it can (Linux's inotify on a local filesystem), a session looks
// when woken, and then only every safety, a net for a wake missed: fifty
// idle sessions then cost almost nothing. 0 is 200 ms and 60 s.
func pollDefaults(poll, safety time.Duration) (time.Duration, time.Duration) {
	if poll <= 0 {
		poll = 200 * time.Millisecond
	}
	if safety <= 0 {
		safety = 60 * time.Second
	}
	return poll, safety
}

// pollEvery is how often to look at w without being woken.
func pollEvery(w interface{ Notified() bool }, poll, safety time.Duration) time.Duration {
	if w.Notified() {
		return safety
	}
	return poll
}

// lookAfter are the pauses between a wake and the looks it asks for: a
// commit writes its WAL frames, syncs them to disk, then publishes them in
// the shared-memory index, which the kernel does not report; so a look
// may come too early, or find another commit than the one that woke it,
// and nothing else would wake the session. Every look in the list is
// made, counting again from the latest wake: close together at first,
// then every poll for a few seconds, since a busy disk can take that
// long to sync a commit (measured: over a second, now and then, on a
// shared machine), then 1, 2, 4 and 8 s apart, so that even a slower
// commit is not left to the safety poll a minute away.
func lookAfter(poll time.Duration) []time.Duration {
	out := []time.Duration{2 * time.Millisecond, 8 * time.Millisecond, 15 * time.Millisecond, 25 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond}
	for range 15 {
		out = append(out, poll)
	}
	for d := time.Second; d <= 8*time.Second; d *= 2 {
		out = append(out, max(poll, d))
	}
	return out
}

// looker schedules the looks a wake asks for.
type looker struct {
	after []time.Duration // lookAfter
	c     <-chan time.Time
	n     int
}

// woken starts a round of looks, or starts the one under way again.
func (l *looker) woken() {
	if l.c == nil {
		l.c = time.After(l.after[0])
	}
	l.n = 1
}

// looked schedules the next look of the round, if any.
func (l *looker) looked() {
	l.c = nil
	if l.n < len(l.after) {
		l.c = time.After(l.after[l.n])
		l.n++
	}
}

// live keeps the session open after the one-shot exchange: every commit
// to the hub (another client's push, a local note on the hub's host) goes
// to this client a batch at a time, each after the client said it stored
// the one before; the client's pushes are applied as in a one-shot sync.
// sent is the hub seq up to which this client holds everything or has been
// sent it.
func (srv *server) live(ctx context.Context, sent int64) error {
	w, err := srv.st.Watch(ctx)
	if err != nil {
		return err
	}
	defer w.Close()
	if err := srv.s.send(&message{T: tLive}); err != nil {
		return err
	}
	inflight := false
	next := func() error {
		page, _, err := srv.st.EventsAfter(ctx, sent, srv.opts.Batches.Events)
		if err != nil || len(page) == 0 {
			return err
		}
		part := srv.opts.Batches.split(page)[0]
		tail := part[len(part)-1]
		if err := srv.s.send(&message{T: tEvents, Events: wireEvents(part), Last: tail.Seq, LastID: tail.ID}); err != nil {
			return err
		}
		sent, inflight = tail.Seq, true
		return nil
	}
	// What arrived between the pull's end and the watcher's start.
	if err := next(); err != nil {
		return err
	}
	tick := time.NewTicker(pollEvery(w, srv.opts.Poll, srv.opts.SafetyPoll))
	defer tick.Stop()
	heard := time.Now()
	look := looker{after: lookAfter(srv.opts.Poll)}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case fr := <-srv.s.msgs:
			if fr.err != nil {
				return fr.err
			}
			heard = time.Now()
			m := fr.m
			switch m.T {
			case tBye:
				return srv.s.send(&message{T: tBye})
			case tError:
				return remoteError{msg: m.Msg}
			case tPing:
				if err := srv.s.send(&message{T: tPong}); err != nil {
					return err
				}
			case tGot:
				if !inflight || m.Seq != sent {
					return fmt.Errorf("%w: got %d while %d was in flight", errGarbage, m.Seq, sent)
				}
				inflight = false
				if err := next(); err != nil {
					return err
				}
			case tPush:
				pullTo, err := srv.pushTo(ctx, m)
				if err != nil {
					return err
				}
				// The client holds everything up to pullTo now: its own
				// events need not come back to it.
				if !inflight && pullTo > sent {
					sent = pullTo
				}
			default:
				return fmt.Errorf("%w: unknown request %q in a live session", errGarbage, model.OneLine(m.T))
			}
		case <-w.Wake():
			look.woken()
		case <-look.c:
			changed, err := w.Changed(ctx)
			if err != nil {
				return err
			}
			look.looked()
			if changed && !inflight {
				if err := next(); err != nil {
					return err
				}
			}
		case <-tick.C:
			if time.Since(heard) > srv.opts.Timeout {
				srv.opts.Abort()
				return fmt.Errorf("%w for %s (a live client went quiet)", errTimeout, srv.opts.Timeout)
			}
			changed, err := w.Changed(ctx)
			if err != nil {
				return err
			}
			if changed && !inflight {
				if err := next(); err != nil {
					return err
				}
			}
		}
	}
}
