package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// projectionQueries list every projected table in a canonical order, leaving
// out what is local to one store (rowids, arrival times), so two stores with
// the same events give the same text.
var projectionQueries = []string{
	`SELECT id, short, title, title_v, kind, severity, severity_v, status, status_v, active, commander, exercise, declared_by,
		declared_at, detected_at, acknowledged_at, mitigated_at, resolved_at, reviewed_at, updated_at, entries FROM incidents ORDER BY id`,
	`SELECT event_id, incident_id, kind, note_kind, occurred, typed, hlc, author, text FROM timeline ORDER BY event_id`,
	`SELECT entry_id, pinned, pinned_v, amended_text, amended_by, amended_v, retracted FROM entry_marks ORDER BY entry_id`,
	`SELECT incident_id, role, holder, since, version, event_id FROM roles ORDER BY incident_id, role`,
	`SELECT event_id, incident_id, role, holder, replaces FROM role_events ORDER BY event_id`,
	`SELECT incident_id, runbook, step, state, reason, by, at, version FROM step_states ORDER BY incident_id, runbook, step`,
	`SELECT incident_id, name, title, source, hash, text, at, version FROM attachments ORDER BY incident_id, name`,
	`SELECT t.event_id FROM timeline_fts f JOIN timeline t ON t.rowid = f.rowid WHERE timeline_fts MATCH 'rolled OR deploy OR note' ORDER BY t.event_id`,
}

// ProjectionDump writes every projection as text in a canonical order: tests
// compare stores with it (rebuild against incremental, replica against hub),
// and a diff of two dumps shows where they part.
func (s *Store) ProjectionDump(ctx context.Context) (string, error) {
	var b strings.Builder
	for _, q := range projectionQueries {
		rows, err := s.db.QueryContext(ctx, q)
		if err != nil {
			return "", fmt.Errorf("dump %s: %w", s.path, err)
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
				fmt.Fprintf(&b, "%v", v)
			}
			b.WriteByte('\n')
		}
		rows.Close()
		b.WriteString("--\n")
	}
	return b.String(), nil
}

// ProjectionDigest is a hash of ProjectionDump, for quick equality checks.
func (s *Store) ProjectionDigest(ctx context.Context) (string, error) {
	d, err := s.ProjectionDump(ctx)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(d))
	return hex.EncodeToString(sum[:]), nil
}
