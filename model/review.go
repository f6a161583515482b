package model

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Review is the post-incident review of one incident: what a team writes
// after the fact, in the sections postmortems are expected to have. It is
// saved whole (review.saved); the newest save by HLC is the review.
type Review struct {
	Summary             string       `json:"summary,omitempty"`
	Impact              string       `json:"impact,omitempty"`
	ImpactStart         time.Time    `json:"impact_start,omitzero"` // when impact began, for time to detect
	RootCause           string       `json:"root_cause,omitempty"`
	ContributingFactors string       `json:"contributing_factors,omitempty"`
	Detection           string       `json:"detection,omitempty"`
	Resolution          string       `json:"resolution,omitempty"`
	WentWell            string       `json:"went_well,omitempty"`
	WentPoorly          string       `json:"went_poorly,omitempty"`
	Lucky               string       `json:"lucky,omitempty"`
	Lessons             string       `json:"lessons,omitempty"`
	ActionItems         []ActionItem `json:"action_items,omitempty"`
}

// ActionStatus is where a follow-up action stands.
type ActionStatus string

const (
	ActionOpen       ActionStatus = "open"
	ActionInProgress ActionStatus = "in-progress"
	ActionDone       ActionStatus = "done"
	ActionWontDo     ActionStatus = "wont-do"
)

// ParseActionStatus accepts a status name; "" is open.
func ParseActionStatus(text string) (ActionStatus, error) {
	t := strings.ToLower(strings.TrimSpace(text))
	t = strings.NewReplacer(" ", "-", "_", "-", "'", "").Replace(t)
	switch t {
	case "", "open", "todo":
		return ActionOpen, nil
	case "in-progress", "doing", "started":
		return ActionInProgress, nil
	case "done", "closed", "fixed":
		return ActionDone, nil
	case "wont-do", "wontdo", "wontfix", "dropped":
		return ActionWontDo, nil
	}
	return "", Invalidf("invalid action status %q: use open, in-progress, done or wont-do", text)
}

// ActionItem is one follow-up with an owner and a due date.
type ActionItem struct {
	Title  string       `json:"title"`
	Owner  string       `json:"owner,omitempty"`
	Due    string       `json:"due,omitempty"` // YYYY-MM-DD
	Status ActionStatus `json:"status"`
	// Category is the "### " heading the item was written under in the
	// review ("Process", "Monitoring"); "" for none.
	Category string `json:"category,omitempty"`
}

// ActionGroup is the action items under one category.
type ActionGroup struct {
	Category string // "" for the items under no heading
	Items    []ActionItem
}

// GroupActionItems groups items by category, in the order the review
// document writes them: the uncategorised first, then each category in the
// order it first appears, so a document read back and written again keeps
// its shape.
func GroupActionItems(items []ActionItem) []ActionGroup {
	var groups []ActionGroup
	at := map[string]int{}
	for _, a := range items {
		i, ok := at[a.Category]
		if !ok {
			i = len(groups)
			at[a.Category] = i
			groups = append(groups, ActionGroup{Category: a.Category})
		}
		groups[i].Items = append(groups[i].Items, a)
	}
	if i, ok := at[""]; ok && i > 0 {
		none := groups[i]
		copy(groups[1:i+1], groups[:i])
		groups[0] = none
	}
	return groups
}

