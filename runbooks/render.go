package runbooks

import (
	"regexp"
	"strings"
	"sync"

	"github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"

	"github.com/sitrep-dev/sitrep/model"
)

// Rendered is a runbook drawn for a terminal of one width: the whole
// document as the file reads, wrapped, with no Markdown syntax left, and
// each step a checkable place in it. It is neutral (lines of segments in
// roles), so the cockpit styles it and `runbook show` prints it, and both
// show the same thing. Render once per width; scrolling reads Lines.
type Rendered struct {
	Width int
	Lines []Line
	Steps []Anchor     // by step index: where each step's mark is
	Code  []CodeAnchor // every code block, in document order

	find findIndex // the lines as Find reads them, made at its first use
	refs linkRefs  // the file's link reference definitions (source.refs)
}

// Line is one line of the rendered document.
type Line struct {
	Segs []Segment
	Step int // the step whose mark opens this line, -1 if none
	Src  int // the file line the block drawn here starts on
	// Cont says the line goes on with the line above's last word, cut
	// at the width, from segment ContAt on: copying or searching the text
	// joins them again.
	Cont   bool
	ContAt int
}

// Anchor is a run of lines, Start to End exclusive.
type Anchor struct{ Start, End int }

// CodeAnchor is a code block's lines and what copying it gives.
type CodeAnchor struct {
	Anchor
	Step  int // the step it belongs to, -1 for a block outside any step
	Block model.CodeBlock
}

// Text is the line as plain text.
func (l Line) Text() string {
	var b strings.Builder
	for _, s := range l.Segs {
		b.WriteString(s.Text)
	}
	return b.String()
}

// StepMark is the mark a step's line opens with before any state is known.
const StepMark = "[ ]"

// Doc is a runbook with its parsed Markdown kept, so it is rendered at
// each width without being read again.
type Doc struct {
	Runbook *model.Runbook
	s       *source
}

// ParseDoc reads a runbook as ParseRules does and keeps its tree for Render.
func ParseDoc(filePath string, src []byte, rules string) (*Doc, []Diagnostic) {
	s := newSource(filePath, src)
	rb := parseRunbook(s, readFrontMatter(s), rules)
	diags := s.done()
	s.diags = nil
	return &Doc{Runbook: rb, s: s}, diags
}

// Render draws rb's text at width columns (at least 20). It reads the
// text again; a Doc renders without that.
func Render(rb *model.Runbook, width int) *Rendered {
	return (&Doc{Runbook: rb, s: newSource(rb.Path, []byte(rb.Text))}).Render(width)
}

// Render draws the document at width columns (at least 20).
func (d *Doc) Render(width int) *Rendered {
	rb, s := d.Runbook, d.s
	width = max(width, 20)
	r := &renderer{s: s, out: &Rendered{Width: width, refs: s.refs}, width: width,
		stepAt: map[int]int{}, codeOwner: map[int]int{}, placed: map[int]bool{}}
	for _, ph := range rb.Phases {
		for _, st := range ph.Steps {
			if _, dup := r.stepAt[st.Line]; !dup {
				r.stepAt[st.Line] = st.Index
			}
			for _, c := range st.Code {
				r.codeOwner[c.Line] = st.Index
			}
		}
	}
	r.out.Steps = make([]Anchor, rb.StepCount())
	for i := range r.out.Steps {
		r.out.Steps[i] = Anchor{-1, -1}
	}
	first := true
	for n := s.doc.FirstChild(); n != nil; n = n.NextSibling() {
		if !first && !r.invisible(n) {
			r.blank()
		}
		if !r.invisible(n) {
			first = false
		}
		r.block(n)
	}
	r.anchorSteps(rb)
	return r.out
}

type frame struct {
	first, rest []Segment
	used        bool
}

type renderer struct {
	s         *source
	out       *Rendered
	width     int
	frames    []*frame
	stepAt    map[int]int // file line -> step index whose title is there
	codeOwner map[int]int // fence line -> step index
	placed    map[int]bool
	src       int
	// alerts are the paragraphs that open with a GitHub alert's marker,
	// drawn as the label it stands for.
	alerts map[*ast.Paragraph]string
}

