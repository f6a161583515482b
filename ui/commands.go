package ui

import (
	"context"
	"fmt"
	"math"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// Messages. Every result of I/O is a message, and every message about an
// incident carries its id so a late answer for an incident no longer on
// screen is dropped instead of drawn over the wrong one.

// tickMsg drives the header clock and the change poll, once a second.
type tickMsg time.Time

// seqMsg is the store's newest arrival number, polled to notice changes made
// by other processes (a sync, the CLI, another window).
type seqMsg struct {
	Seq int64
	Err error
}

// incidentsMsg is the first pages of the incident list, loaded, with the
// store's totals.
type incidentsMsg struct {
	List         []model.Incident
	Limit        int // asked for; fewer means the end
	Active, Past int
	Seq          int64
	Err          error
}

// incidentsPageMsg is one more page of the list.
type incidentsPageMsg struct {
	Offset, Limit int
	List          []model.Incident
	Err           error
}

// incidentDataMsg is everything the incident view shows, loaded together so
// the panes never disagree with each other.
type incidentDataMsg struct {
	ID       string
	Seq      int64
	Incident model.Incident
	Roles    []model.RoleHolder
	Steps    []model.StepStatus
	Runbooks []attachedRunbook
	Messages []model.Message // sent to audiences, for the cadence timer
	Entries  []model.TimelineEntry
	Window   windowRequest
	// For a drill: its exercise clock, what objectives are judged from,
	// and how many injects the clock has released (in Entries' count).
	Exercise *model.Exercise
	Log      model.DrillLog
	Injects  int
	// First is an answer to the load that opened the incident: only it
	// reads the incident's unsaved texts (Drafts), which a reload does not
	// need.
	First     bool
	Drafts    []storage.Draft
	DraftsErr error
	Err       error
}

// timelinePageMsg is a page of timeline entries older or newer than the
// loaded window, or the first or last page after a jump.
type timelinePageMsg struct {
	ID      string
	Dir     pageDir
	Limit   int
	Entries []model.TimelineEntry
	Err     error
}

// savedMsg reports an event the person made: a note, a step change, a role.
// Req matches the input that asked for it, so its text is cleared only when
// it is safely stored.
type savedMsg struct {
	ID    string
	Req   int
	Event model.Event
	Err   error
}

// declaredMsg reports the declare form's result, or a drill's start.
type declaredMsg struct {
	Incident model.Incident
	Drill    bool
	Warning  string // something to tell, though it worked
	Err      error
}

// copiedMsg reports a clipboard copy.
type copiedMsg struct {
	What string
	Err  error
}

// attachedRunbook is a runbook as attached to an incident: parsed from the
// exact text stored with the incident, not the library's current file.
type attachedRunbook struct {
	Name    string
	Title   string
	Hash    string
	Runbook *model.Runbook // nil when the stored text does not parse
	Err     error
}

// pageDir says which page of the timeline to fetch.
type pageDir int

const (
	pageOlder pageDir = iota
	pageNewer
	pageHead
	pageTail
)

// windowRequest says which slice of the timeline a reload should fetch.
type windowRequest struct {
	Tail  bool                 // the newest Count entries
	Head  bool                 // the oldest Count entries
	From  *storage.TimelineKey // Count entries from this key on
	Count int
}

// beforeAll sorts before every timeline entry: paging after it starts at
// the oldest.
var beforeAll = storage.TimelineKey{Placed: math.MinInt64}

// queryTimeout bounds one round of reads, so a store locked by a stuck
// writer shows an error instead of freezing the screen's data forever.
const queryTimeout = 15 * time.Second

// bounded is a command that does its I/O under queryTimeout.
func bounded(f func(ctx context.Context) tea.Msg) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
		defer cancel()
		return f(ctx)
	}
}

func tick(d time.Duration) tea.Cmd {
	if d <= 0 {
		return nil
	}
	return tea.Tick(d, func(t time.Time) tea.Msg { return tickMsg(t) })
}

func pollSeq(st Store) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		seq, err := st.MaxSeq(ctx)
		return seqMsg{Seq: seq, Err: err}
	})
}

// loadIncidents reads the first n incidents of the list (at least a page)
// and the totals.
func loadIncidents(st Store, n int) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		return readIncidents(ctx, st, n)
	})
}

func readIncidents(ctx context.Context, st Store, n int) incidentsMsg {
	n = max(n, listPage)
	seq, err := st.MaxSeq(ctx)
	if err != nil {
		return incidentsMsg{Err: err}
	}
	list, err := st.IncidentsPage(ctx, 0, n)
	if err != nil {
		return incidentsMsg{Err: err}
	}
	active, past, err := st.IncidentCounts(ctx)
	return incidentsMsg{List: list, Limit: n, Active: active, Past: past, Seq: seq, Err: err}
}

