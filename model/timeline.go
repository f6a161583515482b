package model

import (
	"time"
)

// TimelineEntry is one line of an incident's story, projected from an event.
type TimelineEntry struct {
	EventID    string
	IncidentID string
	Kind       EventKind
	NoteKind   NoteKind // for notes: note, decision or action
	Occurred   time.Time
	Typed      time.Time // when it was recorded; differs when written down late
	HLC        HLC
	Author     string
	Text       string // what to show; for amended entries, the newest text
	Pinned     bool
	AmendedBy  string // event id of the newest amendment, if any
	Retracted  bool
	Future     bool // stamped far ahead of the clock of the store that received it
}

// Placed is when the entry happened on the log's clock: see Event.Placed.
// Timelines are ordered by it, and times, offsets and milestones read from
// it, so a slow laptop's entries sit where they happened.
func (t TimelineEntry) Placed() time.Time { return t.Occurred.Add(ClockBehind(t.HLC, t.Typed)) }

// Logged is when the entry was written down, on the same clock as Placed.
func (t TimelineEntry) Logged() time.Time { return t.Typed.Add(ClockBehind(t.HLC, t.Typed)) }

// ClockBehind is how far the author's clock was behind what the author had
// already seen, when that is more than ClockTolerance (zero otherwise): the
// entry is flagged, and placed by the logical clock instead of its stamp.
func (t TimelineEntry) ClockBehind() time.Duration {
	if d := ClockBehind(t.HLC, t.Typed); d > ClockTolerance {
		return d
	}
	return 0
}

// ClockMark is the short flag for an entry whose time came from a clock
// that disagreed with the others: "clock behind" or "clock ahead" ("" when
// the clocks agreed). The cockpit, show and every export write it.
func (t TimelineEntry) ClockMark() string {
	switch {
	case t.ClockBehind() > 0:
		return "clock behind"
	case t.Future:
		return "clock ahead"
	}
	return ""
}

// ClockNote says in full what ClockMark flags, with the time the author's
// clock stamped, for show and the exports: "clock 59m behind: stamped
// 13:01:02Z".
func (t TimelineEntry) ClockNote() string {
	switch d := t.ClockBehind(); {
	case d > 0:
		return "clock " + FormatAge(d) + " behind: stamped " + t.Occurred.UTC().Format("2006-01-02 15:04:05Z")
	case t.Future:
		return "clock ahead: stamped later than the clock that received it"
	}
	return ""
}

// Late reports whether the entry was written down well after it happened,
// which the timeline shows so readers know the time was given, not observed.
func (t TimelineEntry) Late() bool {
	d := t.Typed.Sub(t.Occurred)
	return d > time.Minute || d < -time.Minute
}

// Label is the short kind shown in the timeline's kind column. Note kinds
// and unknown event kinds come from the store as they are, so they are made
// printable here, once for every place that shows a label.
func (t TimelineEntry) Label() string {
	switch t.Kind {
	case EventNote:
		switch t.NoteKind {
		case NoteKindNote, NoteKindDecision, NoteKindAction:
			return string(t.NoteKind) // drawn for every visible entry: no copy
		}
		return OneLine(string(t.NoteKind))
	case EventInjectDue:
		return "inject"
	}
	if l := kinds[t.Kind].label; l != "" {
		return l
	}
	return OneLine(string(t.Kind))
}

// StepStatus is the current state of one runbook step on one incident.
type StepStatus struct {
	IncidentID string
	Runbook    string
	Step       int
	State      StepState
	Reason     string
	By         string
	At         time.Time
}

// Attachment is a runbook attached to an incident, with the exact text used.
type Attachment struct {
	IncidentID string
	Name       string
	Title      string
	Source     string
	Hash       string
	Text       string
	Rules      string // the step rules it was attached under; "" before they were recorded
	At         time.Time
}
