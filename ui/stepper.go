package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

type stepKey struct {
	Runbook string
	Step    int
}

// stepper walks the incident's attached runbooks: phases and steps with
// their state, a progress bar, and the selected step in full.
type stepper struct {
	styles *Styles
	keys   *keyMap
	w, h   int

	runbooks []attachedRunbook
	states   map[stepKey]model.StepStatus
	cur      int                                  // runbook shown
	sel      map[string]int                       // selected step index per runbook
	top      int                                  // first list row drawn
	codeNext int                                  // which code block y copies next
	incident string                               // the incident's short id, for the attach hint
	show     string                               // a runbook just attached, to show once loaded
	exits    map[storage.StepRef]storage.Evidence // the last command ! ran from each step
}

func newStepper(s *Styles, k *keyMap) stepper {
	return stepper{styles: s, keys: k, states: map[stepKey]model.StepStatus{}, sel: map[string]int{}}
}

func (p *stepper) SetSize(w, h int) { p.w, p.h = w, h; p.scroll() }

func (p *stepper) reset() {
	*p = newStepper(p.styles, p.keys)
}

// attachHint tells how to attach a runbook to this incident.
func (p *stepper) attachHint() string {
	id := p.incident
	if id == "" {
		id = "ID"
	}
	return "Press A to attach one (or 'sitrep attach " + id + " NAME' from a shell)."
}

// setData takes the incident's short id, its freshly loaded runbooks and
// step states.
func (p *stepper) setData(incident string, runbooks []attachedRunbook, steps []model.StepStatus) {
	p.incident = incident
	curName := ""
	if rb := p.current(); rb != nil {
		curName = rb.Name
	}
	p.runbooks = runbooks
	p.states = make(map[stepKey]model.StepStatus, len(steps))
	for _, s := range steps {
		p.states[stepKey{s.Runbook, s.Step}] = s
	}
	p.cur = 0
	for i, r := range runbooks {
		if r.Name == curName {
			p.cur = i
		}
	}
	for i, r := range runbooks {
		if p.show != "" && r.Name == p.show {
			p.cur, p.show, p.top = i, "", 0
		}
	}
	// A runbook opened for the first time starts at its first open step.
	if rb := p.current(); rb != nil && rb.Runbook != nil {
		if _, seen := p.sel[rb.Name]; !seen {
			p.sel[rb.Name] = p.firstOpen(rb)
		}
	}
	p.scroll()
}

// parsed lists each attached runbook that parsed, by hash and name, for the
// next reload to reuse.
func (p *stepper) parsed() map[string]*model.Runbook {
	out := map[string]*model.Runbook{}
	for _, r := range p.runbooks {
		if r.Runbook != nil {
			out[r.Hash+"\x00"+r.Name] = r.Runbook
		}
	}
	return out
}

func (p *stepper) current() *attachedRunbook {
	if p.cur < 0 || p.cur >= len(p.runbooks) {
		return nil
	}
	return &p.runbooks[p.cur]
}

func (p *stepper) firstOpen(rb *attachedRunbook) int {
	for i, s := range rb.Runbook.Steps() {
		if p.state(rb.Name, s.Index).State == model.StepOpen {
			return i
		}
	}
	return 0
}

func (p *stepper) state(runbook string, index int) model.StepStatus {
	if s, ok := p.states[stepKey{runbook, index}]; ok {
		return s
	}
	return model.StepStatus{Runbook: runbook, Step: index, State: model.StepOpen}
}

// selected returns the runbook shown and its selected step.
func (p *stepper) selected() (*attachedRunbook, model.Step, bool) {
	rb := p.current()
	if rb == nil || rb.Runbook == nil {
		return rb, model.Step{}, false
	}
	steps := rb.Runbook.Steps()
	if len(steps) == 0 {
		return rb, model.Step{}, false
	}
	i := min(max(p.sel[rb.Name], 0), len(steps)-1)
	return rb, steps[i], true
}

func (p *stepper) move(delta int) {
	rb := p.current()
	if rb == nil || rb.Runbook == nil {
		return
	}
	n := rb.Runbook.StepCount()
	if n == 0 {
		return
	}
	p.sel[rb.Name] = min(max(p.sel[rb.Name]+delta, 0), n-1)
	p.codeNext = 0
	p.scroll()
}

// Update handles the keys that move through steps and runbooks. Its
// data comes with the incident's load (setData); it asks for nothing.
func (p stepper) Update(msg tea.Msg) (stepper, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		p.key(k)
	}
	return p, nil
}

func (p *stepper) key(msg tea.KeyMsg) {
	k := p.keys
	if d, ok := k.move(msg, max(p.listHeight()-1, 1)); ok {
		p.move(d)
		return
	}
	switch {
	case key.Matches(msg, k.PrevRunbook):
		p.switchRunbook(-1)
	case key.Matches(msg, k.NextRunbook):
		p.switchRunbook(1)
	}
}