func loadIncidentPage(st Store, offset int) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		list, err := st.IncidentsPage(ctx, offset, listPage)
		return incidentsPageMsg{Offset: offset, Limit: listPage, List: list, Err: err}
	})
}

// loadIncident reads the incident view's data. known holds runbooks already
// parsed, by hash, so a refresh does not parse them again; it is only read.
// first is the load that opens the incident, which reads its drafts too.
func loadIncident(st Store, id string, win windowRequest, known map[string]*model.Runbook, now time.Time, first bool) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		return readIncident(ctx, st, id, win, known, now, first)
	})
}

func readIncident(ctx context.Context, st Store, id string, win windowRequest, known map[string]*model.Runbook, now time.Time, first bool) incidentDataMsg {
	msg := incidentDataMsg{ID: id, Window: win, First: first}
	fail := func(err error) incidentDataMsg { msg.Err = err; return msg }
	var err error
	if msg.Seq, err = st.MaxSeq(ctx); err != nil {
		return fail(err)
	}
	if msg.Incident, err = st.Incident(ctx, id); err != nil {
		return fail(err)
	}
	if msg.Roles, err = st.Roles(ctx, id); err != nil {
		return fail(err)
	}
	if msg.Steps, err = st.Steps(ctx, id); err != nil {
		return fail(err)
	}
	if msg.Messages, err = st.Messages(ctx, id); err != nil {
		return fail(err)
	}
	if first {
		msg.Drafts, msg.DraftsErr = st.Drafts(id)
	}
	atts, err := st.Attachments(ctx, id)
	if err != nil {
		return fail(err)
	}
	for _, at := range atts {
		ar := attachedRunbook{Name: at.Name, Title: at.Title, Hash: at.Hash}
		if rb, ok := known[at.Hash+"\x00"+at.Name]; ok {
			ar.Runbook = rb
		} else {
			ar.Runbook, ar.Err = parseAttached(at)
		}
		msg.Runbooks = append(msg.Runbooks, ar)
	}
	if msg.Incident.Exercise {
		x, ok, err := st.Exercise(ctx, id)
		if err != nil {
			return fail(err)
		}
		if ok {
			msg.Exercise = &x
			if msg.Log, err = drillLog(ctx, st, msg, now); err != nil {
				return fail(err)
			}
			msg.Injects = len(x.InjectEntries(now))
		}
	}
	if msg.Entries, err = readWindow(ctx, st, id, win, msg.Exercise, now); err != nil {
		return fail(err)
	}
	return msg
}

func readWindow(ctx context.Context, st Store, id string, win windowRequest, x *model.Exercise, now time.Time) ([]model.TimelineEntry, error) {
	page := storage.TimelinePage{Limit: win.Count}
	switch {
	case win.Tail:
	case win.Head:
		page.After = &beforeAll
	case win.From != nil:
		page.After = win.From
	}
	entries, err := st.Timeline(ctx, id, page)
	if err != nil || x == nil {
		return entries, err
	}
	short := len(entries) < win.Count
	tail := win.Tail || !win.Head && win.From == nil
	return mergeInjects(entries, x.InjectEntries(now), win.Head || tail && short, tail || short, nil, nil), nil
}

// mergeInjects merges the injects a drill's clock has released into a
// page of its stored timeline: those within the page's time range, and
// those before (openLo) or after (openHi) it when the page reaches that
// end; after and before bound it strictly (the edge a page was read
// from), so a page never repeats an inject the window already has.
func mergeInjects(raw, injects []model.TimelineEntry, openLo, openHi bool, after, before *time.Time) []model.TimelineEntry {
	var keep []model.TimelineEntry
	for _, e := range injects {
		switch {
		case after != nil && !e.Occurred.After(*after), before != nil && !e.Occurred.Before(*before):
			continue
		case len(raw) == 0 && !openLo && !openHi:
			continue
		case len(raw) > 0 && !openLo && e.Occurred.Before(raw[0].Occurred):
			continue
		case len(raw) > 0 && !openHi && e.Occurred.After(raw[len(raw)-1].Occurred):
			continue
		}
		keep = append(keep, e)
	}
	if len(keep) == 0 {
		return raw
	}
	return model.MergeEntries(raw, keep)
}

// drillLog is what a drill's objectives are judged from: its whole
// timeline as it reads now (drills are short), steps, runbooks, messages.
func drillLog(ctx context.Context, st Store, msg incidentDataMsg, now time.Time) (model.DrillLog, error) {
	entries, err := st.Timeline(ctx, msg.ID, storage.TimelinePage{})
	if err != nil {
		return model.DrillLog{}, err
	}
	log := model.DrillLog{Incident: msg.Incident, Entries: model.MergeEntries(entries, msg.Exercise.InjectEntries(now)),
		Steps: msg.Steps, Messages: msg.Messages, RunbookSteps: map[string]int{}}
	for _, rb := range msg.Runbooks {
		if rb.Runbook != nil {
			log.RunbookSteps[rb.Name] = rb.Runbook.StepCount()
		}
	}
	return log, nil
}

