package runbooks

import (
	"html"
	"regexp"
	"strings"
	"sync"
)

// Role says how a piece of rendered text is meant to look. The runbooks
// package cannot know the cockpit's styles (it must not import ui), so it
// names roles and the cockpit maps each to one of its Styles.
type Role uint8

const (
	RoleText    Role = iota
	RoleHeading      // a heading's text
	RoleBold         // **strong**
	RoleEm           // *emphasis*
	RoleCode         // `code span`
	RoleLink         // a link's text
	RoleQuote        // the bar of a block quote
	RoleTable        // a table's rules
	RoleMark         // a step's state mark, "[ ]"
	RoleMarker       // a list bullet or number
	RoleBlock        // a line of a code block
	RoleFrame        // the frame beside a code block, a rule
)

// Segment is a run of text in one role.
type Segment struct {
	Text string `json:"text"`
	Role Role   `json:"role"`
	// Link is where a link's text points, as the file wrote it (a URL, a
	// path, "#anchor"), kept through wrapping so the cockpit can offer it;
	// the segments of one link share it. (A pointer: a runbook's segments
	// are many, and most are no link.)
	Link *string `json:"link,omitempty"`
}

// plainInline is inline Markdown as a reader sees it rendered: emphasis
// and code marks gone, links as their text, HTML tags dropped.
func plainInline(s string) string {
	if !strings.ContainsAny(s, "*_`[]<\\!~") {
		return s
	}
	var b strings.Builder
	for _, sg := range inlineSegments(s, RoleText) {
		b.WriteString(sg.Text)
	}
	return strings.TrimSpace(b.String())
}

// inlineSegments reads inline Markdown: code spans, strong and emphasis,
// links and images (as their text), autolinks, escapes and HTML tags.
// It is a reader's approximation of CommonMark's rules, enough that no
// Markdown syntax is left in what is drawn, and it never drops a word.
func inlineSegments(s string, base Role) []Segment {
	var out []Segment
	var cur strings.Builder
	// an HTML <a href> open since out[anchor] (-1: none)
	anchor, href := -1, ""
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, Segment{Text: cur.String(), Role: base})
			cur.Reset()
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]):
			cur.WriteByte(s[i+1])
			i += 2
			continue
		case c == '`':
			n := run(s, i, '`')
			if end := strings.Index(s[i+n:], strings.Repeat("`", n)); end >= 0 && run(s, i+n+end, '`') == n {
				flush()
				code := s[i+n : i+n+end]
				if len(code) > 1 && code[0] == ' ' && code[len(code)-1] == ' ' && strings.TrimSpace(code) != "" {
					code = code[1 : len(code)-1]
				}
				out = append(out, Segment{Text: code, Role: RoleCode})
				i += 2*n + end
				continue
			}
			cur.WriteString(s[i : i+n])
			i += n
			continue
		case c == '*' || c == '_' || c == '~':
			if seg, n, ok := emphasis(s, i, base); ok {
				flush()
				out = append(out, seg...)
				i += n
				continue
			}
			n := run(s, i, c)
			cur.WriteString(s[i : i+n])
			i += n
			continue
		case c == '[' && strings.HasPrefix(s[i:], "[["):
			if seg, n, ok := wikiLink(s, i); ok {
				flush()
				out = append(out, seg)
				i += n
				continue
			}
			if seg, n, ok := link(s, i); ok {
				flush()
				out = append(out, seg...)
				i += n
				continue
			}
		case c == '[' || c == '!' && i+1 < len(s) && s[i+1] == '[':
			if seg, n, ok := link(s, i); ok {
				flush()
				out = append(out, seg...)
				i += n
				continue
			}
		case c == '<':
			if n, text, ok := angle(s, i); ok {
				flush()
				tag := s[i : i+n]
				switch {
				case text != "":
					out = append(out, Segment{Text: text, Role: RoleLink, Link: &text})
				case strings.EqualFold(tag, "</a>") && anchor >= 0:
					linkSegments(out[anchor:], href)
					anchor = -1
				case anchorTag(tag):
					if href = hrefOf(tag); href != "" {
						anchor = len(out)
					}
				default:
					if alt := imgAlt(tag); alt != "" {
						out = append(out, Segment{Text: alt, Role: base})
					}
				}
				i += n
				continue
			}
		}
		cur.WriteByte(c)
		i++
	}
	flush()
	return out
}

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

