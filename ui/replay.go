package ui

import (
	"context"
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/respond"
	"github.com/sitrep-dev/sitrep/storage"
)

// Replay: H on an open incident shows it as it stood at the selected
// entry's time, every pane at once: header, milestones, roles, each
// runbook's steps, the timeline up to then, and a drill's exercise clock.
// ← and → step entry by entry, shift+← and shift+→ ten minutes; esc goes
// back to live. Nothing can be written while replaying: every key that
// would write refuses, saying so.
//
// The state at a moment is model.Replay's fold of the incident's events,
// the one `sitrep show --as-of` prints. The cockpit builds it without the
// notes (storage.ReplayState), which change nothing but the timeline, and
// reads the timeline as of the moment from the store, a window at a time,
// so a 100,000-note incident replays as fast as a short one. Every read is
// in a command; Update only folds what the command brought.

// ReplayStore is what replay reads; *storage.Store has it.
type ReplayStore interface {
	ReplayEvents(ctx context.Context, incidentID string, after int64) (storage.ReplayLog, error)
	ReplayTimeline(ctx context.Context, incidentID string, asOf time.Time, page storage.TimelinePage) ([]model.TimelineEntry, error)
	ReplayCount(ctx context.Context, incidentID string, from, to time.Time) (int, error)
	ReplayNeighbour(ctx context.Context, incidentID string, t time.Time, forward bool) (time.Time, bool, error)
	Incident(ctx context.Context, id string) (model.Incident, error)
}

// replayJump is how far shift+← and shift+→ move.
const replayJump = 10 * time.Minute

// replayState is the replay on screen, if any.
type replayState struct {
	on      bool
	leaving bool // esc pressed: the live data is on its way
	ready   bool // the log has loaded
	req     int  // the move in flight; answers to older ones are dropped
	r       *model.Replay
	parsed  map[string]*model.Runbook // every runbook text attached, by hash and name
	at      time.Time
	count   int // timeline entries placed at or before at
	snap    model.Snapshot
}

// replayCache is an incident's log without its notes, read in the
// background when the incident opens, so H folds at once and reads only
// what arrived since.
type replayCache struct {
	id  string
	log storage.ReplayLog
}

// replayLogMsg brings the log read when the incident opened.
type replayLogMsg struct {
	ID  string
	Log storage.ReplayLog
	Err error
}

// replayMsg answers entering the replay (R set) or a move in it.
type replayMsg struct {
	ID      string
	Req     int
	Log     storage.ReplayLog
	R       *model.Replay
	Parsed  map[string]*model.Runbook
	At      time.Time
	Count   int
	Entries []model.TimelineEntry // the newest entries up to At, as first written
	None    string                // nothing to move to: why
	Err     error
}

// replayMove says where a move goes: to an entry next to from, or by a
// jump of so long.
type replayMove struct {
	from    time.Time
	count   int // entries up to from
	forward bool
	jump    time.Duration // 0: to the neighbouring entry
	first   time.Time     // the replay cannot go before the incident's first event
	now     time.Time     // nor after now
	last    time.Time     // the newest event that is not a note
}

// readReplayLog reads an incident's log without its notes, for a replay
// to come.
func readReplayLog(st ReplayStore, id string) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		l, err := st.ReplayEvents(ctx, id, 0)
		return replayLogMsg{ID: id, Log: l, Err: err}
	})
}

// enterReplay reads the incident's log without its notes (only what
// arrived after the cached one, when there is one) and moves to at.
// nearEnd says at is in the later half of the timeline, where counting
// the entries after it is the shorter count.
func enterReplay(st ReplayStore, id string, req int, at time.Time, cached *storage.ReplayLog, nearEnd bool) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		msg := replayMsg{ID: id, Req: req, At: at, Parsed: map[string]*model.Runbook{}}
		var after int64
		if cached != nil {
			after = cached.Seq
		}
		if msg.Log, msg.Err = st.ReplayEvents(ctx, id, after); msg.Err != nil {
			return msg
		}
		if cached != nil {
			msg.Log = cached.Add(msg.Log)
		}
		msg.R = msg.Log.Replay()
		for _, a := range msg.R.Attached() {
			if rb, err := respond.AttachedRunbook(a); err == nil {
				msg.Parsed[a.Hash+"\x00"+a.Name] = rb
			}
		}
		if first, ok := msg.R.First(); ok && msg.At.Before(first) {
			msg.At = first
		}
		if msg.Count, msg.Err = countUpTo(ctx, st, id, msg.At, nearEnd); msg.Err != nil {
			return msg
		}
		msg.Entries, msg.Err = st.ReplayTimeline(ctx, id, msg.At, storage.TimelinePage{Limit: timelinePage})
		return msg
	})
}

