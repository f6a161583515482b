package model

import (
	"fmt"
	"strings"
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
	case EventDeclared:
		return "declared"
	case EventStatusChanged:
		return "status"
	case EventSeverityChanged:
		return "severity"
	case EventRoleAssigned:
		return "role"
	case EventRunbookAttached:
		return "runbook"
	case EventStepChanged:
		return "step"
	case EventAmended:
		return "amend"
	case EventRetracted:
		return "retract"
	case EventRetitled:
		return "title"
	case EventReviewSaved:
		return "review"
	case EventExerciseStarted, EventExercisePaused, EventExerciseResumed, EventExerciseSpeed, EventExerciseEnded:
		return "exercise"
	case EventInjectReleased, EventInjectSkipped, EventInjectDue:
		return "inject"
	case EventMessageSent:
		return "message"
	}
	return OneLine(string(t.Kind))
}

// Describe is the timeline text for an event: what a person typed, or a
// sentence for the automatic entries.
func Describe(e Event) string {
	switch e.Kind {
	case EventDeclared:
		p, err := Decode[DeclaredPayload](e)
		if err != nil {
			return err.Error()
		}
		ex := ""
		if p.Exercise {
			ex = " (EXERCISE)"
		}
		return fmt.Sprintf("Declared %s %s incident%s: %s", p.Severity, p.Kind, ex, p.Title)
	case EventRetitled:
		p, err := Decode[RetitledPayload](e)
		if err != nil {
			return err.Error()
		}
		return fmt.Sprintf("Title changed to %q", p.Title)
	case EventStatusChanged:
		p, err := Decode[StatusPayload](e)
		if err != nil {
			return err.Error()
		}
		return withReason(fromTo("Status", string(p.From), string(p.Status)), p.Reason)
	case EventSeverityChanged:
		p, err := Decode[SeverityPayload](e)
		if err != nil {
			return err.Error()
		}
		from := ""
		if p.From.Valid() {
			from = p.From.String()
		}
		return withReason(fromTo("Severity", from, p.Severity.String()), p.Reason)
	case EventNote:
		p, err := Decode[NotePayload](e)
		if err != nil {
			return err.Error()
		}
		return p.Text
	case EventPinned:
		p, err := Decode[PinnedPayload](e)
		if err != nil {
			return err.Error()
		}
		if p.Pinned {
			return "Pinned an entry"
		}
		return "Unpinned an entry"
	case EventAmended:
		p, err := Decode[AmendedPayload](e)
		if err != nil {
			return err.Error()
		}
		return "Amended an entry: " + p.Text
	case EventRetracted:
		p, err := Decode[RetractedPayload](e)
		if err != nil {
			return err.Error()
		}
		return withReason("Retracted an entry", p.Reason)
	case EventRoleAssigned:
		p, err := Decode[RoleAssignedPayload](e)
		if err != nil {
			return err.Error()
		}
		switch {
		case p.Holder == "":
			return fmt.Sprintf("%s released by %s", p.Role.Title(), p.Previous)
		case p.Previous == "":
			return fmt.Sprintf("%s taken by %s", p.Role.Title(), p.Holder)
		default:
			return fmt.Sprintf("%s handed from %s to %s", p.Role.Title(), p.Previous, p.Holder)
		}
	case EventRunbookAttached:
		p, err := Decode[RunbookAttachedPayload](e)
		if err != nil {
			return err.Error()
		}
		return fmt.Sprintf("Runbook attached: %s (%s, sha256 %.12s)", p.Title, p.Name, p.Hash)
	case EventStepChanged:
		p, err := Decode[StepPayload](e)
		if err != nil {
			return err.Error()
		}
		verb := map[StepState]string{StepDone: "Done", StepSkipped: "Skipped", StepBlocked: "Blocked", StepOpen: "Reopened"}[p.State]
		return withReason(fmt.Sprintf("%s step %d of %s: %s", verb, p.Step+1, p.Runbook, p.Title), p.Reason)
	case EventReviewSaved:
		p, err := Decode[ReviewPayload](e)
		if err != nil {
			return err.Error()
		}
		// Describe's words are stored in the timeline when an event is
		// projected and checked against it by verify: they stay as they
		// were, awkward plural and all, or older stores would no longer
		// match what their own events project to.
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
	return string(e.Kind)
}

func fromTo(what, from, to string) string {
	if from == "" || from == to {
		return fmt.Sprintf("%s set to %s", what, to)
	}
	return fmt.Sprintf("%s %s → %s", what, from, to)
}

func withReason(s, reason string) string {
	if strings.TrimSpace(reason) == "" {
		return s
	}
	return s + " — " + reason
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
	At         time.Time
}
