package model

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// EventKind names what an event records.
type EventKind string

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
)

// Event is one change anyone made, as it sits in the append-only log. The
// payload is kept as the exact bytes its author wrote, because the hash
// covers those bytes and sync carries them unchanged.
type Event struct {
	ID         string
	IncidentID string
	Kind       EventKind
	Payload    json.RawMessage
	Author     string
	Origin     string    // id of the store the event was made in
	At         time.Time // author's wall clock when it was recorded (typed)
	Occurred   time.Time // when it happened, as the author says; usually At
	HLC        HLC
	ChainSeq   int64  // 1, 2, 3… per (origin, author)
	Prev       string // hash of the previous event in that chain; "" for the first
	Hash       string
}

// ComputeHash is the SHA-256 over every field but the hash itself, each
// length-prefixed so no two different events can encode the same.
func (e Event) ComputeHash() string {
	h := sha256.New()
	var n [8]byte
	field := func(b []byte) {
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	num := func(v int64) {
		binary.BigEndian.PutUint64(n[:], uint64(v))
		h.Write(n[:])
	}
	field([]byte("sitrep-event-v1"))
	field([]byte(e.ID))
	field([]byte(e.IncidentID))
	field([]byte(e.Kind))
	field(e.Payload)
	field([]byte(e.Author))
	field([]byte(e.Origin))
	num(e.At.UnixMilli())
	num(e.Occurred.UnixMilli())
	num(int64(e.HLC))
	num(e.ChainSeq)
	field([]byte(e.Prev))
	return hex.EncodeToString(h.Sum(nil))
}

// Version orders concurrent changes to one value: the later HLC wins, and the
// id breaks ties, so every store picks the same winner whatever order events
// arrived in. The result compares correctly as a plain string.
func (e Event) Version() string { return fmt.Sprintf("%016x:%s", uint64(e.HLC), e.ID) }

// Payloads: one struct per kind. Fields that describe what the author saw
// before the change (From, Previous) make the timeline read true even when
// events arrive out of order.

type DeclaredPayload struct {
	Title      string    `json:"title"`
	Kind       string    `json:"kind"`
	Severity   Severity  `json:"severity"`
	Status     Status    `json:"status"`
	Exercise   bool      `json:"exercise,omitempty"`
	DetectedAt time.Time `json:"detected_at"`
}

type RetitledPayload struct {
	Title string `json:"title"`
	From  string `json:"from,omitempty"`
}

type StatusPayload struct {
	Status Status `json:"status"`
	From   Status `json:"from,omitempty"`
	Reason string `json:"reason,omitempty"`
}

type SeverityPayload struct {
	Severity Severity `json:"severity"`
	From     Severity `json:"from,omitempty"`
	Reason   string   `json:"reason,omitempty"`
}

// NoteKind distinguishes what people type into the timeline.
type NoteKind string

const (
	NoteKindNote     NoteKind = "note"
	NoteKindDecision NoteKind = "decision"
	NoteKindAction   NoteKind = "action"
)

// NoteKinds lists them for help and errors.
var NoteKinds = []NoteKind{NoteKindNote, NoteKindDecision, NoteKindAction}

// ParseNoteKind accepts note, decision or action (and "action-item").
func ParseNoteKind(text string) (NoteKind, error) {
	switch text {
	case "", "note":
		return NoteKindNote, nil
	case "decision":
		return NoteKindDecision, nil
	case "action", "action-item", "todo":
		return NoteKindAction, nil
	}
	return "", Invalidf("invalid note kind %q: use note, decision or action", text)
}

type NotePayload struct {
	Kind NoteKind `json:"kind"`
	Text string   `json:"text"`
}

type PinnedPayload struct {
	Entry  string `json:"entry"` // event id of the timeline entry
	Pinned bool   `json:"pinned"`
}

type AmendedPayload struct {
	Entry string `json:"entry"`
	Text  string `json:"text"`
}

type RetractedPayload struct {
	Entry  string `json:"entry"`
	Reason string `json:"reason,omitempty"`
}

type RoleAssignedPayload struct {
	Role     Role   `json:"role"`
	Holder   string `json:"holder"`             // "" releases the role
	Previous string `json:"previous,omitempty"` // holder the author saw
	Replaces string `json:"replaces,omitempty"` // event id of the assignment the author saw
}

type RunbookAttachedPayload struct {
	Name   string `json:"name"`
	Title  string `json:"title"`
	Source string `json:"source"`
	Hash   string `json:"hash"` // sha256 of Text
	Text   string `json:"text"` // the exact file followed, for the review months later
}

// StepState is where a runbook step stands on one incident.
type StepState string

const (
	StepOpen    StepState = "open"
	StepDone    StepState = "done"
	StepSkipped StepState = "skipped"
	StepBlocked StepState = "blocked"
)

// ParseStepState accepts a state name.
func ParseStepState(text string) (StepState, error) {
	switch s := StepState(text); s {
	case StepOpen, StepDone, StepSkipped, StepBlocked:
		return s, nil
	}
	return "", Invalidf("invalid step state %q: use open, done, skipped or blocked", text)
}

type StepPayload struct {
	Runbook string    `json:"runbook"` // attached runbook name
	Step    int       `json:"step"`    // 0-based position of the step in the runbook
	Title   string    `json:"title"`   // the step's text, so the timeline reads without the runbook
	State   StepState `json:"state"`
	Reason  string    `json:"reason,omitempty"`
}

// Validate checks a step change: skipping and blocking need a reason, so the
// review can say why.
func (p StepPayload) Validate() error {
	if p.Runbook == "" {
		return Invalidf("step change names no runbook")
	}
	if p.Step < 0 {
		return Invalidf("step number %d is negative", p.Step)
	}
	if _, err := ParseStepState(string(p.State)); err != nil {
		return err
	}
	if (p.State == StepSkipped || p.State == StepBlocked) && p.Reason == "" {
		return Invalidf("say why the step is %s", p.State)
	}
	return nil
}

// Draft is an event before the store stamps its id, clock and hash.
type Draft struct {
	IncidentID string
	Kind       EventKind
	Payload    any       // one of the payload structs; marshalled to JSON
	Occurred   time.Time // zero means now
}

// Decode unmarshals an event's payload into the struct for its kind.
func Decode[T any](e Event) (T, error) {
	var v T
	if err := json.Unmarshal(e.Payload, &v); err != nil {
		return v, fmt.Errorf("event %s (%s): bad payload: %w", e.ID, e.Kind, err)
	}
	return v, nil
}

// ReviewPayload is a whole post-incident review document. Each save replaces
// the previous one (last writer by HLC wins); the log keeps every version.
type ReviewPayload struct {
	Review Review `json:"review"`
}

// ExerciseStartedPayload opens a drill's clock. It carries the scenario as
// parsed when the drill started (objectives and inject schedule), and its
// exact text and hash, so every laptop runs the same drill even if its own
// copy of the scenario differs, and the report months later reads true.
type ExerciseStartedPayload struct {
	Scenario   string        `json:"scenario"` // name
	Title      string        `json:"title"`
	Source     string        `json:"source,omitempty"`
	Hash       string        `json:"hash"`
	Text       string        `json:"text"`
	Start      time.Time     `json:"start"`           // wall time the exercise clock reads +0
	Speed      float64       `json:"speed,omitempty"` // exercise seconds per wall second; 0 means 1
	Duration   time.Duration `json:"duration,omitempty"`
	Runbooks   []string      `json:"runbooks,omitempty"`
	Objectives []Objective   `json:"objectives,omitempty"`
	Injects    []Inject      `json:"injects,omitempty"`
	Cadence    *DrillCadence `json:"cadence,omitempty"` // nil: the team's policy
}

// ExerciseClockPayload pauses, resumes or changes the speed of the exercise
// clock at the event's occurred time.
type ExerciseClockPayload struct {
	Speed  float64 `json:"speed,omitempty"` // for exercise.speed
	Reason string  `json:"reason,omitempty"`
}

// ExerciseEndedPayload closes a drill.
type ExerciseEndedPayload struct {
	Reason string `json:"reason,omitempty"`
}

// InjectPayload releases an inject early or skips it; it overrides the
// schedule derived from the exercise clock.
type InjectPayload struct {
	Index  int    `json:"index"`
	Title  string `json:"title"`
	Reason string `json:"reason,omitempty"`
}

// MessagePayload records an update sent to an audience.
type MessagePayload struct {
	Audience Audience `json:"audience"`
	Template string   `json:"template,omitempty"`
	Text     string   `json:"text"`
	Channel  string   `json:"channel,omitempty"` // where it went: status page, email, #incident
}
