package runbooks

// The two GitHub extensions sitrep's Markdown needs, tables and task-list
// checkboxes, adapted from goldmark's extension package (MIT License,
// Copyright (c) 2019 Yusuke Inuzuka), whose parsing they reproduce node
// for node. Importing that package costs every sitrep process about 4 ms
// of CPU before main runs: its linkify extension compiles URL patterns
// with {1,256} repeats at init, whether or not anything parses Markdown.
// The HTML renderers are left out (sitrep never renders HTML), and so is
// the table's handling of escaped pipes inside code spans: no code-span
// parser is registered here, so it never had anything to do.

import (
	"bytes"

	gast "github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// tableTransformer turns a paragraph whose second line is a delimiter row
// into a table, as goldmark's extension.Table does.
type tableTransformer struct{}

func (tableTransformer) Transform(node *gast.Paragraph, reader text.Reader, pc parser.Context) {
	ppos := node.Pos()
	lines := node.Lines()
	if lines.Len() < 2 {
		return
	}
	for i := 1; i < lines.Len(); i++ {
		alignments := parseTableDelimiter(lines.At(i), reader)
		if alignments == nil {
			continue
		}
		header := parseTableRow(lines.At(i-1), alignments, true, reader)
		if header == nil || len(alignments) != header.ChildCount() {
			return
		}
		table := extast.NewTable()
		table.Alignments = alignments
		table.SetPos(ppos)
		table.AppendChild(table, extast.NewTableHeader(header))
		for j := i + 1; j < lines.Len(); j++ {
			table.AppendChild(table, parseTableRow(lines.At(j), alignments, false, reader))
		}
		node.Lines().SetSliced(0, i-1)
		node.Parent().InsertAfter(node.Parent(), node, table)
		if node.Lines().Len() == 0 {
			node.Parent().RemoveChild(node.Parent(), node)
		} else {
			last := node.Lines().At(i - 2)
			last.Stop = last.Stop - 1 // trim the last newline
			node.Lines().Set(i-2, last)
		}
	}
}

func parseTableRow(segment text.Segment, alignments []extast.Alignment, isHeader bool, reader text.Reader) *extast.TableRow {
	npos := segment
	source := reader.Source()
	segment = segment.TrimLeftSpace(source)
	segment = segment.TrimRightSpace(source)
	line := segment.Value(source)
	pos := 0
	limit := len(line)
	row := extast.NewTableRow(alignments)
	row.SetPos(npos.Start)
	if len(line) > 0 && line[pos] == '|' {
		pos++
	}
	if len(line) > 0 && line[limit-1] == '|' {
		limit--
	}
	i := 0
	for ; pos < limit; i++ {
		alignment := extast.AlignNone
		if i >= len(alignments) {
			if !isHeader {
				return row
			}
		} else {
			alignment = alignments[i]
		}
		node := extast.NewTableCell()
		node.SetPos(npos.Start + pos - npos.Padding)
		node.Alignment = alignment
		closure := pos
		for ; closure < limit; closure++ {
			if line[closure] == '|' && (closure == 0 || line[closure-1] != '\\') {
				break
			}
		}
		seg := text.NewSegment(segment.Start+pos, segment.Start+closure)
		seg = seg.TrimLeftSpace(source)
		seg = seg.TrimRightSpace(source)
		node.Lines().Append(seg)
		row.AppendChild(row, node)
		pos = closure + 1
	}
	for ; i < len(alignments); i++ {
		row.AppendChild(row, extast.NewTableCell())
	}
	return row
}

func isTableDelim(bs []byte) bool {
	if w, _ := util.IndentWidth(bs, 0); w > 3 {
		return false
	}
	allSep := true
	for _, b := range bs {
		if b != '-' {
			allSep = false
		}
		if !(util.IsSpace(b) || b == '-' || b == '|' || b == ':') {
			return false
		}
	}
	return !allSep
}

func parseTableDelimiter(segment text.Segment, reader text.Reader) []extast.Alignment {
	line := segment.Value(reader.Source())
	if !isTableDelim(line) {
		return nil
	}
	cols := bytes.Split(line, []byte{'|'})
	if util.IsBlank(cols[0]) {
		cols = cols[1:]
	}
	if len(cols) > 0 && util.IsBlank(cols[len(cols)-1]) {
		cols = cols[:len(cols)-1]
	}
	var alignments []extast.Alignment
	for _, col := range cols {
		a, ok := columnAlignment(col)
		if !ok {
			return nil
		}
		alignments = append(alignments, a)
	}
	return alignments
}

// reSpace is what \s matches in Go's regexp syntax, which goldmark's
// delimiter patterns (^\s*:-+\s*$ and its kin) use.
const reSpace = "\t\n\f\r "

// columnAlignment reads one delimiter cell: dashes, optionally with a
// colon at either end, surrounded by spaces.
func columnAlignment(col []byte) (extast.Alignment, bool) {
	c := bytes.Trim(col, reSpace)
	left := len(c) > 0 && c[0] == ':'
	if left {
		c = c[1:]
	}
	right := len(c) > 0 && c[len(c)-1] == ':'
	if right {
		c = c[:len(c)-1]
	}
	if len(c) == 0 || len(bytes.Trim(c, "-")) != 0 {
		return extast.AlignNone, false
	}
	switch {
	case left && right:
		return extast.AlignCenter, true
	case left:
		return extast.AlignLeft, true
	case right:
		return extast.AlignRight, true
	}
	return extast.AlignNone, true
}

// taskCheckBoxParser reads the [ ] or [x] that starts a list item, as
// goldmark's extension.TaskList does.
type taskCheckBoxParser struct{}

func (taskCheckBoxParser) Trigger() []byte { return []byte{'['} }

func (taskCheckBoxParser) Parse(parent gast.Node, block text.Reader, pc parser.Context) gast.Node {
	// Only the first thing in the first block of a list item.
	if parent.Parent() == nil || parent.Parent().FirstChild() != parent {
		return nil
	}
	if parent.HasChildren() {
		return nil
	}
	if _, ok := parent.Parent().(*gast.ListItem); !ok {
		return nil
	}
	line, _ := block.PeekLine()
	n, checked, ok := taskBox(line)
	if !ok {
		return nil
	}
	block.Advance(n)
	return extast.NewTaskCheckBox(checked)
}

func (taskCheckBoxParser) CloseBlock(gast.Node, parser.Context) {}

// taskBox matches ^\[([\sxX])\]\s* at the start of line: how many bytes
// it covers and whether the box is ticked.
func taskBox(line []byte) (n int, checked, ok bool) {
	if len(line) < 3 || line[0] != '[' || line[2] != ']' {
		return 0, false, false
	}
	v := line[1]
	if v != 'x' && v != 'X' && bytes.IndexByte([]byte(reSpace), v) < 0 {
		return 0, false, false
	}
	n = 3
	for n < len(line) && bytes.IndexByte([]byte(reSpace), line[n]) >= 0 {
		n++
	}
	return n, v == 'x' || v == 'X', true
}
