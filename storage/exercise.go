package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/sitrep-dev/sitrep/model"
)

// Exercise returns the drill state of an incident, built from the events
// of its drill; ok is false when it is not a drill started with `sitrep
// drill`.
func (s *Store) Exercise(ctx context.Context, incidentID string) (model.Exercise, bool, error) {
	events, err := queryEvents(ctx, s.db, `SELECT `+prefixed("e.", eventColumns)+` FROM exercise_events x JOIN events e ON e.id = x.event_id WHERE x.incident_id = ?`, incidentID)
	if err != nil {
		return model.Exercise{}, false, fmt.Errorf("read exercise of %s: %w", incidentID, describeSQLiteError(err))
	}
	x, ok := model.BuildExercise(events)
	return x, ok, nil
}

// TimelineAt is an incident's whole timeline as it reads at now: for a
// drill, the injects the exercise clock has released by then are merged in
// (made-up entries whose EventID starts with "inject:"); for anything else
// it is Timeline.
func (s *Store) TimelineAt(ctx context.Context, incidentID string, now time.Time) ([]model.TimelineEntry, error) {
	entries, err := s.Timeline(ctx, incidentID, TimelinePage{})
	if err != nil {
		return nil, err
	}
	x, ok, err := s.Exercise(ctx, incidentID)
	if err != nil || !ok {
		return entries, err
	}
	return model.MergeEntries(entries, x.InjectEntries(now)), nil
}
