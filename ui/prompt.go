package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"

	"github.com/sitrep-dev/sitrep/model"
)

// promptKind is what the input at the bottom of the incident view asks for.
type promptKind int

const (
	promptNote promptKind = iota
	promptDecision
	promptAction
	promptSkip       // why a step is skipped
	promptBlock      // why a step is blocked
	promptAssign     // who takes a role
	promptSkipInject // why a drill's inject is skipped
	promptEndDrill   // why a drill ends (may be empty)
	promptAmend      // the corrected text of a timeline entry
	promptRetract    // why a timeline entry is retracted (may be empty)
	promptWrite      // the file W writes the review to
)

// prompt is the one-line input at the bottom of the incident view. Its text
// stays until the store confirms it is saved: a failed save shows the error
// and keeps every character typed.
type prompt struct {
	kind   promptKind
	input  textinput.Model
	label  string
	req    int    // id of the save in flight, matched against savedMsg
	saving bool   // a save is in flight
	sent   string // the text of the save in flight
	err    string
	notice string // what the line holds, if not typed just now (a restored draft)
	// selected: the text is a default shown selected; typing replaces it,
	// an arrow key keeps it to edit.
	selected bool

	// What the answer applies to.
	runbook string
	step    model.Step
	role    model.Role
	inject  int
	entry   string // event id of the timeline entry corrected
}

// newTextInput is a text input as every input here has it: a steady cursor
// (no blink ticks to wake the program) and no length limit below the
// store's.
func newTextInput() textinput.Model {
	ti := textinput.New()
	ti.Prompt = ""
	ti.CharLimit = 0
	ti.Cursor.SetMode(cursor.CursorStatic)
	return ti
}

func newPrompt(kind promptKind, label string, w int) *prompt {
	p := &prompt{kind: kind, label: label, input: newTextInput()}
	p.input.Width = max(w-len([]rune(label))-3, 1)
	p.input.Focus()
	return p
}

// notePrompt is the input, and its label, that types a note of kind k.
func notePrompt(k model.NoteKind) (promptKind, string) {
	switch k {
	case model.NoteKindDecision:
		return promptDecision, "Decision:"
	case model.NoteKindAction:
		return promptAction, "Action item:"
	}
	return promptNote, "Note:"
}

// lineBreakMark stands in the one-line note input for a line break of
// pasted text: the input would turn it into a space, and a pasted log or
// command output keeps its lines in the note saved.
const lineBreakMark = '↵'

// toLineBreakMarks puts marks for the line breaks of pasted runes.
func toLineBreakMarks(rs []rune) []rune {
	text := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(string(rs))
	return []rune(strings.ReplaceAll(text, "\n", string(lineBreakMark)))
}

// fromLineBreakMarks turns the marks back into line breaks; the ones a
// paste ended with are dropped.
func fromLineBreakMarks(text string) string {
	return strings.TrimRight(strings.ReplaceAll(text, string(lineBreakMark), "\n"), "\n")
}

// noteKindOf is the note kind a draft slot names, if it names one.
func noteKindOf(slot string) (model.NoteKind, bool) {
	for _, k := range model.NoteKinds {
		if string(k) == slot {
			return k, true
		}
	}
	return "", false
}

// noteKind is the note kind a note prompt saves.
func (p *prompt) noteKind() (model.NoteKind, bool) {
	switch p.kind {
	case promptNote:
		return model.NoteKindNote, true
	case promptDecision:
		return model.NoteKindDecision, true
	case promptAction:
		return model.NoteKindAction, true
	}
	return "", false
}

// view draws the input line.
func (p *prompt) view(s *Styles, w int) string {
	line := s.Prompt.Render(p.label+" ") + p.input.View()
	if p.selected {
		line = s.Prompt.Render(p.label+" ") + s.Selected.Render(p.input.Value()) + s.Faint.Render("  enter writes · typing replaces · ← → edit")
	}
	if p.saving {
		line += s.Faint.Render("  saving…")
	}
	return fit(line, w)
}

// leftover is what was typed after the text just saved was sent; kept is
// false when there is nothing more and the input can close.
func (p *prompt) leftover() (rest string, kept bool) {
	cur := p.input.Value()
	if cur == p.sent {
		return "", false
	}
	if after, ok := strings.CutPrefix(cur, p.sent); ok {
		return strings.TrimLeft(after, " "), strings.TrimSpace(after) != ""
	}
	return cur, true
}
