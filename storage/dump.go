package storage

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
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
	if err := s.dumpTo(ctx, s.db, &b); err != nil {
		return "", err
	}
	return b.String(), nil
}

// ProjectionDigest is a SHA-256 of ProjectionDump.
func (s *Store) ProjectionDigest(ctx context.Context) (string, error) {
	return s.digestOf(ctx, s.db)
}

// digestOf hashes the dump as q reads it, without holding it: a million
// entries dump to hundreds of megabytes.
func (s *Store) digestOf(ctx context.Context, q querier) (string, error) {
	h := sha256.New()
	w := bufio.NewWriterSize(h, 64<<10)
	if err := s.dumpTo(ctx, q, w); err != nil {
		return "", err
	}
	if err := w.Flush(); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// dumpTo writes the dump as q reads it to w.
func (s *Store) dumpTo(ctx context.Context, q querier, w io.Writer) error {
	var line []byte
	for _, t := range digestTables {
		line = append(line[:0], "## "...)
		line = append(line, strings.Fields(t.name)[0]...)
		line = append(line, '\n')
		if _, err := w.Write(line); err != nil {
			return err
		}
		rows, err := q.QueryContext(ctx, `SELECT `+t.columns+` FROM `+t.name+` ORDER BY `+t.order)
		if err != nil {
			return fmt.Errorf("dump %s of %s: %w", t.name, s.path, describeSQLiteError(err))
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
				return err
			}
			line = line[:0]
			for i, v := range vals {
				if i > 0 {
					line = append(line, '|')
				}
				// What fmt's %q and %v write, without its cost per value.
				switch v := v.(type) {
				case nil:
					line = append(line, "NULL"...)
				case []byte:
					line = strconv.AppendQuote(line, string(v))
				case string:
					line = strconv.AppendQuote(line, v)
				case int64:
					line = strconv.AppendInt(line, v, 10)
				default:
					line = fmt.Appendf(line, "%v", v)
				}
			}
			line = append(line, '\n')
			if _, err := w.Write(line); err != nil {
				rows.Close()
				return err
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
	}
	return nil
}
