package ui

import (
	"strings"
	gosync "sync"
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
	case a.slot.prompt() != nil:
		if kind, ok := a.slot.prompt().noteKind(); ok {
			return string(kind), a.slot.prompt().input.Value(), true
		}
	case a.slot.review() != nil && a.slot.review().editing:
		return reviewSlot(reviewParts[a.slot.review().sel].key), a.slot.review().area.Value(), true
	case a.slot.comms() != nil && a.slot.comms().editing:
		return messageSlot(string(a.slot.comms().tmpl.Audience)), a.slot.comms().area.Value(), true
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
	return draftTick(delay, seq)
}

func (a *App) onDraftTick(msg draftTickMsg) {
	if msg.seq == a.draftSeq {
		a.keepDraft()
	}
}

// keepDraft keeps the text being edited as its draft.
func (a *App) keepDraft() {
	if slot, text, ok := a.editingText(); ok {
		a.setDraft(slot, text)
	}
}

// setDraft keeps text as the open incident's draft in slot (empty: none).
// The file is written by a command (writeDrafts), not here: a slow or
// network home directory must not hold the keyboard up.
func (a *App) setDraft(slot, text string) {
	a.draftSeq++ // a tick already set is now stale
	a.unwritten = append(a.unwritten, draftWrite{n: a.writer.number(), incident: a.incID, slot: slot, text: text})
	if a.drafts == nil {
		a.drafts = map[string]storage.Draft{}
	}
	if strings.TrimSpace(text) == "" {
		delete(a.drafts, slot)
	} else {
		a.drafts[slot] = storage.Draft{Slot: slot, Text: text, Saved: a.now()}
	}
}

// flushDrafts is the command that writes the drafts set since the last
// one, in the order they were set.
func (a *App) flushDrafts() tea.Cmd {
	ds := a.unwritten
	a.unwritten = nil
	return writeDrafts(a.writer, a.st, ds)
}

// onDraftWritten says once that drafts are not being kept, and again only
// after one was.
func (a *App) onDraftWritten(msg draftWrittenMsg) {
	if msg.Err != nil {
		if !a.draftFailed {
			a.setFlash("Draft not kept: "+msg.Err.Error(), true)
		}
		a.draftFailed = true
		return
	}
	a.draftFailed = false
}

// draftWrite is one draft to write down, numbered in the order Update set
// it.
type draftWrite struct {
	n                    int
	incident, slot, text string
}

// draftWriter writes drafts from commands in the order they were set.
// Commands run on goroutines in no set order, so each write carries its
// number, and one older than the newest written to its slot is dropped:
// the newest text is what stays on disk, whichever command ran last.
type draftWriter struct {
	mu   gosync.Mutex
	last int            // the number given to the newest draft set
	done map[string]int // by incident and slot, the newest number written
}

func newDraftWriter() *draftWriter { return &draftWriter{done: map[string]int{}} }

// number gives the next draft its place in the order.
func (w *draftWriter) number() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.last++
	return w.last
}

// write writes d unless a newer text for its slot is down already. It
// holds the lock while writing, so two writes never race on one file.
func (w *draftWriter) write(st Store, d draftWrite) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	k := d.incident + "\x00" + d.slot
	if w.done[k] > d.n {
		return nil
	}
	w.done[k] = d.n
	return st.SaveDraft(d.incident, d.slot, d.text)
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
		p.restore(d)
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
	if a.slot.base() != nil {
		// Something else is open (a form, a picker, the review): the
		// draft waits for its key rather than closing it.
		return
	}
	for _, d := range drafts { // newest first
		if kind, ok := noteKindOf(d.Slot); ok {
			a.openNote(kind)
			return
		}
	}
}
