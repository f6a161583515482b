// Package ui is sitrep's cockpit: a Bubble Tea program with an incident list
// and an incident view of three panes (timeline, runbook stepper, RACI).
//
// App is the root: it owns focus, the global keys, resizing and routing,
// and holds one component per pane as a plain field. Keys live in one
// keymap (keys.go) that also feeds help; colours in one Styles (styles.go);
// pane geometry in one pure function (layout.go). Every read and write of
// the store happens in a tea.Cmd (commands.go), never in Update or View.
// The one exception is the draft of the note line (drafts.go): a small file
// written in Update, so that drafts land in the order they were typed.
package ui

import (
	"fmt"
	"os"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// Options configures an App.
type Options struct {
	Store    Store
	Library  Library            // runbooks the declare form offers; may be nil
	Declare  DeclareFunc        // how N declares; nil disables it
	Drill    DrillFunc          // how D starts a drill; nil disables it
	Attach   AttachFunc         // how A attaches a runbook; nil disables it
	Write    WriteFunc          // how W writes the review or a drill's report; nil disables it
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
	// SearchDelay is the pause after typing in the list filter before the
	// store is asked; 0 is 150 ms, negative none.
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
	form    *declareForm
	picker  *picker
	prompt  *prompt
	confirm *confirmation // a yes/no question, over everything
	notice  *notice       // a refusal holding the keys typed after it
	review  *reviewScreen // the review of the incident on screen, when open
	stats   *statsScreen  // the stats view, over the list, when open
	comms   *commsScreen  // the message screen, over the incident, when open
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

	// The incident on screen.
	incID    string
	inc      model.Incident
	messages []model.Message
	loaded   bool
	loading  bool // a reload is in flight
	stale    bool // something changed while it was
	focus    pane
	timeline timelinePane
	stepper  stepper
	raci     raciPanel

	// A drill's clock and what its objectives are judged from (drill.go).
	exercise     *model.Exercise
	drillLog     model.DrillLog
	injectsShown int  // released injects in the timeline read last
	facilitator  bool // the O panel is open
}

// New builds the App.
func New(opts Options) App {
	styles := NewStyles(opts.Renderer)
	keys := newKeyMap()
	keys.Drill.SetEnabled(opts.Drill != nil && opts.Library != nil)
	keys.Write.SetEnabled(opts.Write != nil)
	now := opts.Now
	if now == nil {
		now = opts.Store.Now
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
		opts:     opts,
		styles:   styles,
		keys:     &keys,
		now:      now,
		poll:     poll,
		list:     newIncidentList(styles, &keys),
		timeline: newTimelinePane(styles, &keys),
		stepper:  newStepper(styles, &keys),
		raci:     newRACIPanel(styles, &keys),
	}
	a.list.searchDelay = opts.SearchDelay
	if a.list.searchDelay == 0 {
		a.list.searchDelay = searchDelay
	}
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
		cmds = append(cmds, func() tea.Msg { return syncTickMsg{} })
	}
	if a.incID != "" {
		cmds = append(cmds, loadIncident(a.st, a.incID, a.timeline.request(), nil, a.now(), true))
	}
	// A library that can fail to load (a broken team folder) says so once
	// it has loaded, after the first frame rather than before it.
	if lib, ok := a.opts.Library.(interface{ Notice() string }); ok {
		cmds = append(cmds, func() tea.Msg { return noticeMsg(lib.Notice()) })
	}
	return tea.Batch(cmds...)
}

// noticeMsg is a warning from loading the runbook library; empty if none.
type noticeMsg string

