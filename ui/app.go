// Package ui is sitrep's cockpit: a Bubble Tea program with an incident list
// and an incident view of three panes (timeline, runbook stepper, RACI).
//
// App is the root: it owns focus, the global keys, resizing and routing,
// and holds one component per pane as a plain field. Keys live in one
// keymap (keys.go) that also feeds help; colours in one Styles (styles.go);
// pane geometry in one pure function (layout.go). Every read and write of
// the store, the drafts and the runbook library happens in a tea.Cmd
// (commands.go), never in Update or View; the answers are the messages of
// messages.go, routed in results.go. Overlays share one modal slot
// (modal.go).
package ui

import (
	"os"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/respond"
	"github.com/sitrep-dev/sitrep/storage"
)

type screen int

const (
	screenList screen = iota
	screenIncident
)

type pane int

const (
	paneTimeline pane = iota
	paneStepper
	paneRACI
	paneCount
)

var paneNames = [paneCount]string{"Timeline", "Runbook", "RACI"}

// App is the root tea.Model.
type App struct {
	st      Store
	rs      *respond.Service // every change to an incident goes through it
	opts    Options
	styles  *Styles
	keys    *keyMap
	now     func() time.Time
	w, h    int
	poll    time.Duration
	screen  screen
	help    bool
	helpTop int // first help line shown
	list    incidentList
	slot    modalSlot // the modal holding the keys over the screen, if any (modal.go)
	flash   string
	flashAt time.Time
	isErr   bool
	sync    syncState
	seq     int64
	nextReq int
	// Drafts: the open incident's unsaved texts by slot, the number of
	// the newest draft tick, and whether the last write failed (said once).
	drafts      map[string]storage.Draft
	draftSeq    int
	draftFailed bool
	unwritten   []draftWrite // set in this Update, written by its command
	writer      *draftWriter
	// The runbook library: whether it has loaded, and the keys that wait
	// for it (library.go).
	libReady bool
	libWait  []tea.KeyMsg

	// The incident on screen.
	incID    string
	inc      model.Incident
	messages []model.Message
	loaded   bool
	loading  bool   // a reload is in flight
	stale    bool   // something changed while it was
	entryAt  string // the timeline entry to open it at, once loaded (openAt)
	focus    pane
	timeline timelinePane
	stepper  stepper
	raci     raciPanel

	// The drill on screen, if any (drill.go).
	drill drillState
	// The replay on screen, if any, and the log it folds (replay.go).
	replay      replayState
	replayCache *replayCache
}

// New builds the App.
func New(opts Options) App {
	styles := NewStyles(opts.Renderer)
	keys := newKeyMap()
	keys.Drill.SetEnabled(opts.Respond != nil && opts.Library != nil)
	keys.Write.SetEnabled(opts.Respond != nil)
	now := opts.Now
	if now == nil {
		now = opts.Store.Now
	}
	rs := opts.Respond
	if rs == nil {
		rs = respond.New(opts.Store, respond.Options{Now: now, Cadence: func() model.CadencePolicy { return opts.Cadence }})
	}
	if opts.Copy == nil {
		opts.Copy = systemCopy(os.Stdout)
	}
	poll := opts.Poll
	if poll == 0 {
		poll = time.Second
	}
	a := App{
		st:       opts.Store,
		rs:       rs,
		opts:     opts,
		styles:   styles,
		keys:     &keys,
		now:      now,
		poll:     poll,
		writer:   newDraftWriter(),
		list:     newIncidentList(styles, &keys, listSourceOf(opts.Store)),
		timeline: newTimelinePane(styles, &keys),
		stepper:  newStepper(styles, &keys),
		raci:     newRACIPanel(styles, &keys),
	}
	a.list.searchDelay = opts.SearchDelay
	if a.list.searchDelay == 0 {
		a.list.searchDelay = searchDelay
	}
	_, lazy := opts.Library.(lazyLibrary)
	a.libReady = !lazy
	a.leaveDrill() // the facilitator's keys are on in drills only
	if opts.Incident != "" {
		a.screen, a.incID, a.loading = screenIncident, opts.Incident, true
	}
	return a
}

// Init loads the list, or the incident asked for, and starts the clock.
func (a App) Init() tea.Cmd {
	cmds := []tea.Cmd{loadIncidents(a.st, listPage), tick(a.poll)}
	if a.opts.Sync != nil {
		cmds = append(cmds, syncTick(0))
	}
	if a.incID != "" {
		cmds = append(cmds, loadIncident(a.st, a.incID, a.timeline.request(), nil, a.now(), true))
	}
	// A library loaded on first use reads team folders: in a command,
	// after the first frame, never in Update (library.go).
	if lib, ok := a.opts.Library.(lazyLibrary); ok {
		cmds = append(cmds, loadLibrary(lib))
	}
	return tea.Batch(cmds...)
}

// Update routes a message to the part it is for: keys to the modal, the
// global keys or the focused pane; answers of I/O to what asked for them
// (results.go).
func (a App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.resize(msg.Width, msg.Height)
	case tea.KeyMsg:
		a, cmd = a.onKey(msg)
	case tea.MouseMsg:
		a, cmd = a.onMouse(msg)
	default:
		cmd = a.onResult(msg)
	}
	a.settle()
	return a, tea.Batch(cmd, a.flushDrafts())
}

