package model

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

// Exercise is a drill's state, a pure function of its events: the scenario
// it started with, the clock changes (pause, resume, speed), the
// facilitator's overrides of the inject schedule, and its end. Every laptop
// that holds the same events computes the same clock and the same injects,
// so injects need no event of their own to appear: they fall due on the
// exercise clock.
type Exercise struct {
	IncidentID string
	Started    ExerciseStartedPayload
	StartedBy  string
	StartEvent string
	Changes    []ClockChange          // in (time, HLC, id) order
	Overrides  map[int]InjectOverride // latest explicit release or skip per inject
	Ended      time.Time              // zero while running
	EndReason  string
}

// ClockChange is one pause, resume or speed change.
type ClockChange struct {
	EventID string
	Kind    EventKind
	At      time.Time
	HLC     HLC
	Speed   float64
	By      string
}

// InjectOverride is a facilitator's explicit release or skip.
type InjectOverride struct {
	EventID string
	Kind    EventKind // EventInjectReleased or EventInjectSkipped
	At      time.Time
	By      string
	Reason  string
	version string
}

// ExerciseKinds are the event kinds an exercise is built from.
var ExerciseKinds = []EventKind{EventExerciseStarted, EventExercisePaused, EventExerciseResumed, EventExerciseSpeed,
	EventExerciseEnded, EventInjectReleased, EventInjectSkipped}

// IsExerciseKind reports whether k is one of ExerciseKinds.
func IsExerciseKind(k EventKind) bool {
	for _, e := range ExerciseKinds {
		if e == k {
			return true
		}
	}
	return false
}

// BuildExercise folds an incident's exercise events, in any order, into
// its state. ok is false if none of them started an exercise.
func BuildExercise(events []Event) (Exercise, bool) {
	sorted := append([]Event(nil), events...)
	sort.Slice(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if !a.Placed().Equal(b.Placed()) {
			return a.Placed().Before(b.Placed())
		}
		return a.Version() < b.Version()
	})
	x := Exercise{Overrides: map[int]InjectOverride{}}
	found := false
	startVersion := ""
	for _, e := range sorted {
		switch e.Kind {
		case EventExerciseStarted:
			p, err := Decode[ExerciseStartedPayload](e)
			if err != nil {
				continue
			}
			// Two starts (should not happen): the first by version wins on
			// every store.
			if found && e.Version() > startVersion {
				continue
			}
			found, startVersion = true, e.Version()
			x.IncidentID, x.Started, x.StartedBy, x.StartEvent = e.IncidentID, p, e.Author, e.ID
			if x.Started.Start.IsZero() {
				x.Started.Start = e.Placed()
			}
		case EventExercisePaused, EventExerciseResumed, EventExerciseSpeed:
			p, _ := Decode[ExerciseClockPayload](e)
			x.Changes = append(x.Changes, ClockChange{EventID: e.ID, Kind: e.Kind, At: e.Placed(), HLC: e.HLC, Speed: p.Speed, By: e.Author})
		case EventExerciseEnded:
			p, _ := Decode[ExerciseEndedPayload](e)
			if x.Ended.IsZero() || e.Placed().Before(x.Ended) {
				x.Ended, x.EndReason = e.Placed(), p.Reason
			}
		case EventInjectReleased, EventInjectSkipped:
			p, err := Decode[InjectPayload](e)
			if err != nil {
				continue
			}
			o := InjectOverride{EventID: e.ID, Kind: e.Kind, At: e.Placed(), By: e.Author, Reason: p.Reason, version: e.Version()}
			if old, ok := x.Overrides[p.Index]; !ok || o.version > old.version {
				x.Overrides[p.Index] = o
			}
		}
	}
	return x, found
}

func (x Exercise) speed0() float64 {
	if x.Started.Speed > 0 {
		return x.Started.Speed
	}
	return 1
}

// segment is a stretch of wall time with the clock in one state.
type segment struct {
	from, to time.Time // to zero: open-ended
	running  bool
	speed    float64
}

func (x Exercise) segments() []segment {
	t, running, speed := x.Started.Start, true, x.speed0()
	var out []segment
	cut := func(at time.Time) {
		if at.Before(t) {
			at = t
		}
		out = append(out, segment{from: t, to: at, running: running, speed: speed})
		t = at
	}
	for _, c := range x.Changes {
		if !x.Ended.IsZero() && c.At.After(x.Ended) {
			break
		}
		cut(c.At)
		switch c.Kind {
		case EventExercisePaused:
			running = false
		case EventExerciseResumed:
			running = true
		case EventExerciseSpeed:
			if c.Speed > 0 {
				speed = c.Speed
			}
		}
	}
	if !x.Ended.IsZero() {
		cut(x.Ended)
		running = false
	}
	out = append(out, segment{from: t, running: running, speed: speed})
	return out
}

