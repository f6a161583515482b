package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// dumpSection is one part of the dump: what to select from, the columns
// and their order.
type dumpSection struct{ name, columns, order string }

// digestTables lists each projection with the columns that follow from the
// log alone, in a canonical order: projectionChecks', keys first, so verify
// and the dump cannot disagree on what a projection holds. Left out: rowids
// (arrival order) and timeline.future, which is each store's own judgement
// of the sender's clock against its own. The search indexes are dumped too
// (searchIndexes).
var digestTables = func() []dumpSection {
	var out []dumpSection
	for _, c := range projectionChecks {
		out = append(out, dumpSection{c.table, c.key + ", " + c.columns, c.key})
		for _, x := range searchIndexes {
			if x.after == c.table {
				out = append(out, x.dumpSection)
			}
		}
	}
	return out
}()

// searchIndexes must agree with the tables they index; each is dumped
// after the table named, where it has always stood in the dump.
var searchIndexes = []struct {
	after string
	dumpSection
}{
	{"attachments", dumpSection{"timeline_fts f JOIN timeline t ON t.rowid = f.rowid WHERE timeline_fts MATCH 'rolled OR deploy OR note'", "t.event_id", "t.event_id"}},
	{"reviews", dumpSection{"review_fts f JOIN reviews r ON r.rowid = f.rowid WHERE review_fts MATCH 'review OR root OR cause OR lesson'", "r.incident_id", "r.incident_id"}},
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