// countUpTo counts the entries placed at t or before: from the start, or
// near the end as all of them less those after t.
func countUpTo(ctx context.Context, st ReplayStore, id string, t time.Time, nearEnd bool) (int, error) {
	if !nearEnd {
		return st.ReplayCount(ctx, id, time.Time{}, t)
	}
	after, err := st.ReplayCount(ctx, id, t, time.Time{})
	if err != nil {
		return 0, err
	}
	in, err := st.Incident(ctx, id)
	return max(in.Entries-after, 0), err
}

// moveReplay finds the moment a key moves to, counts the entries passed
// and reads the window there.
func moveReplay(st ReplayStore, id string, req int, m replayMove) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		msg := replayMsg{ID: id, Req: req}
		to, ok := m.from.Add(m.jump), true
		if !m.forward {
			to = m.from.Add(-m.jump)
		}
		if m.jump == 0 {
			if to, ok, msg.Err = st.ReplayNeighbour(ctx, id, m.from, m.forward); msg.Err != nil {
				return msg
			}
			if !ok && m.forward && m.last.After(m.from) {
				to, ok = m.now, true // past the newest entry: now, with the pins and corrections made since
			}
		}
		if to.After(m.now) {
			to = m.now
		}
		if to.Before(m.first) {
			to = m.first
		}
		if !ok || to.Equal(m.from) {
			msg.None = "This is the first moment of the incident."
			if m.forward {
				msg.None = "This is now: esc returns to live."
			}
			return msg
		}
		lo, hi := m.from, to
		if to.Before(m.from) {
			lo, hi = to, m.from
		}
		n, err := st.ReplayCount(ctx, id, lo, hi)
		if msg.Err = err; err != nil {
			return msg
		}
		msg.At, msg.Count = to, m.count+n
		if to.Before(m.from) {
			msg.Count = m.count - n
		}
		msg.Entries, msg.Err = st.ReplayTimeline(ctx, id, to, storage.TimelinePage{Limit: timelinePage})
		return msg
	})
}

// replayPages reads pages of the timeline as it stood at asOf for the
// timeline pane, with the corrections of that moment.
func replayPages(st ReplayStore, id string, asOf time.Time, snap model.Snapshot) func(pageDir, model.TimelineEntry) tea.Cmd {
	return func(dir pageDir, edge model.TimelineEntry) tea.Cmd {
		return bounded(func(ctx context.Context) tea.Msg {
			entries, err := st.ReplayTimeline(ctx, id, asOf, timelinePageFrom(dir, edge, timelinePage))
			return timelinePageMsg{ID: id, Dir: dir, Limit: timelinePage, Entries: markAll(snap, entries), Err: err}
		})
	}
}

func markAll(snap model.Snapshot, entries []model.TimelineEntry) []model.TimelineEntry {
	for i := range entries {
		entries[i] = snap.Marked(entries[i])
	}
	return entries
}

// replayStore is the store as replay reads it, or nil when it cannot.
func (a *App) replayStore() ReplayStore {
	rs, _ := a.st.(ReplayStore)
	return rs
}

