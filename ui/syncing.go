package ui

import (
	"context"
	"errors"
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/model"
	ssync "github.com/sitrep-dev/sitrep/sync"
)

// Sync in the cockpit: one sync at a time, in a command; the next is
// scheduled when one ends, so a slow hub never stacks syncs up. Events a
// sync pulls in show at once (the App reloads); events another process
// writes show within a poll (the App watches the store's newest sequence).

// defaultSyncEvery is how often the cockpit syncs by itself.
const defaultSyncEvery = 30 * time.Second

// syncTimeout bounds one background sync, so a hung ssh cannot hold the
// next one off for ever.
const syncTimeout = 2 * time.Minute

func (a *App) syncEvery() time.Duration {
	if a.opts.SyncEvery > 0 {
		return a.opts.SyncEvery
	}
	return defaultSyncEvery
}

// startSync begins a background sync unless one is running; with a live
// session to hold, it opens that instead, once.
func (a *App) startSync() tea.Cmd {
	if a.opts.Live != nil {
		return a.startLive()
	}
	if a.opts.Sync == nil || a.sync.Running {
		return nil
	}
	a.sync.Running = true
	return runSync(a.opts.Sync, a.opts.Pending, false)
}

// syncNow is ctrl+s.
func (a *App) syncNow() tea.Cmd {
	if a.opts.Sync == nil {
		a.refuse("No hub to sync with: set remote = ... in the config or SITREP_REMOTE.")
		return nil
	}
	if a.sync.Running {
		a.setFlash("A sync is already running.", false)
		return nil
	}
	a.sync.Running = true
	a.setFlash("Syncing with "+model.OneLine(a.opts.Remote)+"…", false)
	return runSync(a.opts.Sync, a.opts.Pending, true)
}

// onSynced records a sync's outcome, reloads when it brought events in,
// and schedules the next.
func (a *App) onSynced(msg syncDoneMsg) tea.Cmd {
	a.sync.Running = false
	if msg.PendErr == nil && msg.Pending >= 0 {
		a.sync.Pending = msg.Pending
	}
	var next tea.Cmd
	if a.poll > 0 && a.opts.Live == nil { // no timers when polling is off (one frame, tests), nor beside a live session
		next = syncTick(a.syncEvery())
	}
	if msg.Err != nil {
		a.sync.Err, a.sync.Offline = syncErrorWords(msg.Err)
		if msg.Manual {
			a.setFlash("Sync failed: "+a.sync.Err, true)
		}
		return next
	}
	a.sync.Err, a.sync.Offline = "", false
	a.sync.At = a.now()
	if msg.Manual {
		a.setFlash(syncSummary(msg.Report), false)
	}
	if msg.Report.Pulled > 0 || msg.Report.TakenBack > 0 {
		return tea.Batch(next, a.reload())
	}
	return next
}

// syncErrorWords says what went wrong in words for the header.
func syncErrorWords(err error) (string, bool) {
	var se *ssync.Error
	if errors.As(err, &se) {
		if se.Offline() {
			return "offline, hub unreachable (will retry)", true
		}
		return se.Reason, false
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "the hub did not answer in time (will retry)", false
	}
	return err.Error(), false
}

func syncSummary(rep ssync.Report) string {
	if rep.TakenBack > 0 {
		return fmt.Sprintf("Synced: sent %d, received %d; took back %d event(s) this store had lost.", rep.Pushed, rep.Pulled, rep.TakenBack)
	}
	if rep.Pushed == 0 && rep.Pulled == 0 {
		return "Synced: up to date."
	}
	return fmt.Sprintf("Synced: sent %d, received %d.", rep.Pushed, rep.Pulled)
}

// syncField is the header's sync part: when it last worked, what waits to
// go out, and the last error. Empty without a hub.
func (a App) syncField() string {
	if a.opts.Sync == nil {
		return ""
	}
	s := a.styles
	var text string
	if live, ok := a.liveField(); ok {
		text = live
	} else {
		switch {
		case a.sync.Running:
			text = s.Faint.Render("syncing…")
		case a.sync.Err != "":
			st := s.Warn
			if !a.sync.Offline {
				st = s.Error
			}
			text = st.Render(model.OneLine(a.sync.Err))
		case a.sync.At.IsZero():
			text = s.Faint.Render("not synced yet")
		default:
			text = s.OK.Render("synced " + model.FormatAge(a.now().Sub(a.sync.At)) + " ago")
		}
		if a.sync.Err != "" && !a.sync.At.IsZero() && !a.sync.Running {
			text += s.Faint.Render(" · last ok " + model.FormatAge(a.now().Sub(a.sync.At)) + " ago")
		}
	}
	if a.sync.Pending > 0 {
		text += s.Faint.Render(" · ") + s.Bold.Render(fmt.Sprintf("%d to send", a.sync.Pending))
	}
	return s.Faint.Render("sync ") + text
}

