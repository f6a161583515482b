package storage

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/sitrep-dev/sitrep/model"
)

// Replay reads every event of an incident for model.Replay: the incident
// as it stood at any moment, folded from its log by the rules the tables
// here are projected by. `show --as-of` reads it whole.
func (s *Store) Replay(ctx context.Context, incidentID string) (*model.Replay, error) {
	return s.replay(ctx, incidentID, ``)
}

// ReplayState is Replay without the notes, for a long incident replayed in
// the cockpit: notes change nothing but the timeline, whose entries as
// they were first written are here already (ReplayTimeline), so a replay
// of a 100,000-note incident reads its few other events, not its notes.
// The snapshot's timeline count is then that of the events read: count
// entries with ReplayCount.
func (s *Store) ReplayState(ctx context.Context, incidentID string) (*model.Replay, error) {
	return s.replay(ctx, incidentID, ` AND kind != '`+string(model.EventNote)+`'`)
}

func (s *Store) replay(ctx context.Context, incidentID, where string) (*model.Replay, error) {
	logged, err := queryLogged(ctx, s.db, `SELECT `+eventColumns+` FROM events INDEXED BY events_incident WHERE incident_id = ?`+where, incidentID)
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

// rawTimelineColumns are timelineColumns without the marks: entries as
// first written, for a replay to mark as they stood then.
const rawTimelineColumns = `t.event_id, t.incident_id, t.kind, t.note_kind, t.occurred, t.typed, t.hlc, t.author, t.text, 0, '', 0, t.future`

// ReplayTimeline is Timeline as it stood at asOf: only entries placed at
// asOf or before, as first written (model.Snapshot.Marked puts on them
// the pins, amendments and retractions made by then). Paging is
// Timeline's.
func (s *Store) ReplayTimeline(ctx context.Context, incidentID string, asOf time.Time, page TimelinePage) ([]model.TimelineEntry, error) {
	bound := TimelineKey{Placed: ms(asOf), HLC: math.MaxInt64, EventID: "\U0010FFFF"}
	if page.Before == nil || keyLess(bound, *page.Before) {
		page.Before = &bound
	}
	if page.After != nil && !keyLess(*page.After, *page.Before) {
		return nil, nil
	}
	return s.timeline(ctx, incidentID, page, rawTimelineColumns)
}

func keyLess(a, b TimelineKey) bool {
	if a.Placed != b.Placed {
		return a.Placed < b.Placed
	}
	if a.HLC != b.HLC {
		return a.HLC < b.HLC
	}
	return a.EventID < b.EventID
}

// ReplayCount is how many timeline entries of an incident were placed
// after from and at to or before (from zero: from the start): a replay
// moving from one moment to another counts only what lies between.
func (s *Store) ReplayCount(ctx context.Context, incidentID string, from, to time.Time) (int, error) {
	lo := int64(math.MinInt64)
	if !from.IsZero() {
		lo = ms(from)
	}
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM timeline WHERE incident_id = ? AND placed > ? AND placed <= ?`, incidentID, lo, ms(to)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count the timeline of %s: %w", model.ShortID(incidentID), describeSQLiteError(err))
	}
	return n, nil
}

// ReplayNeighbour is when the nearest entry after t (forward) or before t
// happened, and false when there is none: the moments a replay steps
// through.
func (s *Store) ReplayNeighbour(ctx context.Context, incidentID string, t time.Time, forward bool) (time.Time, bool, error) {
	q := `SELECT max(placed) FROM timeline WHERE incident_id = ? AND placed < ?`
	if forward {
		q = `SELECT min(placed) FROM timeline WHERE incident_id = ? AND placed > ?`
	}
	var v *int64
	if err := s.db.QueryRowContext(ctx, q, incidentID, ms(t)).Scan(&v); err != nil {
		return time.Time{}, false, fmt.Errorf("step the timeline of %s: %w", model.ShortID(incidentID), describeSQLiteError(err))
	}
	if v == nil {
		return time.Time{}, false, nil
	}
	return fromMS(*v), true, nil
}
