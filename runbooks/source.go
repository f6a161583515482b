package runbooks

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/sitrep-dev/sitrep/model"
)

// markdown is GitHub-flavoured Markdown as far as structure goes: tables
// and, what matters most here, task-list checkboxes. goldmark parsers are
// safe for concurrent use, so one serves every file.
//
// Of GitHub's extensions only the two that change the block structure are
// on: tables (a table's rows are not paragraphs) and task lists. Autolinks
// and strikethrough only change inline rendering, which sitrep leaves to
// the text as written, and linkify's scanning is a large share of parse time.
//
// No inline parsers are registered beyond the task-list checkbox: sitrep
// reads steps' text as written, so links, emphasis and code spans never
// need to be found, and inline parsing is most of goldmark's time. For the
// same reason there are no paragraph transformers: link reference
// definitions stay paragraphs shown as written, and extracting them took
// time that grew with the square of how many a paragraph held.
//
// It is built on first use, not at start-up: most commands ('sitrep note'
// from a script) never read a runbook.
//
// The two extensions are sitrep's own copies (gfm.go), registered with the
// priorities goldmark's extension.Table and extension.TaskList use.
var markdown = sync.OnceValue(func() parser.Parser {
	return parser.NewParser(
		parser.WithBlockParsers(cappedBlockParsers()...),
		parser.WithParagraphTransformers(util.Prioritized(tableTransformer{}, 200)),
		parser.WithInlineParsers(util.Prioritized(taskCheckBoxParser{}, 0)),
	)
})

// MaxNesting is how many lists and block quotes may sit inside one another.
// goldmark's work on a line grows with the number of blocks open on it, so
// without a limit a file of 200 KB nested 100,000 deep took 20 s to read,
// and freezing the cockpit is the one thing a runbook must never do. Deeper
// markers are read as plain text and reported as an error.
const MaxNesting = 32

// tooDeepKey holds, in a parse's context, the body offset of the first
// list or quote marker that was read as text because it was too deep.
var tooDeepKey = parser.NewContextKey()

// cappedBlockParsers are goldmark's block parsers with the ones that open
// lists and quotes wrapped so they open nothing more than MaxNesting deep:
// that bounds the blocks open on any line, and with it each line's cost.
func cappedBlockParsers() []util.PrioritizedValue {
	ps := parser.DefaultBlockParsers()
	for i, p := range ps {
		switch p.Value {
		case parser.NewListParser():
			ps[i].Value = nestingCap{p.Value.(parser.BlockParser), looksLikeListItem}
		case parser.NewBlockquoteParser():
			ps[i].Value = nestingCap{p.Value.(parser.BlockParser), looksLikeQuote}
		case parser.NewThematicBreakParser():
			ps[i].Value = thematicBreakOnce{p.Value.(parser.BlockParser)}
		}
	}
	// After fenced code (700), which a colon fence never is, and before
	// block quotes (800).
	return append(ps, util.Prioritized(calloutParser{}, 750))
}

// collapseBlankRuns returns body, or a copy in which every run of three or
// more blank lines reads as two: the second line onwards become one line
// of spaces of the same length. goldmark does work for every line and
// every list open on it, and keeps a record of each, so a megabyte of
// blank lines inside a deep list took seconds and gigabytes. No byte moves,
// so every offset in the tree is an offset in body, and Markdown gives
// two blank lines and twenty the same meaning. Inside a fenced code block
// the lines do count: codeBlock puts them back from body.
func collapseBlankRuns(body []byte) []byte {
	out := body
	copied := false
	run, second := 0, 0 // blank lines in the current run; where its second starts
	flush := func(end int) {
		if run >= 3 {
			if !copied {
				out = bytes.Clone(body)
				copied = true
			}
			for i := second; i < end; i++ {
				out[i] = ' '
			}
		}
		run = 0
	}
	for off := 0; off < len(body); {
		end := bytes.IndexByte(body[off:], '\n')
		if end < 0 {
			end = len(body)
		} else {
			end += off
		}
		if isBlank(body[off:end]) {
			run++
			if run == 2 {
				second = off
			}
		} else {
			// the run's last newline stays: it ends the line of spaces
			flush(off - 1)
		}
		off = end + 1
	}
	if run >= 3 {
		end := len(body)
		if body[end-1] == '\n' {
			end--
		}
		flush(end)
	}
	return out
}

