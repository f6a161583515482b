package model

import (
	"fmt"
	"strings"
)

// EventKind names what an event records.
type EventKind string

// The kinds of event, each with its entry in the kinds table below. Adding a
// kind means: its constant here, its payload type with a Validate method
// (payloads.go), its entry in kinds, its projection in storage
// (project.go and bulk.go), and, if it changes what an incident shows,
// its fold in replay_fold.go.
const (
	EventDeclared        EventKind = "incident.declared"
	EventRetitled        EventKind = "incident.retitled"
	EventStatusChanged   EventKind = "status.changed"
	EventSeverityChanged EventKind = "severity.changed"
	EventNote            EventKind = "note.added"
	EventPinned          EventKind = "entry.pinned"
	EventAmended         EventKind = "entry.amended"
	EventRetracted       EventKind = "entry.retracted"
	EventRoleAssigned    EventKind = "role.assigned"
	EventRunbookAttached EventKind = "runbook.attached"
	EventStepChanged     EventKind = "step.changed"

	// Post-incident review, drills and communications.
	EventReviewSaved     EventKind = "review.saved"     // the whole review document, last writer wins
	EventExerciseStarted EventKind = "exercise.started" // a drill's scenario and clock start
	EventExercisePaused  EventKind = "exercise.paused"
	EventExerciseResumed EventKind = "exercise.resumed"
	EventExerciseSpeed   EventKind = "exercise.speed" // speed factor changed
	EventExerciseEnded   EventKind = "exercise.ended"
	EventInjectReleased  EventKind = "inject.released" // released early (or re-released) by the facilitator
	EventInjectSkipped   EventKind = "inject.skipped"
	EventMessageSent     EventKind = "message.sent" // an update sent to an audience

	// A command a responder ran, with its output: evidence for the review.
	EventEvidence EventKind = "evidence.recorded"
)

// Payload is what every payload type provides: its rules, which events made
// here and events arriving from other stores (sync, import) both pass.
type Payload interface {
	Validate() error
}

// kindSpec is everything model knows about one kind of event.
type kindSpec struct {
	label    string // the timeline's kind column
	entry    bool   // whether the event makes a timeline entry of its own
	decode   func(Event) (Payload, error)
	validate func(any) (bool, error) // false: the payload is not this kind's type
	describe func(Event) string      // the timeline text; stored, so never reworded
	// describeDecoded is describe for a payload already decoded (by
	// CheckedPayload): a big pull checks and words each event once.
	describeDecoded func(Payload) string
}

// kind builds a table entry for payload type T. describe gets the payload
// decoded; when it cannot be, the timeline shows the decoding error, except
// for kinds marked lenient, which have always been drawn from whatever
// decoded (their payloads carry only a reason or a speed).
func kind[T Payload](label string, entry, lenient bool, describe func(T) string) kindSpec {
	return kindSpec{
		label: label,
		entry: entry,
		decode: func(e Event) (Payload, error) {
			p, err := Decode[T](e)
			return p, err
		},
		validate: func(v any) (bool, error) {
			p, ok := v.(T)
			if !ok {
				return false, nil
			}
			return true, p.Validate()
		},
		describe: func(e Event) string {
			p, err := Decode[T](e)
			if err != nil && !lenient {
				return err.Error()
			}
			return describe(p)
		},
		describeDecoded: func(p Payload) string {
			v, _ := p.(T)
			return describe(v)
		},
	}
}

// withRule adds a rule a kind has beyond its payload type's own, run first.
func (s kindSpec) withRule(rule func(any) error) kindSpec {
	typed := s.validate
	s.validate = func(v any) (bool, error) {
		if err := rule(v); err != nil {
			return true, err
		}
		return typed(v)
	}
	return s
}

// kinds is the table of every kind this version knows. A store keeps events
// of other kinds (from a newer sitrep, through sync) in its log without
// projecting them, so an older binary neither breaks nor shows half-read
// history; a newer one projects them when it catches up.
var kinds = map[EventKind]kindSpec{
	EventDeclared:        kind("declared", true, false, describeDeclared),
	EventRetitled:        kind("title", true, false, func(p RetitledPayload) string { return fmt.Sprintf("Title changed to %q", p.Title) }),
	EventStatusChanged:   kind("status", true, false, describeStatus),
	EventSeverityChanged: kind("severity", true, false, describeSeverity),
	EventNote:            kind("note", true, false, func(p NotePayload) string { return p.Text }),
	EventPinned:          kind("", false, false, describePinned), // a mark on another entry
	EventAmended:         kind("amend", true, false, func(p AmendedPayload) string { return "Amended an entry: " + p.Text }),
	EventRetracted:       kind("retract", true, false, func(p RetractedPayload) string { return withReason("Retracted an entry", p.Reason) }),
	EventRoleAssigned:    kind("role", true, false, describeRole),
	EventRunbookAttached: kind("runbook", true, false, describeRunbook),
	EventStepChanged:     kind("step", true, false, describeStep),
	EventReviewSaved:     kind("review", true, false, describeReview),
	EventExerciseStarted: kind("exercise", true, false, describeExerciseStarted),
	EventExercisePaused: kind("exercise", true, true, func(p ExerciseClockPayload) string {
		return withReason("Exercise clock paused", p.Reason)
	}),
	EventExerciseResumed: kind("exercise", true, true, func(p ExerciseClockPayload) string {
		return withReason("Exercise clock resumed", p.Reason)
	}),
	EventExerciseSpeed: kind("exercise", true, true, func(p ExerciseClockPayload) string {
		return withReason(fmt.Sprintf("Exercise clock speed set to %gx", p.Speed), p.Reason)
	}).withRule(speedRule),
	EventExerciseEnded: kind("exercise", true, true, func(p ExerciseEndedPayload) string { return withReason("Exercise ended", p.Reason) }),
	EventInjectReleased: kind("inject", true, false, func(p InjectPayload) string {
		return withReason(fmt.Sprintf("Inject %d released by the facilitator: %s", p.Index+1, p.Title), p.Reason)
	}),
	EventInjectSkipped: kind("inject", true, false, func(p InjectPayload) string {
		return withReason(fmt.Sprintf("Inject %d skipped: %s", p.Index+1, p.Title), p.Reason)
	}),
	EventMessageSent: kind("message", true, false, describeMessage),
	EventEvidence:    kind("evidence", true, false, describeEvidence),
}

