package model

import (
	"encoding/json"
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

// ValidDue reports whether s is a due date as action items keep them:
// YYYY-MM-DD, a real day.
func ValidDue(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

// Validate checks the parts a reader relies on: action items have a title,
// a real due date and a known status.
func (r Review) Validate() error {
	for i, a := range r.ActionItems {
		if strings.TrimSpace(a.Title) == "" {
			return Invalidf("action item %d has no title", i+1)
		}
		if a.Due != "" && !ValidDue(a.Due) {
			return Invalidf("action item %q: due date %q is not YYYY-MM-DD", a.Title, a.Due)
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

// Set puts text in the section of r.
func (s ReviewSection) Set(r *Review, text string) { *s.get(r) = text }