func (p *stepper) switchRunbook(delta int) {
	if len(p.runbooks) == 0 {
		return
	}
	p.cur = (p.cur + delta + len(p.runbooks)) % len(p.runbooks)
	p.top, p.codeNext = 0, 0
	if rb := p.current(); rb.Runbook != nil {
		if _, seen := p.sel[rb.Name]; !seen {
			p.sel[rb.Name] = p.firstOpen(rb)
		}
	}
	p.scroll()
}

// nextCode returns the code block y copies, cycling through the step's
// blocks on repeated presses.
func (p *stepper) nextCode() (text string, n, of int, ok bool) {
	_, st, found := p.selected()
	if !found || len(st.Code) == 0 {
		return "", 0, 0, false
	}
	i := p.codeNext % len(st.Code)
	p.codeNext = i + 1
	return st.Code[i].Text, i + 1, len(st.Code), true
}

func (p stepper) ShortHelp() []key.Binding {
	k := p.keys
	return []key.Binding{k.Done, k.Skip, k.Block, k.Reopen, k.Copy, k.PrevRunbook, k.NextRunbook}
}

func (p *stepper) innerW() int { return max(p.w-2, 0) }
func (p *stepper) innerH() int { return max(p.h-2, 0) }

// listHeight is how many rows the step list gets; the selected step's
// detail takes the rest.
func (p *stepper) listHeight() int {
	h := p.innerH() - 2 // runbook line and progress bar
	if h <= 3 {
		return max(h, 0)
	}
	return max(h/2, 3)
}

// progress counts the runbook's steps by state.
func (p *stepper) progress(rb *attachedRunbook) (done, skipped, blocked, total int) {
	for _, s := range rb.Runbook.Steps() {
		total++
		switch p.state(rb.Name, s.Index).State {
		case model.StepDone:
			done++
		case model.StepSkipped:
			skipped++
		case model.StepBlocked:
			blocked++
		}
	}
	return
}

func stepGlyph(state model.StepState) string {
	switch state {
	case model.StepDone:
		return "[x]"
	case model.StepSkipped:
		return "[-]"
	case model.StepBlocked:
		return "[!]"
	}
	return "[ ]"
}

// View draws the pane.
func (p stepper) View(focused bool) []string {
	s := p.styles
	w, h := p.innerW(), p.innerH()
	rb := p.current()
	if rb == nil {
		lines := []string{s.Faint.Render("No runbook attached.")}
		lines = append(lines, wrapStyled(s.Faint, p.attachHint(), w)...)
		return s.box("Runbook", lines, p.w, p.h, focused)
	}
	title := fmt.Sprintf("Runbook %d/%d", p.cur+1, len(p.runbooks))
	var lines []string
	name := model.OneLine(rb.Title)
	if name == "" {
		name = rb.Name
	}
	if len(p.runbooks) > 1 {
		name = "◂ " + name + " ▸"
	}
	lines = append(lines, s.Title.Render(name))
	if rb.Runbook == nil {
		lines = append(lines, s.Error.Render("The attached text does not parse:"))
		lines = append(lines, wrapStyled(s.Error, model.Printable(errText(rb.Err)), w)...)
		return s.box(title, lines, p.w, p.h, focused)
	}
	done, skipped, blocked, total := p.progress(rb)
	lines = append(lines, p.bar(done, skipped, blocked, total, w))

	listH := p.listHeight()
	rows, _ := p.rows(rb, w)
	for i := p.top; i < len(rows) && i < p.top+listH; i++ {
		lines = append(lines, rows[i].text)
	}
	for len(lines) < 2+listH {
		lines = append(lines, "")
	}
	if h > len(lines) {
		lines = append(lines, s.Border.Render(strings.Repeat("─", w)))
		lines = append(lines, p.detail(rb, w)...)
	}
	return s.box(title, lines, p.w, p.h, focused)
}

type stepRow struct {
	text string
	step bool
}

// scroll keeps the selected step, and its phase heading when near, in view.
func (p *stepper) scroll() {
	rb := p.current()
	if rb == nil || rb.Runbook == nil {
		p.top = 0
		return
	}
	sel := p.sel[rb.Name]
	n, selRow, headingAbove := 0, 0, false
	for _, ph := range rb.Runbook.Phases {
		hasHeading := model.OneLine(ph.Title) != "" && len(ph.Steps) > 0
		if hasHeading {
			n++
		}
		for i, st := range ph.Steps {
			if st.Index == sel {
				selRow, headingAbove = n, hasHeading && i == 0
			}
			n++
		}
	}
	listH := p.listHeight()
	if selRow < p.top {
		p.top = selRow
		if headingAbove {
			p.top--
		}
	}
	if selRow >= p.top+listH {
		p.top = selRow - listH + 1
	}
	p.top = max(min(p.top, n-listH), 0)
}