// Update routes a message to the part it is for.
func (a App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.resize(msg.Width, msg.Height)
	case noticeMsg:
		if msg != "" {
			a.setFlash(string(msg), true)
		}
	case tea.KeyMsg:
		if keys := a.splitKeys(msg); keys != nil {
			var cmds []tea.Cmd
			for _, k := range keys {
				var c tea.Cmd
				a, c = a.handleKey(k)
				cmds = append(cmds, c)
			}
			cmd = tea.Batch(cmds...)
			break
		}
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 {
			// Typed into an input: a burst is text. Bubble Tea spells a
			// burst as its characters, so a typed word like "ctrl+c" or
			// "esc" would otherwise match that key and quit or close the
			// input mid-sentence. Marked as a paste, it matches no key.
			msg.Paste = true
		}
		a, cmd = a.handleKey(msg)
	case tea.MouseMsg:
		a, cmd = a.onMouse(msg)
	case tickMsg:
		cmd = a.onTick()
	case seqMsg:
		if msg.Err == nil && msg.Seq != a.seq {
			cmd = tea.Batch(a.reload(), countPending(a.opts.Pending))
		}
	case searchTickMsg:
		if msg.Seq == a.list.searchSeq && a.list.filtered() {
			cmd = runQuery(a.st, msg.Seq, parseQuery(a.list.searchText))
		}
	case searchMsg:
		a.list.searched(msg)
	case syncTickMsg:
		cmd = a.startSync()
	case syncDoneMsg:
		cmd = a.onSynced(msg)
	case liveMsg:
		cmd = a.onLive(msg)
	case pendingMsg:
		if msg.Err == nil {
			a.sync.Pending = msg.N
		}
	case incidentsMsg:
		if msg.Err != nil {
			a.setFlash(msg.Err.Error(), true)
			break
		}
		a.list.setIncidents(msg)
		if a.screen == screenList {
			a.seq = msg.Seq
		}
	case incidentsPageMsg:
		if msg.Err != nil {
			a.list.fetching = false
			a.setFlash(msg.Err.Error(), true)
			break
		}
		a.list.addPage(msg)
	case incidentDataMsg:
		cmd = a.onIncidentData(msg)
	case timelinePageMsg:
		if msg.ID != a.incID {
			break
		}
		if msg.Err != nil {
			a.timeline.pending = false
			a.setFlash(msg.Err.Error(), true)
			break
		}
		a.timeline.addPage(msg)
		cmd = a.fetchPage()
	case savedMsg:
		cmd = a.onSaved(msg)
	case writtenMsg:
		a.onWritten(msg)
	case attachedMsg:
		a.setFlash("Attached the "+model.OneLine(msg.Name)+" runbook: the Runbook pane shows it ([ ] switch runbooks).", false)
		if msg.ID == a.incID {
			a.stepper.show = msg.Name
			a.focus = paneStepper
			cmd = tea.Batch(a.reload(), countPending(a.opts.Pending))
		}
	case draftTickMsg:
		a.onDraftTick(msg)
	case declaredMsg:
		cmd = a.onDeclared(msg)
	case reviewLoadedMsg:
		if a.review != nil && msg.ID == a.review.incID {
			if msg.Err != nil {
				a.setFlash("Review not loaded: "+msg.Err.Error(), true)
				break
			}
			a.review.saved, a.review.info, a.review.pinned, a.review.loaded = msg.Review, msg.Info, msg.Pinned, true
			a.review.scroll()
		}
	case statsMsg:
		if a.stats != nil {
			a.stats.loaded, a.stats.real, a.stats.drills = true, msg.Real, msg.Drills
			if msg.Err != nil {
				a.stats.err = msg.Err.Error()
			}
			a.stats.clamp()
		}
	case messageFilledMsg:
		if c := a.comms; c != nil && c.incID == msg.ID {
			c.filling = false
			if msg.Err != nil {
				c.err = msg.Err.Error()
				break
			}
			c.tmpl, c.editing, c.err, c.notice = msg.Tmpl, true, "", ""
			c.area = newTextArea(model.Printable(msg.Text), c.w-4, c.areaHeight())
			// An update left unsaved to this audience comes back instead.
			if d, ok := a.drafts[messageSlot(string(msg.Tmpl.Audience))]; ok {
				c.area.SetValue(d.Text)
				c.notice = restoredNotice(d, "ctrl+s logs it, esc drops it.")
			}
		}
	case messageSentMsg:
		cmd = a.onMessageSent(msg)
	case reviewSavedMsg:
		cmd = a.onReviewSaved(msg)
	case editorReadyMsg:
		if msg.Err != nil {
			a.setFlash(msg.Err.Error(), true)
			break
		}
		cmd = runEditor(a.opts.Editor, msg)
	case editorDoneMsg:
		cmd = finishEditor(a.st, msg)
	case copiedMsg:
		if msg.Err != nil {
			a.setFlash("Copy failed: "+msg.Err.Error(), true)
		} else {
			a.setFlash(msg.Result.Describe(msg.What), false)
		}
	}
	a.settle()
	return a, cmd
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

