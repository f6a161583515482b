package export

// The review document people edit in $EDITOR, written and read back: a
// file format, so it lives here with the others rather than in model.

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/sitrep-dev/sitrep/model"
)

const (
	impactStartHeading = "Impact started"
	actionHeading      = "Action items"
	pinnedHeading      = "Pinned timeline entries"
)

// RenderReviewTemplate writes the review as the Markdown document people
// edit in $EDITOR: one "## " heading per section, action items as a task
// list of `title | owner | due | status`, and the pinned timeline entries
// for reference (they are not read back).
func RenderReviewTemplate(in model.Incident, r model.Review, pinned []model.TimelineEntry) string {
	var b strings.Builder
	ex := ""
	if in.Exercise {
		ex = " [EXERCISE]"
	}
	fmt.Fprintf(&b, "# Review of %s%s: %s\n\n", in.Short(), ex, model.OneLine(in.Title))
	b.WriteString("<!-- Write under each heading; leave a section empty if unknown. Keep the \"## \"\n")
	b.WriteString("     headings as they are (use ### inside a section). Text in these comments is\n")
	b.WriteString("     ignored. Save and quit to record the review; quit without saving to cancel. -->\n\n")
	section := func(heading, hint, text string) {
		fmt.Fprintf(&b, "## %s\n\n", heading)
		if hint != "" {
			fmt.Fprintf(&b, "<!-- %s -->\n\n", hint)
		}
		if t := trimBlock(text); t != "" {
			b.WriteString(t)
			b.WriteString("\n\n")
		}
	}
	for i, s := range model.ReviewSections {
		section(s.Heading, s.Hint, s.Get(r))
		if i == 1 {
			start := ""
			if !r.ImpactStart.IsZero() {
				start = r.ImpactStart.UTC().Format("2006-01-02 15:04:05") + " UTC"
			}
			section(impactStartHeading, "When impact began (UTC, e.g. 2026-11-23 14:02); it gives the time to detect.", start)
		}
	}
	section(actionHeading, "One per line: - [ ] what | owner | due YYYY-MM-DD | open, in-progress, done or wont-do;\n     group them under ### headings (### Process, ### Monitoring) if you like",
		strings.Join(actionItemLines(r.ActionItems), "\n"))
	if len(pinned) > 0 {
		fmt.Fprintf(&b, "## %s\n\n<!-- For reference while writing; this section is not saved.\n", pinnedHeading)
		for _, e := range pinned {
			fmt.Fprintf(&b, "- %s %s (%s): %s\n", e.Placed().UTC().Format("2006-01-02 15:04Z"), model.OneLine(e.Author), e.Label(),
				strings.ReplaceAll(model.OneLine(e.Text), "--", "- -"))
		}
		b.WriteString("-->\n")
	}
	return b.String()
}

// ParseReviewTemplate reads back a document written from
// RenderReviewTemplate. Errors name the line.
func ParseReviewTemplate(text string, now time.Time) (model.Review, error) {
	var r model.Review
	text = stripComments(text)
	lines := strings.Split(unixLines(text), "\n")
	type part struct {
		heading string
		line    int
		body    []string
	}
	var parts []*part
	var cur *part
	seen := map[string]int{}
	for i, l := range lines {
		if h, ok := strings.CutPrefix(l, "## "); ok {
			key := normHeading(h)
			if !knownHeading(key) {
				return r, model.Invalidf("line %d: unknown section %q: the sections are %s (use ### for headings inside one)", i+1, strings.TrimSpace(h), sectionList())
			}
			if prev, dup := seen[key]; dup {
				return r, model.Invalidf("line %d: section %q appears twice (first at line %d)", i+1, strings.TrimSpace(h), prev)
			}
			seen[key] = i + 1
			cur = &part{heading: key, line: i + 1}
			parts = append(parts, cur)
			continue
		}
		if cur != nil {
			cur.body = append(cur.body, l)
		}
	}
	for _, p := range parts {
		body := trimBlock(strings.Join(p.body, "\n"))
		switch p.heading {
		case normHeading(pinnedHeading):
		case normHeading(impactStartHeading):
			if body == "" {
				continue
			}
			t, err := model.ParseWhen(strings.TrimSuffix(strings.TrimSpace(body), " UTC"), now, time.UTC)
			if err != nil {
				return r, model.Invalidf("line %d: impact start %q: %v", p.line, body, err)
			}
			r.ImpactStart = t.UTC()
		case normHeading(actionHeading):
			category := ""
			for j, l := range p.body {
				l = strings.TrimSpace(l)
				if l == "" {
					continue
				}
				if strings.HasPrefix(l, "###") {
					// A category, as the template suggests: "### Process".
					category = strings.TrimSpace(strings.TrimLeft(l, "#"))
					if category == "" {
						return r, model.Invalidf("line %d: a ### heading in %s needs a name, like ### Process", p.line+1+j, actionHeading)
					}
					continue
				}
				a, err := parseActionLine(l)
				if err != nil {
					return r, model.Invalidf("line %d: %v", p.line+1+j, err)
				}
				a.Category = category
				r.ActionItems = append(r.ActionItems, a)
			}
		default:
			for _, s := range model.ReviewSections {
				if normHeading(s.Heading) == p.heading {
					s.Set(&r, body)
				}
			}
		}
	}
	return r, r.Validate()
}

