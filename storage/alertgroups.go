package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/sitrep-dev/sitrep/model"
)

// OpenIncidentForAlertGroup finds the active, real (not drill) incident
// declared from the alert group key, the newest if several were: where
// the group's next notification goes instead of a second incident. The
// key lives in the declaration's payload, so it arrives with sync and
// import like the rest of the log, and needs no table of its own; only
// the events of active incidents are read.
func (s *Store) OpenIncidentForAlertGroup(ctx context.Context, key string) (model.Incident, bool, error) {
	if key == "" {
		return model.Incident{}, false, nil
	}
	var id string
	err := s.db.QueryRowContext(ctx, `SELECT i.id FROM incidents i JOIN events e ON e.incident_id = i.id
		WHERE i.active = 1 AND i.exercise = 0 AND e.kind = ?
		AND CASE WHEN json_valid(e.payload) THEN json_extract(e.payload, '$.alert_group') END = ?
		ORDER BY i.declared_at DESC, i.id DESC LIMIT 1`, string(model.EventDeclared), key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return model.Incident{}, false, nil
	}
	if err != nil {
		return model.Incident{}, false, fmt.Errorf("find the incident of alert group %s in %s: %w", model.Neutralise(key), s.path, describeSQLiteError(err))
	}
	in, err := s.Incident(ctx, id)
	return in, err == nil, err
}