// startReplay enters the replay at the selected entry's time.
func (a *App) startReplay() tea.Cmd {
	rs := a.replayStore()
	if !a.loaded || rs == nil || a.replay.on {
		return nil
	}
	at := a.now()
	if e, ok := a.timeline.selected(); ok {
		at = e.Placed()
	}
	a.nextReq++
	a.replay = replayState{on: true, req: a.nextReq, at: at}
	a.drill.panel = false
	var cached *storage.ReplayLog
	if c := a.replayCache; c != nil && c.id == a.incID {
		cached = &c.log
	}
	nearEnd := 2*(a.timeline.offset+a.timeline.sel) >= a.timeline.total
	return enterReplay(rs, a.incID, a.nextReq, at, cached, nearEnd)
}

// prefetchReplay reads the log a replay folds, in the background, once
// the incident has opened (first): a long incident's is read in tens of
// milliseconds, and H should not wait for them.
func (a *App) prefetchReplay(first bool) tea.Cmd {
	rs := a.replayStore()
	if !first || rs == nil {
		return nil
	}
	return readReplayLog(rs, a.incID)
}

// onReplayLog keeps the log read in the background for the incident on
// screen.
func (a *App) onReplayLog(msg replayLogMsg) {
	if msg.ID == a.incID && msg.Err == nil {
		a.replayCache = &replayCache{id: msg.ID, log: msg.Log}
	}
}

// replayKey handles a key while replaying: the moves, esc, and a refusal
// for every key that would write. done is false for the keys that only
// look (panes, scrolling, help, copying), which go on as usual.
func (a *App) replayKey(msg tea.KeyMsg) (cmd tea.Cmd, done bool) {
	k := a.keys
	move := replayMove{from: a.replay.at, count: a.replay.count, now: a.now()}
	if a.replay.ready {
		move.first, _ = a.replay.r.First()
		move.last, _ = a.replay.r.Last()
	}
	switch {
	case key.Matches(msg, k.ReplayLive, k.Back, k.Quit):
		return a.leaveReplay(), true
	case key.Matches(msg, k.Replay):
		return nil, true
	case key.Matches(msg, k.ReplayPrev):
	case key.Matches(msg, k.ReplayNext):
		move.forward = true
	case key.Matches(msg, k.ReplayBack10):
		move.jump = replayJump
	case key.Matches(msg, k.ReplayOn10):
		move.forward, move.jump = true, replayJump
	case key.Matches(msg, k.Note, k.Decision, k.Action, k.Pin, k.Amend, k.Retract, k.Done, k.Skip, k.Block, k.Reopen,
		k.Attach, k.Assign, k.Status, k.Severity, k.Review, k.Write, k.Message, k.Declare, k.Run,
		k.DrillPause, k.DrillFaster, k.DrillSlower, k.DrillRelease, k.DrillSkip, k.DrillEnd):
		a.refuse(fmt.Sprintf("Replaying %s: nothing can be written here. esc returns to live.", replayTime(a.replay.at, a.now())))
		return nil, true
	case key.Matches(msg, k.Find):
		a.refuse(fmt.Sprintf("Replaying %s: find opens the live timeline at what it finds. esc returns to live first.", replayTime(a.replay.at, a.now())))
		return nil, true
	default:
		return nil, false
	}
	if !a.replay.ready {
		return nil, true // the log is still loading
	}
	a.nextReq++
	a.replay.req = a.nextReq
	return moveReplay(a.replayStore(), a.incID, a.nextReq, move), true
}

// onReplay shows the incident as it stood at the moment a command read.
func (a *App) onReplay(msg replayMsg) tea.Cmd {
	if !a.replay.on || a.replay.leaving || msg.ID != a.incID || msg.Req != a.replay.req {
		return nil
	}
	switch {
	case msg.Err != nil && !a.replay.ready:
		a.replay = replayState{}
		a.setFlash("Replay: "+msg.Err.Error(), true)
		return nil
	case msg.Err != nil:
		a.setFlash("Replay: "+msg.Err.Error(), true)
		return nil
	case msg.None != "":
		a.setFlash(msg.None, false)
		return nil
	}
	if msg.R != nil {
		a.replay.r, a.replay.parsed, a.replay.ready = msg.R, msg.Parsed, true
		a.replayCache = &replayCache{id: msg.ID, log: msg.Log}
	}
	a.replay.at, a.replay.count = msg.At, msg.Count
	a.replay.snap = a.replay.r.At(msg.At)
	a.showSnapshot(msg.Entries)
	return nil
}

