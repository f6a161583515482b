package model

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// DescribeEvent is the timeline text for any event: Describe for the
// incident kinds, and sentences for reviews, drills and messages.
func DescribeEvent(e Event) string {
	switch e.Kind {
	case EventReviewSaved:
		p, err := Decode[ReviewPayload](e)
		if err != nil {
			return err.Error()
		}
		return fmt.Sprintf("Post-incident review saved (%d action item(s))", len(p.Review.ActionItems))
	case EventExerciseStarted:
		p, err := Decode[ExerciseStartedPayload](e)
		if err != nil {
			return err.Error()
		}
		speed := ""
		if p.Speed > 0 && p.Speed != 1 {
			speed = fmt.Sprintf(" at %gx speed", p.Speed)
		}
		return fmt.Sprintf("EXERCISE started: scenario %s (%s, sha256 %.12s), %d inject(s), %d objective(s)%s",
			p.Title, p.Scenario, p.Hash, len(p.Injects), len(p.Objectives), speed)
	case EventExercisePaused:
		p, _ := Decode[ExerciseClockPayload](e)
		return withReason("Exercise clock paused", p.Reason)
	case EventExerciseResumed:
		p, _ := Decode[ExerciseClockPayload](e)
		return withReason("Exercise clock resumed", p.Reason)
	case EventExerciseSpeed:
		p, _ := Decode[ExerciseClockPayload](e)
		return withReason(fmt.Sprintf("Exercise clock speed set to %gx", p.Speed), p.Reason)
	case EventExerciseEnded:
		p, _ := Decode[ExerciseEndedPayload](e)
		return withReason("Exercise ended", p.Reason)
	case EventInjectReleased:
		p, err := Decode[InjectPayload](e)
		if err != nil {
			return err.Error()
		}
		return withReason(fmt.Sprintf("Inject %d released by the facilitator: %s", p.Index+1, p.Title), p.Reason)
	case EventInjectSkipped:
		p, err := Decode[InjectPayload](e)
		if err != nil {
			return err.Error()
		}
		return withReason(fmt.Sprintf("Inject %d skipped: %s", p.Index+1, p.Title), p.Reason)
	case EventMessageSent:
		p, err := Decode[MessagePayload](e)
		if err != nil {
			return err.Error()
		}
		via := ""
		if p.Channel != "" {
			via = " via " + p.Channel
		}
		return fmt.Sprintf("Message sent to %s%s: %s", p.Audience, via, strings.TrimSpace(p.Text))
	}
	return Describe(e)
}

// EventInjectDue marks a timeline entry made up from the exercise clock (an
// inject released on schedule): it is shown, never stored.
const EventInjectDue EventKind = "inject.due"

// InjectEntries are the timeline entries for injects released by the
// exercise clock at now (explicit releases and skips are events of their
// own and already in the timeline). Their EventID is "inject:INCIDENT:N".
func (x Exercise) InjectEntries(now time.Time) []TimelineEntry {
	var out []TimelineEntry
	for _, st := range x.Injects(now) {
		if st.State != InjectReleased || st.EventID != "" {
			continue
		}
		text := fmt.Sprintf("Inject %d (%s): %s", st.Index+1, FormatOffset(st.Offset), st.Title)
		if body := strings.TrimSpace(st.Text); body != "" {
			text += "\n" + body
		}
		out = append(out, TimelineEntry{EventID: fmt.Sprintf("inject:%s:%d", x.IncidentID, st.Index), IncidentID: x.IncidentID,
			Kind: EventInjectDue, Occurred: st.ReleasedAt, Typed: st.ReleasedAt, HLC: NewHLC(st.ReleasedAt), Author: "exercise clock", Text: text})
	}
	return out
}

// MergeEntries merges made-up entries into a timeline, keeping the order
// by (occurred, HLC, id).
func MergeEntries(a, b []TimelineEntry) []TimelineEntry {
	out := append(append([]TimelineEntry(nil), a...), b...)
	sort.SliceStable(out, func(i, j int) bool {
		x, y := out[i], out[j]
		if !x.Occurred.Equal(y.Occurred) {
			return x.Occurred.Before(y.Occurred)
		}
		// Made-up entries (released injects) have no clock of their own;
		// at the same instant they read best after what the people logged,
		// e.g. an inject at +0m after "exercise started".
		if (x.HLC == 0) != (y.HLC == 0) {
			return y.HLC == 0
		}
		if x.HLC != y.HLC {
			return x.HLC < y.HLC
		}
		return x.EventID < y.EventID
	})
	return out
}