func (r *renderer) invisible(n ast.Node) bool {
	h, ok := n.(*ast.HTMLBlock)
	return ok && h.HTMLBlockType == ast.HTMLBlockType2
}

// shown is the first of the open containers whose prefix is drawn: a
// list nested past half the width loses its outer indentation rather
// than its text, and the innermost container (a step's mark) is always
// drawn.
func (r *renderer) shown() int {
	w := 0
	for i := len(r.frames) - 1; i >= 0; i-- {
		w += segsWidth(r.frames[i].rest)
		if w > r.width/2 && i < len(r.frames)-1 {
			return i + 1
		}
	}
	return 0
}

// room is the width left inside the open containers.
func (r *renderer) room() int {
	w := r.width
	for _, f := range r.frames[r.shown():] {
		w -= segsWidth(f.rest)
	}
	return max(w, 8)
}

// emit adds a line: the containers' prefixes, then segs.
func (r *renderer) emit(segs []Segment, step int) { r.emitCont(segs, step, -1) }

// emitCont adds a line that goes on from the line above from segs[cont]
// (cont < 0: it does not).
func (r *renderer) emitCont(segs []Segment, step, cont int) {
	line := make([]Segment, 0, len(r.frames)+len(segs))
	from := r.shown()
	for _, f := range r.frames[:from] {
		f.used = true
	}
	for _, f := range r.frames[from:] {
		if f.used {
			line = append(line, f.rest...)
		} else {
			line = append(line, f.first...)
			f.used = true
		}
	}
	at := len(line) + cont
	line = append(line, segs...)
	r.out.Lines = append(r.out.Lines, Line{Segs: line, Step: step, Src: r.src, Cont: cont >= 0, ContAt: max(at, 0)})
}

func (r *renderer) blank() {
	if n := len(r.out.Lines); n == 0 || len(r.out.Lines[n-1].Segs) == 0 {
		return
	}
	r.out.Lines = append(r.out.Lines, Line{Step: -1, Src: r.src})
}

// stepOn is the step whose title is on file line, once.
func (r *renderer) stepOn(line int) int {
	if i, ok := r.stepAt[line]; ok && !r.placed[i] {
		r.placed[i] = true
		return i
	}
	return -1
}

func (r *renderer) block(n ast.Node) {
	if p := start(n); p >= 0 {
		r.src = r.s.bodyLine(p)
	}
	switch n := n.(type) {
	case *ast.Heading:
		r.heading(n)
	case *ast.Paragraph, *ast.TextBlock:
		r.paragraph(n)
	case *ast.List:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			r.item(n, c.(*ast.ListItem))
		}
	case *ast.Blockquote:
		if sort, title, p := r.s.alert(n); p != nil {
			if r.alerts == nil {
				r.alerts = map[*ast.Paragraph]string{}
			}
			r.alerts[p] = calloutLabel(sort, title)
		}
		r.quoted(n, "")
	case *Callout:
		r.quoted(n, calloutLabel(n.Sort, n.Title))
	case *ast.FencedCodeBlock:
		c := r.s.codeBlock(n)
		r.code(model.CodeBlock{Lang: c.lang, Text: c.text, Line: c.line})
	case *ast.CodeBlock:
		r.code(model.CodeBlock{Text: r.rawLines(n), Line: r.src})
	case *ast.HTMLBlock:
		if n.HTMLBlockType != ast.HTMLBlockType2 {
			r.html(n)
		}
	case *ast.ThematicBreak:
		r.emit([]Segment{{Text: strings.Repeat("─", min(r.room(), 40)), Role: RoleFrame}}, -1)
	case *extast.Table:
		// A table of steps read as steps is drawn as them (the rules
		// the runbook was read with decide, not the table's shape).
		if first := n.FirstChild().NextSibling(); first != nil {
			if _, ok := r.stepAt[r.s.bodyLine(start(first))]; ok {
				if rows := r.s.stepRows(n); rows != nil {
					r.stepTable(rows)
					return
				}
			}
		}
		r.table(n)
	default:
		r.children(n)
	}
}

