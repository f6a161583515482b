package storage

import (
	"context"
	"fmt"

	"github.com/sitrep-dev/sitrep/model"
)

// evidenceQuery reads an incident's evidence events in timeline order. The
// kind is written into it, not bound, so SQLite can use the partial index
// timeline_evidence (migration 6).
var evidenceQuery = `SELECT ` + prefixed("e.", eventColumns) + ` FROM timeline t JOIN events e ON e.id = t.event_id
	WHERE t.incident_id = ? AND t.kind = '` + string(model.EventEvidence) + `' ORDER BY t.placed, t.hlc, t.event_id`

// Evidence is a command a responder ran on an incident, as recorded.
type Evidence struct {
	EventID string
	Author  string
	model.EvidencePayload
}

// Evidence returns the commands run on an incident and what they printed,
// in timeline order. A partial index finds them, so an incident with a
// million notes and three commands reads three rows. An entry
// whose payload no longer decodes (a store edited by hand) is left out: its
// timeline text says what it was.
func (s *Store) Evidence(ctx context.Context, incidentID string) ([]Evidence, error) {
	events, err := queryEvents(ctx, s.db, evidenceQuery, incidentID)
	if err != nil {
		return nil, fmt.Errorf("read the commands run on %s: %w", incidentID, describeSQLiteError(err))
	}
	out := make([]Evidence, 0, len(events))
	for _, e := range events {
		p, err := model.Decode[model.EvidencePayload](e)
		if err != nil {
			continue
		}
		out = append(out, Evidence{EventID: e.ID, Author: e.Author, EvidencePayload: p})
	}
	return out, nil
}

// StepRef names one step of a runbook attached to an incident.
type StepRef struct {
	Runbook string
	Step    int
}

// StepExits returns, for each runbook step a command ran from, the latest
// such command (by when it ran, on the log's clock): the cockpit shows its
// exit status beside the step.
func (s *Store) StepExits(ctx context.Context, incidentID string) (map[StepRef]Evidence, error) {
	all, err := s.Evidence(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	out := map[StepRef]Evidence{}
	for _, e := range all {
		if e.Runbook != "" {
			out[StepRef{e.Runbook, e.Step}] = e
		}
	}
	return out, nil
}
