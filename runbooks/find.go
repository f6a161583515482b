package runbooks

import (
	"regexp"
	"slices"
	"strings"
)

// LineHit is a line of a rendered runbook that has every word looked for.
type LineHit struct {
	Line    int    // the rendered line it starts on
	Src     int    // the file line of the block it is in
	Text    string // the line, with any words cut at the width joined again
	Matches [][2]int
}

// Find is the lines of the document that have every one of words (in any
// case, anywhere in the line: "fail" finds "failover"), in document order,
// at most limit (0: all). A word cut at the width, and carried onto the
// next line, is found whole.
func (d *Rendered) Find(words string, limit int) []LineHit {
	var res []*regexp.Regexp
	for _, w := range strings.Fields(words) {
		res = append(res, regexp.MustCompile(`(?i)`+regexp.QuoteMeta(w)))
	}
	if len(res) == 0 {
		return nil
	}
	var hits []LineHit
	for i := 0; i < len(d.Lines); i++ {
		start := i
		text := d.Lines[i].Text()
		for i+1 < len(d.Lines) && d.Lines[i+1].Cont && d.Lines[i+1].ContAt <= len(d.Lines[i+1].Segs) {
			i++
			text += segsText(d.Lines[i].Segs[d.Lines[i].ContAt:])
		}
		h := LineHit{Line: start, Src: d.Lines[start].Src, Text: text}
		for _, re := range res {
			m := re.FindStringIndex(text)
			if m == nil {
				h.Matches = nil
				break
			}
			h.Matches = append(h.Matches, [2]int{m[0], m[1]})
		}
		if h.Matches == nil {
			continue
		}
		slices.SortFunc(h.Matches, func(a, b [2]int) int { return a[0] - b[0] })
		hits = append(hits, h)
		if limit > 0 && len(hits) >= limit {
			break
		}
	}
	return hits
}
