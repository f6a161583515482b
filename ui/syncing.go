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

// startSync begins a background sync unless one is running.
func (a *App) startSync() tea.Cmd {
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
	if a.poll > 0 { // no timers when polling is off (one frame, tests)
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
	if a.sync.Pending > 0 {
		text += s.Faint.Render(" · ") + s.Bold.Render(fmt.Sprintf("%d to send", a.sync.Pending))
	}
	return s.Faint.Render("sync ") + text
}
