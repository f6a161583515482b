package ui

import (
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/respond"
)

// Options configures an App.
type Options struct {
	Store   Store
	Library Library // runbooks the declare form offers; may be nil
	// Respond is what a responder can do, with the rules the CLI keeps
	// too. Nil: one is built on Store for notes, steps, roles and status,
	// and declaring (N), drills (D), attaching (A) and writing (W) are off.
	Respond  *respond.Service
	Renderer *lipgloss.Renderer // nil: lipgloss's default (stdout, termenv's profile)
	Now      func() time.Time   // the clock; nil: the store's
	Copy     CopyFunc           // the clipboard; nil: clipboard.Copy with OSC 52 on stdout
	// Sync, when set, syncs with the team's hub: at start, every SyncEvery
	// and on ctrl+s. Pending counts what waits to go out. Remote names
	// the hub in messages.
	Sync      SyncFunc
	Pending   PendingFunc
	Live      LiveFunc      // when set, a live session replaces the timed syncs (ctrl+s still syncs once)
	SyncEvery time.Duration // 0 is every 30 s
	Remote    string
	// SearchDelay is the pause after typing in the list filter, or the
	// find line of an incident's timeline, before the store is asked; 0 is
	// 150 ms, negative none.
	SearchDelay time.Duration
	// DraftDelay is the pause in typing after which the note line is
	// written down as a draft; 0 is 300 ms, negative at every key.
	DraftDelay time.Duration
	// Cadence is how often each audience must hear from the responders;
	// the header counts down to the next update due. Nil: no timer.
	Cadence model.CadencePolicy
	// Editor edits the whole review document (e on the review screen);
	// "" is vi. It may carry arguments ("code -w").
	Editor   string
	Incident string        // an incident id to open at start
	Poll     time.Duration // how often to look for changes; 0 is every second, negative never (and no timed syncs: one frame, tests)
}
