package model

import (
	"strings"
	"time"
)

// Status is where an incident stands in its lifecycle. The order follows the
// incident-handling stages in the seeds: detection and analysis; containment,
// eradication and recovery; resolution; post-incident review.
type Status string

const (
	StatusDetected      Status = "detected"
	StatusInvestigating Status = "investigating"
	StatusContaining    Status = "containing"
	StatusMitigated     Status = "mitigated"
	StatusResolved      Status = "resolved"
	StatusReviewed      Status = "reviewed"
)

// Statuses lists the lifecycle in order.
var Statuses = []Status{StatusDetected, StatusInvestigating, StatusContaining, StatusMitigated, StatusResolved, StatusReviewed}

var statusMeaning = map[Status]string{
	StatusDetected:      "detection: reported or alerted, nobody has taken it yet",
	StatusInvestigating: "analysis: acknowledged, a responder owns it and is scoping it",
	StatusContaining:    "containment and eradication: limiting the damage, removing the cause",
	StatusMitigated:     "recovery: customer impact stopped, restoring and verifying",
	StatusResolved:      "resolved: service normal and verified, incident closed",
	StatusReviewed:      "post-incident review done",
}

// Meaning is the one-line description shown in pickers and help.
func (s Status) Meaning() string { return statusMeaning[s] }

// Rank is the status's position in the lifecycle, or -1 if unknown.
func (s Status) Rank() int {
	for i, v := range Statuses {
		if v == s {
			return i
		}
	}
	return -1
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return s.Rank() >= 0 }

// Active reports whether the incident still needs responders.
func (s Status) Active() bool { return s.Rank() < StatusResolved.Rank() }

// ParseStatus accepts a status name in any case.
func ParseStatus(text string) (Status, error) {
	s := Status(strings.ToLower(strings.TrimSpace(text)))
	if !s.Valid() {
		names := make([]string, len(Statuses))
		for i, v := range Statuses {
			names[i] = string(v)
		}
		return "", Invalidf("invalid status %q: use one of %s", text, strings.Join(names, ", "))
	}
	return s, nil
}

// Milestone names a moment that review metrics measure from or to.
type Milestone string

const (
	MilestoneDetected     Milestone = "detected"
	MilestoneAcknowledged Milestone = "acknowledged"
	MilestoneMitigated    Milestone = "mitigated"
	MilestoneResolved     Milestone = "resolved"
	MilestoneReviewed     Milestone = "reviewed"
)

// Milestones lists them in the order they happen.
var Milestones = []Milestone{MilestoneDetected, MilestoneAcknowledged, MilestoneMitigated, MilestoneResolved, MilestoneReviewed}

// ReachedBy is the first status whose arrival marks the milestone; reaching
// any later status marks it too, so skipping a stage still records it.
func (m Milestone) ReachedBy() Status {
	switch m {
	case MilestoneAcknowledged:
		return StatusInvestigating
	case MilestoneMitigated:
		return StatusMitigated
	case MilestoneResolved:
		return StatusResolved
	case MilestoneReviewed:
		return StatusReviewed
	}
	return StatusDetected
}

// MarkedBy reports whether a change to status, from the status the author
// saw (from; "" when unknown, as for a declaration), marks m. Reaching m's
// status or a later one marks it, so skipping a stage still records it,
// with one exception: going from detected, where nobody has taken the
// incident, straight to mitigated or later does not mark acknowledged. That
// is an incident that healed (or was fixed) before anyone acknowledged it,
// and a time to acknowledge made up from its end would skew the metric.
func (m Milestone) MarkedBy(status, from Status) bool {
	if m == MilestoneDetected || status.Rank() < m.ReachedBy().Rank() {
		return false
	}
	return m != MilestoneAcknowledged || from != StatusDetected || status.Rank() < StatusMitigated.Rank()
}

// Milestones holds when each milestone was first reached; zero when not yet.
type MilestoneTimes struct {
	Detected     time.Time
	Acknowledged time.Time
	Mitigated    time.Time
	Resolved     time.Time
	Reviewed     time.Time
}

// Get returns the time of one milestone.
func (t MilestoneTimes) Get(m Milestone) time.Time {
	switch m {
	case MilestoneDetected:
		return t.Detected
	case MilestoneAcknowledged:
		return t.Acknowledged
	case MilestoneMitigated:
		return t.Mitigated
	case MilestoneResolved:
		return t.Resolved
	case MilestoneReviewed:
		return t.Reviewed
	}
	return time.Time{}
}

// Since is how long from detection to m, and false if either is unknown.
// It is never negative: a milestone recorded before detection (a time given
// by hand, a clock that disagreed) was reached at detection at the earliest.
func (t MilestoneTimes) Since(m Milestone) (time.Duration, bool) {
	end := t.Get(m)
	if t.Detected.IsZero() || end.IsZero() {
		return 0, false
	}
	return max(end.Sub(t.Detected), 0), true
}
