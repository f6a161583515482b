package export

// A postmortem written elsewhere (a wiki page, a Google Doc saved as
// Markdown, a repository's post-mortems folder) read into a review: its
// sections found by the names teams give them, and nothing of its text
// dropped.

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/sitrep-dev/sitrep/model"
)

// Section keys beside the free-text ones (model.ReviewSections' Key).
const (
	keyImpactStart = "impact_start"
	keyActions     = "action_items"
	keyPinned      = "pinned"
)

// otherNames are the other headings teams give each section (besides the
// one sitrep's own document uses), normalised as sectionKey normalises.
// (A function, not a map built at start-up: only sectionByName reads it.)
func otherNames() map[string][]string {
	return map[string][]string{
		"summary":              {"executive summary", "incident summary", "overview", "tl;dr", "tldr", "description", "what happened", "background"},
		"impact":               {"customer impact", "user impact", "business impact", "impact assessment", "scope", "scope and impact", "impact and scope"},
		keyImpactStart:         {"impact start", "start of impact"},
		"root_cause":           {"root causes", "root cause analysis", "rca", "cause", "causes", "why it happened"},
		"contributing_factors": {"contributing factor", "contributing causes", "trigger", "triggers"},
		"detection":            {"how it was detected", "how was it detected", "how we found out"},
		"resolution":           {"mitigation", "remediation", "recovery", "resolution and recovery", "mitigation and resolution", "fix", "the fix", "how it was fixed", "response"},
		"went_well":            {"went well", "things that went well", "what worked", "what went right"},
		"went_poorly":          {"what went wrong", "what didn't go well", "what did not go well", "what could have gone better", "what could be improved", "things that went poorly", "what went badly", "went poorly", "went wrong"},
		"lucky":                {"where we were lucky", "we got lucky", "lucky", "what we got lucky with"},
		"lessons":              {"lessons learnt", "lessons", "learnings", "takeaways", "key takeaways"},
		keyActions:             {"action item", "follow-ups", "follow ups", "followups", "follow-up items", "corrective actions", "corrective and preventative actions", "remediation items", "next steps", "todo", "to do", "action plan", "preventive actions"},
	}
}

// sectionHeadings are the headings of sitrep's own review document, by
// section key.
var sectionHeadings = sync.OnceValue(func() map[string]string {
	m := map[string]string{keyImpactStart: impactStartHeading, keyActions: actionHeading, keyPinned: pinnedHeading}
	for _, s := range model.ReviewSections {
		m[s.Key] = s.Heading
	}
	return m
})

var sectionByName = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for key, h := range sectionHeadings() {
		m[normName(h)] = key
	}
	for key, names := range otherNames() {
		for _, n := range names {
			m[n] = key
		}
	}
	return m
})

var (
	headingLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$`) })
	// "**Impact:** text", "**Root Causes**: text", as the Google SRE book's
	// template opens with.
	labelLine = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^\s*(?:[-*+]\s+)?\*\*([^*]{1,60}?)\s*(?::\s*\*\*|\*\*\s*:)\s*(.*)$`)
	})
	// boldLine: "**Root Cause**", "__Impact:__", a line that is bold and
	// nothing else.
	boldLine = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^ {0,3}(?:\*\*|__)([^*_]{1,60}?)(?:\*\*|__)\s*:?\s*$`)
	})
	numbering = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(?:\d+|[ivx]+|[a-z])[.)]\s+`) })
)

// headingOf reads l as a heading: a Markdown one, or a line that is
// bold and nothing else, as documents written without heading styles (a
// Google Doc, a wiki page) head their sections. A bold line is a heading
// when it names a section, or, once one has (*bold says so), when it is
// short enough to be a name (a "**Timeline**" among them). Such headings
// are level 2.
func headingOf(l string, bold *bool) (level int, h string, ok bool) {
	if m := headingLine().FindStringSubmatch(l); m != nil {
		return len(m[1]), m[2], true
	}
	m := boldLine().FindStringSubmatch(l)
	if m == nil {
		return 0, "", false
	}
	h = strings.TrimSpace(m[1])
	if sectionKey(h) != "" {
		*bold = true
		return 2, h, true
	}
	if *bold && len(strings.Fields(h)) <= 5 {
		return 2, h, true
	}
	return 0, "", false
}

