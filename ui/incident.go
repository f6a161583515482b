package ui

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/model"
)

// The incident view: opening and leaving an incident, loading it and
// keeping it fresh, and the keys that act on it.

// open shows an incident.
func (a *App) open(id string) tea.Cmd { return a.openAt(id, "") }

// openAt opens incident id with its timeline at the entry with id entry
// ("": at the newest), as a search of the list found it.
func (a *App) openAt(id, entry string) tea.Cmd {
	a.screen = screenIncident
	a.entryAt = entry
	a.incID = id
	a.loaded, a.loading, a.stale = false, true, false
	a.inc = model.Incident{ID: id}
	a.messages = nil
	a.focus = paneTimeline
	a.slot.drop()
	a.leaveDrill()
	a.replay = replayState{}
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
	a.slot.drop()
	a.leaveDrill()
	a.replay = replayState{}
	return loadIncidents(a.st, len(a.list.pages))
}

// reload reads again what the screen shows, after a change here or
// elsewhere. One reload is in flight at a time; changes during it ask for
// one more.
func (a *App) reload() tea.Cmd {
	if a.screen == screenList {
		cmds := []tea.Cmd{loadIncidents(a.st, len(a.list.pages))}
		if seq, ok := a.list.searchAgain(); ok {
			cmds = append(cmds, runQuery(a.st, seq, parseQuery(a.list.searchText)))
		}
		return tea.Batch(cmds...)
	}
	if a.replay.on && !a.replay.leaving {
		return nil // the replay shows a moment past; esc reads the present
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
	if a.replayHolds() {
		return nil
	}
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
	first := !a.loaded
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
	a.drill.x, a.drill.log, a.drill.injects = msg.Exercise, msg.Log, msg.Injects
	a.drillKeysEnabled(msg.Exercise != nil)
	if msg.Exercise == nil {
		a.drill.panel = false
	}
	a.timeline.source(msg.ID, pageLoader(a.st, msg.ID, msg.Exercise, a.now))
	a.timeline.setWindow(msg.Entries, msg.Window, msg.Incident.Entries+msg.Injects, model.ClockOf(msg.Incident, msg.Exercise))
	a.stepper.setData(msg.Incident.Short(), msg.Runbooks, msg.Steps)
	a.stepper.setExits(msg.Exits)
	a.raci.setData(msg.Roles, msg.Runbooks)
	entry := a.entryAt
	a.entryAt = "" // asked for once, by the load that opens the incident
	if a.stale {
		// Read again first: a change came in while this load was out.
		a.stale = false
		return tea.Batch(a.reload(), a.prefetchReplay(first))
	}
	if entry != "" && first {
		return tea.Batch(a.openTimelineAt(entry, nil), a.prefetchReplay(first))
	}
	return tea.Batch(a.timeline.fetch(), a.prefetchReplay(first))
}

func (a *App) onTick() tea.Cmd {
	cmds := []tea.Cmd{tick(a.poll)}
	if a.flash != "" && !a.isErr && len(a.libWait) == 0 && a.now().Sub(a.flashAt) > 5*time.Second {
		a.flash = ""
	}
	a.expireNotice()
	if !a.loading {
		cmds = append(cmds, pollSeq(a.st))
	}
	if a.screen == screenIncident && a.drill.due(a.now()) {
		cmds = append(cmds, a.reload()) // an inject fell due on the exercise clock
	}
	return tea.Batch(cmds...)
}

func (a App) incidentKey(msg tea.KeyMsg) (App, tea.Cmd) {
	k := a.keys
	if a.replay.on {
		if cmd, done := a.replayKey(msg); done {
			return a, cmd
		}
	}
	switch {
	case key.Matches(msg, k.Replay):
		return a, a.startReplay()
	case a.drill.panel && key.Matches(msg, k.Back, k.Quit):
		a.drill.panel = false
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
		a.openNote(model.NoteKindNote)
	case key.Matches(msg, k.Decision):
		a.openNote(model.NoteKindDecision)
	case key.Matches(msg, k.Action):
		a.openNote(model.NoteKindAction)
	case key.Matches(msg, k.Pin):
		return a, a.pin()
	case key.Matches(msg, k.Amend):
		a.correct(promptAmend)
	case key.Matches(msg, k.Retract):
		a.correct(promptRetract)
	case key.Matches(msg, k.Status):
		if a.loaded {
			a.openModal(statusPicker(a.inc.Status))
		}
	case key.Matches(msg, k.Severity):
		if a.loaded {
			a.openModal(severityPicker(a.inc.Severity))
		}
	case key.Matches(msg, k.Attach):
		if a.loaded {
			if p := a.runbookPicker(); p != nil {
				a.openModal(p)
			}
		}
	case key.Matches(msg, k.Find):
		if !a.loaded {
			break
		}
		if rb := a.stepper.current(); a.focus == paneStepper && rb != nil {
			if d := a.stepper.document(rb); d != nil {
				a.openModal(newRunbookFind(a.styles, a.keys, a.incID, rb.Name, d.r))
				break
			}
		}
		a.openModal(newFindScreen(a.styles, a.keys, a.incID, a.list.searchDelay))
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
		a.drill.panel = !a.drill.panel
	case key.Matches(msg, k.Message):
		if a.loaded {
			a.openModal(newCommsScreen(a.styles, a.keys, a.incID))
		}
	case key.Matches(msg, k.Write):
		a.openWrite()
	case key.Matches(msg, k.Review):
		a.openModal(newReviewScreen(a.styles, a.keys, a.incID, a.now))
		return a, loadReview(a.rs, a.incID)
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
	case key.Matches(msg, k.Links):
		if p := a.linkPicker(); p != nil {
			a.openModal(p)
		}
	case key.Matches(msg, k.Run):
		a.runStepCommand()
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