// Elapsed is the exercise clock at wall time now: wall time since the start,
// less the pauses, times the speed factor of each stretch.
func (x Exercise) Elapsed(now time.Time) time.Duration {
	var acc time.Duration
	for _, s := range x.segments() {
		if !now.After(s.from) {
			break
		}
		end := s.to
		if end.IsZero() || end.After(now) {
			end = now
		}
		if s.running {
			acc += time.Duration(float64(end.Sub(s.from)) * s.speed)
		}
	}
	return acc
}

// Between is the exercise time from wall time a to wall time b: how long
// something took in the drill's own time. It is never negative.
func (x Exercise) Between(a, b time.Time) time.Duration {
	return max(x.Elapsed(b)-x.Elapsed(a), 0)
}

// WallAt is the wall time at which the exercise clock reads offset, and
// false if it never will on the clock as it stands (paused or ended first).
func (x Exercise) WallAt(offset time.Duration) (time.Time, bool) {
	var acc time.Duration
	for _, s := range x.segments() {
		if !s.running {
			if s.to.IsZero() {
				return time.Time{}, false
			}
			continue
		}
		if s.to.IsZero() {
			return s.from.Add(time.Duration(float64(offset-acc) / s.speed)), true
		}
		span := time.Duration(float64(s.to.Sub(s.from)) * s.speed)
		if acc+span >= offset {
			return s.from.Add(time.Duration(float64(offset-acc) / s.speed)), true
		}
		acc += span
	}
	return time.Time{}, false
}

// Paused reports whether the clock is stopped at now (paused or ended).
func (x Exercise) Paused(now time.Time) bool {
	for _, s := range x.segments() {
		if !now.Before(s.from) && (s.to.IsZero() || now.Before(s.to)) {
			return !s.running
		}
	}
	return false
}

// MinSpeed and MaxSpeed bound the exercise clock's speed factor, on the
// command line and in the cockpit alike: an eighth of real time at the
// slowest (a stopped clock is a pause, not a speed), 64 times at the
// fastest (a three-hour scenario in three minutes).
const (
	MinSpeed = 0.125
	MaxSpeed = 64
)

// CheckSpeed accepts an exercise clock speed factor between MinSpeed and
// MaxSpeed. It is the one check of a speed, wherever it is set.
func CheckSpeed(speed float64) error {
	if !(speed >= MinSpeed && speed <= MaxSpeed) {
		return Invalidf("invalid speed %g: give a factor from %g to %g, like 2 for twice as fast or 0.5 for half", speed, float64(MinSpeed), float64(MaxSpeed))
	}
	return nil
}

// Speed is the speed factor at now.
func (x Exercise) Speed(now time.Time) float64 {
	sp := x.speed0()
	for _, s := range x.segments() {
		if now.Before(s.from) {
			break
		}
		sp = s.speed
	}
	return sp
}

// EndChanges are the events that end the drill on in at now: the end of the
// exercise and, if the exercise incident is still active, its resolution
// at the same moment, so an ended drill leaves the active list and asks for
// no more updates. Nothing logged from the end on counts for an objective,
// so the resolution meets no RTO and answers no inject.
func EndChanges(in Incident, reason string, now time.Time) []Change {
	out := []Change{{IncidentID: in.ID, Kind: EventExerciseEnded, Occurred: now, Payload: ExerciseEndedPayload{Reason: reason}}}
	if in.Status.Active() {
		out = append(out, Change{IncidentID: in.ID, Kind: EventStatusChanged, Occurred: now,
			Payload: StatusPayload{Status: StatusResolved, From: in.Status, Reason: "drill ended"}})
	}
	return out
}

// Over reports whether the exercise has ended by now.
func (x Exercise) Over(now time.Time) bool { return !x.Ended.IsZero() && !now.Before(x.Ended) }

// InjectState is where an inject stands.
type InjectState string

const (
	InjectPending  InjectState = "pending"
	InjectReleased InjectState = "released"
	InjectSkipped  InjectState = "skipped"
)

// InjectStatus is an inject and what happened to it.
type InjectStatus struct {
	Inject
	State      InjectState
	Due        time.Time // wall time the clock reaches its offset; zero while the clock cannot (paused)
	ReleasedAt time.Time // wall time released
	Early      bool      // released by the facilitator before its time
	By         string    // facilitator, for explicit releases and skips
	Reason     string
	EventID    string // the override event, "" when released by the clock
}