// sectionKey is the section a heading names, "" for none it knows.
func sectionKey(heading string) string {
	name := normName(heading)
	if key, ok := sectionByName()[name]; ok {
		return key
	}
	return keyByWords(name)
}

// telling are the words that name a section whatever is around them, for
// the headings teams vary most: "Blameless lessons learned", "Follow-up
// tasks", "Five whys", "Impact on customers". Only short headings are read
// so: a long one is a sentence, not a section's name.
var telling = sync.OnceValue(func() []struct {
	re  *regexp.Regexp
	key string
} {
	rules := []struct{ re, key string }{
		{`\blessons?\b`, "lessons"},
		{`\b(follow[- ]?ups?|action items?|actions? to take|corrective|preventi?ve|preventative|remediation (items|tasks|actions))\b`, keyActions},
		{`\b(five|5) whys\b|\broot[- ]caus`, "root_cause"},
		{`\bcontributing\b`, "contributing_factors"},
		{`\bwent (well|right)\b`, "went_well"},
		{`\bwent (wrong|poorly|badly)\b|\bcould (have gone|be done|be) (better|improved)\b`, "went_poorly"},
		{`\blucky\b`, "lucky"},
		{`\bdetect(ed|ion)?\b`, "detection"},
		{`\bimpact\b`, "impact"},
		{`\b(summary|overview)\b`, "summary"},
	}
	out := make([]struct {
		re  *regexp.Regexp
		key string
	}, len(rules))
	for i, r := range rules {
		out[i].re, out[i].key = regexp.MustCompile(r.re), r.key
	}
	return out
})

func keyByWords(name string) string {
	if len(strings.Fields(name)) > 5 {
		return ""
	}
	for _, r := range telling() {
		if r.re.MatchString(name) {
			return r.key
		}
	}
	return ""
}

var nameMarks = sync.OnceValue(func() *strings.Replacer {
	return strings.NewReplacer("*", "", "_", " ", "`", "", "&", "and", "’", "'")
})

// normName is a heading as otherNames writes it: lower case, without
// emphasis, numbering or the punctuation and emoji around it.
func normName(heading string) string {
	h := strings.ToLower(model.OneLine(heading))
	h = nameMarks().Replace(h)
	h = numbering().ReplaceAllString(strings.TrimSpace(h), "")
	h = strings.Trim(h, " :.-–—!?🔥✅❌📝")
	return strings.Join(strings.Fields(h), " ")
}

func isFreeText(key string) bool {
	return key != "" && key != keyImpactStart && key != keyActions && key != keyPinned
}

func sectionHeading(key string) string { return sectionHeadings()[key] }

type docLine struct {
	n    int // 1-based, in the file
	text string
}

