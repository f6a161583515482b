package ui

import (
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/storage"
)

// Text typed in the cockpit and not saved yet is kept as a draft, one per
// incident and slot: the note line by its kind ("note", "decision",
// "action"), a review section ("review-summary") and an update being
// written ("message-customers"). Drafts survive a quit, a dropped SSH
// connection or a crash, and come back when the same text is edited again.

// defaultDraftDelay is how long typing must pause before the text is
// written down: often enough that a dropped SSH connection loses at most
// the last moment of typing, rarely enough to cost nothing.
const defaultDraftDelay = 300 * time.Millisecond

// editingText is what is being typed now that a draft keeps: its slot and
// text. ok is false when nothing draftable is open.
func (a *App) editingText() (slot, text string, ok bool) {
	if a.incID == "" {
		return "", "", false
	}
	switch {
	case a.prompt() != nil:
		if kind, ok := a.prompt().noteKind(); ok {
			return string(kind), a.prompt().input.Value(), true
		}
	case a.review() != nil && a.review().editing:
		return reviewSlot(reviewParts[a.review().sel].key), a.review().area.Value(), true
	case a.comms() != nil && a.comms().editing:
		return messageSlot(string(a.comms().tmpl.Audience)), a.comms().area.Value(), true
	}
	return "", "", false
}

func reviewSlot(part string) string {
	return "review-" + strings.ReplaceAll(part, "_", "-")
}

func messageSlot(audience string) string { return "message-" + audience }

// typed notes that the text being edited changed: the draft is written
// once typing pauses.
func (a *App) typed() tea.Cmd {
	if _, _, ok := a.editingText(); !ok {
		return nil
	}
	delay := a.opts.DraftDelay
	if delay == 0 {
		delay = defaultDraftDelay
	}
	if delay < 0 {
		a.keepDraft()
		return nil
	}
	a.draftSeq++
	seq := a.draftSeq
	return tea.Tick(delay, func(time.Time) tea.Msg { return draftTickMsg{seq} })
}

func (a *App) onDraftTick(msg draftTickMsg) {
	if msg.seq == a.draftSeq {
		a.keepDraft()
	}
}

// keepDraft writes the text being edited down as its draft. It writes
// here, in Update, not from a command: writes from commands could land out
// of order and leave an older text as the draft. A few hundred bytes to
// the page cache is quick.
func (a *App) keepDraft() {
	if slot, text, ok := a.editingText(); ok {
		a.setDraft(slot, text)
	}
}

// setDraft keeps text as the open incident's draft in slot (empty: none).
func (a *App) setDraft(slot, text string) {
	a.draftSeq++ // a tick already set is now stale
	if err := a.st.SaveDraft(a.incID, slot, text); err != nil {
		if !a.draftFailed {
			a.setFlash("Draft not kept: "+err.Error(), true)
		}
		a.draftFailed = true
		return
	}
	a.draftFailed = false
	if a.drafts == nil {
		a.drafts = map[string]storage.Draft{}
	}
	if strings.TrimSpace(text) == "" {
		delete(a.drafts, slot)
	} else {
		a.drafts[slot] = storage.Draft{Slot: slot, Text: text, Saved: a.now()}
	}
}

func restoredNotice(d storage.Draft, how string) string {
	return "Restored what you typed at " + d.Saved.Local().Format("15:04") + " and did not save: " + how
}

// restoreDraft fills a note line just opened with the incident's draft of
// its kind, if there is one.
func (a *App) restoreDraft(p *prompt) {
	kind, ok := p.noteKind()
	if !ok {
		return
	}
	if d, ok := a.drafts[string(kind)]; ok {
		p.input.SetValue(d.Text)
		p.input.CursorEnd()
		p.notice = restoredNotice(d, "enter saves it, ctrl+u clears it.")
	}
}

// onDrafts takes the drafts read with an incident's first load. A note
// line left unsaved is reopened where it was, so text typed before a crash
// or a lost connection is in front of the responder at once; a review
// section or an update is named, to be finished where it was begun.
func (a *App) onDrafts(drafts []storage.Draft) {
	a.drafts = map[string]storage.Draft{}
	var elsewhere []string
	for _, d := range drafts {
		a.drafts[d.Slot] = d
		switch {
		case strings.HasPrefix(d.Slot, "review-"):
			elsewhere = append(elsewhere, "a review section (R)")
		case strings.HasPrefix(d.Slot, "message-"):
			elsewhere = append(elsewhere, "an update to "+strings.TrimPrefix(d.Slot, "message-")+" (m)")
		}
	}
	if len(elsewhere) > 0 {
		a.setFlash("Unsaved text kept from before: "+strings.Join(elsewhere, ", ")+".", false)
	}
	if a.prompt() != nil || a.picker() != nil || a.form() != nil {
		return
	}
	for _, d := range drafts { // newest first
		if kind, ok := noteKindOf(d.Slot); ok {
			a.openPrompt(notePrompt(kind))
			return
		}
	}
}
