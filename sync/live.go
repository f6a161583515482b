package sync

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/sitrep-dev/sitrep/storage"
)

// LiveState is where a live session stands.
type LiveState int

const (
	// LiveConnecting: a session is being opened (and catching up).
	LiveConnecting LiveState = iota
	// LiveOn: the session is open; events move as they are saved.
	LiveOn
	// LiveBatch: a batch moved (Received or Sent says how many events).
	LiveBatch
	// LiveRetrying: the link dropped or could not be made; the next try
	// starts at RetryAt.
	LiveRetrying
	// LiveOneShot: the hub's sitrep is too old for live sessions: one-shot
	// syncs run instead, the next at RetryAt.
	LiveOneShot
)

// LiveEvent is one thing a live session reports.
type LiveEvent struct {
	State LiveState
	// Received and Sent count the events a batch (or the catch-up, for
	// LiveOn and LiveOneShot) stored for the first time here and at the hub.
	Received, Sent int
	// Report is the catch-up's, for LiveOn and LiveOneShot.
	Report Report
	// RetryAt is when the next attempt starts (LiveRetrying, LiveOneShot).
	RetryAt time.Time
	// OfflineSince is when the link was last lost (zero while it is up,
	// and before it was ever up).
	OfflineSince time.Time
	// Err is why the last session ended (an *Error), or why live syncing
	// is not possible (LiveOneShot).
	Err error
}

// LiveOptions configures Live.
type LiveOptions struct {
	// Notify hears every state change and batch. It runs on the session's
	// goroutine: it must not block for long.
	Notify func(LiveEvent)
	// Fallback is how often a hub too old for live sessions is synced
	// one-shot instead; 0 is every 30 s.
	Fallback time.Duration
	// MinBackoff and MaxBackoff bound the wait before a reconnect, which
	// doubles from the first to the second (jittered); 0 is 1 s and 60 s.
	MinBackoff, MaxBackoff time.Duration
	// Poll and SafetyPoll are how often the session looks for events
	// saved here without being woken (see pollDefaults), here and in the
	// in-process hub of a local path; 0 is 200 ms and 60 s.
	Poll, SafetyPoll time.Duration
	// Ping is how often a quiet session asks whether the hub is there, at
	// least twice within Options.Timeout: a hub that stops answering is
	// noticed within the timeout and one ping more, and a hub notices a
	// stuck client within its own; 0 is 20 s.
	Ping time.Duration
}

// ErrHubTooOld is a hub whose sitrep cannot hold a live session.
var ErrHubTooOld = errors.New("the hub's sitrep is too old for live sync (sync protocol 3): upgrade it on the hub; until then it is synced every so often instead")

