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
	l, err := s.replayLog(ctx, incidentID, `SELECT `+eventColumns+` FROM events INDEXED BY events_incident WHERE incident_id = ?`, []any{incidentID}, 0)
	if err != nil {
		return nil, err
	}
	return l.Replay(), nil
}

// ReplayState is Replay without the notes, for a long incident replayed in
// the cockpit: notes change nothing but the timeline, whose entries as
// they were first written are here already (ReplayTimeline), so a replay
// of a 100,000-note incident folds its few other events, not its notes.
// The snapshot's timeline count is then that of the events read: count
// entries with ReplayCount.
func (s *Store) ReplayState(ctx context.Context, incidentID string) (*model.Replay, error) {
	l, err := s.ReplayEvents(ctx, incidentID, 0)
	if err != nil {
		return nil, err
	}
	return l.Replay(), nil
}

// ReplayLog is an incident's events other than notes, as ReplayState
// folds them, up to a point of this store's log: the cockpit reads it
// once and then only what arrived after Seq.
type ReplayLog struct {
	Events []model.Event
	Future map[string]bool // ids of events stamped by a clock running ahead
	Seq    int64           // every event here up to this arrival number was read
}

// Replay folds the log.
func (l ReplayLog) Replay() *model.Replay {
	return model.NewReplay(l.Events, func(e model.Event) bool { return l.Future[e.ID] })
}

// Add is the log with what arrived after it.
func (l ReplayLog) Add(more ReplayLog) ReplayLog {
	out := ReplayLog{Events: append(l.Events[:len(l.Events):len(l.Events)], more.Events...), Future: map[string]bool{}, Seq: max(l.Seq, more.Seq)}
	for _, m := range []map[string]bool{l.Future, more.Future} {
		for id := range m {
			out.Future[id] = true
		}
	}
	return out
}

// ReplayEvents reads the events of an incident other than notes that
// arrived after seq (0: all of them).
func (s *Store) ReplayEvents(ctx context.Context, incidentID string, after int64) (ReplayLog, error) {
	upTo, err := s.MaxSeq(ctx)
	if err != nil {
		return ReplayLog{}, err
	}
	notNote := ` AND kind != '` + string(model.EventNote) + `' AND seq <= ?`
	q := `SELECT ` + eventColumns + ` FROM events INDEXED BY events_incident WHERE incident_id = ?` + notNote
	args := []any{incidentID, upTo}
	if after > 0 {
		// What arrived since: a range of the log, not the incident's
		// whole history.
		q = `SELECT ` + eventColumns + ` FROM events NOT INDEXED WHERE seq > ? AND incident_id = ?` + notNote
		args = []any{after, incidentID, upTo}
	}
	return s.replayLog(ctx, incidentID, q, args, upTo)
}

func (s *Store) replayLog(ctx context.Context, incidentID, q string, args []any, upTo int64) (ReplayLog, error) {
	logged, err := queryLogged(ctx, s.db, q, args...)
	if err != nil {
		return ReplayLog{}, fmt.Errorf("read the events of %s for replay: %w", model.ShortID(incidentID), describeSQLiteError(err))
	}
	l := ReplayLog{Events: make([]model.Event, len(logged)), Future: map[string]bool{}, Seq: upTo}
	for i, e := range logged {
		l.Events[i] = e.Event
		if e.Future() {
			l.Future[e.ID] = true
		}
	}
	return l, nil
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
// after from and at to or before (from zero: from the start; to zero: to
// the end): a replay moving from one moment to another counts only what
// lies between.
func (s *Store) ReplayCount(ctx context.Context, incidentID string, from, to time.Time) (int, error) {
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if !from.IsZero() {
		lo = ms(from)
	}
	if !to.IsZero() {
		hi = ms(to)
	}
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM timeline WHERE incident_id = ? AND placed > ? AND placed <= ?`, incidentID, lo, hi).Scan(&n)
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
