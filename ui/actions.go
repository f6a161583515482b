package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/model"
)

// Actions: what the person does to an incident from the keyboard (notes,
// step changes, roles, status and severity, declaring), turned into events
// saved in commands, and what happens when the store answers.

func (a *App) openPrompt(kind promptKind, label string) *prompt {
	p := newPrompt(kind, label, a.w)
	a.openModal(p)
	a.restoreDraft(p)
	return p
}

// openAssign asks who takes role. The input starts empty, the holder and
// you as hints: pre-filled with your name, the text typed was added to it
// and "root@vmbob" went into the permanent log. ctrl+o fills you in.
func (a *App) openAssign(role model.Role) {
	a.focus = paneRACI
	p := a.openPrompt(promptAssign, fmt.Sprintf("Who takes %s? (empty releases)", a.raci.title(role)))
	p.role = role
	hint := "nobody holds it"
	if cur := a.raci.holder(role); cur != "" {
		hint = "now " + cur
	}
	p.input.Placeholder = hint + " · ctrl+o: you (" + model.OneLine(a.st.Author()) + ")"
}

// correct opens the input that amends or retracts the selected timeline
// entry. Only notes, decisions and action items are corrected; the rest
// change through their own keys.
func (a *App) correct(kind promptKind) {
	e, ok := a.timeline.selected()
	switch {
	case !ok:
		return
	case e.Kind != model.EventNote:
		a.refuse("Only notes, decisions and action items are corrected; this entry changes with its own key.")
		return
	case e.Retracted:
		a.refuse("This entry is retracted already.")
		return
	}
	a.focus = paneTimeline
	if kind == promptAmend {
		p := a.openPrompt(promptAmend, "Amend to:")
		p.input.SetValue(model.Printable(e.Text))
		p.input.CursorEnd()
		p.entry = e.EventID
		return
	}
	p := a.openPrompt(promptRetract, "Retract \""+clip(model.OneLine(e.Text), 30)+"\" because:")
	p.entry = e.EventID
}

// pin toggles the pin on the selected timeline entry.
func (a *App) pin() tea.Cmd {
	e, ok := a.timeline.selected()
	if !ok {
		return nil
	}
	a.nextReq++
	return appendEvent(a.st, a.nextReq, model.Draft{IncidentID: a.incID, Kind: model.EventPinned,
		Payload: model.PinnedPayload{Entry: e.EventID, Pinned: !e.Pinned}})
}

// stepChange records a step's new state; skipping and blocking ask why
// first.
func (a *App) stepChange(state model.StepState) tea.Cmd {
	rb, st, ok := a.stepper.selected()
	if !ok {
		a.refuse("No step selected: attach a runbook to work through it.")
		return nil
	}
	cur := a.stepper.state(rb.Name, st.Index).State
	if cur == state {
		hint := ""
		if state != model.StepOpen {
			hint = " (u reopens it)"
		}
		a.refuse(fmt.Sprintf("Step %d is already %s%s.", st.Index+1, state, hint))
		return nil
	}
	switch state {
	case model.StepSkipped, model.StepBlocked:
		label := fmt.Sprintf("Why skip step %d?", st.Index+1)
		kind := promptSkip
		if state == model.StepBlocked {
			label, kind = fmt.Sprintf("What blocks step %d?", st.Index+1), promptBlock
		}
		p := a.openPrompt(kind, label)
		p.runbook, p.step = rb.Name, st
		return nil
	}
	a.nextReq++
	if state == model.StepDone {
		a.stepper.moveOn(rb.Name, st.Index)
	}
	return appendEvent(a.st, a.nextReq, model.Draft{IncidentID: a.incID, Kind: model.EventStepChanged,
		Payload: model.StepPayload{Runbook: rb.Name, Step: st.Index, Title: model.OneLine(st.Title), State: state}})
}

