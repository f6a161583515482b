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
