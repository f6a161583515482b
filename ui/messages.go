package ui

import (
	"time"

	"github.com/sitrep-dev/sitrep/clipboard"
	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
	ssync "github.com/sitrep-dev/sitrep/sync"
)

// Messages: every message the cockpit's parts send each other, in one
// place. Every result of I/O is a message, and every message about an
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
	Exits    map[storage.StepRef]storage.Evidence // the last command run from each step
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
// loaded window, the first or last page after a jump, or the window
// around an entry found (pageAround).
type timelinePageMsg struct {
	ID      string
	Dir     pageDir
	Limit   int
	Entries []model.TimelineEntry
	Err     error

	// pageAround only: the entry to select, the position of the first
	// entry in the whole timeline, and whether the window reaches either
	// end of it.
	Target         string
	Offset         int
	AtHead, AtTail bool
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
	What   string
	Result clipboard.Result
	Err    error
}

// attachedMsg reports a runbook attached from the cockpit.
type attachedMsg struct{ ID, Name string }

// libraryMsg reports the runbook library loaded, with a warning to show
// (a broken team folder); empty if none.
type libraryMsg string

// flashMsg is a word for the status line from a part that has no other
// way to say it (a timeline page that failed to load).
type flashMsg struct {
	Text  string
	IsErr bool
}

// draftWrittenMsg is the outcome of writing drafts down.
type draftWrittenMsg struct{ Err error }

// draftTickMsg asks to write the text down, if nothing was typed since the
// tick numbered seq was set.
type draftTickMsg struct{ seq int }

// Messages of the review screen.
type reviewLoadedMsg struct {
	ID     string
	Review model.Review
	Info   storage.ReviewInfo
	Pinned []model.TimelineEntry
	Err    error
}

type reviewSavedMsg struct {
	ID        string
	Review    model.Review
	Unchanged bool
	Editor    bool // from $EDITOR
	Err       error
}

type editorReadyMsg struct {
	ID, Path, Text string
	Err            error
}

type editorDoneMsg struct {
	ID, Path, Text string
	Err            error
}

type searchTickMsg struct{ Seq int }

// searchMsg is the store's answer to a filter.
type searchMsg struct {
	Seq  int
	List []model.Incident
	Hits []SearchHit
	Full bool // the limit was reached: there may be more
	Err  error
}

type statsMsg struct {
	Real, Drills model.Stats
	Err          error
}

type messageFilledMsg struct {
	ID   string
	Tmpl model.MessageTemplate
	Text string
	Err  error
}

type messageSentMsg struct {
	ID       string
	Audience model.Audience
	Err      error
}

// syncTickMsg asks for a sync.
type syncTickMsg struct{}

// syncDoneMsg is a finished sync and what waits to go out after it.
type syncDoneMsg struct {
	Report  ssync.Report
	Err     error
	Pending int64
	PendErr error
	Manual  bool
}

// pendingMsg is a fresh count of events waiting to go out.
type pendingMsg struct {
	N   int64
	Err error
}

// writtenMsg reports a file W wrote.
type writtenMsg struct {
	Req   int
	Path  string
	Drill bool
	Err   error
}

// liveMsg is one report of the live session.
type liveMsg ssync.LiveEvent
