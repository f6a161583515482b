package storage

import (
	"context"
	"fmt"

	"github.com/sitrep-dev/sitrep/model"
)

func (p *projector) addMessage(ctx context.Context, e model.Event) error {
	d, err := model.Decode[model.MessagePayload](e)
	if err != nil {
		return nil
	}
	_, err = p.exec(ctx, `INSERT OR IGNORE INTO messages(event_id, incident_id, audience, template, text, channel, author, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.IncidentID, string(d.Audience), d.Template, d.Text, d.Channel, e.Author, ms(e.Occurred))
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