func loadPage(st Store, id string, dir pageDir, edge model.TimelineEntry, limit int, x *model.Exercise, now time.Time) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		page := storage.TimelinePage{Limit: limit}
		key := storage.KeyOf(edge)
		switch dir {
		case pageOlder:
			page.Before = &key
		case pageNewer:
			page.After = &key
		case pageHead:
			page.After = &beforeAll
		}
		entries, err := st.Timeline(ctx, id, page)
		if err == nil && x != nil {
			short := len(entries) < limit
			var after, before *time.Time
			switch dir {
			case pageOlder:
				before = &edge.Occurred
			case pageNewer:
				after = &edge.Occurred
			}
			openLo := dir == pageNewer || dir == pageHead || short
			openHi := dir == pageOlder || dir == pageTail || short
			entries = mergeInjects(entries, x.InjectEntries(now), openLo, openHi, after, before)
		}
		return timelinePageMsg{ID: id, Dir: dir, Limit: limit, Entries: entries, Err: err}
	})
}

// appendEvent stores one event the person made.
func appendEvent(st Store, req int, d model.Draft) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		e, err := st.Append(ctx, d)
		return savedMsg{ID: d.IncidentID, Req: req, Event: e, Err: err}
	})
}

// appendEvents records drafts that belong together in one transaction and
// reports the first.
func appendEvents(st Store, req int, drafts []model.Draft) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		events, err := st.AppendAll(ctx, drafts)
		msg := savedMsg{ID: drafts[0].IncidentID, Req: req, Err: err}
		if err == nil {
			msg.Event = events[0]
		}
		return msg
	})
}

// attachRunbook attaches a runbook and reports it as a save, so the view
// reloads and says what was done.
func attachRunbook(attach AttachFunc, req int, incidentID, name string) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		if err := attach(ctx, incidentID, name); err != nil {
			return savedMsg{ID: incidentID, Req: req, Err: fmt.Errorf("attach %s: %w", name, err)}
		}
		return attachedMsg{ID: incidentID, Name: name}
	})
}

// attachedMsg reports a runbook attached from the cockpit.
type attachedMsg struct{ ID, Name string }

// assignRole records a role change the way the CLI does: it notes the
// holder and assignment the person saw, so a clash with someone doing the
// same offline is recognised after sync, and "handed from A to B" reads
// true in the timeline.
func assignRole(st Store, req int, incidentID string, role model.Role, holder string) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		prev, prevEvent, err := st.RoleEvent(ctx, incidentID, role)
		if err != nil {
			return savedMsg{ID: incidentID, Req: req, Err: err}
		}
		if prev == holder && prevEvent != "" {
			return savedMsg{ID: incidentID, Req: req, Err: model.Invalidf("%s already holds %s", holder, role.Title())}
		}
		if holder == "" && prev == "" {
			return savedMsg{ID: incidentID, Req: req, Err: model.Invalidf("nobody holds %s", role.Title())}
		}
		e, err := st.Append(ctx, model.Draft{IncidentID: incidentID, Kind: model.EventRoleAssigned,
			Payload: model.RoleAssignedPayload{Role: role, Holder: holder, Previous: prev, Replaces: prevEvent}})
		return savedMsg{ID: incidentID, Req: req, Event: e, Err: err}
	})
}

func declare(fn DeclareFunc, d model.Declaration, runbooks []string) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		if fn == nil {
			return declaredMsg{Err: model.Invalidf("declaring is not available here: use 'sitrep declare'")}
		}
		// Opening it (onDeclared) makes it the current incident.
		in, err := fn(ctx, d, runbooks)
		return declaredMsg{Incident: in, Err: err}
	})
}

func setCurrent(st Store, id string) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		_ = st.SetCurrent(ctx, id) // a convenience for the CLI; failing it is harmless
		return nil
	})
}

func copyText(copyFn func(string) error, what, text string) tea.Cmd {
	return func() tea.Msg {
		if copyFn == nil {
			return copiedMsg{What: what, Err: model.Invalidf("no clipboard here")}
		}
		return copiedMsg{What: what, Err: copyFn(text)}
	}
}

func startDrill(fn DrillFunc, scenario string) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		if fn == nil {
			return declaredMsg{Drill: true, Err: model.Invalidf("drills are not available here: use 'sitrep drill %s'", scenario)}
		}
		in, warning, err := fn(ctx, scenario)
		return declaredMsg{Incident: in, Drill: true, Warning: warning, Err: err}
	})
}
