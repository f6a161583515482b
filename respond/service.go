// Package respond is what a responder can do to an incident, written once:
// declare, note, change status or severity, assign or release a role,
// attach a runbook, mark a step, drive a drill's clock, save a review, log
// an update, correct the timeline, write a report. Each method carries its
// rules (what is valid, what is refused, which events are written together
// in one transaction); the command line and the cockpit both call it and
// keep no rule of their own.
package respond

import (
	"context"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/runbooks"
	"github.com/sitrep-dev/sitrep/storage"
)

// Store is what the service reads and writes; *storage.Store has it. It is
// an interface so the cockpit's tests can hand it a store that fails on
// purpose.
type Store interface {
	Append(ctx context.Context, c model.Change) (model.Event, error)
	AppendAll(ctx context.Context, cs []model.Change) ([]model.Event, error)
	Incident(ctx context.Context, id string) (model.Incident, error)
	RoleEvent(ctx context.Context, incidentID string, role model.Role) (holder, eventID string, err error)
	Attachments(ctx context.Context, incidentID string) ([]model.Attachment, error)
	Exercise(ctx context.Context, incidentID string) (model.Exercise, bool, error)
	Review(ctx context.Context, incidentID string) (model.Review, storage.ReviewInfo, error)
	Timeline(ctx context.Context, incidentID string, page storage.TimelinePage) ([]model.TimelineEntry, error)
	Steps(ctx context.Context, incidentID string) ([]model.StepStatus, error)
	Messages(ctx context.Context, incidentID string) ([]model.Message, error)
	MessageFacts(ctx context.Context, incidentID string) (model.MessageFacts, error)
	SetCurrent(ctx context.Context, incidentID string) error
	// AppendForAlertGroup finds an alert group's open incident and writes
	// to it, or declares, in one transaction (DeclareFromAlert).
	AppendForAlertGroup(ctx context.Context, key string, declare []model.Change, onOpen func(model.Incident) []model.Change) (model.Incident, bool, error)
	Author() string
	Now() time.Time
}

// Library returns the runbook library, loading it on first call; a nil
// library comes with the sentence saying why there is none. A library
// that loaded in part comes with the notice too.
type Library func() (*runbooks.Library, string)

// Options are what the rules need besides the store.
type Options struct {
	Library Library          // nil: no library (declaring with runbooks and drills are refused)
	Now     func() time.Time // nil: the store's clock
	// Cadence is how often each audience must hear from the responders,
	// asked for only when a rule needs it (a config line it cannot read
	// is then said once, not by every command); nil: no timer.
	Cadence func() model.CadencePolicy
}

// Service is what a responder can do, on one store.
type Service struct {
	st      Store
	file    *storage.Store // the same store when it is a file, for the exports a report needs
	library Library
	now     func() time.Time
	cadence func() model.CadencePolicy
}

// New builds the service on st.
func New(st Store, opts Options) *Service {
	s := &Service{st: st, library: opts.Library, now: opts.Now, cadence: opts.Cadence}
	s.file, _ = st.(*storage.Store)
	if s.now == nil {
		s.now = st.Now
	}
	return s
}

// Author is who the events this service records are by.
func (s *Service) Author() string { return s.st.Author() }

// policy is the update cadence messages are judged by.
func (s *Service) policy() model.CadencePolicy {
	if s.cadence == nil {
		return nil
	}
	return s.cadence()
}

// Library is the runbook library, or why there is none.
func (s *Service) Library() (*runbooks.Library, error) {
	if s.library == nil {
		return nil, model.Invalidf("no runbook library here")
	}
	lib, notice := s.library()
	if lib == nil {
		return nil, model.Invalidf("%s", notice)
	}
	return lib, nil
}