// quoted draws a block quote or a callout: a bar down its left, and a
// callout's label first.
func (r *renderer) quoted(n ast.Node, label string) {
	r.frames = append(r.frames, &frame{first: []Segment{{Text: "│ ", Role: RoleQuote}}, rest: []Segment{{Text: "│ ", Role: RoleQuote}}})
	if label != "" {
		r.wrapped([]Segment{{Text: label, Role: RoleBold}}, -1)
	}
	r.children(n)
	r.frames = r.frames[:len(r.frames)-1]
}

func (r *renderer) children(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if c != n.FirstChild() && c.Kind() != ast.KindList && !r.invisible(c) {
			r.blank()
		}
		r.block(c)
	}
}

// heading draws a heading; a section step's mark opens it.
func (r *renderer) heading(h *ast.Heading) {
	step := r.stepOn(r.src)
	segs := annotated(r.s.inlineText(h), RoleHeading)
	for i := range segs {
		if segs[i].Role == RoleText {
			segs[i].Role = RoleHeading
		}
	}
	r.wrapped(segs, step)
}

func (r *renderer) paragraph(n ast.Node) {
	if n.Lines().Len() == 0 {
		return
	}
	step := r.stepOn(r.s.bodyLine(n.Lines().At(0).Start))
	if p, ok := n.(*ast.Paragraph); ok && r.alerts[p] != "" {
		// the marker's line is the label; the lines after it the text
		r.wrapped([]Segment{{Text: r.alerts[p], Role: RoleBold}}, -1)
		if rest := r.s.inlineTextFrom(n, 1); rest != "" {
			r.wrapped(annotated(rest, RoleText), -1)
		}
		return
	}
	r.wrapped(annotated(r.s.inlineText(n), RoleText), step)
}

