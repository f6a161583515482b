package model

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Printable makes text from files, other people or the network safe to draw
// in a terminal: escape sequences (CSI, OSC, DCS and the like) are removed
// whole, other control characters become U+FFFD, tabs become spaces, and
// newlines stay. Invalid UTF-8 is replaced too. Unicode format characters
// (bidi overrides, zero-width spaces, BOMs, tags) show as a marker like
// <U+202E>, so what is on screen is what is stored and every character
// drawn has the width the layout counted; soft hyphens, the zero-width
// joiner and non-joiner and the emoji variation selector are dropped.
func Printable(s string) string { return clean(s, false) }

// Neutralise keeps every byte of meaning visible but harmless, for plain-text
// output that may be piped or read in a terminal: ESC shows as "^[" and other
// controls in caret notation, so a reader sees that the text held them.
// Format characters are shown and dropped as Printable does.
func Neutralise(s string) string { return clean(s, true) }

func clean(s string, visible bool) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteRune(unicode.ReplacementChar)
			i++
			continue
		case r == '\n':
			b.WriteByte('\n')
		case r == '\t':
			b.WriteString("    ")
		case r == 0x1b && !visible:
			i += escapeLen(s[i:])
			continue
		case r < 0x20 || r == 0x7f:
			if visible {
				b.WriteByte('^')
				b.WriteByte(byte(r) ^ 0x40)
			} else {
				b.WriteRune(unicode.ReplacementChar)
			}
		case r >= 0x80 && r < 0xa0: // C1 controls, e.g. the 8-bit CSI
			if visible {
				b.WriteString("^[")
				b.WriteByte(byte(r - 0x40))
			} else {
				b.WriteRune(unicode.ReplacementChar)
			}
		case r == '\ufe0f':
			// The selector that asks for a symbol's emoji picture (⚠️, ❤️,
			// ✔️): layouts count the pair two columns wide, tmux and
			// xterm draw it in one, and every border after it on the line
			// moves. Without it the symbol is one column everywhere.
		case r == '\u00ad', r == '\u200c', r == '\u200d':
			// A soft hyphen is invisible unless a line breaks at it, and
			// terminals disagree on its width: dropped, so columns hold.
			// So are the joiners: Persian and Indic words use them between
			// letters, and emoji like 👩‍💻 are pictures joined by them, so a
			// marker would break up ordinary words; without them the text
			// still reads (the letters or pictures side by side), and a
			// terminal that draws a joined emoji wider than counted no
			// longer pushes the line out of its pane.
		case isFormat(r):
			// Format characters (bidi overrides, zero-width spaces, tags)
			// and line separators reorder or hide what a reader sees and
			// take no agreed width: each shows as a visible marker.
			writeMarker(&b, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// writeMarker draws a format character as its code point, <U+202E>: it
// reads as what it is, and it is plain ASCII, so its width is known.
func writeMarker(b *strings.Builder, r rune) {
	const hex = "0123456789ABCDEF"
	b.WriteString("<U+")
	digits := 4
	for r>>(4*digits) != 0 {
		digits++
	}
	for i := digits - 1; i >= 0; i-- {
		b.WriteByte(hex[(r>>(4*i))&0xf])
	}
	b.WriteByte('>')
}

// isFormat reports whether r is a format character (category Cf, the soft
// hyphen aside) or a line or paragraph separator. The ranges most text
// lives in are answered without the table lookup: below U+0600 (Latin,
// Greek, Cyrillic, Hebrew), General Punctuation, U+2070 to U+FEFE (CJK,
// Hangul, symbols) and U+1F000 to U+E0000 (emoji).
// TestIsFormatCoversEveryFormatCharacter holds this to Go's tables.
func isFormat(r rune) bool {
	switch {
	case r < 0x0600, r >= 0x2070 && r < 0xfeff, r >= 0x1f000 && r < 0xe0000:
		return false
	case r >= 0x2000 && r < 0x2070:
		// General Punctuation: dashes, quotes, bullets and ellipses are
		// common in ordinary text; its format characters are these.
		return r >= 0x200b && r <= 0x200f || r >= 0x2028 && r <= 0x202e || r >= 0x2060 && r != 0x2065
	}
	return unicode.Is(unicode.Cf, r)
}

func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 && c != '\n' || c == 0x7f || c >= 0x80 {
			return false
		}
	}
	return true
}

// escapeLen is how many bytes of s (which starts with ESC) one escape
// sequence takes, so the whole sequence is dropped, not just the ESC.
func escapeLen(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	switch s[1] {
	case '[': // CSI: parameters and intermediates, then a final byte
		for i := 2; i < len(s); i++ {
			if s[i] >= 0x40 && s[i] <= 0x7e {
				return i + 1
			}
			if s[i] < 0x20 || s[i] > 0x7e {
				return i
			}
		}
		return len(s)
	case ']', 'P', 'X', '^', '_': // OSC, DCS, SOS, PM, APC: up to BEL or ST
		for i := 2; i < len(s); i++ {
			if s[i] == 0x07 {
				return i + 1
			}
			if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
		}
		return len(s)
	}
	return 2
}

// OneLine folds text onto one line for lists and headers. Plain text that
// is already one line with single spaces comes back as it is, without a
// copy: every row of every frame goes through here.
func OneLine(s string) string {
	if isPlain(s) && strings.IndexByte(s, '\n') < 0 && !strings.Contains(s, "  ") &&
		(s == "" || s[0] != ' ' && s[len(s)-1] != ' ') {
		return s
	}
	return strings.Join(strings.Fields(Printable(s)), " ")
}

// StripTerminal turns what a command wrote to a terminal into the text a
// reader saw: escape sequences (colours, cursor moves, titles) removed, a
// carriage return going back to the start of the line so a progress bar
// leaves its last state, a backspace stepping back, bells dropped, and the
// rest made Printable. The result passes Printable unchanged.
func StripTerminal(s string) string {
	var out strings.Builder
	out.Grow(len(s))
	var line []rune
	col := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case 0x1b:
			i += escapeLen(s[i:])
			continue
		case '\n':
			out.WriteString(string(line))
			out.WriteByte('\n')
			line, col = line[:0], 0
		case '\r':
			col = 0
		case '\b':
			col = max(col-1, 0)
		case 0x07:
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size <= 1 {
				r = unicode.ReplacementChar
			}
			if col < len(line) {
				line[col] = r
			} else {
				line = append(line, r)
			}
			col++
			i += size
			continue
		}
		i++
	}
	out.WriteString(string(line))
	return Printable(out.String())
}

// ShellLine writes argv as a POSIX shell would read it back: words that
// need it in single quotes.
func ShellLine(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = ShellQuote(a)
	}
	return strings.Join(out, " ")
}

// ShellQuote quotes one word for a POSIX shell, leaving it bare when
// nothing in it is special: for the remote command ssh runs, and for a
// command line shown to be typed.
func ShellQuote(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+=:,@%", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
