package ui

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/runbooks"
	"github.com/sitrep-dev/sitrep/storage"
)

type stepKey struct {
	Runbook string
	Step    int
}

// stepper shows an attached runbook as the file reads, the whole of it,
// with each step a checkable place in the document: its state mark, a
// progress bar, and a cursor that moves between steps and code blocks.
type stepper struct {
	styles *Styles
	keys   *keyMap
	w, h   int

	runbooks []attachedRunbook
	states   map[stepKey]model.StepStatus
	cur      int                                  // runbook shown
	sel      map[string]int                       // selected step index per runbook
	code     map[string]int                       // code block under the cursor, when it is outside any step
	top      int                                  // first document line drawn
	codeNext int                                  // which of the step's code blocks y copies next
	incident string                               // the incident's short id, for the attach hint
	asOf     string                               // a replay's moment: nothing can be attached, so no hint
	show     string                               // a runbook just attached, to show once loaded
	exits    map[storage.StepRef]storage.Evidence // the last command ! ran from each step

	// docs are the rendered runbooks by text, name and width: a document
	// is rendered once per width, and a key only picks lines to draw.
	docs map[docKey]*doc

	// styled holds document lines already drawn in their styles, for one
	// document and the step states of now: a key redraws only the
	// cursor's line. A pointer, so the copies View works on share it.
	styled *styledLines
}

type styledLines struct {
	doc   *doc
	lines map[int]string
}

type docKey struct {
	hash, name string
	width      int
}

// doc is a rendered runbook and the places the cursor can land on.
type doc struct {
	r       *runbooks.Rendered
	targets []target
	// by step: its lines, from its mark to the next step's (from -1: not
	// drawn), and how many links o offers there
	spans [][2]int
	links []int
}

// target is a place the cursor lands on: a step, or a code block outside
// any step.
type target struct {
	line, end  int
	step, code int // -1 when not that kind
}

