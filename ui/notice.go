package ui

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/model"
)

// notice is a refusal shown in place of what a key would have opened. A
// key that opens an input when it works (X asks why, s asks why) is often
// followed at once by the text meant for that input; read as keys, that
// text ran commands ("wrong incident" made its r hand a role over). So a
// refusal holds the keys typed after it, and shows them, until esc or
// enter; left alone, untouched, it goes after noticeLife.
type notice struct {
	text      string
	at        time.Time
	swallowed []rune // what was typed while it was open
	under     modal  // what it was shown over, open again once closed
}

// noticeLife is how long a notice no key has touched stays on screen.
const noticeLife = 4 * time.Second

// refuse says why a key did nothing, and holds what is typed next.
func (a *App) refuse(text string) {
	a.slot.over(&notice{text: text, at: a.now()})
	a.flash = ""
}

// act is what a key does to a refusal: esc or enter closes it; other
// keys are held.
func (n *notice) act(a *App, msg tea.KeyMsg) tea.Cmd {
	if n.Update(msg, a.keys) {
		a.slot.close()
	}
	return nil
}

// Update holds a key typed while the refusal is shown; closed reports esc
// or enter.
func (n *notice) Update(msg tea.KeyMsg, k *keyMap) (closed bool) {
	switch {
	case key.Matches(msg, k.Back, k.Submit):
		return true
	case msg.Type == tea.KeyRunes || msg.Type == tea.KeySpace:
		n.swallowed = append(n.swallowed, msg.Runes...)
		if msg.Type == tea.KeySpace {
			n.swallowed = append(n.swallowed, ' ')
		}
	default:
		// Any other key counts as touching it: it stays until closed.
		n.at = time.Time{}
	}
	return false
}

// expireNotice closes a notice nobody has typed into after noticeLife.
func (a *App) expireNotice() {
	n := a.slot.notice()
	if n != nil && len(n.swallowed) == 0 && !n.at.IsZero() && a.now().Sub(n.at) > noticeLife {
		a.slot.remove(n)
	}
}

// lines are the footer's two lines while a notice is open.
func (n *notice) lines(s *Styles, w int) []string {
	second := s.Faint.Render("esc or enter closes this")
	if len(n.swallowed) > 0 {
		second = s.Warn.Render("Not run as keys: \""+clip(model.OneLine(string(n.swallowed)), max(w-40, 8))+"\"") + s.Faint.Render(" · esc or enter closes")
	}
	return []string{s.Error.Render(clip(model.OneLine(n.text), w)), clip(second, w)}
}