// Injects lists every inject of the scenario with its state at now.
func (x Exercise) Injects(now time.Time) []InjectStatus {
	out := make([]InjectStatus, len(x.Started.Injects))
	for i, in := range x.Started.Injects {
		in.Index = i
		st := InjectStatus{Inject: in, State: InjectPending}
		if due, ok := x.WallAt(in.Offset); ok {
			st.Due = due
			if !now.Before(due) {
				st.State, st.ReleasedAt = InjectReleased, due
			}
		}
		if o, ok := x.Overrides[i]; ok && !now.Before(o.At) {
			st.By, st.Reason, st.EventID = o.By, o.Reason, o.EventID
			switch o.Kind {
			case EventInjectSkipped:
				st.State, st.ReleasedAt = InjectSkipped, time.Time{}
			case EventInjectReleased:
				if st.State != InjectReleased || o.At.Before(st.ReleasedAt) {
					st.ReleasedAt = o.At
					st.Early = st.Due.IsZero() || o.At.Before(st.Due)
				}
				st.State = InjectReleased
			}
		}
		out[i] = st
	}
	return out
}

// NextInject is the first inject still pending at now, if any.
func (x Exercise) NextInject(now time.Time) (InjectStatus, bool) {
	for _, st := range x.Injects(now) {
		if st.State == InjectPending {
			return st, true
		}
	}
	return InjectStatus{}, false
}

// ExpectedAction is one thing the facilitator looks for after an inject is
// read out, and the note that shows the team did it.
type ExpectedAction struct {
	Inject   int    // index of the inject
	Tag      string // see ExpectedTag
	Text     string
	Answered bool
	At       time.Time // wall time of the note that answers it
	By       string
	Evidence string // the note, on one line
}

// ExpectedTag is the tag a note carries to answer the i-th expected action
// of the inject at index inject: "2a" for the first of inject 2, "2b" for
// the second (a 27th would be "2-27"). It is short, to type while the drill
// runs, and written #2a in a note, like an objective's #ID.
func ExpectedTag(inject, i int) string {
	if i < 26 {
		return fmt.Sprintf("%d%c", inject+1, 'a'+i)
	}
	return fmt.Sprintf("%d-%d", inject+1, i+1)
}

// ExpectedActions judges, at now, the expected actions of an inject. The
// rule is a milestone objective's: a note, decision or action carrying the
// action's tag (#2a), logged once the inject was released and before the
// drill ended, answers it; the facilitator or the scribe logs it when they
// see the team do it. An inject not released (pending or skipped) has
// nothing to judge yet: nil.
func (x Exercise) ExpectedActions(st InjectStatus, entries []TimelineEntry, now time.Time) []ExpectedAction {
	if st.State != InjectReleased {
		return nil
	}
	out := make([]ExpectedAction, 0, len(st.Expected))
	for i, text := range st.Expected {
		a := ExpectedAction{Inject: st.Index, Tag: ExpectedTag(st.Index, i), Text: text}
		if e, ok := firstTagged(entries, a.Tag, st.ReleasedAt); ok && !x.Over(e.Placed()) && !now.Before(e.Placed()) {
			a.Answered, a.At, a.By, a.Evidence = true, e.Placed(), e.Author, OneLine(e.Text)
		}
		out = append(out, a)
	}
	return out
}

// ObjectiveState is how an objective stands.
type ObjectiveState string

const (
	ObjectiveOpen   ObjectiveState = "open"
	ObjectiveMet    ObjectiveState = "met"
	ObjectiveMissed ObjectiveState = "missed"
)

// ObjectiveResult is an objective judged against what was logged.
type ObjectiveResult struct {
	Objective
	State    ObjectiveState
	At       time.Time     // wall time of the evidence; zero if none
	Took     time.Duration // on the exercise clock
	Evidence string
}

// DrillLog is what objectives are judged from.
type DrillLog struct {
	Incident     Incident
	Entries      []TimelineEntry
	Steps        []StepStatus
	RunbookSteps map[string]int // number of steps of each attached runbook
	Messages     []Message
}