func parseActionLine(l string) (model.ActionItem, error) {
	rest, ok := strings.CutPrefix(l, "- ")
	if !ok {
		rest, ok = strings.CutPrefix(l, "* ")
	}
	if !ok {
		return model.ActionItem{}, model.Invalidf("action item %q: start it with \"- [ ] \"", l)
	}
	done := false
	switch {
	case strings.HasPrefix(rest, "[ ]"):
		rest = strings.TrimPrefix(rest, "[ ]")
	case strings.HasPrefix(strings.ToLower(rest), "[x]"):
		rest, done = rest[3:], true
	}
	f := strings.Split(rest, "|")
	for i := range f {
		f[i] = strings.TrimSpace(f[i])
	}
	for len(f) < 4 {
		f = append(f, "")
	}
	if len(f) > 4 {
		return model.ActionItem{}, model.Invalidf("action item %q has %d fields: write what | owner | due | status", l, len(f))
	}
	st, err := model.ParseActionStatus(f[3])
	if err != nil {
		return model.ActionItem{}, err
	}
	if done && (f[3] == "" || st == model.ActionOpen) {
		st = model.ActionDone
	}
	// Saved as the document will show it next time: read back raw, a title
	// of control characters was saved, then written as nothing, and every
	// later edit failed on a line the user never wrote.
	title, owner := actionField(f[0]), actionField(f[1])
	if title == "" {
		return model.ActionItem{}, model.Invalidf("action item %q has no title", l)
	}
	return model.ActionItem{Title: title, Owner: owner, Due: f[2], Status: st}, nil
}

// actionField is a title or owner as an action item line holds it: on one
// line, without control characters, and without the "|" that separates
// the fields (only a review from elsewhere can hold one).
func actionField(s string) string {
	return strings.ReplaceAll(model.OneLine(s), "|", "¦")
}

func stripComments(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "<!--")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		j := strings.Index(s[i:], "-->")
		if j < 0 {
			return b.String()
		}
		// keep the line count so errors name the right line
		b.WriteString(strings.Repeat("\n", strings.Count(s[i:i+j], "\n")))
		s = s[i+j+3:]
	}
}

var lineEnd = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\r+\n`) })

// unixLines ends every line with "\n" alone. Every carriage return before
// a line's end goes, not one: "a\r\r\n" read as "a\r\n" would lose one
// more each time the review went through $EDITOR and back.
func unixLines(s string) string { return lineEnd().ReplaceAllString(s, "\n") }

// trimBlock drops blank lines around text and trailing spaces, but keeps
// the first line's indentation (an indented "## " is text, not a heading).
func trimBlock(s string) string {
	s = strings.TrimRight(s, " \t\r\n")
	for {
		line, rest, ok := strings.Cut(s, "\n")
		if !ok || strings.TrimSpace(line) != "" {
			if strings.TrimSpace(s) == "" {
				return ""
			}
			return s
		}
		s = rest
	}
}

func normHeading(h string) string { return strings.ToLower(strings.Join(strings.Fields(h), " ")) }

func knownHeading(key string) bool {
	for _, s := range model.ReviewSections {
		if normHeading(s.Heading) == key {
			return true
		}
	}
	return key == normHeading(impactStartHeading) || key == normHeading(actionHeading) || key == normHeading(pinnedHeading)
}

func sectionList() string {
	var names []string
	for i, s := range model.ReviewSections {
		names = append(names, s.Heading)
		if i == 1 {
			names = append(names, impactStartHeading)
		}
	}
	return strings.Join(append(names, actionHeading), ", ")
}

// actionItemLines writes items as the review document's lines, under
// "### " headings for their categories: `- [ ] title | owner | due |
// status`.
func actionItemLines(items []model.ActionItem) []string {
	var lines []string
	for _, g := range model.GroupActionItems(items) {
		if g.Category != "" {
			if len(lines) > 0 {
				lines = append(lines, "")
			}
			lines = append(lines, "### "+model.OneLine(g.Category), "")
		}
		for _, a := range g.Items {
			box := " "
			if a.Status == model.ActionDone {
				box = "x"
			}
			title := actionField(a.Title)
			if title == "" {
				// only a review from elsewhere (sync, import) can lack one;
				// written empty, it would fail every later edit on this line
				title = "(no title)"
			}
			lines = append(lines, fmt.Sprintf("- [%s] %s | %s | %s | %s", box, title, actionField(a.Owner), a.Due, a.Status))
		}
	}
	return lines
}