func (a *App) onTick() tea.Cmd {
	cmds := []tea.Cmd{tick(a.poll)}
	if a.flash != "" && !a.isErr && a.now().Sub(a.flashAt) > 5*time.Second {
		a.flash = ""
	}
	a.expireNotice()
	if !a.loading {
		cmds = append(cmds, pollSeq(a.st))
	}
	if a.screen == screenIncident && a.injectsDue() {
		cmds = append(cmds, a.reload()) // an inject fell due on the exercise clock
	}
	return tea.Batch(cmds...)
}

// reload reads again what the screen shows, after a change here or
// elsewhere. One reload is in flight at a time; changes during it ask for
// one more.
func (a *App) reload() tea.Cmd {
	if a.screen == screenList {
		cmds := []tea.Cmd{loadIncidents(a.st, len(a.list.pages))}
		if a.list.filtered() {
			a.list.searchSeq++
			cmds = append(cmds, runQuery(a.st, a.list.searchSeq, parseQuery(a.list.searchText)))
		}
		return tea.Batch(cmds...)
	}
	if a.loading {
		a.stale = true
		return nil
	}
	a.loading = true
	return loadIncident(a.st, a.incID, a.timeline.request(), a.stepper.parsed(), a.now(), false)
}

func (a *App) onIncidentData(msg incidentDataMsg) tea.Cmd {
	if msg.ID != a.incID || !a.loaded && !msg.First {
		// Another incident's, or a reload from before this one was opened
		// again: the load that opened it, with its drafts, is on its way.
		return nil
	}
	a.loading = false
	if msg.Err != nil {
		a.setFlash(msg.Err.Error(), true)
		if !a.loaded {
			a.screen = screenList
			a.incID = ""
			return loadIncidents(a.st, len(a.list.pages))
		}
		return nil
	}
	a.screen = screenIncident
	a.seq = msg.Seq
	a.inc = msg.Incident
	a.messages = msg.Messages
	if !a.loaded {
		if msg.DraftsErr != nil {
			a.setFlash("Drafts not read: "+msg.DraftsErr.Error(), true)
		}
		a.onDrafts(msg.Drafts)
	}
	a.loaded = true
	a.exercise, a.drillLog, a.injectsShown = msg.Exercise, msg.Log, msg.Injects
	a.drillKeysEnabled(msg.Exercise != nil)
	if msg.Exercise == nil {
		a.facilitator = false
	}
	a.timeline.setWindow(msg.Entries, msg.Window, msg.Incident.Entries+msg.Injects, model.ClockOf(msg.Incident, msg.Exercise))
	a.stepper.incident = msg.Incident.Short()
	a.stepper.setData(msg.Runbooks, msg.Steps)
	a.raci.setData(msg.Roles, msg.Runbooks)
	if a.stale {
		a.stale = false
		return a.reload()
	}
	return a.fetchPage()
}

// fetchPage asks for the next page of the timeline when the cursor nears
// the edge of the loaded window.
func (a *App) fetchPage() tea.Cmd {
	dir, edge, ok := a.timeline.want()
	if !ok {
		return nil
	}
	a.timeline.pending = true
	return loadPage(a.st, a.incID, dir, edge, timelinePage, a.exercise, a.now())
}