// rows draws the step list: phase headings and steps with their state.
func (p *stepper) rows(rb *attachedRunbook, w int) ([]stepRow, int) {
	s := p.styles
	sel := p.sel[rb.Name]
	var rows []stepRow
	selRow := 0
	for _, ph := range rb.Runbook.Phases {
		// A phase without steps (the text before the first stage) has no
		// heading: it would only repeat the runbook's title.
		if t := model.OneLine(ph.Title); t != "" && len(ph.Steps) > 0 {
			rows = append(rows, stepRow{text: s.Bold.Render(clip(t, w))})
		}
		for _, st := range ph.Steps {
			state := p.state(rb.Name, st.Index)
			ran := ""
			if e, ok := p.lastRun(rb.Name, st.Index); ok {
				ran = "(" + e.Status() + ") "
			}
			line := fmt.Sprintf("%s%s %d. %s%s", strings.Repeat("  ", st.Depth), stepGlyph(state.State), st.Index+1, ran, model.OneLine(st.Title))
			if state.Reason != "" {
				line += " — " + model.OneLine(state.Reason)
			}
			style := s.stepStyle(state.State)
			if st.Index == sel {
				selRow = len(rows)
				style = s.Selected.Inherit(style)
				line = clip("▸"+line, w)
			} else {
				line = clip(" "+line, w)
			}
			rows = append(rows, stepRow{text: style.Render(line), step: true})
		}
	}
	return rows, selRow
}

// bar draws the progress bar: done and skipped steps count as finished.
func (p *stepper) bar(done, skipped, blocked, total, w int) string {
	s := p.styles
	label := fmt.Sprintf(" %d/%d done", done, total)
	if skipped > 0 {
		label += fmt.Sprintf(" · %d skipped", skipped)
	}
	if blocked > 0 {
		label += fmt.Sprintf(" · %d blocked", blocked)
	}
	barW := min(max(w-len(label), 0), 30)
	if w-barW < 12 {
		barW = max(w-12, 0)
	}
	filled := 0
	if total > 0 {
		filled = barW * (done + skipped) / total
	}
	out := s.Bar.Render(strings.Repeat("█", filled)) + s.BarEmpty.Render(strings.Repeat("░", barW-filled))
	if blocked > 0 {
		return out + s.StepBlocked.Render(label)
	}
	return out + s.Faint.Render(label)
}

// detail draws the selected step in full: its text, code, RACI and state.
func (p *stepper) detail(rb *attachedRunbook, w int) []string {
	s := p.styles
	_, st, ok := p.selected()
	if !ok {
		return []string{s.Faint.Render("This runbook has no steps.")}
	}
	var lines []string
	head := fmt.Sprintf("Step %d of %d", st.Index+1, rb.Runbook.StepCount())
	if ph, ok := rb.Runbook.PhaseOf(st.Index); ok && ph.Title != "" {
		head += " · " + model.OneLine(ph.Title)
	}
	lines = append(lines, s.Faint.Render(clip(head, w)))
	lines = append(lines, wrapStyled(s.Title, model.Printable(st.Title), w)...)

	state := p.state(rb.Name, st.Index)
	if state.State != model.StepOpen {
		what := fmt.Sprintf("%s by %s at %s", state.State, model.OneLine(state.By), state.At.UTC().Format("15:04Z"))
		if state.Reason != "" {
			what += ": " + model.OneLine(state.Reason)
		}
		lines = append(lines, wrapStyled(s.stepStyle(state.State), what, w)...)
	}
	if e, ok := p.lastRun(rb.Name, st.Index); ok {
		lines = append(lines, wrapStyled(p.exitStyle(e), runHint(e), w)...)
	}
	lines = append(lines, p.body(st, w)...)
	if len(st.Code) > 0 {
		hint := "y copies the command · ! runs it"
		if len(st.Code) > 1 {
			hint = fmt.Sprintf("y copies the commands, one per press (%d) · ! runs the one copied", len(st.Code))
		}
		lines = append(lines, s.Faint.Render(clip(hint, w)))
	}
	return lines
}

// body draws a step's Markdown: prose wrapped, fenced code marked out.
func (p *stepper) body(st model.Step, w int) []string {
	s := p.styles
	text := strings.TrimSpace(model.Printable(st.Body))
	if text == "" {
		return nil
	}
	var lines []string
	inFence := false
	for _, l := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(l)
		if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
			inFence = !inFence
			continue
		}
		if inFence {
			// A command cut to the pane's width marks where it goes on:
			// read (or typed) as shown, a wrapped line is another command.
			for i, c := range wrap(strings.TrimRight(l, " "), max(w-2, 1)) {
				mark := s.Border.Render("┃ ")
				if i > 0 {
					mark = s.Border.Render("┃") + s.Faint.Render(codeWrapMark)
				}
				lines = append(lines, mark+s.Code.Render(c))
			}
			continue
		}
		lines = append(lines, wrapStyled(s.StepOpen, l, w)...)
	}
	return lines
}

// codeWrapMark starts a line of code that goes on from the line above.
const codeWrapMark = "↪"

func wrapStyled(style interface{ Render(...string) string }, text string, w int) []string {
	var out []string
	for _, l := range wrap(text, w) {
		out = append(out, style.Render(l))
	}
	return out
}

func errText(err error) string {
	if err == nil {
		return "unknown error"
	}
	return err.Error()
}

// showAttached shows the runbook just attached once the reload brings it.
func (p *stepper) showAttached(name string) { p.show = name }