var durationWord = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\b(\d+(?:\.\d+)?(?:h|m|s|d)(?:\d+(?:m|s))?)\b`) })

// Objectives judges each objective at now. The rules, which the facilitator
// briefs the players on:
//
//   - rto: met when the incident reaches mitigated (or later) within the
//     target on the exercise clock; missed once the clock passes the
//     target, or the drill ends, without it.
//   - rpo: a note tagged #rpo with the data loss, e.g. "#rpo 4m of writes
//     lost"; met if that is within the target.
//   - milestone: a note, decision or action containing #ID (the
//     objective's id, shown by `sitrep drill status`), a message sent to
//     an audience the objective names (customers, executives, internal),
//     or, for an objective that asks only for the incident to be declared
//     and its commander named ("Incident declared and commander named"),
//     the declaration and the Incident Commander role being taken; met if
//     within the target.
//   - runbook: every step of the runbook done or skipped with a reason;
//     met if within the target.
//
// Evidence logged from the moment the drill ends on does not count.
func (x Exercise) Objectives(log DrillLog, now time.Time) []ObjectiveResult {
	var out []ObjectiveResult
	elapsed := x.Elapsed(now)
	over := x.Over(now)
	for _, o := range x.Started.Objectives {
		r := ObjectiveResult{Objective: o, State: ObjectiveOpen}
		var at time.Time
		var evidence string
		var stated time.Duration
		statedOK := false
		switch o.Kind {
		case ObjectiveRTO:
			at = log.Incident.Milestones.Mitigated
			if at.IsZero() {
				at = log.Incident.Milestones.Resolved
			}
			if Reopened(log.Incident.Status) {
				at = time.Time{} // mitigated, then back to work: not restored
			}
			if !at.IsZero() {
				evidence = "status reached mitigated"
			}
		case ObjectiveRPO:
			if e, ok := firstTagged(log.Entries, "rpo", time.Time{}); ok {
				at, evidence = e.Placed(), "noted: "+OneLine(e.Text)
				if m := durationWord().FindString(strings.ToLower(e.Text)); m != "" {
					if d, err := ParseOffset(m); err == nil {
						stated, statedOK = d, true
					}
				}
			}
		case ObjectiveRunbook:
			at, evidence = runbookFinished(o.Runbook, log)
		default:
			if e, ok := firstTagged(log.Entries, o.ID, time.Time{}); ok {
				at, evidence = e.Placed(), "noted: "+OneLine(e.Text)
			}
			for _, m := range log.Messages {
				if objectiveNamesAudience(o.Title, m.Audience) && (at.IsZero() || m.At.Before(at)) {
					at, evidence = m.At, "message sent to "+string(m.Audience)
					break
				}
			}
			if t, ev, ok := declaredAndCommanded(o.Title, log); ok && (at.IsZero() || t.Before(at)) {
				at, evidence = t, ev
			}
		}
		if x.Over(at) {
			at = time.Time{} // evidence from the end on does not count
		}
		if !at.IsZero() && !now.Before(at) {
			r.At, r.Evidence = at, evidence
			r.Took = x.Elapsed(at)
			r.State = ObjectiveMet
			if o.Kind == ObjectiveRPO {
				if !statedOK || (o.Target > 0 && stated > o.Target) {
					r.State = ObjectiveMissed
				}
				if statedOK {
					r.Evidence += " (" + FormatLength(stated) + " lost)"
				}
			} else if !o.Met(r.Took) {
				r.State = ObjectiveMissed
			}
		} else if over || (o.Target > 0 && o.Kind != ObjectiveRPO && elapsed > o.Target) {
			r.State = ObjectiveMissed
		}
		out = append(out, r)
	}
	return out
}

// firstTagged is the first note, decision or action (not retracted) that
// carries #tag, logged at since or later. It is how a note answers an
// objective and an inject's expected action alike.
func firstTagged(entries []TimelineEntry, tag string, since time.Time) (TimelineEntry, bool) {
	for i := range entries { // by index: an entry is too big to copy for each look
		if e := &entries[i]; e.Kind == EventNote && !e.Retracted && !e.Placed().Before(since) && hasTag(e.Text, tag) {
			return *e, true
		}
	}
	return TimelineEntry{}, false
}

func hasTag(text, tag string) bool {
	// Compared in place, without lower-casing the whole text: the
	// facilitator panel asks this of every note, for every objective and
	// expected action, on every frame.
	for i := 0; ; {
		j := strings.IndexByte(text[i:], '#')
		if j < 0 {
			return false
		}
		from := i + j + 1
		to := from + len(tag)
		if to <= len(text) && strings.EqualFold(text[from:to], tag) && (to == len(text) || !isTagChar(lowerASCII(text[to]))) {
			return true
		}
		i = from
	}
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isTagChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

// declaredAndCommanded judges a milestone about the start of the response
// from the events that record it: a title that asks for the incident to be
// declared is met by its declaration, one that asks for the commander (or
// IC) to be named by the Incident Commander role being taken, and one that
// asks for both by the later of the two. ok is false if the title asks for
// neither, or for anything more, or what it asks for has not happened.
func declaredAndCommanded(title string, log DrillLog) (time.Time, string, bool) {
	words := strings.FieldsFunc(strings.ToLower(title), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-')
	})
	var declare, command bool
	for _, w := range words {
		switch {
		case strings.HasPrefix(w, "declar"):
			declare = true
		case strings.HasPrefix(w, "commander"), w == "ic", w == "incident-commander":
			command = true
		case !startWords[w]:
			// It asks for more than the events show ("Attack confirmed and
			// incident declared"): the team tags the note that shows it.
			return time.Time{}, "", false
		}
	}
	if !declare && !command {
		return time.Time{}, "", false
	}
	var at time.Time
	var said []string
	if declare {
		d := log.Incident.DeclaredAt
		for _, e := range log.Entries {
			if e.Kind == EventDeclared && (d.IsZero() || e.Placed().Before(d)) {
				d = e.Placed()
			}
		}
		if d.IsZero() {
			return time.Time{}, "", false
		}
		at, said = d, append(said, "incident declared")
	}
	if command {
		var c time.Time
		for _, e := range log.Entries {
			if e.Kind == EventRoleAssigned && !e.Retracted && takesCommand(e.Text) && (c.IsZero() || e.Placed().Before(c)) {
				c = e.Placed()
			}
		}
		if c.IsZero() {
			return time.Time{}, "", false
		}
		if c.After(at) {
			at = c
		}
		said = append(said, "commander named")
	}
	return at, strings.Join(said, ", "), true
}

// startWords are the other words an objective about declaring the incident
// and naming its commander may use.
var startWords = map[string]bool{"incident": true, "and": true, "a": true, "an": true, "the": true, "is": true, "major": true,
	"named": true, "name": true, "appointed": true, "assigned": true, "an-incident": true}

// takesCommand reports whether a role entry's text (see Describe) gives
// someone the Incident Commander role, rather than releasing it.
func takesCommand(text string) bool {
	t := RoleCommander.Title()
	return strings.HasPrefix(text, t+" taken by ") || strings.HasPrefix(text, t+" handed from ")
}

// Reopened reports whether an incident's status is back before mitigated
// after it may have been mitigated: a mitigation it reached is not one that
// held. An unknown status (a projection that did not carry it) says nothing.
func Reopened(s Status) bool {
	return s.Valid() && s.Rank() < StatusMitigated.Rank()
}

func objectiveNamesAudience(title string, a Audience) bool {
	t := strings.ToLower(title)
	switch a {
	case AudienceCustomers:
		return strings.Contains(t, "customer") || strings.Contains(t, "status page") || strings.Contains(t, "public")
	case AudienceExecutive:
		return strings.Contains(t, "executive") || strings.Contains(t, "leadership") || strings.Contains(t, "exec ")
	case AudienceInternal:
		return strings.Contains(t, "internal") || strings.Contains(t, "stakeholder")
	}
	return false
}

func runbookFinished(name string, log DrillLog) (time.Time, string) {
	n := log.RunbookSteps[name]
	if n == 0 {
		return time.Time{}, ""
	}
	finished := map[int]time.Time{}
	for _, s := range log.Steps {
		if s.Runbook == name && (s.State == StepDone || s.State == StepSkipped) {
			finished[s.Step] = s.At
		}
	}
	if len(finished) < n {
		return time.Time{}, ""
	}
	var last time.Time
	for i := 0; i < n; i++ {
		at, ok := finished[i]
		if !ok {
			return time.Time{}, ""
		}
		if at.After(last) {
			last = at
		}
	}
	return last, "every step of " + name + " done or skipped"
}

// FirstResponse is the first thing the team logged at or after t: a note,
// decision, action, step change, status or severity change, role change or
// message. ok is false if nothing was logged.
func FirstResponse(entries []TimelineEntry, t time.Time) (TimelineEntry, bool) {
	var best TimelineEntry
	found := false
	for _, e := range entries {
		if e.Retracted || e.Placed().Before(t) {
			continue
		}
		switch e.Kind {
		case EventNote, EventStepChanged, EventStatusChanged, EventSeverityChanged, EventRoleAssigned, EventMessageSent:
		default:
			continue
		}
		if !found || e.Placed().Before(best.Placed()) {
			best, found = e, true
		}
	}
	return best, found
}
