package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/sitrep-dev/sitrep/model"
)

// ResolveEntry finds a timeline entry of an incident by its event id, or
// by the end of it as 'sitrep show --ids' prints it (model.ShortID).
func (s *Store) ResolveEntry(ctx context.Context, incidentID, ref string) (model.TimelineEntry, error) {
	ref = strings.ToLower(strings.TrimSpace(ref))
	if len(strings.ReplaceAll(ref, "-", "")) < 6 {
		return model.TimelineEntry{}, model.Invalidf("entry id %q is too short: give at least 6 characters (see 'sitrep show --ids')", ref)
	}
	like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(ref)
	rows, err := s.db.QueryContext(ctx, `SELECT `+timelineColumns+timelineFrom+
		`WHERE t.incident_id = ? AND (t.event_id = ? OR replace(t.event_id, '-', '') LIKE ? ESCAPE '\') LIMIT 6`, incidentID, ref, like)
	if err != nil {
		return model.TimelineEntry{}, fmt.Errorf("find entry %s: %w", ref, describeSQLiteError(err))
	}
	defer rows.Close()
	var found []model.TimelineEntry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return model.TimelineEntry{}, fmt.Errorf("find entry %s: %w", ref, err)
		}
		found = append(found, e)
	}
	if err := rows.Err(); err != nil {
		return model.TimelineEntry{}, fmt.Errorf("find entry %s: %w", ref, describeSQLiteError(err))
	}
	switch len(found) {
	case 0:
		return model.TimelineEntry{}, model.NotFoundf("no entry %s in incident %s (see 'sitrep show --ids')", ref, model.ShortID(incidentID))
	case 1:
		return found[0], nil
	}
	return model.TimelineEntry{}, model.Invalidf("entry id %s is ambiguous in incident %s: give more of it", ref, model.ShortID(incidentID))
}

// checkCorrection refuses an amendment or retraction of anything but a
// note of the same incident that still stands.
func (a *appender) checkCorrection(ctx context.Context, incidentID, entry string) error {
	var kind string
	var retracted bool
	err := a.s.queryRowTx(ctx, a.tx, `SELECT t.kind, coalesce(m.retracted, 0)`+timelineFrom+`WHERE t.event_id = ? AND t.incident_id = ?`,
		entry, incidentID).Scan(&kind, &retracted)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return model.NotFoundf("no entry %s in incident %s", model.ShortID(entry), model.ShortID(incidentID))
	case err != nil:
		return err
	case model.EventKind(kind) != model.EventNote:
		label := model.TimelineEntry{Kind: model.EventKind(kind)}.Label()
		return model.Invalidf("entry %s is a %s entry, not a note: only notes, decisions and action items are corrected (a status or a role changes with its own command)", model.ShortID(entry), label)
	case retracted:
		return model.Invalidf("entry %s is retracted already", model.ShortID(entry))
	}
	return nil
}
