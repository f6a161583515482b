package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/model"
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
	// review). A modal closes itself with a.slot.close.
	key(a *App, msg tea.KeyMsg) (cmd tea.Cmd, took bool)
	// typing reports whether keys go to a text input now: a burst of
	// characters is then text, not a run of commands.
	typing() bool
	// overHelp reports whether it takes keys even while help is open.
	overHelp() bool
	// SetSize gives it the width of the screen and the height of the body
	// under the header, less a title line.
	SetSize(w, h int)
	// draw draws it in a body h lines tall: the body's lines, or the
	// footer's two; nil for a part it leaves to what is under it.
	draw(a *App, h int) (body, footer []string)
	// hints are the keys the footer's hint line shows while it is open;
	// nil: those of what is under it.
	hints(k *keyMap) []key.Binding
}

// covering is a modal that covers another: a question or a refusal.
type covering interface {
	modal
	below() modal
	cover(m modal) // puts m under it
}

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

// modalSlot holds the modal open, if any, and what it covers.
type modalSlot struct{ top modal }

// openModal puts m in the slot, sized for the screen. A question or
// refusal open already stays on top of it: only a load's answer opens a
// modal then (a note line reopened from its draft).
func (a *App) openModal(m modal) {
	m.SetSize(a.w, a.modalHeight())
	if c, ok := a.slot.top.(covering); ok && c.below() == nil {
		c.cover(m)
		return
	}
	a.slot.top = m
}

// over opens a question or refusal over what is open.
func (s *modalSlot) over(c covering) {
	c.cover(s.top)
	s.top = c
}

// close closes the modal on top; the one it covered, if any, is on top
// again.
func (s *modalSlot) close() { s.remove(s.top) }

// remove closes m, on top or covered by a question or refusal (a save's
// answer closes the input under a refusal shown since).
func (s *modalSlot) remove(m modal) {
	if m == nil {
		return
	}
	if s.top == m {
		s.top = below(m)
		return
	}
	for cur := s.top; cur != nil; cur = below(cur) {
		if c, ok := cur.(covering); ok && c.below() == m {
			c.cover(below(m))
			return
		}
	}
}

// drop closes every modal but a question or refusal on top, which stays
// until answered: the screen under them changed.
func (s *modalSlot) drop() {
	if c, ok := s.top.(covering); ok {
		c.cover(nil)
		return
	}
	s.top = nil
}

// base is the modal open under any question or refusal; nil if none.
func (s *modalSlot) base() modal {
	m := s.top
	for {
		c, ok := m.(covering)
		if !ok {
			return m
		}
		m = c.below()
	}
}

// below is the modal m covers, if any.
func below(m modal) modal {
	if c, ok := m.(covering); ok {
		return c.below()
	}
	return nil
}

// modalHeight is the body's height under the screen's header, less a
// title line: what a modal is sized to.
func (a *App) modalHeight() int {
	if a.screen == screenList {
		return a.listBodyHeight()
	}
	return a.bodyHeight()
}

// size fits every open modal to the screen.
func (s *modalSlot) size(w, h int) {
	for m := s.top; m != nil; m = below(m) {
		m.SetSize(w, h)
	}
}

// view is what the open modals draw, the top one first: the body and the
// footer, each nil when no modal draws it.
func (s *modalSlot) view(a *App, h int) (body, footer []string) {
	for m := s.top; m != nil && (body == nil || footer == nil); m = below(m) {
		b, f := m.draw(a, h)
		if body == nil {
			body = b
		}
		if footer == nil {
			footer = f
		}
	}
	return body, footer
}

// hints are the hint line's keys for the open modals; nil when none has
// its own.
func (s *modalSlot) hints(k *keyMap) []key.Binding {
	for m := s.top; m != nil; m = below(m) {
		if h := m.hints(k); h != nil {
			return h
		}
	}
	return nil
}

// typing reports whether keys go to a text input of the modal on top.
func (s *modalSlot) typing() bool { return s.top != nil && s.top.typing() }

