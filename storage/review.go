package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sitrep-dev/sitrep/model"
)

// The projections of reviews, drills and messages take part in the
// canonical dump, so order-independence tests and sync's digest cover them.
func init() {
	digestTables = append(digestTables,
		struct{ name, columns, order string }{"reviews", "incident_id, doc, text, impact_start, by, at, version, event_id", "incident_id"},
		struct{ name, columns, order string }{"review_fts f JOIN reviews r ON r.rowid = f.rowid WHERE review_fts MATCH 'review OR root OR cause OR lesson'", "r.incident_id", "r.incident_id"},
		struct{ name, columns, order string }{"exercise_events", "event_id, incident_id", "event_id"},
		struct{ name, columns, order string }{"messages", "event_id, incident_id, audience, template, text, channel, author, at", "event_id"},
		struct{ name, columns, order string }{"unprojected", "event_id, kind", "event_id"},
	)
}

// saveReview keeps the newest review of an incident by version, and its
// search index in step with it.
func (p *projector) saveReview(ctx context.Context, e model.Event, v string) error {
	d, err := model.Decode[model.ReviewPayload](e)
	if err != nil {
		return nil // kept in the log and timeline; nothing to project
	}
	doc, err := json.Marshal(d.Review)
	if err != nil {
		return err
	}
	text := d.Review.SearchText()
	var impact any
	if !d.Review.ImpactStart.IsZero() {
		impact = ms(d.Review.ImpactStart)
	}
	var rowid int64
	var oldText, oldV string
	err = p.tx.QueryRowContext(ctx, `SELECT rowid, text, version FROM reviews WHERE incident_id = ?`, e.IncidentID).Scan(&rowid, &oldText, &oldV)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		res, err := p.exec(ctx, `INSERT INTO reviews(incident_id, doc, text, impact_start, by, at, version, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			e.IncidentID, string(doc), text, impact, e.Author, ms(e.Occurred), v, e.ID)
		if err != nil {
			return err
		}
		rowid, err = res.LastInsertId()
		if err != nil {
			return err
		}
	case err != nil:
		return err
	case v <= oldV:
		return nil
	default:
		if _, err := p.exec(ctx, `INSERT INTO review_fts(review_fts, rowid, text) VALUES ('delete', ?, ?)`, rowid, oldText); err != nil {
			return err
		}
		if _, err := p.exec(ctx, `UPDATE reviews SET doc = ?, text = ?, impact_start = ?, by = ?, at = ?, version = ?, event_id = ? WHERE rowid = ?`,
			string(doc), text, impact, e.Author, ms(e.Occurred), v, e.ID, rowid); err != nil {
			return err
		}
	}
	_, err = p.exec(ctx, `INSERT INTO review_fts(rowid, text) VALUES (?, ?)`, rowid, text)
	return err
}

func (p *projector) addMessage(ctx context.Context, e model.Event) error {
	d, err := model.Decode[model.MessagePayload](e)
	if err != nil {
		return nil
	}
	_, err = p.exec(ctx, `INSERT OR IGNORE INTO messages(event_id, incident_id, audience, template, text, channel, author, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.IncidentID, string(d.Audience), d.Template, d.Text, d.Channel, e.Author, ms(e.Occurred))
	return err
}

// ReviewInfo is who saved the current review and when.
type ReviewInfo struct {
	By      string
	At      time.Time
	EventID string
}

// Review returns an incident's current review (empty if none was saved).
func (s *Store) Review(ctx context.Context, incidentID string) (model.Review, ReviewInfo, error) {
	var r model.Review
	var info ReviewInfo
	var doc string
	var at int64
	err := s.db.QueryRowContext(ctx, `SELECT doc, by, at, event_id FROM reviews WHERE incident_id = ?`, incidentID).Scan(&doc, &info.By, &at, &info.EventID)
	if errors.Is(err, sql.ErrNoRows) {
		return r, info, nil
	}
	if err != nil {
		return r, info, fmt.Errorf("read review of %s: %w", incidentID, describeSQLiteError(err))
	}
	info.At = fromMS(at)
	if err := json.Unmarshal([]byte(doc), &r); err != nil {
		return r, info, fmt.Errorf("read review of %s: %w", incidentID, err)
	}
	return r, info, nil
}

// Messages returns the updates sent on an incident, oldest first.
func (s *Store) Messages(ctx context.Context, incidentID string) ([]model.Message, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT event_id, audience, template, text, channel, author, at FROM messages WHERE incident_id = ? ORDER BY at, event_id`, incidentID)
	if err != nil {
		return nil, fmt.Errorf("read messages of %s: %w", incidentID, describeSQLiteError(err))
	}
	defer rows.Close()
	var out []model.Message
	for rows.Next() {
		m := model.Message{IncidentID: incidentID}
		var aud string
		var at int64
		if err := rows.Scan(&m.EventID, &aud, &m.Template, &m.Text, &m.Channel, &m.Author, &at); err != nil {
			return nil, err
		}
		m.Audience, m.At = model.Audience(aud), fromMS(at)
		out = append(out, m)
	}
	return out, rows.Err()
}

// ExerciseEvents returns the events a drill on the incident is built from.
func (s *Store) ExerciseEvents(ctx context.Context, incidentID string) ([]model.Event, error) {
	out, err := queryEvents(ctx, s.db, `SELECT `+prefixed("e.", eventColumns)+` FROM exercise_events x JOIN events e ON e.id = x.event_id WHERE x.incident_id = ?`, incidentID)
	if err != nil {
		return nil, fmt.Errorf("read exercise of %s: %w", incidentID, describeSQLiteError(err))
	}
	return out, nil
}

// Exercise returns the drill state of an incident; ok is false when it is
// not a drill started with `sitrep drill`.
func (s *Store) Exercise(ctx context.Context, incidentID string) (model.Exercise, bool, error) {
	events, err := s.ExerciseEvents(ctx, incidentID)
	if err != nil {
		return model.Exercise{}, false, err
	}
	x, ok := model.BuildExercise(events)
	return x, ok, nil
}

// IncidentEvents returns every event of one incident in (HLC, id) order:
// the raw log, for exports.
func (s *Store) IncidentEvents(ctx context.Context, incidentID string) ([]model.Event, error) {
	out, err := queryEvents(ctx, s.db, `SELECT `+eventColumns+` FROM events WHERE incident_id = ? ORDER BY hlc, id`, incidentID)
	if err != nil {
		return nil, fmt.Errorf("read events of %s: %w", incidentID, describeSQLiteError(err))
	}
	return out, nil
}

// ProjectPending projects events kept unprojected because an older sitrep
// did not know their kind, now that this one does. It returns how many it
// projected. Open-time callers run it once after an upgrade; Rebuild does
// the same work.
func (s *Store) ProjectPending(ctx context.Context) (int, error) {
	// Almost always there is nothing to do: look before taking the write
	// lock, so opening a store costs no write transaction.
	var any bool
	if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM unprojected)`).Scan(&any); err != nil {
		return 0, fmt.Errorf("project pending events in %s: %w", s.path, describeSQLiteError(err))
	}
	if !any {
		return 0, nil
	}
	var n int
	err := s.write(ctx, func(tx *sql.Tx) error {
		n = 0
		// Read them all before projecting: the driver cannot write while a
		// cursor is open on the same connection.
		todo, err := queryLogged(ctx, tx, `SELECT `+prefixed("e.", eventColumns)+` FROM unprojected u JOIN events e ON e.id = u.event_id ORDER BY e.seq`)
		if err != nil {
			return err
		}
		proj := newProjector(s, tx)
		for _, l := range todo {
			if !l.Kind.Known() {
				continue
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM unprojected WHERE event_id = ?`, l.ID); err != nil {
				return err
			}
			if err := proj.apply(ctx, l.Event, l.Future()); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("project pending events in %s: %w", s.path, describeSQLiteError(err))
	}
	return n, nil
}

func prefixed(p, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
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
