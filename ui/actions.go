package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/respond"
)

// Actions: what the person does to an incident from the keyboard (notes,
// step changes, roles, status and severity, declaring), turned into events
// saved in commands, and what happens when the store answers.

func (a *App) openPrompt(kind promptKind, label string, about promptAbout) *prompt {
	p := newPrompt(kind, label, a.w, about)
	a.openModal(p)
	a.restoreDraft(p)
	return p
}

// openNote opens the note line for a note of kind k.
func (a *App) openNote(k model.NoteKind) {
	kind, label := notePrompt(k)
	a.openPrompt(kind, label, promptAbout{})
}

// openAssign asks who takes role. The input starts empty, the holder and
// you as hints: pre-filled with your name, the text typed was added to it
// and "root@vmbob" went into the permanent log. ctrl+o fills you in.
func (a *App) openAssign(role model.Role) {
	a.focus = paneRACI
	p := a.openPrompt(promptAssign, fmt.Sprintf("Who takes %s? (empty releases)", a.raci.title(role)), promptAbout{role: role})
	hint := "nobody holds it"
	if cur := a.raci.holder(role); cur != "" {
		hint = "now " + cur
	}
	p.hint(hint + " · ctrl+o: you (" + model.OneLine(a.st.Author()) + ")")
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
		a.openPrompt(promptAmend, "Amend to:", promptAbout{entry: e.EventID}).fill(model.Printable(e.Text), false)
		return
	}
	a.openPrompt(promptRetract, "Retract \""+clip(model.OneLine(e.Text), 30)+"\" because:", promptAbout{entry: e.EventID})
}

// pin toggles the pin on the selected timeline entry.
func (a *App) pin() tea.Cmd {
	e, ok := a.timeline.selected()
	if !ok {
		return nil
	}
	a.nextReq++
	rs, id := a.rs, a.incID
	return record(a.nextReq, id, func(ctx context.Context) (model.Event, error) {
		return rs.Pin(ctx, id, e.EventID, !e.Pinned)
	})
}

// stepChange records a step's new state; skipping and blocking ask why
// first.
func (a *App) stepChange(state model.StepState) tea.Cmd {
	rb, st, ok := a.stepper.selected()
	if _, onCode := a.stepper.onCode(rb); !ok && onCode {
		a.refuse("The cursor is on a code block, not a step: j/k move to a step.")
		return nil
	}
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
		a.openPrompt(kind, label, promptAbout{runbook: rb.Name, step: st})
		return nil
	}
	a.nextReq++
	if state == model.StepDone {
		a.stepper.moveOn(rb.Name, st.Index)
	}
	rs, id := a.rs, a.incID
	return record(a.nextReq, id, func(ctx context.Context) (model.Event, error) {
		return rs.MarkStep(ctx, id, rb.Name, st, state, "")
	})
}

// act is what a key does in the note line: esc closes it (keeping a
// draft), enter saves what it asks for, anything else edits.
func (p *prompt) act(a *App, msg tea.KeyMsg) tea.Cmd {
	k := a.keys
	switch {
	case key.Matches(msg, k.Cancel):
		if p.cancel() {
			a.keepDraft() // a note line closed unsaved is kept, not thrown away
			a.slot.close()
		}
		return nil
	case key.Matches(msg, k.Submit):
		text, ok := p.answer()
		if !ok {
			return nil
		}
		save := func(a *App) tea.Cmd {
			a.nextReq++
			p.send(a.nextReq, text)
			return a.submit(p, text)
		}
		if p.kind == promptAssign {
			if q, ok := a.handOverNeedsAsking(p.role, strings.TrimSpace(text)); ok {
				p.hold() // while the question is open
				a.ask(q, save)
				return nil
			}
		}
		return save(a)
	case p.kind == promptAssign && key.Matches(msg, k.FillMe):
		p.fill(a.st.Author(), false)
		return nil
	}
	cmd, changed := p.Update(msg)
	if changed {
		cmd = tea.Batch(cmd, a.typed())
	}
	return cmd
}

