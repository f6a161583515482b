package ui

import (
	"os"
	"unicode/utf8"
)

// TerminalInput is the terminal's input as the cockpit reads it. Bubble
// Tea reads 256 bytes at a time and drops the pieces of a character cut by
// the end of a read, so typing or pasting CJK text or emoji quickly lost
// characters. TerminalInput never ends a read in the middle of a character:
// the cut bytes wait for the next read. It keeps the file's descriptor, so
// Bubble Tea still sets raw mode and waits on it as on the terminal itself.
type TerminalInput struct {
	*os.File
	held []byte // the start of a character the last read cut
}

// NewTerminalInput wraps f, the terminal's input.
func NewTerminalInput(f *os.File) *TerminalInput { return &TerminalInput{File: f} }

func (t *TerminalInput) Read(p []byte) (int, error) {
	n := copy(p, t.held)
	t.held = t.held[n:]
	if n == len(p) {
		return n, nil
	}
	m, err := t.File.Read(p[n:])
	n += m
	if cut := cutRune(p[:n]); cut > 0 && cut < n {
		t.held = append(t.held, p[n-cut:n]...)
		n -= cut
	}
	return n, err
}

// cutRune is how many bytes at the end of b are the start of a character
// whose rest has not arrived (0 if b ends on a boundary).
func cutRune(b []byte) int {
	for back := 1; back <= utf8.UTFMax-1 && back <= len(b); back++ {
		c := b[len(b)-back]
		if utf8.RuneStart(c) {
			if c >= utf8.RuneSelf && !utf8.FullRune(b[len(b)-back:]) {
				return back
			}
			return 0
		}
	}
	return 0
}