func run(s string, i int, c byte) int {
	n := 0
	for i+n < len(s) && s[i+n] == c {
		n++
	}
	return n
}

// emphasis reads **strong**, *em*, __strong__, _em_ or ~~struck~~ at i.
// Underscores count only at word edges, so snake_case stays as written.
func emphasis(s string, i int, base Role) ([]Segment, int, bool) {
	c := s[i]
	n := min(run(s, i, c), 2)
	if c == '~' && n != 2 {
		return nil, 0, false
	}
	if c == '_' && i > 0 && isWordByte(s[i-1]) {
		return nil, 0, false
	}
	open := s[i : i+n]
	inner := i + n
	if inner >= len(s) || s[inner] == ' ' || s[inner] == '\t' {
		return nil, 0, false
	}
	for j := inner + 1; j+n <= len(s); j++ {
		if s[j] == '`' {
			// a closer inside a code span does not count
			m := run(s, j, '`')
			if end := strings.Index(s[j+m:], strings.Repeat("`", m)); end >= 0 {
				j += 2*m + end - 1
				continue
			}
		}
		if s[j:j+n] != open || s[j-1] == ' ' || s[j-1] == '\t' {
			continue
		}
		if j+n < len(s) && s[j+n] == c {
			continue // part of a longer run
		}
		if c == '_' && j+n < len(s) && isWordByte(s[j+n]) {
			continue
		}
		role := RoleEm
		if n == 2 && c != '~' {
			role = RoleBold
		} else if c == '~' {
			role = base
		}
		segs := inlineSegments(s[inner:j], role)
		return segs, j + n - i, true
	}
	return nil, 0, false
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// link reads [text](target), [text][ref], [text][] or an image ![alt](src)
// at i and gives its text.
func link(s string, i int) ([]Segment, int, bool) {
	start := i
	if s[i] == '!' {
		i++
	}
	depth, j := 0, i
	for ; j < len(s); j++ {
		if s[j] == '\\' {
			j++
			continue
		}
		if s[j] == '[' {
			depth++
		} else if s[j] == ']' {
			depth--
			if depth == 0 {
				break
			}
		}
	}
	if j >= len(s) {
		return nil, 0, false
	}
	text := s[i+1 : j]
	end := j + 1
	target := ""
	switch {
	case end < len(s) && s[end] == '(':
		k := closeParen(s, end)
		if k < 0 {
			return nil, 0, false
		}
		target = linkDestination(s[end+1 : k])
		end = k + 1
	case end < len(s) && s[end] == '[':
		k := strings.IndexByte(s[end:], ']')
		if k < 0 {
			return nil, 0, false
		}
		// [text][ref], or [text][] whose text is its ref: the target is
		// the reference's, which the renderer looks up (Rendered.Links).
		ref := s[end+1 : end+k]
		if ref == "" {
			ref = text
		}
		target = refPrefix + ref
		end += k + 1
	default:
		// a shortcut reference [text]: shown as written, brackets and all,
		// since the reader cannot tell whether it is a link
		return nil, 0, false
	}
	segs := inlineSegments(text, RoleLink)
	linkSegments(segs, target)
	return segs, end - start, true
}

// wikiLink reads a wiki's link at i, as Obsidian, Foam and many wikis
// write them: [[Page]] shows Page, [[Page|words]] shows the words, and
// either points at the page.
func wikiLink(s string, i int) (Segment, int, bool) {
	end := strings.Index(s[i+2:], "]]")
	if end <= 0 {
		return Segment{}, 0, false
	}
	inner := s[i+2 : i+2+end]
	if strings.ContainsAny(inner, "[]\n") {
		return Segment{}, 0, false
	}
	page, words, _ := strings.Cut(inner, "|")
	if words == "" {
		words = page
	}
	page = strings.TrimSpace(page)
	return Segment{Text: strings.TrimSpace(words), Role: RoleLink, Link: &page}, end + 4, true
}

// linkSegments makes segs a link's words, pointing at target.
func linkSegments(segs []Segment, target string) {
	for k := range segs {
		segs[k].Link = &target
		if segs[k].Role == RoleText {
			segs[k].Role = RoleLink
		}
	}
}

// anchorTag says whether an HTML tag opens an <a>.
func anchorTag(tag string) bool {
	return len(tag) > 3 && (tag[1] == 'a' || tag[1] == 'A') && (tag[2] == ' ' || tag[2] == '\t' || tag[2] == '\n')
}

// hrefOf is an HTML tag's href.
func hrefOf(tag string) string {
	m := hrefAttr().FindStringSubmatch(tag)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(html.UnescapeString(m[1] + m[2]))
}

var hrefAttr = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)\shref\s*=\s*(?:"([^"]*)"|'([^']*)')`) })

