package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/sitrep-dev/sitrep/model"
)

func (p *projector) addMessage(ctx context.Context, e model.Event) error {
	d, err := model.Decode[model.MessagePayload](e)
	if err != nil {
		return nil
	}
	_, err = p.exec(ctx, `INSERT OR IGNORE INTO messages(event_id, incident_id, audience, template, text, channel, author, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.IncidentID, string(d.Audience), d.Template, d.Text, d.Channel, e.Author, ms(e.Placed()))
	return err
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

// MessageFacts are what an update is filled from besides the incident: the
// review's impact and when it started, and the newest note, decision or action item still
// standing (amended text if amended), however far back it is.
func (s *Store) MessageFacts(ctx context.Context, incidentID string) (model.MessageFacts, error) {
	r, _, err := s.Review(ctx, incidentID)
	if err != nil {
		return model.MessageFacts{}, err
	}
	var latest string
	err = s.db.QueryRowContext(ctx, `SELECT coalesce(m.amended_text, t.text)`+timelineFrom+
		`WHERE t.incident_id = ? AND t.kind = ? AND coalesce(m.retracted, 0) = 0
		ORDER BY t.occurred DESC, t.hlc DESC, t.event_id DESC LIMIT 1`, incidentID, string(model.EventNote)).Scan(&latest)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return model.MessageFacts{}, fmt.Errorf("read the latest note of %s: %w", incidentID, describeSQLiteError(err))
	}
	return model.MessageFacts{Impact: r.Impact, ImpactStart: r.ImpactStart, Latest: latest}, nil
}
