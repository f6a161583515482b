package model

import (
	"fmt"
	"time"
)

// AfterAction is everything an after-action report is written from; the
// report itself is written by export.AfterActionReport.
type AfterAction struct {
	Incident     Incident
	Exercise     Exercise
	Now          time.Time // when the report is written; the end of the drill if it ended
	Entries      []TimelineEntry
	Steps        []StepStatus
	StepTitles   map[string]map[int]string // runbook → step index → title
	RunbookSteps map[string]int
	Messages     []Message
	Review       Review
	Cadence      CadencePolicy
}

// InjectResponse is an inject with the first thing the team did after it,
// and its expected actions judged (Exercise.ExpectedActions).
type InjectResponse struct {
	InjectStatus
	Response   TimelineEntry
	Responded  bool
	ResponseIn time.Duration // exercise time from release to the response
	Expected   []ExpectedAction
}

// InjectResponses pairs every released inject with its first response.
func (a AfterAction) InjectResponses() []InjectResponse {
	// What was logged with the declaration (the first commander, attached
	// runbooks) answers no inject.
	// Nor does anything logged from the end of the drill on (the
	// resolution 'drill end' records).
	var entries []TimelineEntry
	for _, e := range a.Entries {
		if !e.Placed().Equal(a.Exercise.Started.Start) && !a.Exercise.Over(e.Placed()) {
			entries = append(entries, e)
		}
	}
	var out []InjectResponse
	for _, st := range a.Exercise.Injects(a.End()) {
		r := InjectResponse{InjectStatus: st, Expected: a.Exercise.ExpectedActions(st, entries, a.End())}
		if st.State == InjectReleased {
			if e, ok := FirstResponse(entries, st.ReleasedAt); ok {
				// On the exercise clock, like every time a drill reports: an
				// eight-minute response at 16 times speed took 8m, not 30s.
				r.Response, r.Responded, r.ResponseIn = e, true, a.Exercise.Between(st.ReleasedAt, e.Placed())
			}
		}
		out = append(out, r)
	}
	return out
}

// End is when the drill is judged: its end if it ended, else now.
func (a AfterAction) End() time.Time {
	if a.Exercise.Over(a.Now) {
		return a.Exercise.Ended
	}
	return a.Now
}

// Log is what the drill's objectives are judged from.
func (a AfterAction) Log() DrillLog {
	return DrillLog{Incident: a.Incident, Entries: a.Entries, Steps: a.Steps, RunbookSteps: a.RunbookSteps, Messages: a.Messages}
}

// TaggedNotes are the notes, retractions left out, whose text carries any
// of the tags, in the order they were logged: the team's own findings,
// recommendations and improvements to the plan, which the report quotes.
func (a AfterAction) TaggedNotes(tags ...string) []TimelineEntry {
	var out []TimelineEntry
	for _, e := range a.Entries {
		if e.Kind != EventNote || e.Retracted {
			continue
		}
		for _, t := range tags {
			if hasTag(e.Text, t) {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

// Count writes n and a noun that takes -s in the plural: "1 inject",
// "3 injects", "0 deadlines", so output never reads "1 injects" or
// "inject(s)".
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
