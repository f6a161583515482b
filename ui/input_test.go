package ui

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// A burst of wide characters read 256 bytes at a time, as Bubble Tea reads
// the terminal, arrives whole, each read ending on a character boundary.
func TestTerminalInputKeepsCharactersWhole(t *testing.T) {
	text := strings.Repeat("字", 200) + "🙂 ok" + strings.Repeat("é", 300)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() { io.WriteString(w, text); w.Close() }()
	in := NewTerminalInput(r)
	var got bytes.Buffer
	buf := make([]byte, 256)
	for {
		n, err := in.Read(buf)
		if !utf8.Valid(buf[:n]) {
			t.Fatalf("a read ended inside a character: % x", buf[max(n-4, 0):n])
		}
		got.Write(buf[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if got.String() != text {
		t.Errorf("read %d bytes, want %d", got.Len(), len(text))
	}
	if in.Fd() != r.Fd() {
		t.Error("the descriptor is not the terminal's")
	}
}

func TestCutRune(t *testing.T) {
	full := []byte("a字")
	for i, want := range map[int]int{1: 0, 2: 1, 3: 2, 4: 0} {
		if got := cutRune(full[:i]); got != want {
			t.Errorf("cutRune(% x) = %d, want %d", full[:i], got, want)
		}
	}
	if got := cutRune([]byte{0xff}); got != 0 {
		t.Errorf("an invalid byte is held: %d", got)
	}
}