// raciNote is a trailing {R: …, A: …} annotation: drawn faint, since the
// roles pane says it better, but drawn, since it is the author's text.
// raciNote is anchored at the line's last "{": no brace may stand inside
// an annotation, so that is the only place one can start, and trying every
// position of a long line was most of the renderer's time.
var raciNote = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)^\{\s*(?:r|a|c|i|responsible|accountable|consulted|informed)\s*:[^{}]*\}\s*$`)
})

// annotated is a line's inline segments with any RACI annotation faint.
func annotated(text string, base Role) []Segment {
	open := strings.LastIndexByte(text, '{')
	if open < 0 || !strings.HasSuffix(strings.TrimRight(text, " \t"), "}") || !raciNote().MatchString(text[open:]) {
		return inlineSegments(text, base)
	}
	return append(inlineSegments(text[:open], base), Segment{Text: text[open:], Role: RoleMarker})
}

// wrapped draws segs word-wrapped to the room left, a step's mark first.
func (r *renderer) wrapped(segs []Segment, step int) {
	room := r.room()
	if step >= 0 {
		mark := []Segment{{Text: StepMark + " ", Role: RoleMark}}
		r.frames = append(r.frames, &frame{first: mark, rest: []Segment{{Text: "    ", Role: RoleText}}})
		room -= 4
	}
	lines, cont := wrapSegments(segs, max(room, 8))
	for i, line := range lines {
		c := -1
		if cont[i] {
			c = 0
		}
		if i == 0 {
			r.emitCont(line, step, c)
		} else {
			r.emitCont(line, -1, c)
		}
	}
	if step >= 0 {
		r.frames = r.frames[:len(r.frames)-1]
	}
}

// item draws a list item: its marker, or a step's mark, then its blocks.
func (r *renderer) item(l *ast.List, li *ast.ListItem) {
	line := r.s.bodyLine(max(start(li), 0))
	fc := li.FirstChild()
	if fc != nil && fc.Lines().Len() > 0 {
		line = r.s.bodyLine(fc.Lines().At(0).Start)
	}
	r.src = line
	step := r.stepOn(line)
	marker := "• "
	if l.IsOrdered() {
		marker = itemLabel(r.s, li) + " "
	}
	var first []Segment
	cb := checkbox(li)
	switch {
	case step >= 0 && cb != nil:
		first = []Segment{{Text: StepMark + " ", Role: RoleMark}}
	case step >= 0 && l.IsOrdered():
		first = []Segment{{Text: StepMark + " ", Role: RoleMark}, {Text: marker, Role: RoleMarker}}
	case step >= 0:
		first = []Segment{{Text: StepMark + " ", Role: RoleMark}}
	default:
		first = []Segment{{Text: marker, Role: RoleMarker}}
	}
	f := &frame{first: first, rest: []Segment{{Text: strings.Repeat(" ", segsWidth(first)), Role: RoleText}}}
	r.frames = append(r.frames, f)
	lines := len(r.out.Lines)
	for c := li.FirstChild(); c != nil; c = c.NextSibling() {
		if c != li.FirstChild() && c.Kind() != ast.KindList && !r.invisible(c) {
			r.blank()
		}
		if c == fc && cb != nil && step >= 0 {
			r.taskText(c)
			continue
		}
		r.block(c)
	}
	if len(r.out.Lines) == lines {
		r.emit(nil, -1) // an empty item still shows its marker
	}
	if step >= 0 && lines < len(r.out.Lines) {
		r.out.Lines[lines].Step = step
	}
	r.frames = r.frames[:len(r.frames)-1]
}

// taskText is a checklist item's first block without its box, which the
// step's mark replaces.
func (r *renderer) taskText(n ast.Node) {
	text := r.s.inlineText(n)
	text = strings.TrimSpace(text[checkboxLen(text):])
	r.wrapped(annotated(text, RoleText), -1)
}

// itemLabel is an ordered item's number and delimiter as written.
func itemLabel(s *source, li *ast.ListItem) string {
	p := start(li)
	if p < 0 {
		return "1."
	}
	e := p
	for e < len(s.body) && e-p < 10 && s.body[e] >= '0' && s.body[e] <= '9' {
		e++
	}
	if e < len(s.body) && (s.body[e] == '.' || s.body[e] == ')') {
		e++
	}
	return string(s.body[p:e])
}

// code draws a code block, lines cut to the room marked as going on.
func (r *renderer) code(c model.CodeBlock) {
	from := len(r.out.Lines)
	room := max(r.room()-2, 6)
	for _, l := range strings.Split(c.Text, "\n") {
		l = model.Printable(strings.ReplaceAll(strings.TrimRight(l, " "), "\t", "    "))
		for i, part := range hardWrap(l, room) {
			if i > 0 {
				r.emitCont([]Segment{{Text: "┃↪", Role: RoleFrame}, {Text: part, Role: RoleBlock}}, -1, 1)
				continue
			}
			r.emit([]Segment{{Text: "┃ ", Role: RoleFrame}, {Text: part, Role: RoleBlock}}, -1)
		}
	}
	owner := -1
	if i, ok := r.codeOwner[c.Line]; ok {
		owner = i
	}
	r.out.Code = append(r.out.Code, CodeAnchor{Anchor: Anchor{from, len(r.out.Lines)}, Step: owner, Block: c})
}

func (r *renderer) rawLines(n ast.Node) string {
	var b strings.Builder
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		b.Write(seg.Value(r.s.body))
	}
	return codeText(b.String())
}

// html draws an HTML block's text without its tags.
func (r *renderer) html(n *ast.HTMLBlock) {
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		line := strings.TrimSpace(string(seg.Value(r.s.body)))
		segs := inlineSegments(line, RoleText)
		if strings.TrimSpace(segsText(segs)) == "" {
			continue
		}
		r.wrapped(segs, -1)
	}
	if n.HasClosure() {
		seg := n.ClosureLine
		line := strings.TrimSpace(string(seg.Value(r.s.body)))
		if segs := inlineSegments(line, RoleText); strings.TrimSpace(segsText(segs)) != "" {
			r.wrapped(segs, -1)
		}
	}
}

// table draws a table in aligned columns when it fits, else each row as
// its cells one after another.
func (r *renderer) table(t *extast.Table) {
	var rows [][][]Segment
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		var cells [][]Segment
		for c := row.FirstChild(); c != nil; c = c.NextSibling() {
			role := RoleText
			if row.Kind() == extast.KindTableHeader {
				role = RoleBold
			}
			cells = append(cells, inlineSegments(r.s.inlineText(c), role))
		}
		rows = append(rows, cells)
	}
	var widths []int
	for _, row := range rows {
		for i, c := range row {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], segsWidth(c))
		}
	}
	total := 0
	for _, w := range widths {
		total += w + 3
	}
	sep := Segment{Text: " │ ", Role: RoleTable}
	for ri, row := range rows {
		if total <= r.room() {
			var line []Segment
			for i, c := range row {
				if i > 0 {
					line = append(line, sep)
				}
				line = append(line, c...)
				line = append(line, Segment{Text: strings.Repeat(" ", widths[i]-segsWidth(c)), Role: RoleText})
			}
			r.emit(trimRight(line), -1)
		} else {
			var line []Segment
			for i, c := range row {
				if i > 0 {
					line = append(line, sep)
				}
				line = append(line, c...)
			}
			r.wrapped(line, -1)
		}
		if ri == 0 && total <= r.room() {
			var rule []string
			for _, w := range widths {
				rule = append(rule, strings.Repeat("─", w))
			}
			r.emit([]Segment{{Text: strings.Join(rule, "─┼─"), Role: RoleTable}}, -1)
		}
	}
}

// anchorSteps records where each step's mark is; a step whose line was
// not met (it cannot happen with a parse of the same text, but a step
// must never be unreachable) goes where its file line is drawn.
func (r *renderer) anchorSteps(rb *model.Runbook) {
	lines := r.out.Lines
	for i, l := range lines {
		if l.Step >= 0 && l.Step < len(r.out.Steps) && r.out.Steps[l.Step].Start < 0 {
			r.out.Steps[l.Step].Start = i
		}
	}
	for _, ph := range rb.Phases {
		for _, st := range ph.Steps {
			r.place(st, lines)
		}
	}
	r.ends()
}

// place anchors a step not met on its line where its file line is drawn.
func (r *renderer) place(st model.Step, lines []Line) {
	a := &r.out.Steps[st.Index]
	if a.Start >= 0 {
		return
	}
	a.Start = len(lines)
	for i, l := range lines {
		if l.Src >= st.Line {
			a.Start = i
			break
		}
	}
}

// ends closes each step's lines where the next step's begin.
func (r *renderer) ends() {
	lines := r.out.Lines
	for i := range r.out.Steps {
		end := len(lines)
		for j := i + 1; j < len(r.out.Steps); j++ {
			if s := r.out.Steps[j].Start; s > r.out.Steps[i].Start {
				end = s
				break
			}
		}
		r.out.Steps[i].End = end
	}
}

// wrapSegments word-wraps segments to w columns; a word longer than w is
// cut, and cont marks the lines that go on with the word above. Every
// character is kept: no word is lost to the wrap.
func wrapSegments(segs []Segment, w int) (out [][]Segment, cont []bool) {
	if fits(segs, w) {
		return [][]Segment{segs}, []bool{false}
	}
	clean, width, simple := printable(segs)
	if simple && width <= w && !strings.HasPrefix(clean[0].Text, " ") && !strings.HasSuffix(clean[len(clean)-1].Text, " ") {
		return [][]Segment{clean}, []bool{false}
	}
	// pieces of text between spaces, each knowing whether a space came
	// before it: a word is a run of pieces with none between them
	type piece struct {
		Segment
		width int
		space bool
	}
	n := 1
	for _, sg := range segs {
		n += strings.Count(sg.Text, " ") + 1
	}
	pieces := make([]piece, 0, n)
	space := false
	for _, sg := range clean {
		text := sg.Text
		for len(text) > 0 {
			i := indexSpace(text)
			if i == 0 {
				space = true
				text = text[1:]
				continue
			}
			if i < 0 {
				i = len(text)
			}
			pieces = append(pieces, piece{Segment{Text: text[:i], Role: sg.Role, Link: sg.Link}, textWidth(text[:i]), space})
			space = false
			text = text[i:]
		}
	}
	var line []Segment
	lw := 0
	goesOn := false
	perLine := min(n, w/3+2)
	out = make([][]Segment, 0, n*4/max(w, 1)+2)
	next := func(c bool) {
		out, cont = append(out, line), append(cont, goesOn)
		line, lw, goesOn = make([]Segment, 0, perLine), 0, c
	}
	line = make([]Segment, 0, perLine)
	for k := 0; k < len(pieces); {
		// the word starting at k
		e, ww := k+1, pieces[k].width
		for e < len(pieces) && !pieces[e].space {
			ww += pieces[e].width
			e++
		}
		if lw > 0 && lw+1+ww > w {
			next(false)
		}
		if lw > 0 {
			line = append(line, Segment{Text: " ", Role: RoleText})
			lw++
		}
		inWord := false // a part of this word is already placed
		for _, p := range pieces[k:e] {
			if ww <= w {
				line = append(line, p.Segment)
				lw += p.width
				continue
			}
			for _, part := range hardWrap(p.Text, w) {
				pw := textWidth(part)
				if lw > 0 && lw+pw > w {
					next(inWord)
				}
				line = append(line, Segment{Text: part, Role: p.Role, Link: p.Link})
				lw += pw
				inWord = true
			}
		}
		k = e
	}
	if len(line) > 0 || len(out) == 0 {
		next(false)
	}
	return out, cont
}

// fits: segs are one line of plain text no wider than w, which needs no
// wrapping (most list items and table rows at a usual width).
func fits(segs []Segment, w int) bool {
	n := 0
	for _, sg := range segs {
		for i := 0; i < len(sg.Text); i++ {
			if c := sg.Text[i]; c < 0x20 || c >= 0x7f {
				return false
			}
		}
		n += len(sg.Text)
	}
	return n <= w && (len(segs) == 0 || !strings.HasPrefix(segs[0].Text, " ") && !strings.HasSuffix(segs[len(segs)-1].Text, " "))
}

// printable is segs made printable, their width, and whether they hold
// no line break or tab (then they are one line as they are).
func printable(segs []Segment) (out []Segment, width int, simple bool) {
	out = make([]Segment, len(segs))
	simple = len(segs) > 0
	for i, sg := range segs {
		t := model.Printable(sg.Text)
		if strings.ContainsAny(t, "\n\t") {
			simple = false
		}
		out[i] = Segment{Text: t, Role: sg.Role, Link: sg.Link}
		width += textWidth(t)
	}
	return out, width, simple
}

// indexSpace is the first space, tab or newline in s, -1 if none.
func indexSpace(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ' ' || c == '\t' || c == '\n' {
			return i
		}
	}
	return -1
}

// hardWrap cuts s into pieces of at most w columns.
func hardWrap(s string, w int) []string {
	if textWidth(s) <= w {
		return []string{s}
	}
	var out []string
	var b strings.Builder
	bw := 0
	for _, c := range s {
		cw := ansi.StringWidth(string(c))
		if bw+cw > w && bw > 0 {
			out = append(out, b.String())
			b.Reset()
			bw = 0
		}
		b.WriteRune(c)
		bw += cw
	}
	return append(out, b.String())
}

func segsWidth(segs []Segment) int {
	n := 0
	for _, s := range segs {
		n += textWidth(s.Text)
	}
	return n
}

// textWidth is how many columns s takes: its length when it is ASCII,
// as most of a runbook is, else what runewidth says.
func textWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

func segsText(segs []Segment) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString(s.Text)
	}
	return b.String()
}

func trimRight(segs []Segment) []Segment {
	for len(segs) > 0 && strings.TrimSpace(segs[len(segs)-1].Text) == "" {
		segs = segs[:len(segs)-1]
	}
	return segs
}

// Joined is the document's text with cut words joined again: what a
// search, or a check that every word is shown, reads.
func (d *Rendered) Joined() string {
	var b strings.Builder
	for _, l := range d.Lines {
		if l.Cont && l.ContAt <= len(l.Segs) {
			b.WriteString(segsText(l.Segs[l.ContAt:]))
			continue
		}
		b.WriteByte('\n')
		b.WriteString(l.Text())
	}
	return b.String()
}

// PlainText is the rendered document as plain lines, marks as they are.
func (d *Rendered) PlainText() string {
	var b strings.Builder
	for _, l := range d.Lines {
		b.WriteString(strings.TrimRight(l.Text(), " "))
		b.WriteByte('\n')
	}
	return b.String()
}
