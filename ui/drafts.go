package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// defaultDraftDelay is how long typing must pause before the note line is
// written down as a draft: often enough that a dropped SSH connection loses
// at most the last moment of typing, rarely enough to cost nothing.
const defaultDraftDelay = 300 * time.Millisecond

// draftTickMsg asks to write the note line down, if nothing was typed
// since the tick numbered seq was set.
type draftTickMsg struct{ seq int }

// drafting reports whether the open input is a note line, whose text is
// kept as a draft until it is saved.
func (a *App) drafting() (model.NoteKind, bool) {
	if a.prompt == nil || a.incID == "" {
		return "", false
	}
	return a.prompt.noteKind()
}

// typedInPrompt notes that the note line changed: the draft is written
// once typing pauses.
func (a *App) typedInPrompt() tea.Cmd {
	if _, ok := a.drafting(); !ok {
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

// keepDraft writes the note line's text down as the incident's draft of
// that kind (empty text removes it). It writes here, in Update, not from a
// command: writes from commands could land out of order and leave an older
// text as the draft. A few hundred bytes to the page cache is quick.
func (a *App) keepDraft() {
	kind, ok := a.drafting()
	if !ok {
		return
	}
	a.setDraft(kind, a.prompt.input.Value())
}

// setDraft keeps text as the draft of kind for the open incident.
func (a *App) setDraft(kind model.NoteKind, text string) {
	a.draftSeq++ // a tick already set is now stale
	if err := a.st.SaveDraft(a.incID, kind, text); err != nil {
		if !a.draftFailed {
			a.setFlash("Draft not kept: "+err.Error(), true)
		}
		a.draftFailed = true
		return
	}
	a.draftFailed = false
	if a.drafts == nil {
		a.drafts = map[model.NoteKind]storage.Draft{}
	}
	if text == "" {
		delete(a.drafts, kind)
	} else {
		a.drafts[kind] = storage.Draft{Kind: kind, Text: text, Saved: a.now()}
	}
}

// restoreDraft fills a note line just opened with the incident's draft of
// its kind, if there is one.
func (a *App) restoreDraft(p *prompt) {
	kind, ok := p.noteKind()
	if !ok {
		return
	}
	if d, ok := a.drafts[kind]; ok {
		p.input.SetValue(d.Text)
		p.input.CursorEnd()
		p.notice = "Restored what you typed at " + d.Saved.Local().Format("15:04") + " and did not save: enter saves it, ctrl+u clears it."
	}
}

// onDrafts takes the drafts read with an incident's first load and, when
// there are any and nothing else is open, reopens the newest where it was
// left, so text typed before a crash or a lost connection is in front of
// the responder at once.
func (a *App) onDrafts(drafts []storage.Draft) {
	a.drafts = map[model.NoteKind]storage.Draft{}
	for _, d := range drafts {
		a.drafts[d.Kind] = d
	}
	if len(drafts) == 0 || a.prompt != nil || a.picker != nil || a.form != nil {
		return
	}
	a.openPrompt(notePrompt(drafts[0].Kind))
}