// ActionItemLines writes items as the review document's lines, under
// "### " headings for their categories: `- [ ] title | owner | due |
// status`.
func ActionItemLines(items []ActionItem) []string {
	var lines []string
	for _, g := range GroupActionItems(items) {
		if g.Category != "" {
			if len(lines) > 0 {
				lines = append(lines, "")
			}
			lines = append(lines, "### "+OneLine(g.Category), "")
		}
		for _, a := range g.Items {
			box := " "
			if a.Status == ActionDone {
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

// Empty reports whether nothing has been written.
func (r Review) Empty() bool {
	return r.Equal(Review{})
}

// Equal compares two reviews by content.
func (r Review) Equal(o Review) bool {
	r.ImpactStart, o.ImpactStart = r.ImpactStart.UTC(), o.ImpactStart.UTC()
	a, err1 := json.Marshal(r)
	b, err2 := json.Marshal(o)
	return err1 == nil && err2 == nil && string(a) == string(b)
}

// Validate checks the parts a reader relies on: action items have a title,
// a real due date and a known status.
func (r Review) Validate() error {
	for i, a := range r.ActionItems {
		if strings.TrimSpace(a.Title) == "" {
			return Invalidf("action item %d has no title", i+1)
		}
		if a.Due != "" {
			if _, err := time.Parse("2006-01-02", a.Due); err != nil {
				return Invalidf("action item %q: due date %q is not YYYY-MM-DD", a.Title, a.Due)
			}
		}
		if _, err := ParseActionStatus(string(a.Status)); err != nil {
			return err
		}
	}
	return nil
}

// SearchText is the review as one text, for the full-text index.
func (r Review) SearchText() string {
	parts := []string{r.Summary, r.Impact, r.RootCause, r.ContributingFactors, r.Detection, r.Resolution,
		r.WentWell, r.WentPoorly, r.Lucky, r.Lessons}
	for _, a := range r.ActionItems {
		parts = append(parts, strings.TrimSpace(a.Title+" "+a.Owner))
	}
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n")
}

// ReviewSection names one free-text section of the review document.
type ReviewSection struct {
	Key     string // json field
	Heading string // as written in the editor template and exports
	Hint    string
	get     func(*Review) *string
}

// ReviewSections lists the free-text sections in document order. Their
// headings follow the postmortems teams already write (Summary, Impact,
// Root cause, Detection, Resolution, Lessons learned, Action items), in
// sentence case; reading a document back ignores case.
var ReviewSections = []ReviewSection{
	{"summary", "Summary", "What happened, in a few sentences a newcomer understands.", func(r *Review) *string { return &r.Summary }},
	{"impact", "Impact", "Who and what was affected, for how long, how badly.", func(r *Review) *string { return &r.Impact }},
	{"root_cause", "Root cause", "The underlying cause, not just the trigger.", func(r *Review) *string { return &r.RootCause }},
	{"contributing_factors", "Contributing factors", "What made it possible, worse or slower to fix.", func(r *Review) *string { return &r.ContributingFactors }},
	{"detection", "Detection", "How it was noticed, and how it could be noticed sooner.", func(r *Review) *string { return &r.Detection }},
	{"resolution", "Resolution", "What stopped the impact and what restored service.", func(r *Review) *string { return &r.Resolution }},
	{"went_well", "What went well", "", func(r *Review) *string { return &r.WentWell }},
	{"went_poorly", "What went poorly", "", func(r *Review) *string { return &r.WentPoorly }},
	{"lucky", "Where we got lucky", "", func(r *Review) *string { return &r.Lucky }},
	{"lessons", "Lessons learned", "What the team takes away.", func(r *Review) *string { return &r.Lessons }},
}

// Get returns the section's text in r.
func (s ReviewSection) Get(r Review) string { return *s.get(&r) }

const (
	impactStartHeading = "Impact started"
	actionHeading      = "Action items"
	pinnedHeading      = "Pinned timeline entries"
)

// RenderReviewTemplate writes the review as the Markdown document people
// edit in $EDITOR: one "## " heading per section, action items as a task
// list of `title | owner | due | status`, and the pinned timeline entries
// for reference (they are not read back).
func RenderReviewTemplate(in Incident, r Review, pinned []TimelineEntry) string {
	var b strings.Builder
	ex := ""
	if in.Exercise {
		ex = " [EXERCISE]"
	}
	fmt.Fprintf(&b, "# Review of %s%s: %s\n\n", in.Short(), ex, OneLine(in.Title))
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
	for i, s := range ReviewSections {
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
		strings.Join(ActionItemLines(r.ActionItems), "\n"))
	if len(pinned) > 0 {
		fmt.Fprintf(&b, "## %s\n\n<!-- For reference while writing; this section is not saved.\n", pinnedHeading)
		for _, e := range pinned {
			fmt.Fprintf(&b, "- %s %s (%s): %s\n", e.Placed().UTC().Format("2006-01-02 15:04Z"), OneLine(e.Author), e.Label(),
				strings.ReplaceAll(OneLine(e.Text), "--", "- -"))
		}
		b.WriteString("-->\n")
	}
	return b.String()
}

// ParseReviewTemplate reads back a document written from
// RenderReviewTemplate. Errors name the line.
func ParseReviewTemplate(text string, now time.Time) (Review, error) {
	var r Review
	text = stripComments(text)
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
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
				return r, Invalidf("line %d: unknown section %q: the sections are %s (use ### for headings inside one)", i+1, strings.TrimSpace(h), sectionList())
			}
			if prev, dup := seen[key]; dup {
				return r, Invalidf("line %d: section %q appears twice (first at line %d)", i+1, strings.TrimSpace(h), prev)
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
			t, err := ParseWhen(strings.TrimSuffix(strings.TrimSpace(body), " UTC"), now, time.UTC)
			if err != nil {
				return r, Invalidf("line %d: impact start %q: %v", p.line, body, err)
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
						return r, Invalidf("line %d: a ### heading in %s needs a name, like ### Process", p.line+1+j, actionHeading)
					}
					continue
				}
				a, err := parseActionLine(l)
				if err != nil {
					return r, Invalidf("line %d: %v", p.line+1+j, err)
				}
				a.Category = category
				r.ActionItems = append(r.ActionItems, a)
			}
		default:
			for _, s := range ReviewSections {
				if normHeading(s.Heading) == p.heading {
					*s.get(&r) = body
				}
			}
		}
	}
	return r, r.Validate()
}

func parseActionLine(l string) (ActionItem, error) {
	rest, ok := strings.CutPrefix(l, "- ")
	if !ok {
		rest, ok = strings.CutPrefix(l, "* ")
	}
	if !ok {
		return ActionItem{}, Invalidf("action item %q: start it with \"- [ ] \"", l)
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
		return ActionItem{}, Invalidf("action item %q has %d fields: write what | owner | due | status", l, len(f))
	}
	st, err := ParseActionStatus(f[3])
	if err != nil {
		return ActionItem{}, err
	}
	if done && (f[3] == "" || st == ActionOpen) {
		st = ActionDone
	}
	// Saved as the document will show it next time: read back raw, a title
	// of control characters was saved, then written as nothing, and every
	// later edit failed on a line the user never wrote.
	title, owner := actionField(f[0]), actionField(f[1])
	if title == "" {
		return ActionItem{}, Invalidf("action item %q has no title", l)
	}
	return ActionItem{Title: title, Owner: owner, Due: f[2], Status: st}, nil
}

// actionField is a title or owner as an action item line holds it: on one
// line, without control characters, and without the "|" that separates
// the fields (only a review from elsewhere can hold one).
func actionField(s string) string {
	return strings.ReplaceAll(OneLine(s), "|", "¦")
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
	for _, s := range ReviewSections {
		if normHeading(s.Heading) == key {
			return true
		}
	}
	return key == normHeading(impactStartHeading) || key == normHeading(actionHeading) || key == normHeading(pinnedHeading)
}

func sectionList() string {
	var names []string
	for i, s := range ReviewSections {
		names = append(names, s.Heading)
		if i == 1 {
			names = append(names, impactStartHeading)
		}
	}
	return strings.Join(append(names, actionHeading), ", ")
}
