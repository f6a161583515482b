package respond

import (
	"context"
	"fmt"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// DrillStart says how to start a drill beyond its scenario.
type DrillStart struct {
	Speed     float64 // the exercise clock's speed factor: 1 is real time
	Title     string  // "": the scenario's
	Commander string  // "": the author
}

// StartDrill declares the exercise incident of the library's scenario
// name, names its commander, attaches the scenario's runbooks and starts
// the clock, in one transaction. A scenario runbook that cannot be found
// does not stop the drill; it comes back as a warning for the caller to
// show where it can (stderr, or the cockpit's status line).
func (s *Service) StartDrill(ctx context.Context, name string, opts DrillStart) (model.Incident, []string, error) {
	speed := opts.Speed
	if err := model.CheckSpeed(speed); err != nil {
		return model.Incident{}, nil, err
	}
	lib, err := s.Library()
	if err != nil {
		return model.Incident{}, nil, err
	}
	sc, err := ScenarioByRef(lib, name)
	if err != nil {
		return model.Incident{}, nil, err
	}
	d := model.Declaration{Title: sc.Title, Kind: sc.Kind, Severity: sc.Severity, Exercise: true, Commander: opts.Commander}
	if opts.Title != "" {
		d.Title = opts.Title
	}
	if !d.Severity.Valid() {
		d.Severity = model.SEV2
	}
	if err := d.Validate(); err != nil {
		return model.Incident{}, nil, err
	}
	id := storage.NewID()
	now := s.now().UTC().Truncate(time.Millisecond)
	changes := s.declarationChanges(id, d, now)
	var warnings []string
	for _, rb := range sc.Runbooks {
		att, err := attachChangesFrom(lib, id, []string{rb})
		if err != nil {
			warnings = append(warnings, fmt.Sprintf("scenario runbook %s not attached: %s", rb, describeError(err)))
			continue
		}
		changes = append(changes, att...)
	}
	if speed == 1 {
		speed = 0
	}
	changes = append(changes, model.Change{IncidentID: id, Kind: model.EventExerciseStarted, Occurred: now, Payload: model.ExerciseStartedPayload{
		Scenario: sc.Name, Title: sc.Title, Source: sc.Source, Hash: sc.Hash, Text: sc.Text, Start: now, Speed: speed,
		Duration: sc.Duration, Runbooks: sc.Runbooks, Objectives: sc.Objectives, Injects: sc.Injects,
		Cadence: sc.Cadence,
	}})
	in, err := s.saveNewIncident(ctx, id, changes)
	return in, warnings, err
}

// Drill is the drill on an incident, refused when it is none.
func (s *Service) Drill(ctx context.Context, in model.Incident) (model.Exercise, error) {
	x, ok, err := s.st.Exercise(ctx, in.ID)
	if err != nil {
		return model.Exercise{}, err
	}
	if !ok {
		return model.Exercise{}, model.Invalidf("incident %s is not a drill started with 'sitrep drill SCENARIO'", in.Short())
	}
	return x, nil
}

// running is the drill on in when its clock can still be driven.
func (s *Service) running(ctx context.Context, in model.Incident) (model.Exercise, error) {
	x, err := s.Drill(ctx, in)
	if err != nil {
		return x, err
	}
	if x.Over(s.now()) {
		return x, model.Invalidf("the drill on %s has ended", in.Short())
	}
	return x, nil
}

// PauseDrill stops the exercise clock; pausing a paused clock is refused.
func (s *Service) PauseDrill(ctx context.Context, in model.Incident, reason string) (model.Exercise, model.Event, error) {
	x, err := s.running(ctx, in)
	if err != nil {
		return x, model.Event{}, err
	}
	if x.Paused(s.now()) {
		return x, model.Event{}, model.Invalidf("the exercise clock of %s is already paused", in.Short())
	}
	e, err := s.st.Append(ctx, model.Change{IncidentID: in.ID, Kind: model.EventExercisePaused, Payload: model.ExerciseClockPayload{Reason: reason}})
	return x, e, err
}

// ResumeDrill starts a paused exercise clock again; resuming a running
// clock is refused.
func (s *Service) ResumeDrill(ctx context.Context, in model.Incident, reason string) (model.Exercise, model.Event, error) {
	x, err := s.running(ctx, in)
	if err != nil {
		return x, model.Event{}, err
	}
	if !x.Paused(s.now()) {
		return x, model.Event{}, model.Invalidf("the exercise clock of %s is running", in.Short())
	}
	e, err := s.st.Append(ctx, model.Change{IncidentID: in.ID, Kind: model.EventExerciseResumed, Payload: model.ExerciseClockPayload{Reason: reason}})
	return x, e, err
}

// SetDrillSpeed sets the exercise clock's speed factor, within
// model.CheckSpeed's bounds.
func (s *Service) SetDrillSpeed(ctx context.Context, in model.Incident, speed float64) (model.Event, error) {
	if err := model.CheckSpeed(speed); err != nil {
		return model.Event{}, err
	}
	if _, err := s.running(ctx, in); err != nil {
		return model.Event{}, err
	}
	return s.st.Append(ctx, model.Change{IncidentID: in.ID, Kind: model.EventExerciseSpeed, Payload: model.ExerciseClockPayload{Speed: speed}})
}

// Inject releases inject n (0-based) now, ahead of its time; SkipInject
// skips it. Either is refused once the drill ended or when the inject is
// already so.
func (s *Service) Inject(ctx context.Context, in model.Incident, n int, reason string) (model.InjectStatus, model.Event, error) {
	return s.injectChange(ctx, in, n, model.EventInjectReleased, reason)
}

// SkipInject skips inject n (0-based): it will not be released.
func (s *Service) SkipInject(ctx context.Context, in model.Incident, n int, reason string) (model.InjectStatus, model.Event, error) {
	return s.injectChange(ctx, in, n, model.EventInjectSkipped, reason)
}

func (s *Service) injectChange(ctx context.Context, in model.Incident, n int, kind model.EventKind, reason string) (model.InjectStatus, model.Event, error) {
	x, err := s.Drill(ctx, in)
	if err != nil {
		return model.InjectStatus{}, model.Event{}, err
	}
	now := s.now()
	injects := x.Injects(now)
	if n < 0 || n >= len(injects) {
		return model.InjectStatus{}, model.Event{}, model.Invalidf("the scenario has %s; there is no inject %d", model.Count(len(injects), "inject"), n+1)
	}
	cur := injects[n]
	switch {
	case x.Over(now):
		return cur, model.Event{}, model.Invalidf("the drill on %s has ended", in.Short())
	case kind == model.EventInjectReleased && cur.State == model.InjectReleased:
		return cur, model.Event{}, model.Invalidf("inject %d is already released", n+1)
	case kind == model.EventInjectSkipped && cur.State == model.InjectSkipped:
		return cur, model.Event{}, model.Invalidf("inject %d is already skipped", n+1)
	}
	e, err := s.st.Append(ctx, model.Change{IncidentID: in.ID, Kind: kind,
		Payload: model.InjectPayload{Index: n, Title: model.OneLine(cur.Title), Reason: reason}})
	return cur, e, err
}

// EndDrill ends the drill: the clock stops, objectives still open are
// missed, and the exercise incident is resolved so it leaves the active
// list and nothing falls due. Ending it twice is refused.
func (s *Service) EndDrill(ctx context.Context, in model.Incident, reason string) (model.Exercise, []model.Event, error) {
	x, err := s.Drill(ctx, in)
	if err != nil {
		return x, nil, err
	}
	if !x.Ended.IsZero() {
		return x, nil, model.Invalidf("the drill on %s already ended at %s", in.Short(), x.Ended.UTC().Format("15:04:05Z"))
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	events, err := s.st.AppendAll(ctx, model.EndChanges(in, reason, now))
	return x, events, err
}

// AfterAction gathers what the facilitator's view and the after-action
// report need about the drill x on in.
func (s *Service) AfterAction(ctx context.Context, in model.Incident, x model.Exercise) (model.AfterAction, error) {
	aa := model.AfterAction{Incident: in, Exercise: x, Now: s.now(), Cadence: s.policy()}
	var err error
	if aa.Entries, err = s.st.Timeline(ctx, in.ID, storage.TimelinePage{}); err != nil {
		return aa, err
	}
	if aa.Steps, err = s.st.Steps(ctx, in.ID); err != nil {
		return aa, err
	}
	if aa.Messages, err = s.st.Messages(ctx, in.ID); err != nil {
		return aa, err
	}
	if aa.Review, _, err = s.st.Review(ctx, in.ID); err != nil {
		return aa, err
	}
	atts, err := s.st.Attachments(ctx, in.ID)
	if err != nil {
		return aa, err
	}
	aa.StepTitles, aa.RunbookSteps = StepTitles(atts)
	return aa, nil
}
