package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/sitrep-dev/sitrep/model"
)

// StatsFilter picks the incidents metrics are computed over. Exercises and
// real incidents are never mixed: Exercises picks one or the other.
type StatsFilter struct {
	Since, Until time.Time // declared in [Since, Until); zero means unbounded
	Kind         string    // "" for every kind
	Severity     model.Severity
	Exercises    bool
}

// IncidentTimes returns the milestone times (and the review's impact start)
// of the incidents declared in the filter's period: what model.ComputeStats
// summarises.
func (s *Store) IncidentTimes(ctx context.Context, f StatsFilter) ([]model.IncidentTimes, error) {
	q := `SELECT i.id, i.kind, i.severity, i.exercise, i.declared_at, r.impact_start,
		i.detected_at, i.acknowledged_at, i.mitigated_at, i.resolved_at, i.reviewed_at, i.status
		FROM incidents i INDEXED BY incidents_period LEFT JOIN reviews r ON r.incident_id = i.id
		WHERE i.exercise = ? AND i.declared_at >= ? AND i.declared_at < ?`
	until := int64(1<<62 - 1)
	if !f.Until.IsZero() {
		until = ms(f.Until)
	}
	args := []any{f.Exercises, ms(f.Since), until}
	if f.Since.IsZero() {
		args[1] = int64(-1 << 62)
	}
	if f.Kind != "" {
		q += ` AND i.kind = ?`
		args = append(args, f.Kind)
	}
	if f.Severity != 0 {
		q += ` AND i.severity = ?`
		args = append(args, int(f.Severity))
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read incident metrics from %s: %w", s.path, describeSQLiteError(err))
	}
	defer rows.Close()
	out := make([]model.IncidentTimes, 0, 1024)
	for rows.Next() {
		var t model.IncidentTimes
		var sev, declared int64
		var impact, det, ack, mit, res, rev sql.NullInt64
		var status string
		if err := rows.Scan(&t.ID, &t.Kind, &sev, &t.Exercise, &declared, &impact, &det, &ack, &mit, &res, &rev, &status); err != nil {
			return nil, fmt.Errorf("read incident metrics from %s: %w", s.path, describeSQLiteError(err))
		}
		t.Severity, t.DeclaredAt, t.ImpactStart, t.Status = model.Severity(sev), fromMS(declared), nullMS(impact), model.Status(status)
		t.Milestones = model.MilestoneTimes{Detected: nullMS(det), Acknowledged: nullMS(ack), Mitigated: nullMS(mit), Resolved: nullMS(res), Reviewed: nullMS(rev)}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read incident metrics from %s: %w", s.path, describeSQLiteError(err))
	}
	rows.Close()
	if f.Exercises {
		if err := s.attachDrills(ctx, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// attachDrills gives each drill its exercise, so its metrics read on the
// exercise clock: a drill mitigated at T+30:30 took 30m30s, not the 45 s of
// wall time it took at 40 times speed. One query for all of them.
func (s *Store) attachDrills(ctx context.Context, times []model.IncidentTimes) error {
	if len(times) == 0 {
		return nil
	}
	ids := make([]string, len(times))
	for i, t := range times {
		ids[i] = t.ID
	}
	list, _ := json.Marshal(ids)
	events, err := queryEvents(ctx, s.db, `SELECT `+prefixed("e.", eventColumns)+` FROM exercise_events x JOIN events e ON e.id = x.event_id
		WHERE x.incident_id IN (SELECT value FROM json_each(?))`, string(list))
	if err != nil {
		return fmt.Errorf("read drills from %s: %w", s.path, describeSQLiteError(err))
	}
	byIncident := map[string][]model.Event{}
	for _, e := range events {
		byIncident[e.IncidentID] = append(byIncident[e.IncidentID], e)
	}
	for i := range times {
		if x, ok := model.BuildExercise(byIncident[times[i].ID]); ok {
			times[i].Drill = &x
		}
	}
	return nil
}