func isBlank(line []byte) bool {
	for _, c := range line {
		if c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}

// nestingCap is a block parser that opens nothing inside MaxNesting lists
// and quotes. Items of a list already open are not its business: they sit
// at their list's depth.
type nestingCap struct {
	parser.BlockParser
	marker func(line []byte) bool // would the wrapped parser open here
}

func (c nestingCap) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	// a list is never opened directly in a list: goldmark asks, and its
	// parser says no, right after opening one
	if parent.Kind() == ast.KindList || nesting(parent) < MaxNesting {
		return c.BlockParser.Open(parent, reader, pc)
	}
	line, seg := reader.PeekLine()
	if pc.Get(tooDeepKey) == nil && line != nil && c.marker(line[max(pc.BlockOffset(), 0):]) {
		pc.Set(tooDeepKey, seg.Start+max(pc.BlockOffset(), 0))
	}
	return nil, parser.NoChildren
}

// thematicBreakOnce asks goldmark's thematic break parser only about lines
// that can be a break from where it would look. goldmark tries it at every
// list marker and reads the rest of the line each time, so "- - - … x"
// costs the square of its length even with nesting capped.
type thematicBreakOnce struct{ parser.BlockParser }

// lineMarks is, for the line ending at stop, the last offset of a byte that
// is neither a space nor each of the three break characters: a break
// starting at p is possible only if that offset is below p.
type lineMarks struct {
	stop      int
	lastOther [3]int // for '-', '*', '_'
}

var lineMarksKey = parser.NewContextKey()

func (t thematicBreakOnce) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, seg := reader.PeekLine()
	_, p := util.IndentWidth(line, reader.LineOffset())
	if p >= len(line) {
		return nil, parser.NoChildren
	}
	k := strings.IndexByte("-*_", line[p])
	if k < 0 {
		return nil, parser.NoChildren
	}
	lm, _ := pc.Get(lineMarksKey).(*lineMarks)
	if lm == nil || lm.stop != seg.Stop {
		lm = marksOf(reader.Source(), seg.Stop)
		pc.Set(lineMarksKey, lm)
	}
	if lm.lastOther[k] >= seg.Start+p {
		return nil, parser.NoChildren
	}
	return t.BlockParser.Open(parent, reader, pc)
}

// marksOf reads the line ending at stop backwards, once per line.
func marksOf(src []byte, stop int) *lineMarks {
	lm := &lineMarks{stop: stop, lastOther: [3]int{-1, -1, -1}}
	left := 3
	for i := stop - 1; i >= 0 && left > 0; i-- {
		c := src[i]
		if c == '\n' && i < stop-1 {
			break
		}
		if util.IsSpace(c) {
			continue
		}
		for k, m := range []byte("-*_") {
			if c != m && lm.lastOther[k] < 0 {
				lm.lastOther[k] = i
				left--
			}
		}
	}
	return lm
}

// nesting counts the lists and quotes n is in, n included. It stops
// counting at MaxNesting, which is all a caller needs to know.
func nesting(n ast.Node) int {
	d := 0
	for ; n != nil && d < MaxNesting; n = n.Parent() {
		if k := n.Kind(); k == ast.KindList || k == ast.KindBlockquote || k == KindCallout {
			d++
		}
	}
	return d
}

// looksLikeListItem: a line that opens a list item. It only decides
// whether a refused marker is reported, so it need not be exact.
func looksLikeListItem(line []byte) bool { return model.ListMarker(line) > 0 }

func looksLikeQuote(line []byte) bool { return len(line) > 0 && line[0] == '>' }

// source is one file being read: its bytes, where its lines start, where the
// Markdown body starts after any front matter, and the diagnostics found so
// far. Positions in goldmark's tree are offsets into the body; everything
// reported is a line and column in the whole file.
type source struct {
	path   string
	src    []byte
	str    string // src as a string, converted once: line texts are slices of it
	lines  []int  // offset of the start of each line
	fm     []byte
	fmLine int // line of the first front matter line; 0 if none
	bodyAt int
	body   []byte
	doc    ast.Node
	diags  []Diagnostic
	// nonBlank[n] is the last line at or before n with text on it
	nonBlank []int32
	// refs are the link reference definitions ("[1]: https://…")
	refs linkRefs
}