// open shows an incident.
func (a *App) open(id string) tea.Cmd {
	a.screen = screenIncident
	a.incID = id
	a.loaded, a.loading, a.stale = false, true, false
	a.inc = model.Incident{ID: id}
	a.messages = nil
	a.focus = paneTimeline
	a.prompt, a.picker, a.review, a.stats, a.comms = nil, nil, nil, nil, nil
	a.leaveDrill()
	a.timeline.reset()
	a.stepper.reset()
	a.raci.reset()
	a.resize(a.w, a.h)
	return tea.Batch(loadIncident(a.st, id, a.timeline.request(), nil, a.now(), true), setCurrent(a.st, id))
}

func (a *App) back() tea.Cmd {
	a.screen = screenList
	a.incID = ""
	a.loaded = false
	a.prompt, a.picker, a.review, a.comms = nil, nil, nil, nil
	a.leaveDrill()
	return loadIncidents(a.st, len(a.list.pages))
}

func (a *App) resize(w, h int) {
	a.w, a.h = w, h
	l := computeLayout(w, h)
	a.timeline.SetSize(l.Timeline.W, l.Timeline.H)
	a.stepper.SetSize(l.Stepper.W, l.Stepper.H)
	a.raci.SetSize(l.RACI.W, l.RACI.H)
	a.list.SetSize(w, max(h-1-footerRows, 0))
	if a.review != nil {
		a.review.SetSize(w, a.bodyHeight())
	}
	if a.stats != nil {
		a.stats.SetSize(w, a.listBodyHeight())
	}
	if a.comms != nil {
		a.comms.SetSize(w, a.bodyHeight())
	}
	if a.prompt != nil {
		a.prompt.input.Width = max(w-len([]rune(a.prompt.label))-3, 1)
	}
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
	return a.prompt != nil || a.confirm != nil || a.notice != nil || (a.review != nil && a.review.editing) || (a.comms != nil && a.comms.editing) || (a.form != nil && a.form.field == fieldTitle) || (a.screen == screenList && a.list.filtering)
}

// handleKey: ctrl+c always quits; an open help, form, picker or input takes
// keys before anything else; then the global keys; then the focused pane.
func (a App) handleKey(msg tea.KeyMsg) (App, tea.Cmd) {
	k := a.keys
	if key.Matches(msg, k.ForceQ) {
		a.keepDraft()
		return a, tea.Quit
	}
	if a.confirm != nil {
		return a.confirmKey(msg)
	}
	if a.notice != nil {
		return a.noticeKey(msg)
	}
	if a.review != nil && a.review.editing && !a.help {
		return a.reviewKey(msg) // ctrl+s saves the text here
	}
	if a.comms != nil && !a.help {
		return a.commsKey(msg) // ctrl+s logs the message
	}
	if key.Matches(msg, k.SyncNow) {
		return a, a.syncNow()
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
	if a.form != nil {
		return a.formKey(msg)
	}
	if a.picker != nil {
		return a.pickerKey(msg)
	}
	if a.prompt != nil {
		return a.promptKey(msg)
	}
	if a.review != nil && !key.Matches(msg, k.Help) {
		return a.reviewKey(msg)
	}
	if a.stats != nil && !key.Matches(msg, k.Help) {
		if a.stats.Update(msg) {
			a.stats = nil
		}
		return a, nil
	}
	if a.screen == screenList && a.list.filtering {
		var cmd tea.Cmd
		a.list, _, cmd = a.list.Update(msg)
		return a, cmd
	}
	switch {
	case key.Matches(msg, k.Help):
		a.help, a.helpTop = true, 0
		return a, nil
	case key.Matches(msg, k.Declare):
		a.form = newDeclareForm(a.styles, a.keys, a.opts.Library)
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
			a.stats = newStatsScreen(a.styles, a.keys)
			a.stats.SetSize(a.w, a.listBodyHeight())
			return a, loadStats(a.st)
		}
		if key.Matches(msg, k.Drill) { // enabled only with drills and a library
			a.picker = a.scenarioPicker()
			return a, nil
		}
		var open bool
		var cmd tea.Cmd
		a.list, open, cmd = a.list.Update(msg)
		if open {
			in, _ := a.list.selected()
			return a, a.open(in.ID)
		}
		if off, ok := a.list.wantPage(); ok {
			cmd = tea.Batch(cmd, loadIncidentPage(a.st, off))
		}
		return a, cmd
	}
	return a.incidentKey(msg)
}

