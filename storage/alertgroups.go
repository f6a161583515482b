package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/sitrep-dev/sitrep/model"
)

// The alert group an incident was declared from is in its declaration's
// payload (model.DeclaredPayload.AlertGroup), so it arrives with sync and
// import like the rest of the log and needs no table of its own.
//
// Finding a group's incident reads one event per active incident: its
// first by (HLC, id), through the events_incident index. That is its
// declaration, because every other event of an incident is made by
// someone who has seen the declaration, and the hybrid logical clock
// orders what was seen before what is made. Reading every event of the
// active incidents instead took 8.6 s in the million-entry store.
var openForGroupSQL = `SELECT ` + incidentColumnsI + ` FROM incidents i
	JOIN events e ON e.id = (SELECT f.id FROM events f WHERE f.incident_id = i.id ORDER BY f.hlc, f.id LIMIT 1)
	WHERE i.active = 1 AND i.exercise = 0 AND e.kind = ?
	AND CASE WHEN instr(e.payload, '"alert_group"') > 0 AND json_valid(e.payload) THEN json_extract(e.payload, '$.alert_group') END = ?
	ORDER BY i.declared_at DESC, i.id DESC LIMIT 1`

var incidentColumnsI = prefixed("i.", incidentColumns)

type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func openForGroup(ctx context.Context, q rowQuerier, key string) (model.Incident, bool, error) {
	if key == "" {
		return model.Incident{}, false, nil
	}
	in, err := scanIncident(q.QueryRowContext(ctx, openForGroupSQL, string(model.EventDeclared), key))
	if errors.Is(err, sql.ErrNoRows) {
		return model.Incident{}, false, nil
	}
	return in, err == nil, err
}

// OpenIncidentForAlertGroup finds the active, real (not drill) incident
// declared from the alert group key, the newest if several were.
func (s *Store) OpenIncidentForAlertGroup(ctx context.Context, key string) (model.Incident, bool, error) {
	in, ok, err := openForGroup(ctx, s.db, key)
	if err != nil {
		return in, false, fmt.Errorf("find the incident of alert group %s in %s: %w", model.Neutralise(key), s.path, describeSQLiteError(err))
	}
	return in, ok, nil
}

// AppendForAlertGroup records a notification of alert group key in one
// transaction: when the group has an open incident, the changes onOpen
// makes for it; otherwise the changes in declare (none: nothing is
// written). One transaction, so two notifications of a group arriving at
// once make one incident, not two.
func (s *Store) AppendForAlertGroup(ctx context.Context, key string, declare []model.Change, onOpen func(model.Incident) []model.Change) (in model.Incident, found bool, err error) {
	err = s.write(ctx, func(tx *sql.Tx) error {
		var err error
		if in, found, err = openForGroup(ctx, tx, key); err != nil {
			return err
		}
		drafts := declare
		if found {
			drafts = onOpen(in)
		}
		a, err := newAppender(ctx, tx, s)
		if err != nil {
			return err
		}
		for _, d := range drafts {
			if _, err := a.append(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, model.ErrInvalid) || errors.Is(err, model.ErrNotFound) {
			return in, found, err
		}
		err = s.describe(err)
		if errors.Is(err, ErrReadOnly) || errors.Is(err, ErrDiskFull) {
			return in, found, err
		}
		return in, found, fmt.Errorf("save to %s: %w", s.path, err)
	}
	return in, found, nil
}
