package runbooks

import (
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"

	"github.com/sitrep-dev/sitrep/model"
)

// maxDepth is how deep steps nest before the linter says so: past three
// levels a stepper's indentation stops telling the reader where they are.
const maxDepth = 3

// lintRunbook adds the findings that need the whole parsed runbook. Parse
// already reported what it met on the way (front matter, annotations).
func lintRunbook(s *source, rb *model.Runbook) {
	for _, p := range rb.Phases {
		for _, st := range p.Steps {
			if strings.TrimSpace(st.Title) == "" {
				s.add(Warning, st.Line, 1, "step has no text on its first line, so lists and the timeline show it blank")
			}
		}
	}
	if rb.StepCount() == 0 {
		s.add(Warning, 1, 1, "no steps: there is nothing to walk through (add `- [ ]` items, numbered items or headed sections)")
	}
	lintNesting(s)
	lintLists(s)
	lintSourceLines(s)
}

// lintNesting warns where a step sits more than maxDepth lists deep,
// counting plain bullet lists too: a numbered step under three levels of
// bullets is as hard to place as one under three levels of steps. It warns
// once per list, at the first such step, not at every item below it.
func lintNesting(s *source) {
	warned := map[ast.Node]bool{}
	var walk func(n ast.Node, level int, deepAbove bool)
	walk = func(n ast.Node, level int, deepAbove bool) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			lvl, deep := level, deepAbove
			if _, ok := c.(*ast.List); ok {
				lvl++
			}
			if li, ok := c.(*ast.ListItem); ok && isStep(li) && level > maxDepth {
				if !deepAbove && !warned[li.Parent()] {
					warned[li.Parent()] = true
					s.add(Warning, s.bodyLine(start(li)), 1, "checklist nested %d levels deep: steps this far in are hard to follow in the stepper; consider splitting them into steps of their own", level)
				}
				deep = true
			}
			if skipInlines(c) == ast.WalkContinue {
				walk(c, lvl, deep)
			}
		}
	}
	walk(s.doc, 0, false)
}

// lintLists walks the Markdown tree for list shapes that read differently
// in the raw file than in a rendered one.
func lintLists(s *source) {
	_ = ast.Walk(s.doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.ListItem:
			if cb := checkbox(n); cb != nil && cb.IsChecked {
				s.add(Warning, s.bodyLine(start(n)), 1, "step is ticked in the file ([x]); sitrep starts every step open on each incident")
			}
		case *ast.List:
			if n.IsOrdered() {
				lintNumbering(s, n)
			}
		case *Callout:
			if n.fence > 0 && !n.closed {
				line, col := s.bodyPos(start(n))
				colons := strings.Repeat(":", n.fence)
				s.add(Warning, line, col, "callout %s%s is not closed, so it runs to the end of the file: end it with a line of %s", colons, n.Sort, colons)
			}
		case *ast.HTMLBlock:
			if n.HTMLBlockType != ast.HTMLBlockType2 {
				line, col := s.bodyPos(start(n))
				s.add(Warning, line, col, "HTML block: sitrep shows its text without the tags, not laid out as a browser would")
			}
		}
		return skipInlines(n), nil
	})
}

// lintNumbering points out numbers that disagree with the order a reader
// of the rendered file sees, and lists split in two by an unindented block.
func lintNumbering(s *source, l *ast.List) {
	line := s.bodyLine(start(l))
	// A code block at the left margin between two numbered items is the
	// classic slip: it ends the list, and the next item starts again at 1.
	if prev := l.PreviousSibling(); l.Start == 1 && prev != nil && (prev.Kind() == ast.KindFencedCodeBlock || prev.Kind() == ast.KindCodeBlock) {
		if before := prev.PreviousSibling(); before != nil && before.Kind() == ast.KindList && before.(*ast.List).IsOrdered() {
			s.add(Warning, line, 1, "numbering restarts at 1: the code block above is not indented under the previous item, so it ends that list; indent it to keep the steps in one list")
			return
		}
	}
	var nums []int
	for c := l.FirstChild(); c != nil; c = c.NextSibling() {
		nums = append(nums, itemNumber(s, c))
	}
	if len(nums) < 2 {
		return
	}
	same := true
	for _, n := range nums {
		same = same && n == nums[0]
	}
	if same {
		// "1." "1." "1." is CommonMark's lazy numbering: nothing to say
		return
	}
	for i, n := range nums {
		if n >= 0 && n != l.Start+i {
			s.add(Warning, s.bodyLine(start(nodeAt(l, i))), 1, "item numbered %d is item %d of its list; sitrep numbers steps by position", n, l.Start+i)
			return
		}
	}
}

func nodeAt(parent ast.Node, i int) ast.Node {
	c := parent.FirstChild()
	for ; i > 0 && c != nil; i-- {
		c = c.NextSibling()
	}
	return c
}

// itemNumber reads the number an ordered item is written with, -1 if the
// source does not show one where the item starts.
func itemNumber(s *source, item ast.Node) int {
	p := start(item)
	if p < 0 {
		return -1
	}
	end := p
	for end < len(s.body) && end-p < 9 && s.body[end] >= '0' && s.body[end] <= '9' {
		end++
	}
	n, err := strconv.Atoi(string(s.body[p:end]))
	if err != nil {
		return -1
	}
	return n
}

// lintSourceLines looks at the text itself, outside code blocks, for things
// Markdown happily accepts but a responder should not meet mid-incident.
func lintSourceLines(s *source) {
	code := make([]bool, s.lastLine()+2) // by line number
	_ = ast.Walk(s.doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && (n.Kind() == ast.KindFencedCodeBlock || n.Kind() == ast.KindCodeBlock) {
			sp := s.nodeSpan(n)
			for l := sp.first; l <= sp.last; l++ {
				code[l] = true
			}
		}
		if entering {
			return skipInlines(n), nil
		}
		return ast.WalkContinue, nil
	})
	first, _ := s.pos(s.bodyAt)
	for n := first; n <= s.lastLine(); n++ {
		if code[n] {
			continue
		}
		text := s.lineText(n)
		if strings.HasPrefix(text, "<<<<<<< ") || strings.HasPrefix(text, ">>>>>>> ") || text == "<<<<<<<" || text == ">>>>>>>" {
			s.add(Error, n, 1, "merge conflict marker: resolve the conflict before anyone follows this runbook")
			continue
		}
		for _, open := range []string{"{{<", "{{%"} {
			if i := strings.Index(text, open); i >= 0 {
				s.add(Warning, n, i+1, "Hugo shortcode %s: shown as written, since sitrep does not run Hugo", shortcode(text[i:]))
				break
			}
		}
	}
}

// shortcode is the opening of a shortcode for a message: `{{< ref >}}`.
func shortcode(text string) string {
	fields := strings.Fields(strings.TrimLeft(text[3:], " "))
	name := ""
	if len(fields) > 0 {
		name = strings.Trim(fields[0], `"'>%}`)
	}
	return text[:3] + " " + name + " " + map[byte]string{'<': ">}}", '%': "%}}"}[text[2]]
}