func newSource(filePath string, src []byte) *source {
	src, readAs := model.DecodeText(src)
	s := &source{path: filePath, src: src, str: string(src), lines: lineStarts(src)}
	if readAs != "" {
		s.add(Warning, 1, 1, "%s; save the file as UTF-8 so other tools read it the same", readAs)
	}
	s.splitFrontMatter()
	s.body = src[s.bodyAt:]
	s.refs = s.linkDefinitions()
	pc := parser.NewContext()
	s.doc = markdown().Parse(text.NewReader(collapseBlankRuns(s.body)), parser.WithContext(pc))
	if off, ok := pc.Get(tooDeepKey).(int); ok {
		line, col := s.bodyPos(off)
		s.add(Error, line, col, "lists and quotes nested more than %d deep: what is deeper is read as plain text; flatten the list or split the step", MaxNesting)
	}
	if !utf8.Valid(src) {
		off := firstInvalidUTF8(src)
		line, col := s.pos(off)
		s.add(Error, line, col, "not valid UTF-8: save the file as UTF-8 text")
	}
	return s
}

// hashOf is model.TextHash of src, without copying a large file into a
// string first.
func hashOf(src []byte) string {
	sum := sha256.Sum256(src)
	return hex.EncodeToString(sum[:])
}

func lineStarts(src []byte) []int {
	starts := make([]int, 1, bytes.Count(src, []byte{'\n'})+1)
	for i, c := range src {
		if c == '\n' && i+1 < len(src) {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// firstInvalidUTF8 is the offset of b's first byte that is not UTF-8.
func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// pos turns a file offset into a 1-based line and byte column.
func (s *source) pos(off int) (line, col int) {
	if off < 0 {
		off = 0
	}
	if off > len(s.src) {
		off = len(s.src)
	}
	i := sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return i + 1, off - s.lines[i] + 1
}

func (s *source) bodyPos(off int) (line, col int) { return s.pos(s.bodyAt + off) }

func (s *source) bodyLine(off int) int {
	line, _ := s.bodyPos(off)
	return line
}

// lineText is line n (1-based) without its line ending.
func (s *source) lineText(n int) string {
	if n < 1 || n > len(s.lines) {
		return ""
	}
	start := s.lines[n-1]
	end := len(s.src)
	if n < len(s.lines) {
		end = s.lines[n]
	}
	return strings.TrimRight(s.str[start:end], "\r\n")
}

func (s *source) lastLine() int { return len(s.lines) }

func (s *source) add(level Level, line, col int, format string, args ...any) {
	if line < 1 {
		line = 1
	}
	if col < 1 {
		col = 1
	}
	s.diags = append(s.diags, Diagnostic{Path: s.path, Line: line, Col: col, Severity: level, Message: fmt.Sprintf(format, args...)})
}

// done finishes the file's diagnostics, whatever it was read as: a file
// without an extension is pointed out last, and all are put in order.
func (s *source) done() []Diagnostic {
	if path.Ext(s.path) == "" && s.path != "" {
		s.add(Warning, 1, 1, "file has no extension: name it %s.md so editors and Git hosts show it as Markdown", path.Base(s.path))
	}
	SortDiagnostics(s.diags)
	return s.diags
}

// splitFrontMatter finds a YAML block fenced by "---" lines at the very top
// of the file, the convention of Hugo, Jekyll and GitHub's own renderer.
// The fences are found by line; the YAML between them is left to yaml.v3.
func (s *source) splitFrontMatter() {
	start := 0
	if bytes.HasPrefix(s.src, []byte("\xef\xbb\xbf")) {
		start = 3
	}
	first, next := lineAt(s.src, start)
	fence := strings.TrimRight(string(first), " \t\r")
	if fence != "---" && fence != "+++" {
		s.bodyAt = start
		return
	}
	for off := next; off < len(s.src); {
		line, after := lineAt(s.src, off)
		l := strings.TrimRight(string(line), " \t\r")
		if l == fence || (fence == "---" && l == "...") {
			if fence == "+++" {
				s.add(Warning, 1, 1, "TOML front matter (+++) is not read: write it as YAML between --- lines")
			} else {
				s.fm = s.src[next:off]
				s.fmLine = 2
			}
			s.bodyAt = after
			return
		}
		off = after
	}
	s.add(Warning, 1, 1, "front matter opened here is never closed with a --- line; reading the file as plain Markdown")
	s.bodyAt = start
}

// lineAt returns the line starting at off (without its newline) and the
// offset of the next line.
func lineAt(b []byte, off int) (line []byte, next int) {
	if off >= len(b) {
		return nil, len(b)
	}
	i := bytes.IndexByte(b[off:], '\n')
	if i < 0 {
		return b[off:], len(b)
	}
	return b[off : off+i], off + i + 1
}

// start is where a node begins in the body. Container nodes get their
// position from the parser; a few extension nodes (tables) only through
// their first child or line.
func start(n ast.Node) int {
	for ; n != nil; n = n.FirstChild() {
		if p := n.Pos(); p >= 0 {
			return p
		}
		if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
			return n.Lines().At(0).Start
		}
	}
	return -1
}

// nextStart is where whatever follows n in the document begins: the body's
// end if nothing does. goldmark records where blocks start but not where
// they end, and a block ends where the next one begins (less blank lines).
func nextStart(n ast.Node, bodyLen int) int {
	for ; n != nil; n = n.Parent() {
		for sib := n.NextSibling(); sib != nil; sib = sib.NextSibling() {
			if p := start(sib); p >= 0 {
				return p
			}
		}
	}
	return bodyLen
}

// span is a range of whole lines, first to last inclusive.
type span struct{ first, last int }

func (sp span) empty() bool { return sp.last < sp.first }

// nodeSpan is the lines a block covers, trailing blank lines left out.
func (s *source) nodeSpan(n ast.Node) span {
	st := start(n)
	if st < 0 {
		return span{1, 0}
	}
	first := s.bodyLine(st)
	end := nextStart(n, len(s.body))
	last := first
	if end >= len(s.body) {
		if len(s.body) > 0 {
			last = s.bodyLine(len(s.body) - 1)
		}
	} else {
		// the next block starts on line bodyLine(end); n ends on the line
		// before, unless both share a line ("> - [ ] step").
		last = s.bodyLine(end) - 1
	}
	if last < first {
		last = first
	}
	if nb := s.lastNonBlank(last); nb > first {
		last = nb
	} else {
		last = first
	}
	return span{first, last}
}

// lastNonBlank is the last line at or before line n with text on it, 0 if
// none. Blocks nested in one another can end on the same run of blank
// lines, so it is worked out once for the whole file rather than walked
// back over for each block.
func (s *source) lastNonBlank(n int) int {
	if s.nonBlank == nil {
		s.nonBlank = make([]int32, len(s.lines)+1)
		for i := 1; i <= len(s.lines); i++ {
			s.nonBlank[i] = s.nonBlank[i-1]
			if strings.TrimSpace(s.lineText(i)) != "" {
				s.nonBlank[i] = int32(i)
			}
		}
	}
	if n < 1 || n >= len(s.nonBlank) {
		return 0
	}
	return int(s.nonBlank[n])
}

// text joins the lines of the spans, skipping holes. With strip, the
// indentation the lines share is removed, so a nested step's body reads as
// Markdown of its own, not as lines cut out of a list; top-level text keeps
// its indentation, which may be what makes it a code block.
func (s *source) text(keep []span, strip bool) string {
	var lines []string
	for _, sp := range keep {
		for n := sp.first; n <= sp.last; n++ {
			lines = append(lines, s.lineText(n))
		}
	}
	lines = trimBlankLines(lines)
	if !strip {
		return strings.Join(lines, "\n")
	}
	return dedent(lines)
}

func trimBlankLines(lines []string) []string {
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

func dedent(lines []string) string {
	prefix := ""
	first := true
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		ws := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
		if first {
			prefix, first = ws, false
			continue
		}
		for !strings.HasPrefix(ws, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	if prefix != "" {
		for i, l := range lines {
			lines[i] = strings.TrimPrefix(l, prefix)
			if strings.TrimSpace(lines[i]) == "" {
				lines[i] = ""
			}
		}
	}
	return strings.Join(lines, "\n")
}

// subtract removes the holes from sp; holes are in reading order.
func subtract(sp span, holes []span) []span {
	var out []span
	cur := sp.first
	for _, h := range holes {
		if h.first > cur {
			out = append(out, span{cur, min(h.first-1, sp.last)})
		}
		if h.last+1 > cur {
			cur = h.last + 1
		}
	}
	if cur <= sp.last {
		out = append(out, span{cur, sp.last})
	}
	return out
}

// headingPos is where a heading's text starts, past its #s, so messages
// about the text point at it.
func (s *source) headingPos(h *ast.Heading) (line, col int) {
	if h.Lines().Len() > 0 {
		return s.bodyPos(h.Lines().At(0).Start)
	}
	return s.bodyPos(start(h))
}

// inlineText is a leaf block's text on one line, as written, but for the
// backslash that ends a line to break it there (Google Docs' Markdown
// has one on every wrapped line): the line break becomes the space
// between the lines, as a break written with two trailing spaces does.
func (s *source) inlineText(n ast.Node) string { return s.inlineTextFrom(n, 0) }

// inlineTextFrom is inlineText from the block's line first on.
func (s *source) inlineTextFrom(n ast.Node, first int) string {
	lines := n.Lines()
	parts := make([]string, 0, lines.Len())
	for i := first; i < lines.Len(); i++ {
		seg := lines.At(i)
		line := strings.TrimSpace(string(seg.Value(s.body)))
		if i < lines.Len()-1 {
			line = dropBreak(line)
		}
		parts = append(parts, line)
	}
	return strings.TrimSpace(strings.Join(parts, " "))
}

// cellAt is a row's cell i, "" when the row has none there (a short row,
// or a column not found: -1).
func cellAt(cells []string, i int) string {
	if i < 0 || i >= len(cells) {
		return ""
	}
	return cells[i]
}

// rowCells is a table row's cells, each as inlineText gives it, with the
// table's own escape undone: "\|" is a pipe in the cell, code spans
// included, as GitHub reads it.
func (s *source) rowCells(row ast.Node) []string {
	var out []string
	for c := row.FirstChild(); c != nil; c = c.NextSibling() {
		out = append(out, strings.ReplaceAll(strings.TrimSpace(s.inlineText(c)), `\|`, "|"))
	}
	return out
}

// codeBlock reads a fenced code block's language and exact content.
func (s *source) codeBlock(fc *ast.FencedCodeBlock) codeRef {
	var b strings.Builder
	lines := fc.Lines()
	prev := -1
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		if prev >= 0 && seg.Start > prev {
			// blank lines collapseBlankRuns joined, whose newlines
			// a list item's blank-line handling left out of the segment
			for range bytes.Count(s.body[prev:seg.Start], []byte{'\n'}) {
				b.WriteByte('\n')
			}
		}
		b.Write(seg.Value(s.body))
		prev = seg.Stop
	}
	lang := ""
	if fc.Info != nil {
		lang = string(fc.Language(s.body))
	}
	return codeRef{line: s.bodyLine(start(fc)), lang: lang, text: codeText(b.String())}
}

// codeText is a code block's lines as they are copied: a file saved on
// Windows ends each line with "\r\n", and a "\r" left in a command breaks
// it when pasted into a shell.
func codeText(s string) string {
	return strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), "\r\n")
}

type codeRef struct {
	line int
	lang string
	text string
}

// markdownExts are the extensions read as Markdown; files without one are
// read too when they look like Markdown (see looksLikeMarkdown).
var markdownExts = map[string]bool{".md": true, ".markdown": true, ".mdown": true, ".mkd": true}

// baseName is a file's name without its Markdown extension, and without
// ".html" before it: static-site generators name pages "howto.html.md".
func baseName(filePath string) string {
	base := path.Base(strings.ReplaceAll(filePath, `\`, "/"))
	if ext := path.Ext(base); sheetExts[strings.ToLower(ext)] {
		return strings.TrimSuffix(base, ext)
	}
	if ext := path.Ext(base); markdownExts[strings.ToLower(ext)] {
		base = strings.TrimSuffix(base, ext)
		if strings.HasSuffix(strings.ToLower(base), ".html") {
			base = base[:len(base)-len(".html")]
		}
	}
	return base
}

// TitleFor is a file's name turned into words, for a file with no title
// of its own: "howto-backup-and-restore.html.md" is "Howto backup and
// restore".
func TitleFor(filePath string) string {
	words := strings.FieldsFunc(baseName(filePath), func(r rune) bool { return r == '-' || r == '_' || r == ' ' || r == '.' })
	if len(words) == 0 {
		return "Untitled"
	}
	t := strings.Join(words, " ")
	r, size := utf8.DecodeRuneInString(t)
	return strings.ToUpper(string(r)) + t[size:]
}

// NameFor is the name a file is known by: its base name without a Markdown
// extension, lower-cased, with anything but letters, digits, - and _
// turned into "-" so it can be typed on a command line.
func NameFor(filePath string) string {
	return model.Slugify(baseName(filePath), 0, "untitled")
}

// dropBreak removes the backslash that ends a line to break it (an escaped
// one, "\\", is text).
func dropBreak(line string) string {
	if strings.HasSuffix(line, `\`) && !strings.HasSuffix(line, `\\`) {
		return strings.TrimSpace(strings.TrimSuffix(line, `\`))
	}
	return line
}