// ReadPostmortem reads a review from a postmortem: the review document
// sitrep writes, or one written elsewhere. Sections are found by the names
// teams give them, at any heading level ("Root Causes", "What went
// wrong", "Follow-ups"), or by a bold label opening a paragraph before the
// first heading ("**Impact:** …"). Text under a heading sitrep has no
// section for (a timeline, an appendix) is kept, under that heading, in
// the section before it; text before the first section goes to the
// summary. Action items may be sitrep's "- [ ] what | owner | due |
// status" lines, plain list items or a table with columns such as Owner,
// Due and Status. notes says, by line, where text was put that had no
// section of its own, for the user to check.
func ReadPostmortem(text string, now time.Time) (model.Review, []string, error) {
	var r model.Review
	type note struct {
		line int
		text string
	}
	var notes []note
	text = unixLines(stripComments(text))
	bodies := map[string][]docLine{}
	type known struct {
		key   string
		level int
	}
	var seen []known   // the free-text sections met so far
	cur := known{}     // where lines go now; key "" is before any section
	label := false     // cur is a bold-labelled paragraph before the first heading
	titled := false    // the document's # title was met (it is the incident's own)
	var preamble []int // lines before any section, kept in the summary
	var code model.CodeFence
	boldHeadings := false // the document heads sections with bold lines
	for i, l := range strings.Split(text, "\n") {
		n := i + 1
		if code.Inside() {
			// A code block left open ends at the next heading that names
			// a section: otherwise one missing ``` would swallow the rest
			// of the document, and "## Impact" is not a line of code.
			if m := headingLine().FindStringSubmatch(l); m != nil && sectionKey(m[2]) != "" {
				code.End()
			}
		}
		if !code.Line(l) {
			if level, h, ok := headingOf(l, &boldHeadings); ok {
				label = false
				if key := sectionKey(h); key != "" {
					cur = known{key, level}
					bodies[key] = paragraphEnd(bodies[key], n)
					if len(bodies[key]) > 0 && isFreeText(key) && normName(h) != normName(sectionHeading(key)) {
						// A second heading for the same section ("Response",
						// then "Recovery") keeps its name over its part,
						// unless it is the section's own name.
						bodies[key] = append(bodies[key], docLine{n, "### " + model.OneLine(h)})
					}
					if isFreeText(key) {
						seen = append(seen, cur)
					}
					continue
				}
				if level == 1 && !titled && cur.key == "" && len(preamble) == 0 {
					titled = true
					continue
				}
				if (isFreeText(cur.key) || cur.key == keyActions) && level > cur.level {
					// A heading inside a known section is its own (for
					// action items, a group's name).
					bodies[cur.key] = append(bodies[cur.key], docLine{n, l})
					continue
				}
				// Kept with the section before it at its level or above (a
				// "## Timeline" after "### What went wrong" goes with the
				// "## Lessons learned" those were under).
				host := "summary"
				if len(seen) > 0 {
					host = seen[len(seen)-1].key
				}
				for j := len(seen) - 1; j >= 0; j-- {
					if seen[j].level <= level {
						host = seen[j].key
						break
					}
				}
				notes = append(notes, note{n, fmt.Sprintf("line %d: %q is not a section a review has: kept under %s", n, model.OneLine(h), sectionHeading(host))})
				cur = known{host, level}
				bodies[host] = append(paragraphEnd(bodies[host], n), docLine{n, "### " + model.OneLine(h)})
				continue
			}
			if cur.key == "" || label {
				if m := labelLine().FindStringSubmatch(l); m != nil {
					if key := sectionKey(m[1]); isFreeText(key) {
						cur, label = known{key: key, level: 7}, true // no heading is inside it
						bodies[key] = append(paragraphEnd(bodies[key], n), docLine{n, m[2]})
						continue
					}
				}
				if label && strings.TrimSpace(l) == "" {
					cur, label = known{}, false
				}
			}
		}
		if cur.key == "" {
			if strings.TrimSpace(l) != "" {
				preamble = append(preamble, n)
			}
			bodies["summary"] = append(bodies["summary"], docLine{n, l})
			continue
		}
		if body := bodies[cur.key]; strings.TrimSpace(l) == "" && len(body) > 0 && strings.TrimSpace(body[len(body)-1].text) == "" && !code.Inside() {
			continue // one blank line between paragraphs, where a section goes on after a heading
		}
		bodies[cur.key] = append(bodies[cur.key], docLine{n, l})
	}
	if len(preamble) > 0 {
		notes = append(notes, note{preamble[0], fmt.Sprintf("%s: text before the first section kept in the summary", lineSpan(preamble[0], preamble[len(preamble)-1]))})
	}

	for _, s := range model.ReviewSections {
		s.Set(&r, trimBlock(joinLines(bodies[s.Key])))
	}
	if start := trimBlock(joinLines(bodies[keyImpactStart])); start != "" {
		t, err := model.ParseWhen(strings.TrimSuffix(strings.TrimSpace(start), " UTC"), now, time.UTC)
		if err != nil || strings.Contains(start, "\n") {
			// Not a time sitrep can read: kept as words in the impact.
			r.Impact = strings.TrimSpace(r.Impact + "\n\n" + impactStartHeading + ": " + start)
			at := bodies[keyImpactStart][0].n
			for _, l := range bodies[keyImpactStart] {
				if strings.TrimSpace(l.text) != "" {
					at = l.n
					break
				}
			}
			notes = append(notes, note{at, fmt.Sprintf("line %d: %q is not a time (like 2026-11-23 14:02): kept in %s", at, model.OneLine(start), sectionHeading("impact"))})
		} else {
			r.ImpactStart = t.UTC()
		}
	}
	r.ActionItems = readActionItems(bodies[keyActions])
	sort.SliceStable(notes, func(i, j int) bool { return notes[i].line < notes[j].line })
	said := make([]string, len(notes))
	for i, n := range notes {
		said[i] = n.text
	}
	return r, said, r.Validate()
}

