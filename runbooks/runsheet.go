package runbooks

// Game-day run-sheets written as a list of timed items or a table, rather
// than a heading per inject.

import (
	"regexp"
	"strings"
	"sync"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
)

var (
	timeColumn   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)^(time|when|offset|clock|t\+.*|at|start)$`) })
	injectColumn = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)inject|event|what happens|scenario|description|situation|prompt|message|detail`)
	})
	expectedColumn = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)expect|response|look for|outcome|action`) })
)

// runSheet reads the injects of a list or table under an "Injects" or
// "Timeline" heading whose first item or row starts with a time (+5m,
// T+15, 10:40); nil when n is neither.
func (b *scenarioBuilder) runSheet(n ast.Node) []*injectHead {
	switch n := n.(type) {
	case *ast.List:
		return b.listInjects(n)
	case *extast.Table:
		return b.tableInjects(n)
	}
	return nil
}

func timed(text string) bool {
	return offsetHeading().MatchString(text) || clockHeading().MatchString(text)
}

// listInjects: "- 09:15 — Half the web pods are pending", each item an
// inject; the item's own list, or its checklist, is what to look for.
func (b *scenarioBuilder) listInjects(l *ast.List) []*injectHead {
	first := l.FirstChild()
	if first == nil || !timed(b.itemText(first)) {
		return nil
	}
	var out []*injectHead
	for item := first; item != nil; item = item.NextSibling() {
		line, col := b.s.bodyPos(start(item))
		head, _ := b.injectHeading(b.itemText(item), line, col, true)
		if head == nil {
			continue // reported
		}
		var rest []ast.Node
		if fc := item.FirstChild(); fc != nil {
			for c := fc.NextSibling(); c != nil; c = c.NextSibling() {
				rest = append(rest, c)
			}
		}
		head.text, head.expected = b.injectContent(rest)
		if len(head.expected) == 0 {
			// A plain nested list under a timed item is what to look for.
			for _, c := range rest {
				if nested, ok := c.(*ast.List); ok {
					for it := nested.FirstChild(); it != nil; it = it.NextSibling() {
						if t := b.itemText(it); t != "" {
							head.expected = append(head.expected, t)
						}
					}
				}
			}
			if len(head.expected) > 0 {
				head.text = ""
			}
		}
		head.line = line
		out = append(out, head)
	}
	return out
}

// tableInjects: a row per inject. The time is in the column headed Time
// (or the first column whose first cell is a time), what happens in the
// column headed like Inject or Event (else the next one), and what to look
// for in one headed like Expected or Response; every other filled cell is
// kept in the text, as "Header: value".
func (b *scenarioBuilder) tableInjects(t *extast.Table) []*injectHead {
	var head []string
	var rows []ast.Node
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		if row.Kind() == extast.KindTableHeader {
			head = b.s.rowCells(row)
			continue
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil
	}
	firstRow := b.s.rowCells(rows[0])
	at, what, expect := -1, -1, -1
	for i, h := range head {
		if at < 0 && timeColumn().MatchString(strings.TrimSpace(h)) && i < len(firstRow) && timed(firstRow[i]) {
			at = i
		}
	}
	for i := 0; at < 0 && i < len(firstRow); i++ {
		if timed(firstRow[i]) {
			at = i
		}
	}
	if at < 0 {
		return nil
	}
	for i, h := range head {
		switch {
		case i == at:
		case expect < 0 && expectedColumn().MatchString(h):
			expect = i
		case what < 0 && injectColumn().MatchString(h):
			what = i
		}
	}
	for i := range head {
		if what < 0 && i != at && i != expect {
			what = i
		}
	}
	var out []*injectHead
	for _, row := range rows {
		cells := b.s.rowCells(row)
		cell := func(i int) string { return cellAt(cells, i) }
		line, col := b.s.bodyPos(start(row))
		ih, _ := b.injectHeading(cell(at)+" "+cell(what), line, col, true)
		if ih == nil {
			continue // reported
		}
		ih.line = line
		if e := cell(expect); e != "" {
			ih.expected = []string{e}
		}
		var more []string
		for i, c := range cells {
			if i == at || i == what || i == expect || c == "" {
				continue
			}
			if i < len(head) && head[i] != "" {
				c = head[i] + ": " + c
			}
			more = append(more, c)
		}
		ih.text = strings.Join(more, "\n\n")
		out = append(out, ih)
	}
	return out
}

// listObjectives reads an "Objectives" section's list, one objective an
// item, as the front matter's one-line objectives are read.
func (b *scenarioBuilder) listObjectives(l *ast.List) {
	for item := l.FirstChild(); item != nil; item = item.NextSibling() {
		text := b.itemText(item)
		if text == "" {
			continue
		}
		o := lineObjective(text)
		o.Line, _ = b.s.bodyPos(start(item))
		o.ID = objectiveSlug(o.Title)
		b.addObjective(o, false)
	}
}
