package ui

import (
	"context"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/respond"
	"github.com/sitrep-dev/sitrep/storage"
	ssync "github.com/sitrep-dev/sitrep/sync"
)

// Store is what the cockpit reads, and what the service it changes
// incidents through (respond) writes; *storage.Store has it. It is defined
// here, where it is used, so tests run the UI against a real store in a
// temp dir and nothing else needs to know what the UI calls.
type Store interface {
	respond.Store
	IncidentsPage(ctx context.Context, offset, limit int) ([]model.Incident, error)
	IncidentsWhere(ctx context.Context, f storage.SearchFilter) ([]model.Incident, error)
	IncidentCounts(ctx context.Context) (active, past int, err error)
	Search(ctx context.Context, q string, f storage.SearchFilter) ([]storage.SearchHit, error)
	IncidentTimes(ctx context.Context, f storage.StatsFilter) ([]model.IncidentTimes, error)
	ResolveIncident(ctx context.Context, ref string) (model.Incident, error)
	Timeline(ctx context.Context, incidentID string, page storage.TimelinePage) ([]model.TimelineEntry, error)
	TimelinePosition(ctx context.Context, incidentID string, key storage.TimelineKey) (int, error)
	TimelineEntry(ctx context.Context, eventID string) (model.TimelineEntry, error)
	SearchTimeline(ctx context.Context, incidentID, query string, limit int) ([]storage.TimelineHit, error)
	Steps(ctx context.Context, incidentID string) ([]model.StepStatus, error)
	StepExits(ctx context.Context, incidentID string) (map[storage.StepRef]storage.Evidence, error)
	Roles(ctx context.Context, incidentID string) ([]model.RoleHolder, error)
	MaxSeq(ctx context.Context) (int64, error)
	SaveDraft(incidentID, slot, text string) error
	Drafts(incidentID string) ([]storage.Draft, error)
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
