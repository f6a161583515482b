package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/model"
)

// Results: where each answer of a command goes. Every answer carries what
// it is for (an incident id, a request number, a search sequence), so it
// reaches the part that asked, or is dropped when that part has moved on.

// onResult routes a message that is not a key, a click or a resize.
func (a *App) onResult(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case libraryMsg:
		return a.onLibrary(msg)
	case tickMsg:
		return a.onTick()
	case seqMsg:
		if msg.Err == nil && msg.Seq != a.seq {
			return tea.Batch(a.reload(), countPending(a.opts.Pending))
		}
	case syncTickMsg:
		return a.startSync()
	case syncDoneMsg:
		return a.onSynced(msg)
	case liveMsg:
		return a.onLive(msg)
	case pendingMsg:
		if msg.Err == nil {
			a.sync.Pending = msg.N
		}
	case draftTickMsg:
		a.onDraftTick(msg)
	case draftWrittenMsg:
		a.onDraftWritten(msg)
	case copiedMsg:
		if msg.Err != nil {
			a.setFlash("Copy failed: "+msg.Err.Error(), true)
		} else {
			a.setFlash(msg.Result.Describe(msg.What), false)
		}
	case searchTickMsg, searchMsg, incidentsMsg, incidentsPageMsg, declaredMsg, statsMsg:
		return a.onListResult(msg)
	default:
		return a.onIncidentResult(msg)
	}
	return nil
}

// onListResult takes the answers for the list screen and what opens from
// it.
func (a *App) onListResult(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case searchTickMsg, searchMsg, incidentsPageMsg:
		var cmd tea.Cmd
		a.list, cmd = a.list.Update(msg)
		if id, entry, ok := a.list.takeOpen(); ok && a.screen == screenList && a.slot.top == nil {
			return a.openAt(id, entry)
		}
		return cmd
	case incidentsMsg:
		if msg.Err != nil {
			a.setFlash(msg.Err.Error(), true)
			return nil
		}
		a.list.setIncidents(msg)
		if a.screen == screenList {
			a.seq = msg.Seq
		}
	case declaredMsg:
		return a.onDeclared(msg)
	case statsMsg:
		if v := a.slot.stats(); v != nil {
			v.take(msg)
		}
	}
	return nil
}

// onIncidentResult takes the answers for the incident on screen and its
// screens.
func (a *App) onIncidentResult(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case incidentDataMsg:
		return a.onIncidentData(msg)
	case replayMsg:
		return a.onReplay(msg)
	case replayLogMsg:
		a.onReplayLog(msg)
	case timelinePageMsg:
		var cmd tea.Cmd
		a.timeline, cmd = a.timeline.Update(msg)
		return cmd
	case flashMsg:
		a.setFlash(msg.Text, msg.IsErr)
	case savedMsg:
		return a.onSaved(msg)
	case writtenMsg:
		a.onWritten(msg)
	case attachedMsg:
		a.setFlash("Attached the "+model.OneLine(msg.Name)+" runbook: the Runbook pane shows it ([ ] switch runbooks).", false)
		if msg.ID == a.incID {
			a.stepper.showAttached(msg.Name)
			a.focus = paneStepper
			return tea.Batch(a.reload(), countPending(a.opts.Pending))
		}
	case reviewLoadedMsg:
		if r := a.slot.review(); r != nil && msg.ID == r.incID {
			if err := r.take(msg); err != nil {
				a.setFlash("Review not loaded: "+err.Error(), true)
			}
		}
	case reviewSavedMsg:
		return a.onReviewSaved(msg)
	case editorReadyMsg:
		if msg.Err != nil {
			a.setFlash(msg.Err.Error(), true)
			return nil
		}
		return runEditor(a.opts.Editor, msg)
	case editorDoneMsg:
		return finishEditor(a.rs, msg)
	case evidenceRanMsg:
		return a.onEvidenceRan(msg)
	case messageFilledMsg:
		if c := a.slot.comms(); c != nil && c.incID == msg.ID {
			c.filled(msg, a.drafts[messageSlot(string(msg.Tmpl.Audience))])
		}
	case messageSentMsg:
		return a.onMessageSent(msg)
	case findTickMsg, foundMsg:
		return a.onFound(msg)
	}
	return nil
}