// refPrefix marks a Link that names a reference definition ("[1]: URL")
// rather than a target: no target starts with it.
const refPrefix = "\x00ref:"

// linkDestination is the target of a link's "(target "title")": the
// title left off, <angle brackets> and backslash escapes undone.
func linkDestination(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "<") {
		if k := strings.IndexByte(s, '>'); k > 0 {
			return s[1:k]
		}
	}
	if k := strings.IndexAny(s, " \t\n"); k >= 0 {
		s = s[:k]
	}
	return unescapeLink(s)
}

// unescapeLink undoes the backslash escapes of ASCII punctuation.
func unescapeLink(s string) string {
	if !strings.Contains(s, "\\") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// closeParen is where the parenthesis opened at i closes, nested ones
// counted; -1 if it does not close.
func closeParen(s string, i int) int {
	depth := 0
	for k := i; k < len(s); k++ {
		switch s[k] {
		case '\\':
			k++
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return k
			}
		}
	}
	return -1
}

// htmlTags are the tags dropped from text: what GitHub renders as markup.
// Anything else in angle brackets (<pod-name>, <ticket>) is a placeholder
// the author meant the reader to see.
var htmlTags = map[string]bool{
	"a": true, "abbr": true, "b": true, "br": true, "center": true, "code": true, "dd": true, "del": true,
	"details": true, "div": true, "dl": true, "dt": true, "em": true, "font": true, "h1": true, "h2": true,
	"h3": true, "h4": true, "h5": true, "h6": true, "hr": true, "i": true, "img": true, "ins": true,
	"kbd": true, "li": true, "ol": true, "p": true, "pre": true, "s": true, "small": true, "span": true,
	"strike": true, "strong": true, "sub": true, "summary": true, "sup": true, "table": true, "tbody": true,
	"td": true, "th": true, "thead": true, "tr": true, "tt": true, "u": true, "ul": true, "var": true,
	"picture": true, "source": true, "video": true, "iframe": true, "figure": true, "figcaption": true,
	"blockquote": true, "section": true, "article": true, "caption": true, "colgroup": true, "col": true,
	// HTML5's, which Notion's and wikis' exports use: <aside> for a
	// callout, <mark> for a highlight
	"aside": true, "mark": true, "nav": true, "header": true, "footer": true, "main": true, "time": true,
	"cite": true, "q": true, "samp": true, "dfn": true, "wbr": true, "label": true, "input": true,
	"ruby": true, "rt": true, "rp": true, "bdi": true, "bdo": true, "data": true, "output": true,
}

// angle reads <...> at i: an autolink (its URL is its text), an HTML tag
// or comment (no text), or nothing (a placeholder kept as written).
func angle(s string, i int) (int, string, bool) {
	if strings.HasPrefix(s[i:], "<!--") {
		if end := strings.Index(s[i+4:], "-->"); end >= 0 {
			return end + 7, "", true
		}
		return 0, "", false
	}
	end := strings.IndexByte(s[i:], '>')
	if end < 0 {
		return 0, "", false
	}
	inner := s[i+1 : i+end]
	if strings.Contains(inner, "://") && !strings.ContainsAny(inner, " <") || strings.HasPrefix(inner, "mailto:") {
		return end + 1, inner, true
	}
	name := strings.TrimPrefix(inner, "/")
	if k := strings.IndexAny(name, " \t/"); k >= 0 {
		name = name[:k]
	}
	if htmlTags[strings.ToLower(name)] {
		return end + 1, "", true
	}
	return 0, "", false
}

// imgAlt is an HTML image's alt text: a diagram's words are all a
// terminal can show of it, as for a Markdown image.
func imgAlt(tag string) string {
	if len(tag) < 5 || !strings.EqualFold(tag[:4], "<img") || tag[4] != ' ' && tag[4] != '\t' {
		return ""
	}
	m := imgAltAttr().FindStringSubmatch(tag)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(html.UnescapeString(m[1] + m[2]))
}

var imgAltAttr = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)\salt\s*=\s*(?:"([^"]*)"|'([^']*)')`) })
