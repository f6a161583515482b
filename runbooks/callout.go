package runbooks

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Callouts are the boxed notes documentation sites draw ("Warning: do not
// restart the old primary"). Runbooks are full of them, and each site has
// its own syntax, none of it CommonMark:
//
//   - GitHub and Obsidian: a block quote opening with [!WARNING];
//   - MkDocs (Python-Markdown): "!!! warning "Title"" (or ??? for a folded
//     one) over a block indented four spaces, and Material's content tabs,
//     "=== "Ubuntu"", alike;
//   - Docusaurus, VuePress, Pandoc and Quarto: ":::warning Title" up to a
//     line of the same colons.
//
// Read as plain Markdown, the first shows "[!WARNING]", the second turns
// its text into a code block, and the third runs into one paragraph with
// its colons. sitrep draws all three as a quote headed by the kind and
// title, so the warning reads as one.

// Callout is a MkDocs or Docusaurus callout: its children are its text.
type Callout struct {
	ast.BaseBlock
	Sort, Title string // "warning", "Split brain loses data"
	fence       int    // the colons that close a Docusaurus callout; 0 for MkDocs
	closed      bool   // its closing colons were found
}

// KindCallout is Callout's node kind.
var KindCallout = ast.NewNodeKind("Callout")

func (c *Callout) Kind() ast.NodeKind { return KindCallout }

func (c *Callout) Dump(source []byte, level int) {
	ast.DumpHelper(c, source, level, map[string]string{"Sort": c.Sort, "Title": c.Title}, nil)
}

var (
	tabOpen    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^===\+?[ \t]+"([^"]*)"[ \t]*$`) })
	mkdocsOpen = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(?:!!!|\?\?\?\+?)[ \t]+([A-Za-z][\w-]*)(?:[ \t]+[\w-]+)*(?:[ \t]+"([^"]*)")?[ \t]*$`)
	})
	colonOpen  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(:{3,})[ \t]*(.*?)[ \t]*$`) })
	alertOpen  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\[!([A-Za-z][\w-]*)\][+-]?(?:[ \t]+(.*))?$`) })
	braceClass = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{[^}]*?\.([A-Za-z][\w-]*)[^}]*\}`) })
	braceTitle = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`title=["']([^"']*)["']`) })
)

// calloutKinds are the kinds the sites draw as callouts (MkDocs
// Material's, Docusaurus', GitHub's, Quarto's). Python-Markdown takes any
// word, but a line such as "!!! DO NOT RUN THIS IN PROD" is a shout, not a
// callout of kind "do"; and the colon fences of other directives (DocFX's
// "::: zone pivot=…", Pandoc's "::: {.columns}") are not callouts either:
// those are shown as written.
var calloutKinds = map[string]bool{
	"secondary": true, "warn": true,
	"note": true, "abstract": true, "summary": true, "tldr": true, "info": true, "todo": true,
	"tip": true, "hint": true, "important": true, "success": true, "check": true, "done": true,
	"question": true, "help": true, "faq": true, "warning": true, "caution": true, "attention": true,
	"failure": true, "fail": true, "missing": true, "danger": true, "error": true, "bug": true,
	"example": true, "quote": true, "cite": true, "seealso": true,
}

// calloutParser opens MkDocs and Docusaurus callouts.
type calloutParser struct{}

func (calloutParser) Trigger() []byte { return []byte{'!', '?', ':', '='} }

func (calloutParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	if nesting(parent) >= MaxNesting {
		return nil, parser.NoChildren
	}
	line, _ := reader.PeekLine()
	w, pos := util.IndentWidth(line, reader.LineOffset())
	if w > 3 || pos >= len(line) {
		return nil, parser.NoChildren
	}
	rest := strings.TrimRight(string(line[pos:]), "\r\n")
	var c *Callout
	if m := tabOpen().FindStringSubmatch(rest); m != nil {
		// MkDocs Material's content tab (=== "Ubuntu"): its label heads it
		c = &Callout{Title: m[1]}
	} else if m := mkdocsOpen().FindStringSubmatch(rest); m != nil && calloutKinds[strings.ToLower(m[1])] {
		c = &Callout{Sort: m[1], Title: m[2]}
	} else if kind, title, fence, ok := colonCallout(rest); ok {
		c = &Callout{Sort: kind, Title: title, fence: fence}
	} else {
		return nil, parser.NoChildren
	}
	reader.AdvanceToEOL()
	return c, parser.HasChildren
}

// colonCallout reads a line that opens a colon callout (":::warning
// Title"): its kind, title and how many colons close it. A directive
// closed on its own line (DocFX's ":::image …:::") holds nothing, and one
// of another kind (":::zone") is no callout.
func colonCallout(line string) (kind, title string, fence int, ok bool) {
	m := colonOpen().FindStringSubmatch(line)
	if m == nil || m[2] == "" || strings.HasSuffix(m[2], ":::") {
		return "", "", 0, false
	}
	kind, title = colonKind(m[2])
	if !calloutKinds[strings.ToLower(kind)] {
		return "", "", 0, false
	}
	return kind, title, len(m[1]), true
}

// colonKind reads what follows a colon fence: "warning Title",
// "tip[Title]", "{.callout-warning title="Title"}" (Quarto) or
// "danger {title="Title"}". No kind means the line is not a callout.
func colonKind(s string) (kind, title string) {
	if strings.HasPrefix(s, "{") {
		m := braceClass().FindStringSubmatch(s)
		if m == nil {
			return "", ""
		}
		kind = strings.TrimPrefix(m[1], "callout-")
		if t := braceTitle().FindStringSubmatch(s); t != nil {
			title = t[1]
		}
		return kind, title
	}
	end := strings.IndexFunc(s, func(r rune) bool { return !(r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)) })
	if end < 0 {
		end = len(s)
	}
	kind, rest := s[:end], strings.TrimSpace(s[end:])
	if kind == "" {
		return "", ""
	}
	if t := braceTitle().FindStringSubmatch(rest); t != nil {
		return kind, t[1]
	}
	rest = strings.TrimPrefix(strings.TrimSuffix(rest, "]"), "[")
	return kind, strings.Trim(strings.TrimSpace(rest), `"`)
}

