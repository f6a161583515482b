package ui

import (
	"context"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// Store is what the cockpit reads and writes; *storage.Store has it. It is
// defined here, where it is used, so tests run the UI against a real store
// in a temp dir and nothing else needs to know what the UI calls.
type Store interface {
	Incidents(ctx context.Context) ([]model.Incident, error)
	Incident(ctx context.Context, id string) (model.Incident, error)
	Timeline(ctx context.Context, incidentID string, page storage.TimelinePage) ([]model.TimelineEntry, error)
	Steps(ctx context.Context, incidentID string) ([]model.StepStatus, error)
	Roles(ctx context.Context, incidentID string) ([]model.RoleHolder, error)
	RoleEvent(ctx context.Context, incidentID string, role model.Role) (holder, eventID string, err error)
	Attachments(ctx context.Context, incidentID string) ([]model.Attachment, error)
	Append(ctx context.Context, d model.Draft) (model.Event, error)
	MaxSeq(ctx context.Context) (int64, error)
	SetCurrent(ctx context.Context, incidentID string) error
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
}

// DeclareFunc opens an incident with the runbooks named, as the CLI's
// declare does (declaration, first commander and attachments in one
// transaction), and returns it.
type DeclareFunc func(ctx context.Context, d model.Declaration, runbooks []string) (model.Incident, error)

// SyncStatus is what the header shows about sync. The UI never syncs by
// itself: whoever runs sync reports here, by Options.SyncStatus (polled each
// second) or by sending a SyncStatusMsg to the program.
type SyncStatus struct {
	State string    // "" hides the sync field; e.g. "synced", "syncing", "offline"
	At    time.Time // last successful sync
	Err   string    // the last failure, shown in warning colours
}

// SyncStatusMsg updates the header's sync field.
type SyncStatusMsg SyncStatus