func newStepper(s *Styles, k *keyMap) stepper {
	return stepper{styles: s, keys: k, states: map[stepKey]model.StepStatus{}, sel: map[string]int{}, code: map[string]int{}, docs: map[docKey]*doc{}, styled: &styledLines{}}
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
	p.incident, p.asOf = incident, ""
	curName := ""
	if rb := p.current(); rb != nil {
		curName = rb.Name
	}
	p.runbooks = runbooks
	p.states = make(map[stepKey]model.StepStatus, len(steps))
	p.styled.doc = nil // marks may have changed
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
func (p *stepper) parsed() map[string]*runbooks.Doc {
	out := map[string]*runbooks.Doc{}
	for _, r := range p.runbooks {
		if r.Doc != nil {
			out[r.Hash+"\x00"+r.Name] = r.Doc
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

// onCode is the code block under the cursor when it is outside any step.
func (p *stepper) onCode(rb *attachedRunbook) (int, bool) {
	if rb == nil {
		return 0, false
	}
	i, ok := p.code[rb.Name]
	return i, ok && i >= 0
}

// selected returns the runbook shown and its selected step; none while
// the cursor is on a code block outside any step.
func (p *stepper) selected() (*attachedRunbook, model.Step, bool) {
	rb := p.current()
	if rb == nil || rb.Runbook == nil {
		return rb, model.Step{}, false
	}
	if _, on := p.onCode(rb); on {
		return rb, model.Step{}, false
	}
	st, ok := rb.Runbook.Step(min(max(p.sel[rb.Name], 0), rb.Runbook.StepCount()-1))
	return rb, st, ok
}

// docWidth is the width the document is rendered at: the pane less its
// border and the cursor's gutter.
func (p *stepper) docWidth() int { return max(p.innerW()-1, 20) }

// docHeight is how many document lines the pane draws: below the name
// and the progress bar, above the status line.
func (p *stepper) docHeight() int {
	h := p.innerH() - 2
	if h >= 4 {
		h-- // the status line
	}
	return max(h, 1)
}

// listHeight is how far a page key moves.
func (p *stepper) listHeight() int { return p.docHeight() }

// document is rb rendered at the pane's width, from the cache.
func (p *stepper) document(rb *attachedRunbook) *doc {
	if rb == nil || rb.Runbook == nil {
		return nil
	}
	k := docKey{rb.Hash, rb.Name, p.docWidth()}
	if d, ok := p.docs[k]; ok {
		return d
	}
	if len(p.docs) > 32 {
		clear(p.docs) // widths and runbooks long gone
	}
	var r *runbooks.Rendered
	if rb.Doc != nil {
		r = rb.Doc.Render(k.width)
	} else {
		r = runbooks.Render(rb.Runbook, k.width)
	}
	d := &doc{r: r}
	code := 0
	for i, a := range r.Steps {
		// code blocks outside steps go between the steps around them
		for ; code < len(r.Code) && r.Code[code].Start < a.Start; code++ {
			if r.Code[code].Step < 0 {
				d.targets = append(d.targets, target{line: r.Code[code].Start, end: r.Code[code].End, step: -1, code: code})
			}
		}
		d.targets = append(d.targets, target{line: a.Start, end: a.End, step: i, code: -1})
	}
	for ; code < len(r.Code); code++ {
		if r.Code[code].Step < 0 {
			d.targets = append(d.targets, target{line: r.Code[code].Start, end: r.Code[code].End, step: -1, code: code})
		}
	}
	d.spans, d.links = stepSpans(r), make([]int, len(r.Steps))
	for i, sp := range d.spans {
		if sp[0] >= 0 {
			d.links[i] = len(r.Links(sp[0], sp[1]))
		}
	}
	p.docs[k] = d
	return d
}

// stepSpans is each step's lines, from its mark to the next step's mark
// below it (the document's end for the last); from is -1 for a step not
// drawn.
func stepSpans(r *runbooks.Rendered) [][2]int {
	starts := make([]int, 0, len(r.Steps))
	for _, a := range r.Steps {
		if a.Start >= 0 {
			starts = append(starts, a.Start)
		}
	}
	slices.Sort(starts)
	out := make([][2]int, len(r.Steps))
	for i, a := range r.Steps {
		if a.Start < 0 {
			out[i] = [2]int{-1, -1}
			continue
		}
		to := len(r.Lines)
		if k, _ := slices.BinarySearch(starts, a.Start+1); k < len(starts) {
			to = starts[k]
		}
		out[i] = [2]int{a.Start, to}
	}
	return out
}

// at is the index of the target under the cursor.
func (p *stepper) at(rb *attachedRunbook, d *doc) int {
	c, onCode := p.onCode(rb)
	for i, t := range d.targets {
		if onCode && t.code == c || !onCode && t.step == p.sel[rb.Name] {
			return i
		}
	}
	return 0
}

func (p *stepper) land(rb *attachedRunbook, t target) {
	if t.step >= 0 {
		p.sel[rb.Name] = t.step
		p.code[rb.Name] = -1
	} else {
		p.code[rb.Name] = t.code
	}
	p.codeNext = 0
}

// move takes the cursor delta places on, or scrolls: a step or code block
// more than a page away is reached by scrolling first, so every line of
// the document can be read with j and k alone.
func (p *stepper) move(delta int) {
	rb := p.current()
	d := p.document(rb)
	if d == nil {
		return
	}
	h := p.docHeight()
	page := max(h-2, 1)
	maxTop := max(len(d.r.Lines)-h, 0)
	i := p.at(rb, d)
	switch {
	case delta == 1 || delta == -1:
		next := i + delta
		var t target
		has := next >= 0 && next < len(d.targets)
		if has {
			t = d.targets[next]
		}
		if has && t.line >= p.top-page && t.line < p.top+h+page {
			p.land(rb, t)
			p.ensureVisible(t.line, h, maxTop)
			return
		}
		p.top = min(max(p.top+delta*page, 0), maxTop)
	case delta >= toEnd/2 && len(d.targets) > 0:
		p.land(rb, d.targets[len(d.targets)-1])
		p.top = maxTop
	case delta <= -toEnd/2 && len(d.targets) > 0:
		p.land(rb, d.targets[0])
		p.top = 0
	default:
		// a page: the view moves, the cursor to the first place in it
		p.top = min(max(p.top+delta, 0), maxTop)
		for _, t := range d.targets {
			if t.line >= p.top && t.line < p.top+h {
				p.land(rb, t)
				break
			}
		}
	}
}

// showLine shows the runbook name at a line found in it (line, of the
// document as rendered at width; src, the file line of its block, when
// the pane has been resized since), with the cursor on the step or code
// block it is in.
func (p *stepper) showLine(name string, line, src, width int) {
	for i := range p.runbooks {
		if p.runbooks[i].Name == name {
			p.cur = i
		}
	}
	rb := p.current()
	d := p.document(rb)
	if d == nil || len(d.r.Lines) == 0 {
		return
	}
	if d.r.Width != width || line >= len(d.r.Lines) {
		line = 0
		for i, l := range d.r.Lines {
			if l.Src == src {
				line = i
				break
			}
		}
	}
	// The last place at or above the line is the one it is in.
	if i := sort.Search(len(d.targets), func(i int) bool { return d.targets[i].line > line }); i > 0 {
		p.land(rb, d.targets[i-1])
	}
	h := p.docHeight()
	p.top = min(max(line-h/3, 0), max(len(d.r.Lines)-h, 0))
}

// ensureVisible scrolls so line is on screen, a little below the top when
// it comes from below so what follows it shows too.
func (p *stepper) ensureVisible(line, h, maxTop int) {
	switch {
	case line < p.top:
		p.top = max(line-1, 0)
	case line >= p.top+h:
		p.top = line - h/3
	}
	p.top = min(max(p.top, 0), maxTop)
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

// nextCode returns what y copies: the code block under the cursor, or the
// selected step's blocks one per press. A shell session gives its
// commands only.
func (p *stepper) nextCode() (text string, n, of int, ok bool) {
	rb := p.current()
	if c, on := p.onCode(rb); on {
		if d := p.document(rb); d != nil && c < len(d.r.Code) {
			return d.r.Code[c].Block.Copy(), 1, 1, true
		}
	}
	_, st, found := p.selected()
	if !found || len(st.Code) == 0 {
		return "", 0, 0, false
	}
	i := p.codeNext % len(st.Code)
	p.codeNext = i + 1
	return st.Code[i].Copy(), i + 1, len(st.Code), true
}

// links lists the links of rb's step under the cursor (the lines from its
// mark to the next step's), or of the code block under it; or, when there
// are none there, of the whole runbook (whole).
func (p *stepper) links(rb *attachedRunbook) (links []runbooks.Link, whole bool) {
	d := p.document(rb)
	if d == nil {
		return nil, false
	}
	r := d.r
	from, to := -1, len(r.Lines)
	if c, on := p.onCode(rb); on && c < len(r.Code) {
		from, to = r.Code[c].Start, r.Code[c].End
	} else if i := p.sel[rb.Name]; i >= 0 && i < len(d.spans) {
		from, to = d.spans[i][0], d.spans[i][1]
	}
	if from >= 0 {
		if links = r.Links(from, to); len(links) > 0 {
			return links, false
		}
	}
	return r.Links(0, len(r.Lines)), true
}

func (p stepper) ShortHelp() []key.Binding {
	k := p.keys
	return []key.Binding{k.Done, k.Skip, k.Block, k.Reopen, k.Copy, k.PrevRunbook, k.NextRunbook}
}

func (p *stepper) innerW() int { return max(p.w-2, 0) }
func (p *stepper) innerH() int { return max(p.h-2, 0) }

// progress counts the runbook's steps by state.
func (p *stepper) progress(rb *attachedRunbook) (done, skipped, blocked, total int) {
	// by phase: Steps() would copy every step on every frame
	for _, ph := range rb.Runbook.Phases {
		for _, s := range ph.Steps {
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
	w := p.innerW()
	rb := p.current()
	if rb == nil {
		if p.asOf != "" {
			return s.box("Runbook", wrapStyled(s.Faint, "No runbook attached as of "+p.asOf+".", w), p.w, p.h, focused)
		}
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
	lines = append(lines, s.Title.Render(clip(name, w)))
	if rb.Runbook == nil {
		lines = append(lines, s.Error.Render("The attached text does not parse:"))
		lines = append(lines, wrapStyled(s.Error, model.Printable(errText(rb.Err)), w)...)
		return s.box(title, lines, p.w, p.h, focused)
	}
	done, skipped, blocked, total := p.progress(rb)
	lines = append(lines, p.bar(done, skipped, blocked, total, w))
	d := p.document(rb)
	h := p.docHeight()
	var cur target
	if len(d.targets) > 0 {
		cur = d.targets[p.at(rb, d)]
	} else {
		cur = target{line: -1, end: -1}
	}
	if p.styled.doc != d {
		p.styled.doc, p.styled.lines = d, map[int]string{}
	}
	for i := p.top; i < len(d.r.Lines) && i < p.top+h; i++ {
		lines = append(lines, p.line(rb, d.r.Lines[i], i, cur, focused))
	}
	for len(lines) < 2+h {
		lines = append(lines, "")
	}
	if p.innerH()-2 > h {
		lines = append(lines, s.Faint.Render(clip(p.status(rb, d, cur), w)))
	}
	return s.box(title, lines, p.w, p.h, focused)
}

// line draws one document line: the cursor's gutter, then its segments in
// the styles of their roles, a step's mark showing its state.
func (p *stepper) line(rb *attachedRunbook, l runbooks.Line, i int, cur target, focused bool) string {
	s := p.styles
	var b strings.Builder
	selected := i == cur.line
	switch {
	case selected:
		b.WriteString(s.Gutter.Render("▸"))
	case i > cur.line && i < cur.end:
		b.WriteString(s.Gutter.Render("▏"))
	default:
		b.WriteByte(' ')
	}
	if !selected {
		if body, ok := p.styled.lines[i]; ok {
			b.WriteString(body)
			return b.String()
		}
	}
	at := b.Len()
	for _, sg := range l.Segs {
		text, style := sg.Text, p.roleStyle(sg.Role)
		ran := ""
		if sg.Role == runbooks.RoleMark && l.Step >= 0 {
			state := p.state(rb.Name, l.Step).State
			text = stepGlyph(state) + strings.TrimPrefix(text, runbooks.StepMark)
			style = s.stepStyle(state)
			ran = p.runMark(rb.Name, l.Step)
		}
		if selected && focused {
			style = s.Selected.Inherit(style)
		} else if selected {
			style = s.SelectedBg.Inherit(style)
		}
		b.WriteString(style.Render(text))
		if ran != "" {
			b.WriteString(style.Render(ran))
		}
	}
	if !selected {
		p.styled.lines[i] = b.String()[at:]
	}
	return b.String()
}

func (p *stepper) roleStyle(r runbooks.Role) lipgloss.Style {
	s := p.styles
	switch r {
	case runbooks.RoleHeading:
		return s.Title
	case runbooks.RoleBold:
		return s.Bold
	case runbooks.RoleEm:
		return s.Em
	case runbooks.RoleCode, runbooks.RoleBlock:
		return s.Code
	case runbooks.RoleLink:
		return s.Link
	case runbooks.RoleQuote, runbooks.RoleTable, runbooks.RoleFrame:
		return s.Border
	case runbooks.RoleMarker:
		return s.Faint
	}
	return s.StepOpen
}

// status says where the cursor is and what y would copy.
func (p *stepper) status(rb *attachedRunbook, d *doc, cur target) string {
	if cur.code >= 0 {
		return "Code block outside the steps · y copies it · ! runs it"
	}
	_, st, ok := p.selected()
	if !ok {
		return "This runbook has no steps."
	}
	out := fmt.Sprintf("Step %d of %d", st.Index+1, rb.Runbook.StepCount())
	state := p.state(rb.Name, st.Index)
	if state.State != model.StepOpen {
		out += fmt.Sprintf(" · %s by %s at %s", state.State, model.OneLine(state.By), state.At.UTC().Format("15:04Z"))
		if state.Reason != "" {
			out += ": " + model.OneLine(state.Reason)
		}
	}
	if e, ok := p.lastRun(rb.Name, st.Index); ok {
		out += " · " + runHint(e)
	}
	switch n := len(st.Code); {
	case n == 1:
		out += " · y copies the command · ! runs it"
	case n > 1:
		out += fmt.Sprintf(" · y copies the commands, one per press (%d) · ! runs the one copied", n)
	}
	if st.Index < len(d.links) {
		switch n := d.links[st.Index]; {
		case n == 1:
			out += " · o copies its link"
		case n > 1:
			out += fmt.Sprintf(" · o copies one of its %d links", n)
		}
	}
	return out
}

// scroll keeps the cursor's line in view.
func (p *stepper) scroll() {
	rb := p.current()
	d := p.document(rb)
	if d == nil || len(d.targets) == 0 {
		p.top = 0
		return
	}
	h := p.docHeight()
	p.ensureVisible(d.targets[p.at(rb, d)].line, h, max(len(d.r.Lines)-h, 0))
}

// clickRow moves the cursor to the step or code block drawn on the pane's
// inner row (0 is the runbook's name, 1 the progress bar).
func (p *stepper) clickRow(row int) {
	rb := p.current()
	d := p.document(rb)
	if d == nil || row < 2 || row >= 2+p.docHeight() {
		return
	}
	line := p.top + row - 2
	for i := len(d.targets) - 1; i >= 0; i-- {
		if t := d.targets[i]; t.line <= line && line < max(t.end, t.line+1) {
			p.land(rb, t)
			return
		}
	}
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