// submit saves what a prompt asked for.
func (a *App) submit(p *prompt, text string) tea.Cmd {
	if p.kind == promptWrite {
		return writeReport(a.rs, p.req, a.incID, a.drill.x != nil, strings.TrimSpace(text))
	}
	if p.kind == promptSkip || p.kind == promptBlock {
		a.stepper.moveOn(p.runbook, p.step.Index)
	}
	rs, in, kind, about := a.rs, a.inc, p.kind, p.promptAbout
	in.ID = a.incID
	return record(p.req, in.ID, func(ctx context.Context) (model.Event, error) {
		return promptChange(ctx, rs, in, kind, about, text)
	})
}

// promptChange is what a prompt's answer changes, through the service.
func promptChange(ctx context.Context, rs *respond.Service, in model.Incident, kind promptKind, p promptAbout, text string) (model.Event, error) {
	reason := strings.TrimSpace(text)
	switch kind {
	case promptSkip:
		return rs.MarkStep(ctx, in.ID, p.runbook, p.step, model.StepSkipped, reason)
	case promptBlock:
		return rs.MarkStep(ctx, in.ID, p.runbook, p.step, model.StepBlocked, reason)
	case promptAssign:
		return rs.Assign(ctx, in.ID, p.role, reason)
	case promptSkipInject:
		_, e, err := rs.SkipInject(ctx, in, p.inject, reason)
		return e, err
	case promptEndDrill:
		// As 'sitrep drill end': the clock stops and the exercise incident
		// is resolved, so it leaves the active list and nothing falls due.
		_, events, err := rs.EndDrill(ctx, in, reason)
		if err != nil {
			return model.Event{}, err
		}
		return events[0], nil
	case promptAmend:
		return rs.Amend(ctx, in.ID, p.entry, text)
	case promptRetract:
		return rs.Retract(ctx, in.ID, p.entry, reason)
	}
	nk, _ := (&prompt{kind: kind}).noteKind()
	return rs.Note(ctx, in.ID, nk, fromLineBreakMarks(text), time.Time{})
}

// onSaved closes the input that asked for the save only when it succeeded;
// on failure the text stays where it was typed, with the error under it.
func (a *App) onSaved(msg savedMsg) tea.Cmd {
	if p := a.slot.prompt(); p != nil && p.req == msg.Req {
		closed, kept := p.saved(msg.Err)
		switch {
		case kept:
			a.keepDraft() // typed while the save was in flight: the draft now
		case closed:
			if slot, _, ok := a.editingText(); ok {
				a.setDraft(slot, "")
			}
			a.slot.remove(p)
		}
	} else if msg.Err != nil {
		a.setFlash(msg.Err.Error(), true)
	}
	if msg.Err == nil {
		a.setFlash("Saved: "+model.OneLine(model.Describe(msg.Event)), false)
		if msg.ID == a.incID {
			a.timeline.followIf(msg.Event.Kind == model.EventNote || msg.Event.Kind == model.EventEvidence)
			return tea.Batch(a.reload(), countPending(a.opts.Pending))
		}
		return countPending(a.opts.Pending)
	}
	return nil
}

// act is what a key does in a picker: the value chosen is recorded, or
// starts what it names.
func (p *picker) act(a *App, msg tea.KeyMsg) tea.Cmd {
	chosen, cancel := p.Update(msg, a.keys)
	if cancel {
		a.slot.close()
		return nil
	}
	if chosen < 0 {
		return nil
	}
	a.slot.close()
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
		return startDrill(a.rs, name)
	case pickRunbook:
		in := a.inc
		in.ID = a.incID
		return attachRunbook(a.rs, a.nextReq, in, p.options[chosen].Label)
	case pickLink:
		return copyText(a.opts.Copy, "the link", p.options[chosen].Value)
	}
	return nil
}