func (a App) incidentKey(msg tea.KeyMsg) (App, tea.Cmd) {
	k := a.keys
	switch {
	case a.facilitator && key.Matches(msg, k.Back, k.Quit):
		a.facilitator = false
	case key.Matches(msg, k.Back, k.Quit):
		return a, a.back()
	case key.Matches(msg, k.NextPane):
		a.focus = (a.focus + 1) % paneCount
	case key.Matches(msg, k.PrevPane):
		a.focus = (a.focus + paneCount - 1) % paneCount
	case key.Matches(msg, k.FocusTimeline):
		a.focus = paneTimeline
	case key.Matches(msg, k.FocusRunbook):
		a.focus = paneStepper
	case key.Matches(msg, k.FocusRACI):
		a.focus = paneRACI
	case key.Matches(msg, k.Note):
		a.openPrompt(notePrompt(model.NoteKindNote))
	case key.Matches(msg, k.Decision):
		a.openPrompt(notePrompt(model.NoteKindDecision))
	case key.Matches(msg, k.Action):
		a.openPrompt(notePrompt(model.NoteKindAction))
	case key.Matches(msg, k.Pin):
		return a, a.pin()
	case key.Matches(msg, k.Amend):
		a.correct(promptAmend)
	case key.Matches(msg, k.Retract):
		a.correct(promptRetract)
	case key.Matches(msg, k.Status):
		if a.loaded {
			a.picker = statusPicker(a.inc.Status)
		}
	case key.Matches(msg, k.Severity):
		if a.loaded {
			a.picker = severityPicker(a.inc.Severity)
		}
	case key.Matches(msg, k.Attach):
		if a.loaded {
			a.picker = a.runbookPicker()
		}
	case key.Matches(msg, k.DrillPause):
		return a, a.drillAction(model.EventExercisePaused)
	case key.Matches(msg, k.DrillFaster):
		return a, a.speed(2)
	case key.Matches(msg, k.DrillSlower):
		return a, a.speed(0.5)
	case key.Matches(msg, k.DrillRelease):
		return a, a.drillAction(model.EventInjectReleased)
	case key.Matches(msg, k.DrillSkip):
		return a, a.drillAction(model.EventInjectSkipped)
	case key.Matches(msg, k.DrillEnd):
		return a, a.drillAction(model.EventExerciseEnded)
	case key.Matches(msg, k.DrillPanel):
		a.facilitator = !a.facilitator
	case key.Matches(msg, k.Message):
		if a.loaded {
			a.comms = newCommsScreen(a.styles, a.keys, a.incID)
			a.comms.SetSize(a.w, a.bodyHeight())
		}
	case key.Matches(msg, k.Write):
		a.openWrite()
	case key.Matches(msg, k.Review):
		a.review = newReviewScreen(a.styles, a.keys, a.incID, a.now)
		a.review.SetSize(a.w, a.bodyHeight())
		return a, loadReview(a.st, a.incID)
	case key.Matches(msg, k.Done):
		return a, a.stepChange(model.StepDone)
	case key.Matches(msg, k.Skip):
		return a, a.stepChange(model.StepSkipped)
	case key.Matches(msg, k.Block):
		return a, a.stepChange(model.StepBlocked)
	case key.Matches(msg, k.Reopen):
		return a, a.stepChange(model.StepOpen)
	case key.Matches(msg, k.Copy):
		text, n, of, ok := a.stepper.nextCode()
		if !ok {
			a.refuse("This step has no command to copy.")
			return a, nil
		}
		what := "the step's command"
		if of > 1 {
			what = fmt.Sprintf("command %d of %d", n, of)
		}
		return a, copyText(a.opts.Copy, what, text)
	case key.Matches(msg, k.Assign):
		role, ok := a.raci.selected()
		if !ok {
			return a, nil
		}
		a.focus = paneRACI
		a.openAssign(role)
	default:
		return a, a.paneKey(a.focus, msg)
	}
	return a, nil
}
