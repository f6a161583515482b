package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// The message screen (m in an incident): pick a template (internal,
// customer, executive), edit the text filled from the incident, copy it
// with OSC 52 (ctrl+y) to paste where it goes, and log it as sent
// (ctrl+s): a message.sent event, which resets that audience's cadence
// timer in the header. It fills templates as `sitrep message` does.

type commsScreen struct {
	styles  *Styles
	keys    *keyMap
	w, h    int
	incID   string
	sel     int // template
	tmpl    model.MessageTemplate
	editing bool
	filling bool
	saving  bool
	area    textarea.Model
	err     string
	notice  string // what the text area holds, if not filled just now (a restored draft)
}

func newCommsScreen(s *Styles, k *keyMap, id string) *commsScreen {
	return &commsScreen{styles: s, keys: k, incID: id}
}

func (c *commsScreen) SetSize(w, h int) {
	c.w, c.h = w, h
	if c.editing {
		c.area.SetWidth(max(w-4, 4))
		c.area.SetHeight(c.areaHeight())
	}
}

func (c *commsScreen) areaHeight() int { return max(min(14, c.h-4), 3) }

// commsAction is what a key on the message screen asks of the App.
type commsAction int

const (
	commsNone commsAction = iota
	commsClose
	commsFill
	commsCopy
	commsSend
)

func (c *commsScreen) Update(msg tea.KeyMsg) commsAction {
	k := c.keys
	if c.editing {
		switch {
		case key.Matches(msg, k.CopyText):
			return commsCopy
		case key.Matches(msg, k.SendMessage):
			if c.saving {
				return commsNone
			}
			if strings.TrimSpace(c.area.Value()) == "" {
				c.err = "The message is empty."
				return commsNone
			}
			c.saving, c.err = true, ""
			return commsSend
		case key.Matches(msg, k.Cancel):
			c.editing, c.err = false, "" // back to the templates
			return commsNone
		}
		before := c.area.Value()
		if c.area, _ = c.area.Update(msg); c.area.Value() != before {
			c.notice = ""
		}
		return commsNone
	}
	n := len(model.MessageTemplates)
	switch {
	case key.Matches(msg, k.Back, k.Quit):
		return commsClose
	case key.Matches(msg, k.Up):
		c.sel = (c.sel + n - 1) % n
	case key.Matches(msg, k.Down):
		c.sel = (c.sel + 1) % n
	case key.Matches(msg, k.Submit):
		c.filling = true
		return commsFill
	default:
		if s := msg.String(); len(s) == 1 && s[0] >= '1' && int(s[0]-'1') < n {
			c.sel, c.filling = int(s[0]-'1'), true
			return commsFill
		}
	}
	return commsNone
}

func (c *commsScreen) ShortHelp() []key.Binding {
	k := c.keys
	if c.editing {
		return []key.Binding{k.SendMessage, k.CopyText, k.Cancel}
	}
	return []key.Binding{k.Up, k.Down, k.Submit, k.Back}
}

// View draws the screen; dues are the updates due per audience.
func (c *commsScreen) View(dues []model.UpdateDue, now time.Time) []string {
	s := c.styles
	w := max(c.w, 1)
	out := []string{s.PaneFocused.Render(clip("Send an update", w))}
	if c.editing {
		out = append(out, clip(s.Title.Render(c.tmpl.Title)+s.Faint.Render(" to "+string(c.tmpl.Audience)+": edit it, ctrl+y copies it, ctrl+s logs it as sent"), w), "")
		for _, l := range strings.Split(c.area.View(), "\n") {
			out = append(out, clip("  "+l, w))
		}
		if c.err != "" {
			out = append(out, clip(s.Error.Render("Not logged: "+model.OneLine(c.err)+" (your text is kept)"), w))
		} else if c.notice != "" {
			out = append(out, clip(s.Warn.Render(c.notice), w))
		}
		return out
	}
	out = append(out, s.Faint.Render(clip("Pick a template (filled from the incident; you edit it next):", w)), "")
	for i, t := range model.MessageTemplates {
		due := s.Faint.Render("no cadence")
		for _, d := range dues {
			if d.Audience != t.Audience || d.At.IsZero() {
				continue
			}
			switch {
			case d.Late:
				due = s.Error.Render("LATE by " + model.FormatAge(d.LateBy))
			default:
				due = s.Faint.Render("due in " + model.FormatAge(d.At.Sub(now)))
			}
		}
		line := fmt.Sprintf("%d %-18s %-10s ", i+1, t.Title, t.Audience)
		if i == c.sel {
			line = s.Gutter.Render("▸ ") + s.Selected.Render(line)
		} else {
			line = "  " + line
		}
		out = append(out, clip(line+due, w))
	}
	if c.filling {
		out = append(out, "", s.Faint.Render("Filling…"))
	}
	if c.err != "" {
		out = append(out, "", clip(s.Error.Render(model.OneLine(c.err)), w))
	}
	return out
}

// filled opens the template filled from the incident for editing, or the
// draft of an update to the same audience left unsaved (d, when its text
// is not empty).
func (c *commsScreen) filled(msg messageFilledMsg, d storage.Draft) {
	c.filling = false
	if msg.Err != nil {
		c.err = msg.Err.Error()
		return
	}
	c.tmpl, c.editing, c.err, c.notice = msg.Tmpl, true, "", ""
	c.area = newTextArea(model.Printable(msg.Text), c.w-4, c.areaHeight())
	if d.Slot != "" {
		c.area.SetValue(d.Text)
		c.notice = restoredNotice(d, "ctrl+s logs it, esc drops it.")
	}
}

// sent takes the answer to logging the message; ok is false when it
// failed, and the text stays with the error under it.
func (c *commsScreen) sent(err error) (ok bool) {
	c.saving = false
	if err != nil {
		c.err = err.Error()
		return false
	}
	return true
}
