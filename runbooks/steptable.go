package runbooks

import (
	"regexp"
	"strings"
	"sync"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"

	"github.com/sitrep-dev/sitrep/model"
)

// A table of steps is how wiki pages (Confluence exports above all) write
// a procedure: a row a step, with its command in a column.
//
//	| # | Action             | Command                             | Expected |
//	|---|--------------------|-------------------------------------|----------|
//	| 1 | Stop the consumers | `kubectl scale deploy/pay --replicas=0` | no pods |
//
// Under RulesPerSection2 each row is a step: its title from the action
// column, its command to copy from the command column (each code span in
// the cell, or the cell's text when it has none), and the other filled
// cells its notes ("Expected: no pods").

var (
	// titleColumn and commandColumn are the headers that make a table one
	// of steps: it needs both.
	titleColumn = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)^(?:steps?|actions?|tasks?|what|what to do|description|activity|procedure)$`)
	})
	commandColumn = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)^(?:commands?|cli|command line|script|run|code|how)$`)
	})
	onlyNum = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\s*(?:step\s*)?\d+[.):]?\s*$`) })
)

// stepRow is one row of a table of steps, read.
type stepRow struct {
	line  int
	title string
	code  []string
	notes []string // "Expected: no pods", the other filled cells
}

// hasStepTable reports whether blocks hold a table of steps.
func hasStepTable(s *source, blocks []ast.Node) bool {
	for _, n := range blocks {
		if s.stepRows(n) != nil {
			return true
		}
	}
	return false
}

// stepRows reads n as a table of steps: nil when it is not one (not a
// table, no title or command column, fewer than two rows with a title).
func (s *source) stepRows(n ast.Node) []stepRow {
	t, ok := n.(*extast.Table)
	if !ok || t.FirstChild() == nil {
		return nil
	}
	headers := s.rowCells(t.FirstChild())
	for i, h := range headers {
		headers[i] = strings.Trim(strings.TrimSpace(plainInline(h)), ":*")
	}
	var body [][]string
	var lines []int
	for row := t.FirstChild().NextSibling(); row != nil; row = row.NextSibling() {
		body = append(body, s.rowCells(row))
		lines = append(lines, s.bodyLine(start(row)))
	}
	numeric := make([]bool, len(headers))
	for i := range headers {
		numeric[i] = numbersOnly(body, i)
	}
	title, command := -1, -1
	for i, h := range headers {
		switch {
		case command < 0 && commandColumn().MatchString(h):
			command = i
		case title < 0 && titleColumn().MatchString(h) && !numeric[i]:
			title = i
		}
	}
	if title < 0 || command < 0 {
		return nil
	}
	var rows []stepRow
	for r, cells := range body {
		cell := func(i int) string { return cellAt(cells, i) }
		row := stepRow{line: lines[r], title: strings.TrimSpace(plainInline(cell(title)))}
		if row.title == "" {
			return nil // a row without a step is no table of steps
		}
		if cmd := cell(command); cmd != "" {
			for _, seg := range inlineSegments(cmd, RoleText) {
				if seg.Role == RoleCode {
					row.code = append(row.code, strings.TrimSpace(strings.ReplaceAll(seg.Text, `\|`, "|")))
				}
			}
			if len(row.code) == 0 {
				row.code = []string{strings.ReplaceAll(cmd, `\|`, "|")}
			}
		}
		for i, h := range headers {
			if i == title || i == command || cell(i) == "" || numeric[i] {
				continue
			}
			row.notes = append(row.notes, h+": "+cell(i))
		}
		rows = append(rows, row)
	}
	if len(rows) < 2 {
		return nil
	}
	return rows
}

// numbersOnly: column i holds only step numbers, as a "Step" column
// beside an "Action" one does.
func numbersOnly(body [][]string, i int) bool {
	for _, cells := range body {
		if i < len(cells) && cells[i] != "" && !onlyNum().MatchString(cells[i]) {
			return false
		}
	}
	return true
}

// stepTable draws a table of steps as its steps: each row's mark and
// title, its commands as code blocks to copy, its other cells as notes.
func (r *renderer) stepTable(rows []stepRow) {
	for i, row := range rows {
		if i > 0 {
			r.blank()
		}
		r.src = row.line
		step := r.stepOn(row.line)
		r.wrapped(annotated(row.title, RoleText), step)
		r.frames = append(r.frames, &frame{first: []Segment{{Text: "    ", Role: RoleText}}, rest: []Segment{{Text: "    ", Role: RoleText}}})
		for j, c := range row.code {
			if j > 0 {
				r.blank() // two commands, not one of two lines
			}
			r.code(model.CodeBlock{Text: c, Line: row.line})
		}
		for _, n := range row.notes {
			r.wrapped(inlineSegments(n, RoleText), -1)
		}
		r.frames = r.frames[:len(r.frames)-1]
	}
}