func (s *modalSlot) form() *declareForm     { return findModal[*declareForm](s.top) }
func (s *modalSlot) picker() *picker        { return findModal[*picker](s.top) }
func (s *modalSlot) prompt() *prompt        { return findModal[*prompt](s.top) }
func (s *modalSlot) confirm() *confirmation { return findModal[*confirmation](s.top) }
func (s *modalSlot) notice() *notice        { return findModal[*notice](s.top) }
func (s *modalSlot) review() *reviewScreen  { return findModal[*reviewScreen](s.top) }
func (s *modalSlot) stats() *statsScreen    { return findModal[*statsScreen](s.top) }
func (s *modalSlot) comms() *commsScreen    { return findModal[*commsScreen](s.top) }
func (s *modalSlot) find() *findScreen      { return findModal[*findScreen](s.top) }

// The modals' keys: which a modal takes; act (beside each modal's
// actions) is what it does with them.

func (f *declareForm) key(a *App, msg tea.KeyMsg) (tea.Cmd, bool) {
	if key.Matches(msg, a.keys.SyncNow) {
		return nil, false
	}
	return f.act(a, msg), true
}
func (f *declareForm) typing() bool   { return f.field == fieldTitle }
func (f *declareForm) overHelp() bool { return false }

func (p *picker) key(a *App, msg tea.KeyMsg) (tea.Cmd, bool) {
	if key.Matches(msg, a.keys.SyncNow) {
		return nil, false
	}
	return p.act(a, msg), true
}
func (p *picker) typing() bool   { return false }
func (p *picker) overHelp() bool { return false }

func (p *prompt) key(a *App, msg tea.KeyMsg) (tea.Cmd, bool) {
	if key.Matches(msg, a.keys.SyncNow) {
		return nil, false
	}
	return p.act(a, msg), true
}
func (p *prompt) typing() bool   { return true }
func (p *prompt) overHelp() bool { return false }

func (c *confirmation) key(a *App, msg tea.KeyMsg) (tea.Cmd, bool) { return c.act(a, msg), true }
func (c *confirmation) typing() bool                               { return true }
func (c *confirmation) overHelp() bool                             { return true }
func (c *confirmation) below() modal                               { return c.under }
func (c *confirmation) cover(m modal)                              { c.under = m }

func (n *notice) key(a *App, msg tea.KeyMsg) (tea.Cmd, bool) { return n.act(a, msg), true }
func (n *notice) typing() bool                               { return true }
func (n *notice) overHelp() bool                             { return true }
func (n *notice) below() modal                               { return n.under }
func (n *notice) cover(m modal)                              { n.under = m }

// The review takes every key while a section is edited (ctrl+s saves
// it); otherwise ? and ctrl+s are the global keys.
func (r *reviewScreen) key(a *App, msg tea.KeyMsg) (tea.Cmd, bool) {
	if !r.editing && key.Matches(msg, a.keys.SyncNow, a.keys.Help) {
		return nil, false
	}
	return r.act(a, msg), true
}
func (r *reviewScreen) typing() bool   { return r.editing }
func (r *reviewScreen) overHelp() bool { return false }

func (v *statsScreen) key(a *App, msg tea.KeyMsg) (tea.Cmd, bool) {
	if key.Matches(msg, a.keys.SyncNow, a.keys.Help) {
		return nil, false
	}
	if v.Update(msg) {
		a.slot.close()
	}
	return nil, true
}
func (v *statsScreen) typing() bool   { return false }
func (v *statsScreen) overHelp() bool { return false }

// The message screen takes every key: ctrl+s logs the message.
func (c *commsScreen) key(a *App, msg tea.KeyMsg) (tea.Cmd, bool) { return c.act(a, msg), true }
func (c *commsScreen) typing() bool                               { return c.editing }
func (c *commsScreen) overHelp() bool                             { return false }

