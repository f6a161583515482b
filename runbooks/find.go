package runbooks

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// LineHit is a line of a rendered runbook that has every word looked for.
type LineHit struct {
	Line    int    // the rendered line it starts on
	Src     int    // the file line of the block it is in
	Text    string // the line, with any words cut at the width joined again
	Matches [][2]int
}

// findLine is a line as Find reads it: its text, lower-cased when that
// keeps every byte where it was (ASCII).
type findLine struct {
	line  int
	text  string
	lower string // "" when the text is not ASCII: matched by regexp
}

// findIndex is the document's lines as Find reads them, made at the first
// search of a rendering and kept: a key typed in the find line then costs
// one pass of substring tests (BenchmarkFind: a 1 MiB runbook, about 50 ms
// at the first key and 12 ms at each after; the corpus's 70 KB AWS
// playbook, 1.5 ms and 0.6 ms).
type findIndex struct {
	once  sync.Once
	lines []findLine
}

func (d *Rendered) findLines() []findLine {
	d.find.once.Do(func() {
		for i := 0; i < len(d.Lines); i++ {
			start := i
			text := d.Lines[i].Text()
			for i+1 < len(d.Lines) && d.Lines[i+1].Cont && d.Lines[i+1].ContAt <= len(d.Lines[i+1].Segs) {
				i++
				text += segsText(d.Lines[i].Segs[d.Lines[i].ContAt:])
			}
			l := findLine{line: start, text: text}
			if isASCII(text) {
				l.lower = strings.ToLower(text)
			}
			d.find.lines = append(d.find.lines, l)
		}
	})
	return d.find.lines
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Find is the lines of the document that have every one of words (in any
// case, anywhere in the line: "fail" finds "failover"), in document order,
// at most limit (0: all). A word cut at the width, and carried onto the
// next line, is found whole.
func (d *Rendered) Find(words string, limit int) []LineHit {
	fields := strings.Fields(words)
	if len(fields) == 0 {
		return nil
	}
	lower := make([]string, len(fields))
	res := make([]*regexp.Regexp, len(fields)) // for lines not in ASCII, made when one comes
	for i, w := range fields {
		lower[i] = strings.ToLower(w)
	}
	var hits []LineHit
	matches := make([][2]int, 0, len(fields))
	for _, l := range d.findLines() {
		matches = matches[:0]
		for i, w := range lower {
			var at []int
			if l.lower != "" {
				if j := strings.Index(l.lower, w); j >= 0 {
					at = []int{j, j + len(w)}
				}
			} else {
				if res[i] == nil {
					res[i] = regexp.MustCompile(`(?i)` + regexp.QuoteMeta(fields[i]))
				}
				at = res[i].FindStringIndex(l.text)
			}
			if at == nil {
				break
			}
			matches = append(matches, [2]int{at[0], at[1]})
		}
		if len(matches) < len(fields) {
			continue
		}
		found := slices.Clone(matches)
		slices.SortFunc(found, func(a, b [2]int) int { return a[0] - b[0] })
		hits = append(hits, LineHit{Line: l.line, Src: d.Lines[l.line].Src, Text: l.text, Matches: found})
		if limit > 0 && len(hits) >= limit {
			break
		}
	}
	return hits
}
