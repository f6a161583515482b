package ui

import (
	"context"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
	ssync "github.com/sitrep-dev/sitrep/sync"
)

// Store is what the cockpit reads and writes; *storage.Store has it. It is
// defined here, where it is used, so tests run the UI against a real store
// in a temp dir and nothing else needs to know what the UI calls.
type Store interface {
	IncidentsPage(ctx context.Context, offset, limit int) ([]model.Incident, error)
	IncidentsWhere(ctx context.Context, f storage.SearchFilter) ([]model.Incident, error)
	IncidentCounts(ctx context.Context) (active, past int, err error)
	Search(ctx context.Context, q string, f storage.SearchFilter) ([]storage.SearchHit, error)
	Review(ctx context.Context, incidentID string) (model.Review, storage.ReviewInfo, error)
	IncidentTimes(ctx context.Context, f storage.StatsFilter) ([]model.IncidentTimes, error)
	Exercise(ctx context.Context, incidentID string) (model.Exercise, bool, error)
	Incident(ctx context.Context, id string) (model.Incident, error)
	ResolveIncident(ctx context.Context, ref string) (model.Incident, error)
	Timeline(ctx context.Context, incidentID string, page storage.TimelinePage) ([]model.TimelineEntry, error)
	Steps(ctx context.Context, incidentID string) ([]model.StepStatus, error)
	StepExits(ctx context.Context, incidentID string) (map[storage.StepRef]storage.Evidence, error)
	Roles(ctx context.Context, incidentID string) ([]model.RoleHolder, error)
	RoleEvent(ctx context.Context, incidentID string, role model.Role) (holder, eventID string, err error)
	Attachments(ctx context.Context, incidentID string) ([]model.Attachment, error)
	Messages(ctx context.Context, incidentID string) ([]model.Message, error)
	MessageFacts(ctx context.Context, incidentID string) (model.MessageFacts, error)
	Append(ctx context.Context, d model.Change) (model.Event, error)
	AppendAll(ctx context.Context, drafts []model.Change) ([]model.Event, error)
	MaxSeq(ctx context.Context) (int64, error)
	SetCurrent(ctx context.Context, incidentID string) error
	SaveDraft(incidentID, slot, text string) error
	Drafts(incidentID string) ([]storage.Draft, error)
	Author() string
	Now() time.Time
}

// Library is the runbook library the declare form offers runbooks from;
// *runbooks.Library has it. It is read in memory, never from disk, once
// loaded.
type Library interface {
	// RunbooksForKind lists the runbooks to offer for a kind of incident:
	// those written for it first, then general ones.
	RunbooksForKind(kind string) []*model.Runbook
	// Scenarios lists the tabletop scenarios D offers.
	Scenarios() []*model.Scenario
}

// DeclareFunc opens an incident with the runbooks named, as the CLI's
// declare does (declaration, first commander and attachments in one
// transaction), and returns it.
type DeclareFunc func(ctx context.Context, d model.Declaration, runbooks []string) (model.Incident, error)

// AttachFunc attaches a library runbook to an incident mid-response, as
// `sitrep attach` does: its exact text and hash are recorded.
type AttachFunc func(ctx context.Context, incidentID, runbook string) error

// DrillFunc starts a tabletop exercise from a scenario, as `sitrep drill`
// does: an EXERCISE incident with the scenario's runbooks and its clock
// started.
// It returns a warning to show (a scenario runbook that could not be
// attached), never printed: the cockpit owns the screen.
type DrillFunc func(ctx context.Context, scenario string) (in model.Incident, warning string, err error)

// SyncFunc runs one sync with the team's hub: push what is new here, pull
// what is new there. The App runs it in a command, every SyncEvery and on
// ctrl+s, never inside Update.
type SyncFunc func(ctx context.Context) (ssync.Report, error)

// PendingFunc counts the events waiting to go to the hub. It needs no
// connection.
type PendingFunc func(ctx context.Context) (int64, error)

// syncState is what the header shows about sync.
type syncState struct {
	Running bool
	At      time.Time // the last sync that worked
	Pending int64     // events waiting to go out; -1 unknown
	Err     string    // the last failure in plain words; "" after a success
	Offline bool      // the last failure was an unreachable hub
	Live    liveState // the live session, when the cockpit holds one
}