// onKey handles a key, or each key of a burst typed outside an input.
func (a App) onKey(msg tea.KeyMsg) (App, tea.Cmd) {
	if keys := a.splitKeys(msg); keys != nil {
		var cmds []tea.Cmd
		for _, k := range keys {
			var c tea.Cmd
			a, c = a.handleKey(k)
			cmds = append(cmds, c)
		}
		return a, tea.Batch(cmds...)
	}
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 {
		// Typed into an input: a burst is text. Bubble Tea spells a
		// burst as its characters, so a typed word like "ctrl+c" or
		// "esc" would otherwise match that key and quit or close the
		// input mid-sentence. Marked as a paste, it matches no key.
		msg.Paste = true
	}
	return a.handleKey(msg)
}

func (a *App) setFlash(text string, isErr bool) {
	a.flash, a.isErr, a.flashAt = text, isErr, a.now()
}

// settle keeps every scrolled list's selection in view after a change.
func (a *App) settle() {
	a.timeline.ensureVisible()
	a.stepper.scroll()
	rb, st, ok := a.stepper.selected()
	a.raci.scroll(len(a.raci.stepSection(rb, st, ok, max(a.raci.w-2, 0))))
}

func (a *App) resize(w, h int) {
	a.w, a.h = w, h
	l := computeLayout(w, h)
	a.timeline.SetSize(l.Timeline.W, l.Timeline.H)
	a.stepper.SetSize(l.Stepper.W, l.Stepper.H)
	a.raci.SetSize(l.RACI.W, l.RACI.H)
	a.list.SetSize(w, max(h-1-footerRows, 0))
	a.slot.size(a.w, a.modalHeight())
}

// bodyHeight is the rows between the incident header and the footer, less
// a title line.
func (a *App) bodyHeight() int { return max(a.h-headerRows-footerRows-1, 1) }

// listBodyHeight is the rows under the list's header, less a title line.
func (a *App) listBodyHeight() int { return max(a.h-1-footerRows-1, 1) }

// splitKeys breaks a burst of typed characters into single keys where
// each is a command: the terminal delivers keys pressed quickly (or sent by
// tmux) in one read, and Bubble Tea hands them over as one message. Text
// inputs take the burst whole. Nil means no split.
func (a *App) splitKeys(msg tea.KeyMsg) []tea.KeyMsg {
	if msg.Type != tea.KeyRunes || len(msg.Runes) < 2 || msg.Paste || a.typing() {
		return nil
	}
	keys := make([]tea.KeyMsg, len(msg.Runes))
	for i, r := range msg.Runes {
		keys[i] = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}
		if r == ' ' {
			keys[i].Type = tea.KeySpace
		}
	}
	return keys
}

// typing reports whether keys go to a text input now.
func (a *App) typing() bool {
	return a.slot.typing() || a.screen == screenList && a.list.filtering
}

// handleKey: ctrl+c always quits; an open help, form, picker or input takes
// keys before anything else; then the global keys; then the focused pane.
func (a App) handleKey(msg tea.KeyMsg) (App, tea.Cmd) {
	k := a.keys
	if key.Matches(msg, k.ForceQ) {
		a.keepDraft()
		return a, quitAfter(a.flushDrafts())
	}
	if len(a.libWait) > 0 {
		a.holdForLibrary(msg)
		return a, nil
	}
	if m := a.slot.top; m != nil && (!a.help || m.overHelp()) {
		if cmd, took := m.key(&a, msg); took {
			return a, cmd
		}
	}
	if key.Matches(msg, k.SyncNow) {
		return a, a.syncNow()
	}
	if a.replay.on && a.screen == screenIncident && !a.help && key.Matches(msg, k.Declare) {
		cmd, _ := a.replayKey(msg) // refused: nothing is written while replaying
		return a, cmd
	}
	if a.help {
		page := a.bodyHeight()
		switch {
		case key.Matches(msg, k.Back, k.Quit, k.Help):
			a.help = false
		default:
			if d, ok := k.move(msg, page); ok {
				a.helpTop = min(max(a.helpTop+d, 0), a.helpLastTop())
			}
		}
		return a, nil
	}
	if a.screen == screenList && a.list.filtering {
		var cmd tea.Cmd
		a.list, cmd = a.list.Update(msg)
		return a, cmd
	}
	if a.waitForLibrary(msg) {
		return a, nil
	}
	switch {
	case key.Matches(msg, k.Help):
		a.help, a.helpTop = true, 0
		return a, nil
	case key.Matches(msg, k.Declare):
		a.openModal(newDeclareForm(a.styles, a.keys, a.opts.Library))
		return a, nil
	}
	if a.screen == screenList {
		if key.Matches(msg, k.Quit) {
			if !a.list.filtered() {
				return a, tea.Quit
			}
			// q backs out of a filtered list as esc does, one step at a
			// time, rather than closing the cockpit from a search.
			msg = tea.KeyMsg{Type: tea.KeyEscape}
		}
		if key.Matches(msg, k.Stats) {
			a.openModal(newStatsScreen(a.styles, a.keys))
			return a, loadStats(a.st)
		}
		if key.Matches(msg, k.Drill) { // enabled only with drills and a library
			if p := a.scenarioPicker(); p != nil {
				a.openModal(p)
			}
			return a, nil
		}
		var cmd tea.Cmd
		a.list, cmd = a.list.Update(msg)
		if id, entry, ok := a.list.takeOpen(); ok {
			return a, a.openAt(id, entry)
		}
		return a, cmd
	}
	return a.incidentKey(msg)
}
