package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
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

	promptAbout // what the answer applies to
}

// promptAbout is what a prompt's answer applies to.
type promptAbout struct {
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

func newPrompt(kind promptKind, label string, w int, about promptAbout) *prompt {
	p := &prompt{kind: kind, label: label, input: newTextInput(), promptAbout: about}
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

// SetSize fits the input to a footer w wide.
func (p *prompt) SetSize(w, h int) { p.input.Width = max(w-len([]rune(p.label))-3, 1) }

// fill puts text in the input, the cursor at its end; selected shows it as
// a default that typing replaces.
func (p *prompt) fill(text string, selected bool) {
	p.input.SetValue(text)
	p.input.CursorEnd()
	p.selected = selected
}

// restore fills the input with a draft left unsaved, and says so.
func (p *prompt) restore(d storage.Draft) {
	p.fill(d.Text, false)
	p.notice = restoredNotice(d, "enter saves it, ctrl+u clears it.")
}

// hint is the placeholder shown while the input is empty.
func (p *prompt) hint(text string) { p.input.Placeholder = text }

// Update edits the text; changed reports that it changed (a draft to keep).
func (p *prompt) Update(msg tea.KeyMsg) (cmd tea.Cmd, changed bool) {
	if p.selected {
		p.selected = false
		switch msg.Type {
		case tea.KeyRunes, tea.KeySpace, tea.KeyBackspace, tea.KeyDelete:
			p.input.SetValue("")
			if msg.Type == tea.KeyBackspace || msg.Type == tea.KeyDelete {
				return nil, false
			}
		}
	}
	before := p.input.Value()
	if _, isNote := p.noteKind(); isNote && msg.Paste {
		msg.Runes = toLineBreakMarks(msg.Runes)
	}
	p.input, cmd = p.input.Update(msg)
	if p.input.Value() == before {
		return cmd, false
	}
	p.notice = ""
	return cmd, true
}

// cancel reports whether esc may close the input: not while a save is in
// flight, which may yet fail and then the text must still be here.
func (p *prompt) cancel() bool {
	if p.saving {
		p.notice = "Saving… esc again once it is done."
		return false
	}
	return true
}

// answer is the text enter submits; ok is false when there is nothing to
// submit (the input says why).
func (p *prompt) answer() (text string, ok bool) {
	if p.saving {
		return "", false
	}
	text = p.input.Value()
	if p.kind != promptAssign && p.kind != promptEndDrill && p.kind != promptRetract && strings.TrimSpace(text) == "" {
		p.err = "Type something first, or esc to cancel."
		return "", false
	}
	return text, true
}

// send marks text as saving under request req.
func (p *prompt) send(req int, text string) { p.req, p.saving, p.err, p.sent = req, true, "", text }

// hold keeps the input from sending again while a question about it is
// open; release gives it back.
func (p *prompt) hold()    { p.saving = true }
func (p *prompt) release() { p.saving = false }

// saved takes the answer to the save of request req; closed reports that
// the input can close (saved, nothing typed since). On failure the text
// stays, with the error under it; anything typed while the save was in
// flight stays in the input (kept).
func (p *prompt) saved(err error) (closed, kept bool) {
	p.saving = false
	if err != nil {
		p.err = err.Error()
		return false, false
	}
	rest, kept := p.leftover()
	if !kept {
		return true, false
	}
	p.fill(rest, false)
	p.err = ""
	return false, true
}