// paragraphEnd ends what a section holds so far with one blank line, before
// more is added to it from elsewhere in the document (line n).
func paragraphEnd(ls []docLine, n int) []docLine {
	for len(ls) > 0 && strings.TrimSpace(ls[len(ls)-1].text) == "" {
		ls = ls[:len(ls)-1]
	}
	if len(ls) == 0 {
		return ls
	}
	return append(ls, docLine{n, ""})
}

func joinLines(ls []docLine) string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.text
	}
	return strings.Join(out, "\n")
}

func lineSpan(a, b int) string {
	if a == b {
		return fmt.Sprintf("line %d", a)
	}
	return fmt.Sprintf("lines %d-%d", a, b)
}

// readActionItems reads an action items section: sitrep's own lines,
// plain list items (an indented one adds to the item above), plain lines,
// or a table whose header names the columns. "### " headings group them.
func readActionItems(lines []docLine) []model.ActionItem {
	var items []model.ActionItem
	category := ""
	var cols []string // the table's header, nil outside a table
	open := false     // the last line was part of the last item
	for _, l := range lines {
		t := strings.TrimSpace(l.text)
		switch {
		case t == "":
			cols, open = nil, false
			continue
		case strings.HasPrefix(t, "#"):
			category = strings.TrimSpace(strings.Trim(t, "# "))
			cols, open = nil, false
			continue
		case strings.HasPrefix(t, "|"):
			cells := tableCells(t)
			if cols == nil {
				cols = cells
				continue
			}
			if isRule(cells) {
				continue
			}
			a := itemFromRow(cols, cells)
			if a.Title == "" {
				continue
			}
			a.Category = category
			items, open = append(items, a), false
			continue
		}
		indent := len(l.text) - len(strings.TrimLeft(l.text, " \t"))
		mark := t[:model.ListMarker(t)]
		rest := strings.TrimSpace(t[len(mark):])
		if (mark == "" || indent >= 2) && open && len(items) > 0 {
			// A wrapped line or a sub-item: part of the item above.
			last := &items[len(items)-1]
			sep := " "
			if mark != "" {
				sep = "; "
			}
			last.Title = actionField(last.Title + sep + rest)
			continue
		}
		var a model.ActionItem
		if strings.Contains(rest, "|") {
			// sitrep's own "[ ] what | owner | due | status".
			if ours, err := parseActionLine("- " + rest); err == nil {
				a = ours
				if a.Due != "" && !model.ValidDue(a.Due) {
					a.Title, a.Due = actionField(a.Title+" (due: "+a.Due+")"), ""
				}
			}
		}
		if a.Title == "" {
			a = plainItem(rest)
		}
		if a.Title == "" {
			open = false // an empty bullet
			continue
		}
		a.Category = category
		items, open = append(items, a), true
	}
	return items
}

// plainItem is an action item written as a sentence: a ticked box or a
// DONE marker says it is done.
func plainItem(s string) model.ActionItem {
	a := model.ActionItem{Status: model.ActionOpen}
	low := strings.ToLower(s)
	switch {
	case strings.HasPrefix(low, "[x]"):
		a.Status, s = model.ActionDone, s[3:]
	case strings.HasPrefix(low, "[ ]"):
		s = s[3:]
	}
	if st, ok := statusMarker(s); ok && a.Status == model.ActionOpen {
		a.Status = st
	}
	// "(owner: Dana)", "(owner: Dana, due: 2026-11-01)": the fields as
	// prose writes them. A due date sitrep cannot read stays in the title.
	if m := itemFields().FindStringSubmatchIndex(s); m != nil {
		rest := s[m[2]:m[3]]
		kept := []string{}
		for _, part := range strings.Split(rest, ",") {
			k, v, ok := strings.Cut(part, ":")
			k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
			switch {
			case ok && v != "" && ownerColumn().MatchString(k) && a.Owner == "":
				a.Owner = actionField(v)
			case ok && v != "" && (dueColumn().MatchString(k) || k == "by") && a.Due == "" && model.ValidDue(v):
				a.Due = v
			default:
				kept = append(kept, strings.TrimSpace(part))
			}
		}
		s = s[:m[0]]
		if len(kept) > 0 && strings.Join(kept, "") != "" {
			s += " (" + strings.Join(kept, ", ") + ")"
		}
	}
	a.Title = actionField(strings.ReplaceAll(strings.TrimSpace(s), "**", ""))
	return a
}