// The find line takes every key but ctrl+s, which syncs.
func (f *findScreen) key(a *App, msg tea.KeyMsg) (tea.Cmd, bool) {
	if key.Matches(msg, a.keys.SyncNow) {
		return nil, false
	}
	return f.act(a, msg), true
}
func (f *findScreen) typing() bool   { return true }
func (f *findScreen) overHelp() bool { return false }

// How each modal draws and sizes itself.

func (f *declareForm) SetSize(w, h int) {}
func (f *declareForm) draw(a *App, h int) ([]string, []string) {
	return a.centered(f.view(min(a.w-4, 96), h-2), "Declare", h, 100), nil
}
func (f *declareForm) hints(k *keyMap) []key.Binding { return f.ShortHelp() }

func (p *picker) SetSize(w, h int) {}
func (p *picker) draw(a *App, h int) ([]string, []string) {
	return a.centered(p.view(a.styles, min(a.w-4, 86), h), "Pick", h, 90), nil
}
func (p *picker) hints(k *keyMap) []key.Binding {
	// enter picks here; "save" is what it does in inputs
	pick := key.NewBinding(key.WithKeys(k.Submit.Keys()...), key.WithHelp(k.Submit.Help().Key, "pick"))
	return []key.Binding{k.Up, k.Down, pick, k.Cancel}
}

func (p *prompt) draw(a *App, h int) ([]string, []string) {
	s := a.styles
	second := shortHelp(s, []key.Binding{a.keys.Submit, a.keys.Cancel}, a.w)
	if p.err != "" {
		second = s.Error.Render("Not saved: " + model.OneLine(p.err) + " (your text is kept)")
	} else if p.notice != "" {
		second = s.Warn.Render(p.notice)
	}
	return nil, []string{p.view(s, a.w), clip(second, a.w)}
}
func (p *prompt) hints(k *keyMap) []key.Binding { return nil }

func (c *confirmation) SetSize(w, h int) {}
func (c *confirmation) draw(a *App, h int) ([]string, []string) {
	return nil, c.lines(a.styles, a.keys, a.w)
}
func (c *confirmation) hints(k *keyMap) []key.Binding { return nil }

func (n *notice) SetSize(w, h int)                        {}
func (n *notice) draw(a *App, h int) ([]string, []string) { return nil, n.lines(a.styles, a.w) }
func (n *notice) hints(k *keyMap) []key.Binding           { return nil }

func (r *reviewScreen) draw(a *App, h int) ([]string, []string) {
	return append([]string{a.styles.PaneFocused.Render(clip("Post-incident review", a.w))}, r.View()...), nil
}
func (r *reviewScreen) hints(k *keyMap) []key.Binding {
	if r.editing {
		return r.ShortHelp()
	}
	return append(r.ShortHelp(), k.Help)
}

func (v *statsScreen) draw(a *App, h int) ([]string, []string) {
	return append([]string{a.styles.PaneFocused.Render(clip("Response times: median and 90th percentile", a.w))}, v.View()...), nil
}
func (v *statsScreen) hints(k *keyMap) []key.Binding { return append(v.ShortHelp(), k.Help) }

func (c *commsScreen) draw(a *App, h int) ([]string, []string) {
	var dues []model.UpdateDue
	if a.opts.Cadence != nil {
		dues = model.UpdatesDue(a.inc, a.drill.x, a.messages, a.opts.Cadence, a.now())
	}
	return c.View(dues, a.now()), nil
}
func (c *commsScreen) hints(k *keyMap) []key.Binding { return c.ShortHelp() }

func (f *findScreen) SetSize(w, h int) {
	f.w, f.h = w, h
	f.input.Width = max(w-len("Find: ")-1, 1)
	f.scroll()
}
func (f *findScreen) draw(a *App, h int) ([]string, []string) {
	return append([]string{a.styles.PaneFocused.Render(clip(f.title(), a.w))}, f.View()...), nil
}
func (f *findScreen) hints(k *keyMap) []key.Binding {
	return []key.Binding{k.FindOpen, k.FindPrev, k.FindNext, k.Cancel}
}
