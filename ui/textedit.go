package ui

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textarea"
)

// newTextArea is a multi-line editor as the review and message screens use
// it: a steady cursor (no blink ticks), no line numbers, no length limit,
// focused and holding value.
func newTextArea(value string, w, h int) textarea.Model {
	ta := textarea.New()
	ta.ShowLineNumbers = false
	ta.Prompt = "│ "
	ta.CharLimit = 0
	ta.MaxHeight = 0
	ta.Cursor.SetMode(cursor.CursorStatic)
	ta.SetWidth(max(w, 4))
	ta.SetHeight(max(h, 1))
	ta.SetValue(value)
	ta.Focus()
	return ta
}
