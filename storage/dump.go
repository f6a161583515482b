package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// digestTables lists each projection with the columns that follow from the
// log alone, in a canonical order. Left out: rowids (arrival order) and
// timeline.future, which is each store's own judgement of the sender's
// clock against its own.
var digestTables = []struct{ name, columns, order string }{
	{"incidents", `id, short, title, title_v, kind, severity, severity_v, status, status_v, active, commander, exercise,
		declared_by, declared_at, detected_at, acknowledged_at, mitigated_at, resolved_at, reviewed_at, updated_at, entries`, "id"},
	{"timeline", "event_id, incident_id, kind, note_kind, occurred, typed, hlc, author, text", "event_id"},
	{"entry_marks", "entry_id, pinned, pinned_v, amended_text, amended_by, amended_v, retracted", "entry_id"},
	{"roles", "incident_id, role, holder, since, version, event_id", "incident_id, role"},
	{"role_events", "event_id, incident_id, role, holder, replaces", "event_id"},
	{"step_states", "incident_id, runbook, step, state, reason, by, at, version", "incident_id, runbook, step"},
	{"attachments", "incident_id, name, title, source, hash, text, at, version", "incident_id, name"},
	// The search index must agree with the timeline it indexes.
	{"timeline_fts f JOIN timeline t ON t.rowid = f.rowid WHERE timeline_fts MATCH 'rolled OR deploy OR note'", "t.event_id", "t.event_id"},
	{"reviews", "incident_id, doc, text, impact_start, by, at, version, event_id", "incident_id"},
	{"review_fts f JOIN reviews r ON r.rowid = f.rowid WHERE review_fts MATCH 'review OR root OR cause OR lesson'", "r.incident_id", "r.incident_id"},
	{"exercise_events", "event_id, incident_id", "event_id"},
	{"messages", "event_id, incident_id, audience, template, text, channel, author, at", "event_id"},
	{"unprojected", "event_id, kind", "event_id"},
}

// ProjectionDump writes every projection as text in a canonical order: two
// stores holding the same events give the same dump, whatever order the
// events arrived in. Tests diff it; ProjectionDigest hashes it.
func (s *Store) ProjectionDump(ctx context.Context) (string, error) {
	var b strings.Builder
	for _, t := range digestTables {
		fmt.Fprintf(&b, "## %s\n", strings.Fields(t.name)[0])
		rows, err := s.db.QueryContext(ctx, `SELECT `+t.columns+` FROM `+t.name+` ORDER BY `+t.order)
		if err != nil {
			return "", fmt.Errorf("dump %s of %s: %w", t.name, s.path, describeSQLiteError(err))
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return "", err
			}
			for i, v := range vals {
				if i > 0 {
					b.WriteByte('|')
				}
				switch v := v.(type) {
				case nil:
					b.WriteString("NULL")
				case []byte:
					fmt.Fprintf(&b, "%q", v)
				case string:
					fmt.Fprintf(&b, "%q", v)
				default:
					fmt.Fprintf(&b, "%v", v)
				}
			}
			b.WriteByte('\n')
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return "", err
		}
	}
	return b.String(), nil
}

// ProjectionDigest is a SHA-256 of ProjectionDump.
func (s *Store) ProjectionDigest(ctx context.Context) (string, error) {
	d, err := s.ProjectionDump(ctx)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(d))
	return hex.EncodeToString(sum[:]), nil
}