// Live sync in the cockpit: one session to the hub for as long as the
// cockpit runs (sync.Live), instead of a new sync every 30 s. It runs on a
// goroutine of its own; what it reports comes into Update as liveMsg, one
// at a time, through a channel the App keeps reading.

// LiveFunc holds a live session with the team's hub until ctx ends,
// reporting each change of the link and each batch to notify.
type LiveFunc func(ctx context.Context, notify func(ssync.LiveEvent)) error

// liveState is what the header shows of the live session.
type liveState struct {
	ch      chan ssync.LiveEvent // nil until the session starts
	last    ssync.LiveEvent
	tooOld  bool // the hub cannot hold a session: timed one-shot syncs run instead
	started bool
}

func (a *App) startLive() tea.Cmd {
	if a.sync.Live.started {
		return nil
	}
	ch := make(chan ssync.LiveEvent, 64)
	a.sync.Live = liveState{ch: ch, started: true}
	live := a.opts.Live
	// The session starts in a command, as every other piece of I/O does,
	// and the same command waits for its first report.
	return func() tea.Msg {
		go func() {
			// Blocking sends: the App reads every report, and a session
			// that outlives the screen ends with the process.
			_ = live(context.Background(), func(e ssync.LiveEvent) { ch <- e })
		}()
		return waitLive(ch)()
	}
}

// onLive records a report, reloads when events came in, recounts what
// waits to go out when events went, and waits for the next report.
func (a *App) onLive(msg liveMsg) tea.Cmd {
	e := ssync.LiveEvent(msg)
	cmds := []tea.Cmd{waitLive(a.sync.Live.ch)}
	// A reconnect attempt keeps the words of the drop before it, so the
	// header does not flicker between them and "connecting…".
	if e.State != ssync.LiveBatch && (e.State != ssync.LiveConnecting || e.OfflineSince.IsZero()) {
		a.sync.Live.last = e
	}
	switch e.State {
	case ssync.LiveOn, ssync.LiveBatch, ssync.LiveOneShot:
		a.sync.At, a.sync.Err, a.sync.Offline = a.now(), "", false
		a.sync.Live.tooOld = e.State == ssync.LiveOneShot
		if e.Received > 0 {
			cmds = append(cmds, a.reload())
		}
		if e.Received > 0 || e.Sent > 0 || e.State != ssync.LiveBatch {
			cmds = append(cmds, countPending(a.opts.Pending))
		}
	case ssync.LiveRetrying:
		a.sync.Err, a.sync.Offline = syncErrorWords(e.Err)
	}
	return tea.Batch(cmds...)
}

// liveField is the header's words for the live session: "live",
// "reconnecting in 8s", "offline since 14:02"; false without a session.
func (a App) liveField() (string, bool) {
	if a.opts.Live == nil || !a.sync.Live.started {
		return "", false
	}
	s := a.styles
	e := a.sync.Live.last
	switch e.State {
	case ssync.LiveConnecting:
		return s.Faint.Render("connecting…"), true
	case ssync.LiveOn, ssync.LiveBatch:
		return s.OK.Render("live"), true
	case ssync.LiveOneShot:
		return s.OK.Render("synced "+model.FormatAge(a.now().Sub(a.sync.At))+" ago") + s.Faint.Render(" · hub too old for live"), true
	case ssync.LiveRetrying:
		var se *ssync.Error
		if errors.As(e.Err, &se) && se.Offline() {
			return s.Warn.Render("offline since " + e.OfflineSince.UTC().Format("15:04Z")), true
		}
		wait := time.Until(e.RetryAt).Round(time.Second)
		if wait <= 0 {
			if errors.As(e.Err, &se) && se.Kind != ssync.KindInterrupted {
				return s.Error.Render(a.sync.Err) + s.Faint.Render(" · retrying"), true
			}
			return s.Warn.Render("reconnecting…"), true
		}
		if errors.As(e.Err, &se) && se.Kind != ssync.KindInterrupted {
			return s.Error.Render(a.sync.Err) + s.Faint.Render(fmt.Sprintf(" · retry in %s", wait)), true
		}
		return s.Warn.Render(fmt.Sprintf("reconnecting in %s", wait)), true
	}
	return "", false
}