// showSnapshot puts the replay's moment in every pane.
func (a *App) showSnapshot(entries []model.TimelineEntry) {
	snap := a.replay.snap
	in := snap.Incident
	in.ID, in.Entries = a.incID, a.replay.count
	a.inc, a.messages = in, snap.Messages
	var runbooks []attachedRunbook
	for _, at := range snap.Attachments {
		rb := attachedRunbook{Name: at.Name, Title: at.Title, Hash: at.Hash, Runbook: a.replay.parsed[at.Hash+"\x00"+at.Name]}
		if rb.Runbook == nil {
			_, rb.Err = respond.AttachedRunbook(at)
		}
		runbooks = append(runbooks, rb)
	}
	a.stepper.setData(in.Short(), runbooks, snap.Steps)
	a.stepper.setExits(nil) // the last runs known now may be after the moment shown
	a.raci.setData(snap.Roles, runbooks)
	a.drill.x = snap.Exercise
	a.drillKeysEnabled(snap.Exercise != nil)
	entries = markAll(snap, entries)
	total, injects := a.replay.count, 0
	if x := snap.Exercise; x != nil {
		released := x.InjectEntries(snap.At)
		injects = len(released)
		entries = mergeInjects(entries, released, len(entries) < timelinePage, true, nil, nil)
		a.drill.log = model.DrillLog{Incident: in, Entries: entries, Steps: snap.Steps, Messages: snap.Messages, RunbookSteps: map[string]int{}}
		for _, rb := range runbooks {
			if rb.Runbook != nil {
				a.drill.log.RunbookSteps[rb.Name] = rb.Runbook.StepCount()
			}
		}
	}
	a.timeline.source(a.incID, replayPages(a.replayStore(), a.incID, snap.At, snap))
	a.timeline.follow = true // the cursor's entry is the newest shown
	a.timeline.asOf = replayTime(snap.At, a.now())
	a.stepper.asOf = a.timeline.asOf
	a.timeline.setWindow(entries, windowRequest{Tail: true, Count: timelinePage}, total+injects, model.ClockOf(in, snap.Exercise))
}

// leaveReplay goes back to live: the panes are read again as they are now.
func (a *App) leaveReplay() tea.Cmd {
	a.replay.leaving = true
	a.timeline.reset()
	return a.reload()
}

// replayHolds reports whether data for the live incident must wait: a
// replay is on screen. Once esc was pressed, the live data ends it.
func (a *App) replayHolds() bool {
	if !a.replay.on {
		return false
	}
	if a.replay.leaving {
		a.replay = replayState{}
		return false
	}
	return true
}

// viewNow is the moment the screen shows: now, or the replay's.
func (a App) viewNow() time.Time {
	if a.replay.on && a.replay.ready && !a.replay.leaving {
		return a.replay.at
	}
	return a.now()
}

// replayBadge is the header's mark of a replay: REPLAY 09:30Z (T+30m), in
// the replay's own colour.
func (a App) replayBadge() string {
	if !a.replay.on {
		return ""
	}
	s := a.styles
	switch {
	case a.replay.leaving:
		return s.Replay.Render(" REPLAY · back to live… ") + " "
	case !a.replay.ready:
		return s.Replay.Render(" REPLAY · loading… ") + " "
	}
	at := a.replay.at
	label := " REPLAY " + replayTime(at, a.now())
	if d, ok := model.ClockOf(a.inc, nil).Offset(at); ok {
		label += " (T+" + model.FormatAge(max(d, 0))
		if x := a.replay.snap.Exercise; x != nil {
			label += ", exercise " + model.TPlus(x.Elapsed(at))
		}
		label += ")"
	}
	return s.Replay.Render(label+" ") + " "
}

// replayTime is a replay's moment as the header says it: the time of day,
// with the date when it is not today.
func replayTime(at, now time.Time) string {
	if model.SameDay(at, now) {
		return at.UTC().Format("15:04Z")
	}
	return at.UTC().Format("Jan 2 15:04Z")
}
