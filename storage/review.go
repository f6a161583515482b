package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/sitrep-dev/sitrep/model"
)

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
	err = p.queryRow(ctx, `SELECT rowid, text, version FROM reviews WHERE incident_id = ?`, e.IncidentID).Scan(&rowid, &oldText, &oldV)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		res, err := p.exec(ctx, `INSERT INTO reviews(incident_id, doc, text, impact_start, by, at, version, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			e.IncidentID, string(doc), text, impact, e.Author, ms(e.Placed()), v, e.ID)
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
			string(doc), text, impact, e.Author, ms(e.Placed()), v, e.ID, rowid); err != nil {
			return err
		}
	}
	_, err = p.exec(ctx, `INSERT INTO review_fts(rowid, text) VALUES (?, ?)`, rowid, text)
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