func (calloutParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	c := node.(*Callout)
	line, _ := reader.PeekLine()
	if c.fence > 0 {
		w, pos := util.IndentWidth(line, reader.LineOffset())
		if w < 4 {
			i := pos
			for i < len(line) && line[i] == ':' {
				i++
			}
			if i-pos == c.fence && util.IsBlank(line[i:]) {
				reader.AdvanceToEOL()
				c.closed = true
				return parser.Close
			}
			// A callout nests inside one of more colons only: one of as
			// many or more means this one was left open, and the lint
			// says so at its line, not at the next one's.
			if _, _, fence, ok := colonCallout(strings.TrimRight(string(line[pos:]), "\r\n")); ok && fence >= c.fence {
				return parser.Close
			}
		}
		return parser.Continue | parser.HasChildren
	}
	if util.IsBlank(line) {
		reader.AdvanceToEOL()
		return parser.Continue | parser.HasChildren
	}
	if w, _ := util.IndentWidth(line, reader.LineOffset()); w < 4 {
		return parser.Close
	}
	pos, padding := util.IndentPosition(line, reader.LineOffset(), 4)
	reader.AdvanceAndSetPadding(pos, padding)
	return parser.Continue | parser.HasChildren
}

func (calloutParser) Close(ast.Node, text.Reader, parser.Context) {}

// CanInterruptParagraph: a line that opens a callout is never prose.
func (calloutParser) CanInterruptParagraph() bool { return true }

func (calloutParser) CanAcceptIndentedLine() bool { return false }

// alert is a GitHub or Obsidian alert's kind and title when q opens with
// one ("> [!WARNING]", "> [!tip]- Title"), and the paragraph whose first
// line is its marker.
func (s *source) alert(q *ast.Blockquote) (kind, title string, marker *ast.Paragraph) {
	p, ok := q.FirstChild().(*ast.Paragraph)
	if !ok || p.Lines().Len() == 0 {
		return "", "", nil
	}
	seg := p.Lines().At(0)
	first := strings.TrimSpace(string(seg.Value(s.body)))
	m := alertOpen().FindStringSubmatch(first)
	if m == nil {
		return "", "", nil
	}
	return m[1], strings.TrimSpace(m[2]), p
}

// calloutLabel is the line that heads a callout: its kind as a word, and
// its title when it has one ("Warning: Split brain loses data").
func calloutLabel(kind, title string) string {
	if kind == "" {
		return title // a content tab
	}
	kind = strings.ToLower(strings.ReplaceAll(kind, "_", " "))
	if r, n := utf8.DecodeRuneInString(kind); n > 0 {
		kind = string(unicode.ToUpper(r)) + kind[n:]
	}
	if title == "" || strings.EqualFold(title, kind) {
		return kind
	}
	return kind + ": " + title
}
