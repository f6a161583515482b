package respond

import (
	"context"
	"strings"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// Declare opens an incident, makes the declarer (or d.Commander) its
// Incident Commander and attaches the runbooks named, all in one
// transaction, and makes it the current incident. A declaration given a
// time (d.At, recorded after the fact) dates all of these at that time, so
// the timeline starts with them.
func (s *Service) Declare(ctx context.Context, d model.Declaration, runbookNames []string) (model.Incident, error) {
	if err := d.Validate(); err != nil { // also fills in the defaults (kind, status)
		return model.Incident{}, err
	}
	if err := model.CheckPast("declared", d.At, s.now()); err != nil {
		return model.Incident{}, err
	}
	id := storage.NewID()
	attach, err := s.attachChanges(id, runbookNames)
	if err != nil {
		return model.Incident{}, err
	}
	for i := range attach {
		attach[i].Occurred = d.At
	}
	return s.saveNewIncident(ctx, id, append(s.declarationChanges(id, d, d.At), attach...))
}

// declarationChanges are a new incident's first events: declared, and its
// Incident Commander (the author when d names none), occurred at at (zero:
// when they are saved).
func (s *Service) declarationChanges(id string, d model.Declaration, at time.Time) []model.Change {
	if d.Commander == "" {
		d.Commander = s.st.Author()
	}
	return []model.Change{
		{IncidentID: id, Kind: model.EventDeclared, Occurred: at, Payload: model.DeclaredPayload{
			Title: d.Title, Kind: d.Kind, Severity: d.Severity, Status: d.Status, Exercise: d.Exercise, DetectedAt: d.DetectedAt,
			AlertGroup: d.AlertGroup,
		}},
		{IncidentID: id, Kind: model.EventRoleAssigned, Occurred: at, Payload: model.RoleAssignedPayload{Role: model.RoleCommander, Holder: d.Commander}},
	}
}

// saveNewIncident appends a new incident's events in one transaction and
// makes it the current incident.
func (s *Service) saveNewIncident(ctx context.Context, id string, changes []model.Change) (model.Incident, error) {
	if _, err := s.st.AppendAll(ctx, changes); err != nil {
		return model.Incident{}, err
	}
	if err := s.st.SetCurrent(ctx, id); err != nil {
		return model.Incident{}, err
	}
	return s.st.Incident(ctx, id)
}

// Note adds a note, decision or action item to the timeline; at is when it
// happened (zero: now).
func (s *Service) Note(ctx context.Context, incidentID string, kind model.NoteKind, text string, at time.Time) (model.Event, error) {
	if strings.TrimSpace(text) == "" {
		return model.Event{}, model.Invalidf("the note is empty: type what happened, or '-' to read it from standard input")
	}
	return s.st.Append(ctx, model.Change{IncidentID: incidentID, Kind: model.EventNote, Occurred: at,
		Payload: model.NotePayload{Kind: kind, Text: text}})
}

// SetStatus moves an incident to status to; at is when (zero: now). The
// status it had is read from the store, so the event says what it moved
// from even when the caller's copy is old.
func (s *Service) SetStatus(ctx context.Context, incidentID string, to model.Status, reason string, at time.Time) (model.Event, error) {
	in, err := s.st.Incident(ctx, incidentID)
	if err != nil {
		return model.Event{}, err
	}
	if in.Status == to {
		return model.Event{}, model.Invalidf("incident %s is already %s", in.Short(), to)
	}
	return s.st.Append(ctx, model.Change{IncidentID: in.ID, Kind: model.EventStatusChanged, Occurred: at,
		Payload: model.StatusPayload{Status: to, From: in.Status, Reason: reason}})
}

// SetSeverity changes an incident's severity.
func (s *Service) SetSeverity(ctx context.Context, incidentID string, to model.Severity, reason string) (model.Event, error) {
	in, err := s.st.Incident(ctx, incidentID)
	if err != nil {
		return model.Event{}, err
	}
	if in.Severity == to {
		return model.Event{}, model.Invalidf("incident %s is already %s", in.Short(), to)
	}
	return s.st.Append(ctx, model.Change{IncidentID: in.ID, Kind: model.EventSeverityChanged,
		Payload: model.SeverityPayload{Severity: to, From: in.Severity, Reason: reason}})
}

// Assign gives role to holder; an empty holder releases it (Release). The
// event notes the holder and assignment seen, so a clash with someone
// doing the same offline is recognised after sync and "handed from A to
// B" reads true. Giving a role to who holds it, or releasing a role nobody
// holds, is refused: either would record a change that changes nothing.
func (s *Service) Assign(ctx context.Context, incidentID string, role model.Role, holder string) (model.Event, error) {
	holder = strings.TrimSpace(holder)
	prev, prevEvent, err := s.st.RoleEvent(ctx, incidentID, role)
	if err != nil {
		return model.Event{}, err
	}
	if holder == "" && prev == "" {
		return model.Event{}, model.Invalidf("nobody holds %s", role.Title())
	}
	if prev == holder && prevEvent != "" {
		return model.Event{}, model.Invalidf("%s already holds %s", holder, role.Title())
	}
	return s.st.Append(ctx, model.Change{IncidentID: incidentID, Kind: model.EventRoleAssigned,
		Payload: model.RoleAssignedPayload{Role: role, Holder: holder, Previous: prev, Replaces: prevEvent}})
}

// Release leaves role unheld; releasing a role nobody holds is refused.
func (s *Service) Release(ctx context.Context, incidentID string, role model.Role) (model.Event, error) {
	return s.Assign(ctx, incidentID, role, "")
}

// Retitle changes an incident's title.
func (s *Service) Retitle(ctx context.Context, incidentID, title string) (model.Event, error) {
	in, err := s.st.Incident(ctx, incidentID)
	if err != nil {
		return model.Event{}, err
	}
	return s.st.Append(ctx, model.Change{IncidentID: in.ID, Kind: model.EventRetitled,
		Payload: model.RetitledPayload{Title: title, From: in.Title}})
}

// Amend replaces what a note, decision or action item says; the original
// stays in the log.
func (s *Service) Amend(ctx context.Context, incidentID, entryID, text string) (model.Event, error) {
	return s.st.Append(ctx, model.Change{IncidentID: incidentID, Kind: model.EventAmended,
		Payload: model.AmendedPayload{Entry: entryID, Text: text}})
}

// Retract withdraws a note, decision or action item.
func (s *Service) Retract(ctx context.Context, incidentID, entryID, reason string) (model.Event, error) {
	return s.st.Append(ctx, model.Change{IncidentID: incidentID, Kind: model.EventRetracted,
		Payload: model.RetractedPayload{Entry: entryID, Reason: strings.TrimSpace(reason)}})
}

// Pin pins (or unpins) a timeline entry for the review.
func (s *Service) Pin(ctx context.Context, incidentID, entryID string, pinned bool) (model.Event, error) {
	return s.st.Append(ctx, model.Change{IncidentID: incidentID, Kind: model.EventPinned,
		Payload: model.PinnedPayload{Entry: entryID, Pinned: pinned}})
}

// MarkStep records a runbook step's new state (done, skipped, blocked or
// open again), with the reason skipping or blocking gives.
func (s *Service) MarkStep(ctx context.Context, incidentID, runbook string, step model.Step, state model.StepState, reason string) (model.Event, error) {
	return s.st.Append(ctx, model.Change{IncidentID: incidentID, Kind: model.EventStepChanged,
		Payload: model.StepPayload{Runbook: runbook, Step: step.Index, Title: model.OneLine(step.Title), State: state, Reason: strings.TrimSpace(reason)}})
}