// act is what a key does in the declare form: enter declares.
func (f *declareForm) act(a *App, msg tea.KeyMsg) tea.Cmd {
	submit, cancel, cmd := f.Update(msg)
	switch {
	case cancel:
		a.slot.close()
	case submit:
		d, names, err := f.declaration(a.now())
		if err != nil {
			return nil // the form shows why, on the field
		}
		f.sending()
		if a.opts.Respond == nil {
			f.declared(model.Invalidf("declaring is not available here: use 'sitrep declare'"))
			return nil
		}
		return declare(a.rs, d, names)
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
	case a.slot.form() == nil:
		return nil
	default:
		if f := a.slot.form(); !f.declared(msg.Err) {
			return nil
		}
		a.slot.remove(a.slot.form())
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

// act is what a key does on the review screen: sections are edited in
// place, with their drafts, or the whole review in $EDITOR.
func (r *reviewScreen) act(a *App, msg tea.KeyMsg) tea.Cmd {
	wasEditing, before, slot := r.editing, r.area.Value(), reviewSlot(reviewParts[r.sel].key)
	save, editAll, closed := r.Update(msg)
	switch {
	case !wasEditing && r.editing:
		// A section opened again: the text left unsaved in it comes back.
		if d, ok := a.drafts[slot]; ok {
			r.restore(d)
		}
	case wasEditing && !r.editing:
		a.setDraft(slot, "") // esc: the edit is dropped on purpose
	case r.editing && r.area.Value() != before:
		return a.typed()
	}
	switch {
	case closed:
		a.slot.close()
	case save != nil:
		return saveReview(a.rs, r.incID, *save, false)
	case editAll:
		return prepareEditor(r.incID, a.inc, r.saved, r.pinned)
	}
	return nil
}

func (a *App) onReviewSaved(msg reviewSavedMsg) tea.Cmd {
	r := a.slot.review()
	mine := r != nil && r.incID == msg.ID
	switch {
	case msg.Err != nil:
		if r != nil {
			r.saveFailed(msg, mine)
		}
		// The status line too: it may still say an earlier save worked.
		a.setFlash("Review not saved: "+msg.Err.Error(), true)
		return nil
	case msg.Unchanged:
		a.setFlash("Review unchanged: nothing recorded.", false)
	default:
		a.setFlash("Review saved ("+model.Count(len(msg.Review.ActionItems), "action item")+").", false)
	}
	if !mine {
		return nil
	}
	if slot, ok := r.stored(msg); ok {
		a.setDraft(slot, "") // saved: no longer a draft
	}
	return loadReview(a.rs, msg.ID)
}

// act is what a key does on the message screen: fill, edit, copy, log.
func (c *commsScreen) act(a *App, msg tea.KeyMsg) tea.Cmd {
	wasEditing, before, slot := c.editing, c.area.Value(), messageSlot(string(c.tmpl.Audience))
	action := c.Update(msg)
	switch {
	case wasEditing && !c.editing:
		a.setDraft(slot, "") // esc: the update is dropped on purpose
	case c.editing && c.area.Value() != before:
		return a.typed()
	}
	switch action {
	case commsClose:
		a.slot.close()
	case commsFill:
		t := model.MessageTemplates[c.sel]
		return fillMessage(a.rs, a.inc, a.drill.x, a.messages, t)
	case commsCopy:
		return copyText(a.opts.Copy, "the "+string(c.tmpl.Audience)+" message", c.area.Value())
	case commsSend:
		return sendMessage(a.rs, c.incID, c.tmpl, c.area.Value())
	}
	return nil
}

func (a *App) onMessageSent(msg messageSentMsg) tea.Cmd {
	c := a.slot.comms()
	if c != nil && c.incID == msg.ID {
		if !c.sent(msg.Err) {
			return nil
		}
		a.slot.remove(c)
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
