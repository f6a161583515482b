package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// The screen as tmux draws it ('capture-pane -e -p': text with SGR colour
// sequences) is turned into an SVG of monospace text on coloured cells, so
// the README's pictures are the program's real output and stay text (small,
// sharp at any zoom, diffable).

// Colours the terminal uses where the program sets none: GitHub's dark
// theme, which the cockpit's dark palette (ui/styles.go) is drawn for.
const (
	defaultFg = "#e6edf3"
	defaultBg = "#0d1117"
)

// Geometry of one cell, in SVG user units (pixels).
const (
	fontSize   = 14.0
	cellWidth  = 8.4 // a monospace advance is about 0.6 em
	lineHeight = 17.0
	padding    = 14.0
)

type style struct {
	fg, bg                                          string // "" is the default
	bold, faint, italic, underline, reverse, strike bool
}

type cell struct {
	text  string // a grapheme; "" for the second half of a wide one
	style style
}

// parseScreen reads captured lines into rows of cells.
func parseScreen(captured string) [][]cell {
	captured = strings.TrimRight(captured, "\n")
	var rows [][]cell
	var st style // tmux starts every line from the style the previous left
	for _, line := range strings.Split(captured, "\n") {
		var row []cell
		for i := 0; i < len(line); {
			if line[i] == 0x1b {
				n, sgr, ok := escape(line[i:])
				if ok {
					st = applySGR(st, sgr)
				}
				i += n
				continue
			}
			g, w := firstGrapheme(line[i:])
			i += len(g)
			if w == 0 {
				if len(row) > 0 { // a combining mark joins the cell before
					row[len(row)-1].text += g
				}
				continue
			}
			if g == "\t" || g[0] < 0x20 || g[0] == 0x7f {
				g = " "
			}
			row = append(row, cell{text: g, style: st})
			for ; w > 1; w-- {
				row = append(row, cell{style: st})
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// firstGrapheme is the first user-perceived character of s and its width.
// (One rune: tmux writes a cell's combining marks after it, and those
// have width 0, so they join the cell before.)
func firstGrapheme(s string) (string, int) {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError && size <= 1 {
		return s[:1], 1
	}
	return s[:size], ansi.StringWidth(s[:size])
}

// escape measures the escape sequence at the start of s and returns the
// parameters when it is an SGR (ESC [ ... m); other sequences are skipped.
func escape(s string) (n int, sgr string, ok bool) {
	if len(s) < 2 {
		return len(s), "", false
	}
	switch s[1] {
	case '[':
		for j := 2; j < len(s); j++ {
			if s[j] >= 0x40 && s[j] <= 0x7e {
				return j + 1, s[2:j], s[j] == 'm'
			}
		}
		return len(s), "", false
	case ']', 'P', '_', '^': // string sequences end at BEL or ESC \
		for j := 2; j < len(s); j++ {
			if s[j] == 0x07 {
				return j + 1, "", false
			}
			if s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\' {
				return j + 2, "", false
			}
		}
		return len(s), "", false
	}
	return 2, "", false
}

// applySGR applies one SGR sequence's parameters, in either the ';' form
// (38;2;r;g;b) or the ':' form (38:2::r:g:b).
func applySGR(st style, params string) style {
	if params == "" {
		return style{}
	}
	groups := strings.Split(params, ";")
	num := func(s string) int { v, _ := strconv.Atoi(s); return v }
	for i := 0; i < len(groups); i++ {
		sub := strings.Split(groups[i], ":")
		p := num(sub[0])
		switch {
		case p == 0:
			st = style{}
		case p == 1:
			st.bold = true
		case p == 2:
			st.faint = true
		case p == 3:
			st.italic = true
		case p == 4:
			st.underline = len(sub) < 2 || sub[1] != "0"
		case p == 7:
			st.reverse = true
		case p == 9:
			st.strike = true
		case p == 22:
			st.bold, st.faint = false, false
		case p == 23:
			st.italic = false
		case p == 24:
			st.underline = false
		case p == 27:
			st.reverse = false
		case p == 29:
			st.strike = false
		case p >= 30 && p <= 37:
			st.fg = palette(p - 30)
		case p == 39:
			st.fg = ""
		case p >= 40 && p <= 47:
			st.bg = palette(p - 40)
		case p == 49:
			st.bg = ""
		case p >= 90 && p <= 97:
			st.fg = palette(p - 90 + 8)
		case p >= 100 && p <= 107:
			st.bg = palette(p - 100 + 8)
		case p == 38 || p == 48 || p == 58:
			var colour string
			if len(sub) > 1 { // colon form: everything is in this group
				colour = extendedColour(sub[1:])
			} else {
				var used int
				colour, used = extendedColourSemi(groups[i+1:])
				i += used
			}
			switch p {
			case 38:
				st.fg = colour
			case 48:
				st.bg = colour
			}
		}
	}
	return st
}

// extendedColour reads "5:n" or "2:[colourspace:]r:g:b".
func extendedColour(sub []string) string {
	num := func(s string) int { v, _ := strconv.Atoi(s); return v }
	switch {
	case len(sub) >= 2 && sub[0] == "5":
		return palette(num(sub[1]))
	case len(sub) >= 4 && sub[0] == "2":
		rgb := sub[len(sub)-3:]
		return fmt.Sprintf("#%02x%02x%02x", num(rgb[0])&255, num(rgb[1])&255, num(rgb[2])&255)
	}
	return ""
}

// extendedColourSemi reads "5;n" or "2;r;g;b" from the parameters after
// 38 or 48, and says how many it used.
func extendedColourSemi(rest []string) (string, int) {
	if len(rest) >= 2 && rest[0] == "5" {
		return extendedColour(rest[:2]), 2
	}
	if len(rest) >= 4 && rest[0] == "2" {
		return extendedColour(rest[:4]), 4
	}
	return "", len(rest)
}

// base16 is the terminal's first 16 colours (GitHub dark's ANSI colours).
var base16 = [16]string{
	"#484f58", "#ff7b72", "#3fb950", "#d29922", "#58a6ff", "#bc8cff", "#39c5cf", "#b1bac4",
	"#6e7681", "#ffa198", "#56d364", "#e3b341", "#79c0ff", "#d2a8ff", "#56d4dd", "#ffffff",
}

// palette is xterm's 256-colour table.
func palette(n int) string {
	switch {
	case n < 0 || n > 255:
		return ""
	case n < 16:
		return base16[n]
	case n < 232:
		n -= 16
		level := func(v int) int {
			if v == 0 {
				return 0
			}
			return 55 + 40*v
		}
		return fmt.Sprintf("#%02x%02x%02x", level(n/36), level(n/6%6), level(n%6))
	default:
		v := 8 + 10*(n-232)
		return fmt.Sprintf("#%02x%02x%02x", v, v, v)
	}
}

// renderSVG draws rows of cells on a cols×lines screen.
func renderSVG(rows [][]cell, cols, lines int, title string) string {
	width := 2*padding + float64(cols)*cellWidth
	height := 2*padding + float64(lines)*lineHeight
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" xml:space="preserve" role="img" aria-label="%s">`+"\n",
		num(width), num(height), num(width), num(height), xmlEscape(title))
	fmt.Fprintf(&b, "<title>%s</title>\n", xmlEscape(title))
	fmt.Fprintf(&b, "<style>text{font-family:ui-monospace,'SFMono-Regular','DejaVu Sans Mono',Menlo,Consolas,'Liberation Mono',monospace;font-size:%spx;white-space:pre}</style>\n", num(fontSize))
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" rx="8" fill="%s"/>`+"\n", defaultBg)
	for y, row := range rows {
		if y >= lines {
			break
		}
		top := padding + float64(y)*lineHeight
		// Backgrounds first, so no text is drawn under a later cell's fill.
		for x := 0; x < len(row) && x < cols; {
			_, bg := colours(row[x].style)
			n := 1
			for x+n < len(row) && x+n < cols {
				_, bg2 := colours(row[x+n].style)
				if bg2 != bg {
					break
				}
				n++
			}
			if bg != defaultBg {
				fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`+"\n",
					num(padding+float64(x)*cellWidth), num(top), num(float64(n)*cellWidth), num(lineHeight), bg)
			}
			x += n
		}
		for x := 0; x < len(row) && x < cols; {
			n := 1
			for x+n < len(row) && x+n < cols && row[x+n].style == row[x].style {
				n++
			}
			writeRun(&b, row[x:x+n], x, top)
			x += n
		}
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// writeRun draws one run of cells of the same style as a <text>, stretched
// to exactly its cells so columns line up whatever font the viewer has.
func writeRun(b *strings.Builder, run []cell, x int, top float64) {
	var text strings.Builder
	blank := true
	for _, c := range run {
		text.WriteString(c.text)
		if c.text != "" && c.text != " " {
			blank = false
		}
	}
	st := run[0].style
	if blank && !st.underline && !st.strike {
		return
	}
	fg, _ := colours(st)
	attrs := fmt.Sprintf(`x="%s" y="%s" textLength="%s" lengthAdjust="spacingAndGlyphs" fill="%s"`,
		num(padding+float64(x)*cellWidth), num(top+lineHeight*0.75), num(float64(len(run))*cellWidth), fg)
	if st.bold {
		attrs += ` font-weight="bold"`
	}
	if st.italic {
		attrs += ` font-style="italic"`
	}
	if st.faint {
		attrs += ` opacity="0.6"`
	}
	switch {
	case st.underline && st.strike:
		attrs += ` text-decoration="underline line-through"`
	case st.underline:
		attrs += ` text-decoration="underline"`
	case st.strike:
		attrs += ` text-decoration="line-through"`
	}
	fmt.Fprintf(b, "<text %s>%s</text>\n", attrs, xmlEscape(text.String()))
}

// colours resolves a style's foreground and background, reverse applied.
func colours(st style) (fg, bg string) {
	fg, bg = st.fg, st.bg
	if fg == "" {
		fg = defaultFg
	}
	if bg == "" {
		bg = defaultBg
	}
	if st.reverse {
		fg, bg = bg, fg
	}
	return fg, bg
}

// num writes a coordinate to two decimals: 72.8, not 72.80000000000001.
func num(f float64) string { return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64) }

func xmlEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r < 0x20 && r != '\t' && r != '\n', r == 0xfffe, r == 0xffff:
			b.WriteRune(' ') // not allowed in XML 1.0
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ANSIToSVG renders captured terminal text of cols×lines cells as an SVG.
func ANSIToSVG(captured string, cols, lines int, title string) string {
	return renderSVG(parseScreen(captured), cols, lines, title)
}
