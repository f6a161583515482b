package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// modal is what holds the keys over the screen: the declare form, a
// picker, the one-line input, a yes/no question, a refusal, the review,
// the stats, the message screen. The App has one slot for it, and routes
// a key to it first, then to the global keys, then to the focused pane.
// A question or a refusal opened over another modal covers it and gives
// it back when it closes (a hand-over asked about from the input).
type modal interface {
	// key handles a key. took is false for a key the modal leaves to the
	// global keys (ctrl+s syncs from a picker; ? opens help over the
	// review). A modal closes itself with a.closeModal.
	key(a *App, msg tea.KeyMsg) (cmd tea.Cmd, took bool)
	// typing reports whether keys go to a text input now: a burst of
	// characters is then text, not a run of commands.
	typing() bool
	// overHelp reports whether it takes keys even while help is open.
	overHelp() bool
}

// covering is a modal that covers another: a question or a refusal.
type covering interface{ below() modal }

// findModal is the modal of type T open now, on top or covered; the zero
// T when there is none.
func findModal[T modal](m modal) T {
	for m != nil {
		if t, ok := m.(T); ok {
			return t
		}
		c, ok := m.(covering)
		if !ok {
			break
		}
		m = c.below()
	}
	var zero T
	return zero
}

// openModal puts m in the slot. A question or refusal open already stays
// on top of it: only a load's answer opens a modal then (a note line
// reopened from its draft).
func (a *App) openModal(m modal) {
	switch top := a.modal.(type) {
	case *confirmation:
		if top.under == nil {
			top.under = m
			return
		}
	case *notice:
		if top.under == nil {
			top.under = m
			return
		}
	}
	a.modal = m
}

// closeModal closes the modal on top; the one it covered, if any, is on
// top again.
func (a *App) closeModal() { a.remove(a.modal) }

// remove closes m, on top or covered by a question or refusal (a save's
// answer closes the input under a refusal shown since).
func (a *App) remove(m modal) {
	below := func(m modal) modal {
		if c, ok := m.(covering); ok {
			return c.below()
		}
		return nil
	}
	if m == nil {
		return
	}
	if a.modal == m {
		a.modal = below(m)
		return
	}
	for cur := a.modal; cur != nil; cur = below(cur) {
		switch c := cur.(type) {
		case *confirmation:
			if c.under == m {
				c.under = below(m)
				return
			}
		case *notice:
			if c.under == m {
				c.under = below(m)
				return
			}
		}
	}
}

// dropModals closes every modal but a question or refusal on top, which
// stays until answered: the screen under them changed.
func (a *App) dropModals() {
	switch m := a.modal.(type) {
	case *confirmation:
		m.under = nil
	case *notice:
		m.under = nil
	default:
		a.modal = nil
	}
}

func (a *App) form() *declareForm     { return findModal[*declareForm](a.modal) }
func (a *App) picker() *picker        { return findModal[*picker](a.modal) }
func (a *App) prompt() *prompt        { return findModal[*prompt](a.modal) }
func (a *App) confirm() *confirmation { return findModal[*confirmation](a.modal) }
func (a *App) notice() *notice        { return findModal[*notice](a.modal) }
func (a *App) review() *reviewScreen  { return findModal[*reviewScreen](a.modal) }
func (a *App) stats() *statsScreen    { return findModal[*statsScreen](a.modal) }
func (a *App) comms() *commsScreen    { return findModal[*commsScreen](a.modal) }

// The modals' keys: each hands its key to the App's handler for it.

func (f *declareForm) key(a *App, msg tea.KeyMsg) (tea.Cmd, bool) {
	if key.Matches(msg, a.keys.SyncNow) {
		return nil, false
	}
	return a.formKey(msg), true
}
func (f *declareForm) typing() bool   { return f.field == fieldTitle }
func (f *declareForm) overHelp() bool { return false }

func (p *picker) key(a *App, msg tea.KeyMsg) (tea.Cmd, bool) {
	if key.Matches(msg, a.keys.SyncNow) {
		return nil, false
	}
	return a.pickerKey(msg), true
}
func (p *picker) typing() bool   { return false }
func (p *picker) overHelp() bool { return false }

func (p *prompt) key(a *App, msg tea.KeyMsg) (tea.Cmd, bool) {
	if key.Matches(msg, a.keys.SyncNow) {
		return nil, false
	}
	return a.promptKey(msg), true
}
func (p *prompt) typing() bool   { return true }
func (p *prompt) overHelp() bool { return false }

func (c *confirmation) key(a *App, msg tea.KeyMsg) (tea.Cmd, bool) { return a.confirmKey(msg), true }
func (c *confirmation) typing() bool                               { return true }
func (c *confirmation) overHelp() bool                             { return true }
func (c *confirmation) below() modal                               { return c.under }

func (n *notice) key(a *App, msg tea.KeyMsg) (tea.Cmd, bool) { return a.noticeKey(msg), true }
func (n *notice) typing() bool                               { return true }
func (n *notice) overHelp() bool                             { return true }
func (n *notice) below() modal                               { return n.under }

// The review takes every key while a section is edited (ctrl+s saves
// it); otherwise ? and ctrl+s are the global keys.
func (r *reviewScreen) key(a *App, msg tea.KeyMsg) (tea.Cmd, bool) {
	if !r.editing && key.Matches(msg, a.keys.SyncNow, a.keys.Help) {
		return nil, false
	}
	return a.reviewKey(msg), true
}
func (r *reviewScreen) typing() bool   { return r.editing }
func (r *reviewScreen) overHelp() bool { return false }

func (v *statsScreen) key(a *App, msg tea.KeyMsg) (tea.Cmd, bool) {
	if key.Matches(msg, a.keys.SyncNow, a.keys.Help) {
		return nil, false
	}
	if v.Update(msg) {
		a.closeModal()
	}
	return nil, true
}
func (v *statsScreen) typing() bool   { return false }
func (v *statsScreen) overHelp() bool { return false }

// The message screen takes every key: ctrl+s logs the message.
func (c *commsScreen) key(a *App, msg tea.KeyMsg) (tea.Cmd, bool) { return a.commsKey(msg), true }
func (c *commsScreen) typing() bool                               { return c.editing }
func (c *commsScreen) overHelp() bool                             { return false }
