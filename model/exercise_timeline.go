package model

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

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
		if !x.Placed().Equal(y.Placed()) {
			return x.Placed().Before(y.Placed())
		}
		if x.HLC != y.HLC {
			return x.HLC < y.HLC
		}
		return x.EventID < y.EventID
	})
	return out
}

// speedPrefix starts the timeline text of every exercise.speed event (see
// Describe).
const speedPrefix = "Exercise clock speed set to "

// CoalesceSpeedChanges shows a run of speed changes one after another (a
// facilitator pressing + four times) as one line: "Exercise clock speed set
// to 2x → 4x → 8x → 16x", kept at the last change's place. Only what is
// shown is merged; the log keeps every change, and the exercise clock is
// computed from all of them.
func CoalesceSpeedChanges(entries []TimelineEntry) []TimelineEntry {
	out := entries[:0:0]
	for i := 0; i < len(entries); i++ {
		e := entries[i]
		if !isSpeedChange(e) {
			out = append(out, e)
			continue
		}
		text := e.Text
		for i+1 < len(entries) && isSpeedChange(entries[i+1]) && entries[i+1].Author == e.Author &&
			entries[i+1].Placed().Sub(entries[i].Placed()) < time.Minute {
			i++
			text += " → " + strings.TrimPrefix(entries[i].Text, speedPrefix)
		}
		last := entries[i]
		last.Text = text
		out = append(out, last)
	}
	return out
}

func isSpeedChange(e TimelineEntry) bool {
	return e.Kind == EventExerciseSpeed && !e.Retracted && e.AmendedBy == "" && strings.HasPrefix(e.Text, speedPrefix)
}