// itemFields: a parenthesised "(owner: …)" group at the end of an item.
var itemFields = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)\s*\(((?:[^()]*?\b(?:owner|assignee|assigned to|who|dri|due|by|deadline)\s*:[^()]*))\)\s*$`)
})

var statusWord = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\b(DONE|FIXED|CLOSED|TODO|IN PROGRESS|WONTFIX|WON'T DO)\b|✅`)
})

// statusMarker finds a status written in capitals (or a ✅) in s.
func statusMarker(s string) (model.ActionStatus, bool) {
	m := statusWord().FindString(s)
	if m == "" {
		return "", false
	}
	if m == "✅" {
		return model.ActionDone, true
	}
	st, err := model.ParseActionStatus(strings.ReplaceAll(m, "WON'T DO", "wont-do"))
	return st, err == nil
}

// tableCells splits a table row at its unescaped pipes: a "\|" is a pipe
// in a cell, as sitrep's own export writes one (mdCell).
func tableCells(row string) []string {
	row = strings.TrimSpace(row)
	row = strings.TrimPrefix(row, "|")
	if strings.HasSuffix(row, "|") && !strings.HasSuffix(row, `\|`) {
		row = row[:len(row)-1]
	}
	var cells []string
	var cell strings.Builder
	for i := 0; i < len(row); i++ {
		switch {
		case row[i] == '\\' && i+1 < len(row) && row[i+1] == '|':
			cell.WriteByte('|')
			i++
		case row[i] == '|':
			cells, cell = append(cells, cell.String()), strings.Builder{}
		default:
			cell.WriteByte(row[i])
		}
	}
	cells = append(cells, cell.String())
	for i := range cells {
		cells[i] = strings.TrimSpace(strings.ReplaceAll(cells[i], "**", ""))
	}
	return cells
}

func isRule(cells []string) bool {
	for _, c := range cells {
		if strings.Trim(c, ":- ") != "" {
			return false
		}
	}
	return true
}

var (
	titleColumn = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)action|item|task|what|description|title|follow`) })
	ownerColumn = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)\b(owner|assignee|assigned|who|responsible|dri)\b`)
	})
	dueColumn    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)\b(due|deadline|by when|eta|target)\b`) })
	statusColumn = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)\b(status|state|done)\b`) })
)

// itemFromRow reads one table row by its header: the title, owner, due
// date and status columns where the header names them, and every other
// filled cell kept after the title as "(header: value)".
func itemFromRow(cols, cells []string) model.ActionItem {
	title, owner, due, status := -1, -1, -1, -1
	for i, c := range cols {
		switch {
		case owner < 0 && ownerColumn().MatchString(c):
			owner = i
		case due < 0 && dueColumn().MatchString(c):
			due = i
		case status < 0 && statusColumn().MatchString(c):
			status = i
		case title < 0 && titleColumn().MatchString(c):
			title = i
		}
	}
	if title < 0 {
		title = 0
	}
	cell := func(i int) string {
		if i < 0 || i >= len(cells) {
			return ""
		}
		return cells[i]
	}
	a := model.ActionItem{Title: cell(title), Owner: actionField(cell(owner)), Status: model.ActionOpen}
	var extra []string
	if d := cell(due); d != "" {
		if model.ValidDue(d) {
			a.Due = d
		} else {
			extra = append(extra, cols[due]+": "+d)
		}
	}
	if s := cell(status); s != "" {
		if st, err := model.ParseActionStatus(s); err == nil {
			a.Status = st
		} else if st, ok := statusMarker(s); ok {
			a.Status = st
		} else {
			extra = append(extra, cols[status]+": "+s)
		}
	}
	for i, c := range cells {
		if i == title || i == owner || i == due || i == status || c == "" {
			continue
		}
		if st, ok := statusMarker(c); ok && status < 0 {
			a.Status = st
		}
		head := ""
		if i < len(cols) && cols[i] != "" {
			head = cols[i] + ": "
		}
		extra = append(extra, head+c)
	}
	if len(extra) > 0 {
		a.Title = strings.TrimSpace(a.Title + " (" + strings.Join(extra, "; ") + ")")
	}
	a.Title = actionField(a.Title)
	return a
}
