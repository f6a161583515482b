package storage

import (
	"context"
	"fmt"

	"github.com/sitrep-dev/sitrep/model"
)

// Replay reads every event of an incident for model.Replay: the incident as
// it stood at any moment, folded from its log by the rules the tables here
// are projected by. The events come in the order every store agrees on;
// the replay places them by when they happened.
func (s *Store) Replay(ctx context.Context, incidentID string) (*model.Replay, error) {
	logged, err := queryLogged(ctx, s.db, `SELECT `+eventColumns+` FROM events WHERE incident_id = ? ORDER BY hlc, id`, incidentID)
	if err != nil {
		return nil, fmt.Errorf("read the events of %s for replay: %w", model.ShortID(incidentID), describeSQLiteError(err))
	}
	events := make([]model.Event, len(logged))
	future := map[string]bool{}
	for i, l := range logged {
		events[i] = l.Event
		if l.Future() {
			future[l.ID] = true
		}
	}
	return model.NewReplay(events, func(e model.Event) bool { return future[e.ID] }), nil
}