func (a *App) promptKey(msg tea.KeyMsg) tea.Cmd {
	k := a.keys
	p := a.prompt()
	switch {
	case key.Matches(msg, k.Cancel):
		if p.saving {
			// The save may yet fail, and then the text must still be here.
			p.notice = "Saving… esc again once it is done."
			return nil
		}
		a.keepDraft() // a note line closed unsaved is kept, not thrown away
		a.closeModal()
		return nil
	case key.Matches(msg, k.Submit):
		if p.saving {
			return nil
		}
		text := p.input.Value()
		if p.kind != promptAssign && p.kind != promptEndDrill && p.kind != promptRetract && strings.TrimSpace(text) == "" {
			p.err = "Type something first, or esc to cancel."
			return nil
		}
		save := func(a *App) tea.Cmd {
			a.nextReq++
			p.req, p.saving, p.err, p.sent = a.nextReq, true, "", text
			return a.submit(p, text)
		}
		if p.kind == promptAssign {
			if q, ok := a.handOverNeedsAsking(p.role, strings.TrimSpace(text)); ok {
				p.saving = true // held while the question is open
				a.ask(q, save)
				return nil
			}
		}
		return save(a)
	case p.kind == promptAssign && key.Matches(msg, k.FillMe):
		p.input.SetValue(a.st.Author())
		p.input.CursorEnd()
		return nil
	}
	if p.selected {
		p.selected = false
		switch msg.Type {
		case tea.KeyRunes, tea.KeySpace, tea.KeyBackspace, tea.KeyDelete:
			p.input.SetValue("")
			if msg.Type == tea.KeyBackspace || msg.Type == tea.KeyDelete {
				return nil
			}
		}
	}
	var cmd tea.Cmd
	before := p.input.Value()
	if _, isNote := p.noteKind(); isNote && msg.Paste {
		msg.Runes = toLineBreakMarks(msg.Runes)
	}
	p.input, cmd = p.input.Update(msg)
	if p.input.Value() != before {
		p.notice = ""
		cmd = tea.Batch(cmd, a.typed())
	}
	return cmd
}

// submit saves what a prompt asked for.
func (a *App) submit(p *prompt, text string) tea.Cmd {
	switch p.kind {
	case promptSkip, promptBlock:
		state := model.StepSkipped
		if p.kind == promptBlock {
			state = model.StepBlocked
		}
		a.stepper.moveOn(p.runbook, p.step.Index)
		return appendEvent(a.st, p.req, model.Draft{IncidentID: a.incID, Kind: model.EventStepChanged,
			Payload: model.StepPayload{Runbook: p.runbook, Step: p.step.Index, Title: model.OneLine(p.step.Title), State: state, Reason: strings.TrimSpace(text)}})
	case promptAssign:
		return assignRole(a.st, p.req, a.incID, p.role, strings.TrimSpace(text))
	case promptSkipInject:
		title := ""
		if a.exercise != nil && p.inject < len(a.exercise.Started.Injects) {
			title = model.OneLine(a.exercise.Started.Injects[p.inject].Title)
		}
		return appendEvent(a.st, p.req, model.Draft{IncidentID: a.incID, Kind: model.EventInjectSkipped,
			Payload: model.InjectPayload{Index: p.inject, Title: title, Reason: strings.TrimSpace(text)}})
	case promptEndDrill:
		// As 'sitrep drill end': the clock stops and the exercise incident
		// is resolved, so it leaves the active list and nothing falls due.
		return appendEvents(a.st, p.req, model.EndDrafts(a.inc, strings.TrimSpace(text), a.now()))
	case promptAmend:
		return appendEvent(a.st, p.req, model.Draft{IncidentID: a.incID, Kind: model.EventAmended,
			Payload: model.AmendedPayload{Entry: p.entry, Text: text}})
	case promptRetract:
		return appendEvent(a.st, p.req, model.Draft{IncidentID: a.incID, Kind: model.EventRetracted,
			Payload: model.RetractedPayload{Entry: p.entry, Reason: strings.TrimSpace(text)}})
	case promptWrite:
		return writeReport(a.opts.Write, p.req, a.incID, a.exercise != nil, strings.TrimSpace(text))
	}
	nk, _ := p.noteKind()
	return appendEvent(a.st, p.req, model.Draft{IncidentID: a.incID, Kind: model.EventNote,
		Payload: model.NotePayload{Kind: nk, Text: fromLineBreakMarks(text)}})
}