// Live keeps a session open to the hub named by remote until ctx ends:
// catching up by the cursors first, as a one-shot sync does, then sending
// each event saved here (by this process or any other) and storing each
// event the hub receives, as they come. A dropped link is reopened with
// backoff; nothing is lost in between, since both cursors move only with
// what was stored. It returns nil when ctx ends, and an error only for a
// remote that can never work (a malformed name).
func Live(ctx context.Context, st *storage.Store, remote string, opts Options, lo LiveOptions) error {
	if _, err := ParseRemote(remote); err != nil {
		return &Error{Remote: remote, Kind: KindUsage, Reason: err.Error(), Err: err}
	}
	if lo.Notify == nil {
		lo.Notify = func(LiveEvent) {}
	}
	if lo.Fallback <= 0 {
		lo.Fallback = 30 * time.Second
	}
	if lo.MinBackoff <= 0 {
		lo.MinBackoff = time.Second
	}
	if lo.MaxBackoff <= 0 {
		lo.MaxBackoff = 60 * time.Second
	}
	lo.Poll, lo.SafetyPoll = pollDefaults(lo.Poll, lo.SafetyPoll)
	if lo.Ping <= 0 {
		lo.Ping = 20 * time.Second
	}
	opts.livePoll, opts.liveSafetyPoll = lo.Poll, lo.SafetyPoll
	backoff := lo.MinBackoff
	var offline time.Time
	for {
		lo.Notify(LiveEvent{State: LiveConnecting, OfflineSince: offline})
		wasLive := false
		rep, err := session(ctx, st, remote, opts, func(c *client, ctx context.Context) error {
			if err := c.exchange(ctx); err != nil {
				return err
			}
			if c.proto < 3 {
				if err := c.bye(ctx); err != nil {
					return err
				}
				return ErrHubTooOld
			}
			return c.live(ctx, lo, func(e LiveEvent) {
				if e.State == LiveOn {
					wasLive, offline, backoff = true, time.Time{}, lo.MinBackoff
				}
				lo.Notify(e)
			})
		})
		if ctx.Err() != nil {
			return nil
		}
		var wait time.Duration
		ev := LiveEvent{Err: err}
		if errors.Is(err, ErrHubTooOld) {
			wait = lo.Fallback
			ev.State, ev.Report, ev.Received, ev.Sent = LiveOneShot, rep, rep.Pulled+rep.TakenBack, rep.Pushed
			ev.Err = ErrHubTooOld
			offline, backoff = time.Time{}, lo.MinBackoff
		} else {
			if offline.IsZero() {
				offline = time.Now()
			}
			if wasLive {
				backoff = lo.MinBackoff
			}
			wait = jitter(backoff)
			backoff = min(backoff*2, lo.MaxBackoff)
			ev.State = LiveRetrying
		}
		ev.RetryAt, ev.OfflineSince = time.Now().Add(wait), offline
		lo.Notify(ev)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

// jitter spreads reconnects by ±20%, so fifty laptops that lost the hub
// together do not all come back in the same instant.
func jitter(d time.Duration) time.Duration {
	return d*8/10 + time.Duration(rand.Int64N(int64(d)*4/10+1))
}

// live is the client's side of a live session, after the one-shot
// exchange: batches the hub sends are stored with the pull cursor and
// acknowledged; events committed here go up a batch at a time, the push
// cursor moving only on the hub's answer, exactly as in a one-shot sync.
func (c *client) live(ctx context.Context, lo LiveOptions, notify func(LiveEvent)) error {
	w, err := c.st.Watch(ctx)
	if err != nil {
		return localError(err)
	}
	defer w.Close()
	if err := c.s.send(&message{T: tLive, Seq: c.pulled}); err != nil {
		return err
	}
	if _, err := c.s.expect(ctx, tLive); err != nil {
		return err
	}
	notify(LiveEvent{State: LiveOn, Report: *c.rep, Received: c.rep.Pulled + c.rep.TakenBack, Sent: c.rep.Pushed})

	var up livePush
	pushNext := func() error { return up.next(ctx, c) }
	// Saved while the catch-up ran.
	if err := pushNext(); err != nil {
		return err
	}
	tick := time.NewTicker(pollEvery(w, lo.Poll, lo.SafetyPoll))
	defer tick.Stop()
	look := looker{after: lookAfter(lo.Poll)}
	// Often enough that a hub that is there is always heard from within
	// the timeout: pinging less often than that would take every quiet
	// session for a dead one.
	ping := time.NewTicker(min(lo.Ping, c.opts.Timeout/2))
	defer ping.Stop()
	heard := time.Now()
	for {
		select {
		case <-ctx.Done():
			// Leaving politely; the hub answers bye and both ends close.
			_ = c.s.send(&message{T: tBye})
			return ctx.Err()
		case fr := <-c.s.msgs:
			if fr.err != nil {
				return fr.err
			}
			heard = time.Now()
			m := fr.m
			switch m.T {
			case tError:
				return remoteError{msg: m.Msg}
			case tPong:
			case tEvents:
				if err := c.liveBatch(ctx, m, notify); err != nil {
					return err
				}
			case tPushed:
				if err := c.livePushed(ctx, m, &up, notify); err != nil {
					return err
				}
			default:
				return fmt.Errorf("%w: expected events, got a %q message", errGarbage, fromRemote(m.T))
			}
		case <-w.Wake():
			look.woken()
		case <-look.c:
			if up.pushing {
				look.looked() // the answer pushes what is new anyway
				continue
			}
			changed, err := w.Changed(ctx)
			if err != nil {
				return localError(err)
			}
			look.looked()
			if changed {
				if err := pushNext(); err != nil {
					return err
				}
			}
		case <-tick.C:
			if up.pushing {
				continue
			}
			changed, err := w.Changed(ctx)
			if err != nil {
				return localError(err)
			}
			if changed {
				if err := pushNext(); err != nil {
					return err
				}
			}
		case <-ping.C:
			if time.Since(heard) > c.opts.Timeout {
				c.tr.Abort()
				return fmt.Errorf("%w for %s", errTimeout, c.opts.Timeout)
			}
			if err := c.s.send(&message{T: tPing}); err != nil {
				return err
			}
		}
	}
}

// livePush is the one batch of this store's events a live session has sent
// and not yet had answered.
type livePush struct {
	pushing bool
	upTo    int64
	part    []storage.LoggedEvent
}

// next sends what was saved here after the push cursor, one batch.
func (p *livePush) next(ctx context.Context, c *client) error {
	page, last, err := c.st.EventsAfter(ctx, c.pushed, c.opts.Batches.Events)
	if err != nil {
		return localError(err)
	}
	if len(page) == 0 {
		return nil
	}
	parts := c.opts.Batches.split(page)
	p.part, p.upTo = parts[0], last
	if len(parts) > 1 {
		p.upTo = p.part[len(p.part)-1].Seq
	}
	if err := c.s.send(&message{T: tPush, Events: wireEvents(p.part), Pulled: c.pulled}); err != nil {
		return err
	}
	p.pushing = true
	return nil
}

// liveBatch stores a batch the hub streamed and acknowledges it.
func (c *client) liveBatch(ctx context.Context, m *message, notify func(LiveEvent)) error {
	if m.LastID == "" || len(m.Events) == 0 {
		return fmt.Errorf("%w: a live batch with no events", errGarbage)
	}
	before := c.rep.Pulled
	// A batch the cursor already passed (it holds this store's own events,
	// answered by a push meanwhile) is stored for what it may hold, without
	// moving the cursor back.
	last, lastID := m.Last, m.LastID
	if last <= c.pulled {
		last, lastID = 0, ""
	}
	if err := c.apply(ctx, m.Events, last, lastID); err != nil {
		return err
	}
	if err := c.s.send(&message{T: tGot, Seq: m.Last}); err != nil {
		return err
	}
	notify(LiveEvent{State: LiveBatch, Received: c.rep.Pulled - before})
	return nil
}

// livePushed takes the hub's answer to the batch in flight, moves the
// cursors, and sends the next batch.
func (c *client) livePushed(ctx context.Context, m *message, up *livePush, notify func(LiveEvent)) error {
	if !up.pushing {
		return fmt.Errorf("%w: an answer to a push never sent", errGarbage)
	}
	up.pushing = false
	for _, x := range m.Conflicts {
		c.rep.Conflicts = append(c.rep.Conflicts, "at the hub: "+fromRemote(x))
	}
	c.pushed = max(c.pushed, up.upTo)
	c.noteAcked(storage.HeadsOf(loggedEvents(up.part)))
	if m.PullTo > c.pulled {
		c.pulled, c.pulledID = m.PullTo, m.PullToID
	}
	if err := c.saveCursor(ctx); err != nil {
		return err
	}
	c.rep.Pushed += m.Applied
	notify(LiveEvent{State: LiveBatch, Sent: m.Applied})
	return up.next(ctx, c)
}
