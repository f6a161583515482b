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
// drawn has the width the layout counted; soft hyphens are dropped.
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
		case r == '\u00ad':
			// A soft hyphen is invisible unless a line breaks at it, and
			// terminals disagree on its width: dropped, so columns hold.
		case r >= '\u0600' && (r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Cf, r)):
			// Format characters (bidi overrides, zero-width spaces, tags)
			// and line separators reorder or hide what a reader sees and
			// take no agreed width: each shows as a visible marker.
			b.WriteString(FormatMarker(r))
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// FormatMarker is how a format character is drawn: its code point, in a
// form that reads as what it is and is plain ASCII, so its width is known.
func FormatMarker(r rune) string {
	const hex = "0123456789ABCDEF"
	buf := []byte("<U+")
	digits := 4
	if r > 0xffff {
		digits = 5
		if r > 0xfffff {
			digits = 6
		}
	}
	for i := digits - 1; i >= 0; i-- {
		buf = append(buf, hex[(r>>(4*i))&0xf])
	}
	return string(append(buf, '>'))
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

// OneLine folds text onto one line for lists and headers.
func OneLine(s string) string {
	return strings.Join(strings.Fields(Printable(s)), " ")
}