// onSaved closes the input that asked for the save only when it succeeded;
// on failure the text stays where it was typed, with the error under it.
func (a *App) onSaved(msg savedMsg) tea.Cmd {
	if p := a.prompt(); p != nil && p.req == msg.Req {
		p.saving = false
		if msg.Err != nil {
			p.err = msg.Err.Error()
			return nil
		}
		// Anything typed while the save was in flight stays in the input,
		// and is the draft now.
		if rest, kept := p.leftover(); kept {
			p.input.SetValue(rest)
			p.input.CursorEnd()
			p.err = ""
			a.keepDraft()
		} else {
			if slot, _, ok := a.editingText(); ok {
				a.setDraft(slot, "")
			}
			a.remove(p)
		}
	} else if msg.Err != nil {
		a.setFlash(msg.Err.Error(), true)
	}
	if msg.Err == nil {
		a.setFlash("Saved: "+model.OneLine(model.Describe(msg.Event)), false)
		if msg.ID == a.incID {
			a.timeline.follow = a.timeline.follow || msg.Event.Kind == model.EventNote
			return tea.Batch(a.reload(), countPending(a.opts.Pending))
		}
		return countPending(a.opts.Pending)
	}
	return nil
}

func (a *App) pickerKey(msg tea.KeyMsg) tea.Cmd {
	p := a.picker()
	chosen, cancel := p.Update(msg, a.keys)
	if cancel {
		a.closeModal()
		return nil
	}
	if chosen < 0 {
		return nil
	}
	a.closeModal()
	a.nextReq++
	switch p.kind {
	case pickStatus:
		s := model.Statuses[chosen]
		if s == a.inc.Status {
			a.refuse("The incident is already " + string(s) + ".")
			return nil
		}
		return a.statusChange(s)
	case pickSeverity:
		s := model.Severities[chosen]
		if s == a.inc.Severity {
			a.refuse("The incident is already " + s.String() + ".")
			return nil
		}
		return a.severityChange(s)
	case pickScenario:
		name := p.options[chosen].Label
		a.setFlash("Starting the "+name+" drill…", false)
		return startDrill(a.opts.Drill, name)
	case pickRunbook:
		return attachRunbook(a.opts.Attach, a.nextReq, a.incID, p.options[chosen].Label)
	}
	return nil
}

func (a *App) formKey(msg tea.KeyMsg) tea.Cmd {
	submit, cancel, cmd := a.form().Update(msg)
	switch {
	case cancel:
		a.closeModal()
	case submit:
		d, names, err := a.form().declaration(a.now())
		if err != nil {
			return nil // the form shows why, on the field
		}
		a.form().saving = true
		return declare(a.opts.Declare, d, names)
	}
	return cmd
}

func (a *App) onDeclared(msg declaredMsg) tea.Cmd {
	switch {
	case msg.Drill:
		if msg.Err != nil {
			a.setFlash("Drill not started: "+msg.Err.Error(), true)
			return nil
		}
	case a.form() == nil:
		return nil
	default:
		a.form().saving = false
		if msg.Err != nil {
			a.form().err = msg.Err.Error()
			return nil
		}
		a.remove(a.form())
	}
	what := "Declared "
	if msg.Drill {
		what = "Drill started, EXERCISE "
	}
	a.setFlash(what+msg.Incident.Short()+": "+model.OneLine(msg.Incident.Title), false)
	if msg.Warning != "" {
		a.setFlash(what+msg.Incident.Short()+", but "+msg.Warning, true)
	}
	return a.open(msg.Incident.ID)
}