// speedRule checks the speed an exercise.speed change sets.
func speedRule(v any) error {
	if p, ok := v.(ExerciseClockPayload); ok {
		return CheckSpeed(p.Speed)
	}
	return nil
}

// Known reports whether this version of sitrep projects events of kind k.
func (k EventKind) Known() bool {
	_, ok := kinds[k]
	return ok
}

// MakesEntry reports whether an event of kind k is a line of the timeline
// (a pin is a mark on another line, not a line of its own).
func (k EventKind) MakesEntry() bool { return kinds[k].entry }

// DecodePayload reads an event's payload into its kind's payload type.
// Unknown kinds (from a newer sitrep) have none: nil, nil.
func DecodePayload(e Event) (Payload, error) {
	s, ok := kinds[e.Kind]
	if !ok {
		return nil, nil
	}
	return s.decode(e)
}

// DescribeDecoded is Describe for an event whose payload p came from
// CheckedPayload (or DecodePayload without error): the same words without
// decoding the payload again.
func DescribeDecoded(e Event, p Payload) string {
	if s, ok := kinds[e.Kind]; ok {
		return s.describeDecoded(p)
	}
	return string(e.Kind)
}

// ValidatePayload applies the rules for a payload of the given kind. A
// payload of another type than the kind's is checked by its own type's
// rules; a value that is no payload type has none.
func ValidatePayload(k EventKind, payload any) error {
	if s, ok := kinds[k]; ok {
		if ok, err := s.validate(payload); ok {
			return err
		}
	}
	if p, ok := payload.(Payload); ok {
		return p.Validate()
	}
	return nil
}

// Describe is the timeline text for an event: what a person typed, or a
// sentence for the automatic entries. The words are stored in the timeline
// when an event is projected and checked against it by verify: they stay as
// they were, or older stores would no longer match what their own events
// project to.
func Describe(e Event) string {
	if s, ok := kinds[e.Kind]; ok {
		return s.describe(e)
	}
	return string(e.Kind)
}

func describeDeclared(p DeclaredPayload) string {
	ex := ""
	if p.Exercise {
		ex = " (EXERCISE)"
	}
	return fmt.Sprintf("Declared %s %s incident%s: %s", p.Severity, p.Kind, ex, p.Title)
}

func describeStatus(p StatusPayload) string {
	return withReason(fromTo("Status", string(p.From), string(p.Status)), p.Reason)
}

func describeSeverity(p SeverityPayload) string {
	from := ""
	if p.From.Valid() {
		from = p.From.String()
	}
	return withReason(fromTo("Severity", from, p.Severity.String()), p.Reason)
}

func describePinned(p PinnedPayload) string {
	if p.Pinned {
		return "Pinned an entry"
	}
	return "Unpinned an entry"
}

func describeRole(p RoleAssignedPayload) string {
	switch {
	case p.Holder == "":
		return fmt.Sprintf("%s released by %s", p.Role.Title(), p.Previous)
	case p.Previous == "":
		return fmt.Sprintf("%s taken by %s", p.Role.Title(), p.Holder)
	default:
		return fmt.Sprintf("%s handed from %s to %s", p.Role.Title(), p.Previous, p.Holder)
	}
}

func describeRunbook(p RunbookAttachedPayload) string {
	return fmt.Sprintf("Runbook attached: %s (%s, sha256 %.12s)", p.Title, p.Name, p.Hash)
}

func describeStep(p StepPayload) string {
	verb := map[StepState]string{StepDone: "Done", StepSkipped: "Skipped", StepBlocked: "Blocked", StepOpen: "Reopened"}[p.State]
	return withReason(fmt.Sprintf("%s step %d of %s: %s", verb, p.Step+1, p.Runbook, p.Title), p.Reason)
}

// describeReview keeps its awkward plural: see Describe.
func describeReview(p ReviewPayload) string {
	return fmt.Sprintf("Post-incident review saved (%d action item(s))", len(p.Review.ActionItems))
}

func describeExerciseStarted(p ExerciseStartedPayload) string {
	speed := ""
	if p.Speed > 0 && p.Speed != 1 {
		speed = fmt.Sprintf(" at %gx speed", p.Speed)
	}
	return fmt.Sprintf("EXERCISE started: scenario %s (%s, sha256 %.12s), %d inject(s), %d objective(s)%s",
		p.Title, p.Scenario, p.Hash, len(p.Injects), len(p.Objectives), speed)
}

func describeMessage(p MessagePayload) string {
	via := ""
	if p.Channel != "" {
		via = " via " + p.Channel
	}
	return fmt.Sprintf("Message sent to %s%s: %s", p.Audience, via, strings.TrimSpace(p.Text))
}

// describeEvidence is the command, a line of facts, and the output kept,
// so the timeline, show and search all read what the command printed.
func describeEvidence(p EvidencePayload) string {
	var b strings.Builder
	b.WriteString("$ " + strings.TrimRight(p.Command, "\n"))
	b.WriteString("\n" + strings.Join(p.Facts(), " · "))
	if out := strings.TrimRight(p.Output, "\n"); out != "" {
		b.WriteString("\n" + out)
	}
	return b.String()
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
