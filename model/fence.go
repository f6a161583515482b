package model

import (
	"regexp"
	"strings"
	"sync"
)

// CodeFence follows Markdown's fenced code blocks line by line, so that a
// reader of review text (the postmortem reader, the export's heading
// nesting, the review screen's reflow) takes a "#" line in one for a
// shell comment, not a heading, and leaves its lines as they are. A block
// closes only at a fence of its own character at least as long as the
// one that opened it, as CommonMark has it.
type CodeFence struct{ open string } // the opening fence, "" outside a block

var fenceLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("^ {0,3}(`{3,}|~{3,})") })

// Line reports whether l belongs to a code block, its fences included.
func (f *CodeFence) Line(l string) bool {
	m := fenceLine().FindStringSubmatch(l)
	switch {
	case f.open == "":
		if m != nil {
			f.open = m[1]
		}
		return m != nil
	case m != nil && m[1][0] == f.open[0] && len(m[1]) >= len(f.open) && strings.TrimSpace(strings.TrimLeft(l, " `~")) == "":
		f.open = ""
	}
	return true
}

// Inside reports whether a block is open after the lines seen so far.
func (f *CodeFence) Inside() bool { return f.open != "" }

// End closes a block left open (a reader that knows where it must end).
func (f *CodeFence) End() { f.open = "" }