func (a *App) reviewKey(msg tea.KeyMsg) tea.Cmd {
	r := a.review()
	wasEditing, before, slot := r.editing, r.area.Value(), reviewSlot(reviewParts[r.sel].key)
	save, editAll, closed := r.Update(msg)
	switch {
	case !wasEditing && r.editing:
		// A section opened again: the text left unsaved in it comes back.
		if d, ok := a.drafts[slot]; ok && d.Text != r.area.Value() {
			r.area.SetValue(d.Text)
			r.notice = restoredNotice(d, "ctrl+s saves it, esc drops it.")
		}
	case wasEditing && !r.editing:
		a.setDraft(slot, "") // esc: the edit is dropped on purpose
	case r.editing && r.area.Value() != before:
		r.notice = ""
		return a.typed()
	}
	switch {
	case closed:
		a.closeModal()
	case save != nil:
		return saveReview(a.st, r.incID, *save, false)
	case editAll:
		return prepareEditor(r.incID, a.inc, r.saved, r.pinned)
	}
	return nil
}

func (a *App) onReviewSaved(msg reviewSavedMsg) tea.Cmd {
	r := a.review()
	if r != nil && r.incID == msg.ID {
		r.saving = false
	}
	switch {
	case msg.Err != nil:
		if r != nil && r.editing && !msg.Editor {
			r.err = msg.Err.Error()
			r.scroll()
		}
		// The status line too: it may still say an earlier save worked.
		a.setFlash("Review not saved: "+msg.Err.Error(), true)
		return nil
	case msg.Unchanged:
		a.setFlash("Review unchanged: nothing recorded.", false)
	default:
		a.setFlash("Review saved ("+model.Count(len(msg.Review.ActionItems), "action item")+").", false)
	}
	if r != nil && r.incID == msg.ID {
		if r.editing && !msg.Editor {
			a.setDraft(reviewSlot(reviewParts[r.sel].key), "") // saved: no longer a draft
		}
		r.editing = false
		return loadReview(a.st, msg.ID)
	}
	return nil
}

func (a *App) commsKey(msg tea.KeyMsg) tea.Cmd {
	c := a.comms()
	wasEditing, before, slot := c.editing, c.area.Value(), messageSlot(string(c.tmpl.Audience))
	action := c.Update(msg)
	switch {
	case wasEditing && !c.editing:
		a.setDraft(slot, "") // esc: the update is dropped on purpose
	case c.editing && c.area.Value() != before:
		c.notice = ""
		return a.typed()
	}
	switch action {
	case commsClose:
		a.closeModal()
	case commsFill:
		t := model.MessageTemplates[c.sel]
		return fillMessage(a.st, a.inc, a.exercise, a.messages, a.opts.Cadence, t, a.now())
	case commsCopy:
		return copyText(a.opts.Copy, "the "+string(c.tmpl.Audience)+" message", c.area.Value())
	case commsSend:
		return sendMessage(a.st, c.incID, c.tmpl, c.area.Value())
	}
	return nil
}

func (a *App) onMessageSent(msg messageSentMsg) tea.Cmd {
	c := a.comms()
	if c != nil && c.incID == msg.ID {
		c.saving = false
		if msg.Err != nil {
			c.err = msg.Err.Error()
			return nil
		}
		a.remove(c)
	} else if msg.Err != nil {
		a.setFlash("Message not logged: "+msg.Err.Error(), true)
		return nil
	}
	if msg.ID == a.incID {
		a.setDraft(messageSlot(string(msg.Audience)), "") // logged: no longer a draft
	}
	a.setFlash("Logged as sent to "+string(msg.Audience)+"; its update timer starts again.", false)
	if msg.ID == a.incID {
		return tea.Batch(a.reload(), countPending(a.opts.Pending))
	}
	return nil
}
