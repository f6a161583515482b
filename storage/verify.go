package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Problem is one thing verify found wrong with the log, or with a table
// people read (Table and Key set) that no longer says what the log says.
type Problem struct {
	EventID string
	Author  string
	Message string
	Table   string // the projection, for a problem in one
	Key     string // its row, as "event ID" or "incident ID"
	Hub     string // the hub whose acknowledgement shows it, for a missing tail
}

func (p Problem) String() string {
	if p.Table != "" {
		return fmt.Sprintf("%s row of %s: %s", p.Table, p.Key, p.Message)
	}
	if p.EventID == "" {
		return fmt.Sprintf("%s: %s", p.Author, p.Message)
	}
	return fmt.Sprintf("event %s by %s: %s", p.EventID, p.Author, p.Message)
}

// VerifyReport sums up a verify run.
type VerifyReport struct {
	Events   int
	Chains   int
	Problems []Problem
}

// Verify checks the log (VerifyLog) and that the tables people read
// (incidents, timeline, steps, roles, reviews, messages...) say what the log
// says: see verifyProjections.
func (s *Store) Verify(ctx context.Context) (VerifyReport, error) {
	// The two checks read the store apart, each on its own connection:
	// side by side they take the time of the longer one.
	var projected []Problem
	var perr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		projected, perr = s.verifyProjections(ctx)
	}()
	rep, edited, err := s.verifyLog(ctx)
	<-done
	if err != nil {
		return rep, err
	}
	if perr != nil {
		return rep, perr
	}
	for _, p := range projected {
		// A row built from an edited event differs as the event does:
		// the event's own problem says it.
		if !edited[p.EventID] {
			rep.Problems = append(rep.Problems, p)
		}
	}
	return rep, nil
}

// VerifyLog walks every author's hash chain: each event must hash to its
// recorded hash, point at the previous event's hash, and follow it in
// number. Editing an event breaks its hash; deleting one leaves a gap. It
// also checks that every timeline entry still has its event, which catches
// the deletion of a chain's newest event. It is Verify without replaying
// the log, for a caller that has just projected what it checks (import).
func (s *Store) VerifyLog(ctx context.Context) (VerifyReport, error) {
	rep, _, err := s.verifyLog(ctx)
	return rep, err
}

// verifyLog is VerifyLog, and the events whose content no longer matches
// their hash.
func (s *Store) verifyLog(ctx context.Context) (VerifyReport, map[string]bool, error) {
	var rep VerifyReport
	rows, err := s.db.QueryContext(ctx, `SELECT `+eventColumns+` FROM events ORDER BY origin, author, chain_seq, id`)
	if err != nil {
		return rep, nil, fmt.Errorf("verify %s: %w", s.path, describeSQLiteError(err))
	}
	defer rows.Close()
	type chainKey struct{ origin, author string }
	var key chainKey
	edited := map[string]bool{} // events whose content changed
	var prevSeq int64
	var prevHash string
	for rows.Next() {
		l, err := scanLogged(rows)
		if err != nil {
			return rep, nil, fmt.Errorf("verify %s: %w", s.path, describeSQLiteError(err))
		}
		rep.Events++
		k := chainKey{l.Origin, l.Author}
		if k != key {
			key, prevSeq, prevHash = k, 0, ""
			rep.Chains++
		}
		bad := func(format string, args ...any) {
			rep.Problems = append(rep.Problems, Problem{EventID: l.ID, Author: l.Author, Message: fmt.Sprintf(format, args...)})
		}
		if got := l.ComputeHash(); got != l.Hash {
			edited[l.ID] = true
			bad("content does not match its hash (changed after it was written)")
		}
		switch {
		case l.ChainSeq == prevSeq:
			bad("forks the chain: a second event numbered %d (was the store file copied?)", l.ChainSeq)
		case l.ChainSeq != prevSeq+1:
			bad("chain jumps from event %d to %d: %d event(s) missing before this one", prevSeq, l.ChainSeq, l.ChainSeq-prevSeq-1)
		case l.Prev != prevHash:
			bad("does not link to the previous event's hash (the previous event was changed or replaced)")
		}
		prevSeq, prevHash = l.ChainSeq, l.Hash
	}
	if err := rows.Err(); err != nil {
		return rep, nil, fmt.Errorf("verify %s: %w", s.path, describeSQLiteError(err))
	}
	orphans, err := s.db.QueryContext(ctx, `SELECT t.event_id, t.author FROM timeline t WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = t.event_id)`)
	if err != nil {
		return rep, nil, fmt.Errorf("verify %s: %w", s.path, describeSQLiteError(err))
	}
	defer orphans.Close()
	for orphans.Next() {
		var p Problem
		if err := orphans.Scan(&p.EventID, &p.Author); err != nil {
			return rep, nil, err
		}
		p.Message = "missing from the log (deleted), though the timeline still shows it"
		rep.Problems = append(rep.Problems, p)
	}
	if err := orphans.Err(); err != nil {
		return rep, nil, fmt.Errorf("verify %s: %w", s.path, describeSQLiteError(err))
	}
	orphans.Close()
	acked, err := s.verifyAcked(ctx)
	if err != nil {
		return rep, nil, err
	}
	rep.Problems = append(rep.Problems, acked...)
	return rep, edited, nil
}

// verifyAcked compares each chain with how far a hub last acknowledged
// holding it (RecordAcked): a chain's newest events, or a whole chain,
// deleted here still link, so only these marks show it. The marks live in
// the same file: someone who deletes them too, or restores an older copy of
// the file, is caught only by 'verify --against' the hub.
func (s *Store) verifyAcked(ctx context.Context) ([]Problem, error) {
	marks, err := s.AckedHeads(ctx)
	if err != nil {
		return nil, err
	}
	var out []Problem
	for _, m := range marks {
		var remote string
		if err := s.db.QueryRowContext(ctx, `SELECT remote FROM sync_peers WHERE hub_id = ?`, m.Hub).Scan(&remote); err != nil {
			remote = "store " + m.Hub
		}
		p, _, err := s.CompareHeads(ctx, []ChainHead{m.ChainHead}, "the hub "+remote+" acknowledged that it", "sitrep sync")
		if err != nil {
			return nil, err
		}
		for i := range p {
			p[i].Hub = m.Hub
		}
		out = append(out, p...)
	}
	return out, nil
}

// projectionChecks are the tables verify compares with a replay of the log:
// every projection, each row named by its key, with the columns that follow
// from the log alone (ProjectionDump dumps the same). The search indexes are
// left out: they are rebuilt with their tables and show nothing of their own.
var projectionChecks = []struct {
	table, key, columns string
	name                func(key []string) string
}{
	{"incidents", "id", "short, title, title_v, kind, severity, severity_v, status, status_v, active, commander, exercise, " +
		"declared_by, declared_at, detected_at, acknowledged_at, mitigated_at, resolved_at, reviewed_at, updated_at, entries", incidentKey},
	{"timeline", "event_id", "incident_id, kind, note_kind, occurred, typed, hlc, author, text, placed", eventKey},
	{"entry_marks", "entry_id", "pinned, pinned_v, amended_text, amended_by, amended_v, retracted", func(k []string) string { return "entry " + k[0] }},
	{"roles", "incident_id, role", "holder, since, version, event_id", func(k []string) string { return "incident " + k[0] + " role " + k[1] }},
	{"role_events", "event_id", "incident_id, role, holder, replaces", eventKey},
	{"step_states", "incident_id, runbook, step", "state, reason, by, at, version", func(k []string) string {
		return "incident " + k[0] + " runbook " + k[1] + " step " + k[2]
	}},
	{"attachments", "incident_id, name", "title, source, hash, text, at, version", func(k []string) string { return "incident " + k[0] + " runbook " + k[1] }},
	{"reviews", "incident_id", "doc, text, impact_start, by, at, version, event_id", incidentKey},
	{"exercise_events", "event_id", "incident_id", eventKey},
	{"messages", "event_id", "incident_id, audience, template, text, channel, author, at", eventKey},
	{"unprojected", "event_id", "kind", eventKey},
}

// projectionTables names the tables of projectionChecks.
func projectionTables() []string {
	var out []string
	for _, c := range projectionChecks {
		out = append(out, c.table)
	}
	return out
}

func eventKey(k []string) string    { return "event " + k[0] }
func incidentKey(k []string) string { return "incident " + k[0] }

// verifyProjections checks that every projection says what the log says.
// The log is replayed in bulk into a scratch database that holds only
// projections, smaller than the store, and the two are compared by digest
// (ProjectionDigest): the common answer, yes, costs about a read of the
// store. Only when they differ are the tables compared row by row, to name
// every row that differs (diffProjection). The log and the store's tables
// are read in one read transaction, so writes made meanwhile by the cockpit
// or sync cannot look like edits.
func (s *Store) verifyProjections(ctx context.Context) ([]Problem, error) {
	problems, err := s.compareWithReplay(ctx)
	if err != nil {
		return nil, fmt.Errorf("verify the tables of %s against its log: %w", s.path, describeSQLiteError(err))
	}
	return problems, nil
}

// compareWithReplay is verifyProjections.
func (s *Store) compareWithReplay(ctx context.Context) ([]Problem, error) {
	replay, cleanup, err := scratchStore(ctx, s)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	src, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	// Attached before the read transaction (SQLite allows no ATTACH inside
	// one), read only after the replay is committed: for naming the rows
	// that differ, in the same snapshot of the store.
	if _, err := src.ExecContext(ctx, `ATTACH DATABASE ? AS replay`, replay.path); err != nil {
		return nil, err
	}
	defer func() {
		// A pooled connection must not keep the replay attached: the
		// next verify attaches its own under the same name.
		if _, err := src.ExecContext(context.WithoutCancel(ctx), `DETACH DATABASE replay`); err != nil {
			src.Raw(func(any) error { return driver.ErrBadConn }) // closes it
		}
	}()
	// A plain BEGIN, not the pool's BEGIN IMMEDIATE: a read that takes no
	// write lock, whose snapshot starts at the first read.
	if _, err := src.ExecContext(ctx, `BEGIN DEFERRED`); err != nil {
		return nil, err
	}
	defer src.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`)
	tx, err := replay.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	b := newBulkProjector(tx)
	if err := replayLog(ctx, src, b); err != nil {
		return nil, err
	}
	if err := b.finish(ctx); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	var replayed string
	var rerr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		replayed, rerr = replay.digestOf(ctx, replay.db)
	}()
	stored, err := s.digestOf(ctx, src)
	<-done
	if err != nil {
		return nil, err
	}
	if rerr != nil {
		return nil, rerr
	}
	if stored == replayed {
		return nil, nil
	}
	var problems []Problem
	for _, c := range projectionChecks {
		p, err := diffProjection(ctx, src, c.table, c.key, c.columns, c.name)
		if err != nil {
			return nil, err
		}
		problems = append(problems, p...)
	}
	return problems, nil
}

// replayedEvent is an event of the log read for the replay, worded.
type replayedEvent struct {
	pendingEvent
	future bool
}

// replayLog projects the whole log read through src into b. Reading the
// log and wording each entry run on one goroutine, projecting on this
// one, so a verify uses two cores; a few batches at most wait between
// them.
func replayLog(ctx context.Context, src *sql.Conn, b *bulkProjector) error {
	rows, err := src.QueryContext(ctx, `SELECT `+eventColumns+` FROM main.events ORDER BY seq`)
	if err != nil {
		return err
	}
	defer rows.Close()
	batches := make(chan []replayedEvent, 2)
	stop := make(chan struct{})
	var readErr error
	go func() {
		defer close(batches)
		defer func() {
			// A panic here would pass the command's recover by.
			if r := recover(); r != nil {
				readErr = fmt.Errorf("internal error while replaying the log: %v", r)
			}
		}()
		batch := make([]replayedEvent, 0, 256)
		send := func() bool {
			select {
			case batches <- batch:
				batch = make([]replayedEvent, 0, 256)
				return true
			case <-stop:
				return false
			}
		}
		for rows.Next() {
			l, err := scanLogged(rows)
			if err != nil {
				readErr = err
				return
			}
			if batch = append(batch, replayedEvent{worded(l.Event, nil), l.Future()}); len(batch) == cap(batch) && !send() {
				return
			}
		}
		if readErr = rows.Err(); readErr == nil && len(batch) > 0 {
			send()
		}
	}()
	for batch := range batches {
		for _, r := range batch {
			if err := b.addPending(ctx, r.pendingEvent, r.future); err != nil {
				close(stop)
				for range batches {
				}
				return err
			}
		}
	}
	return readErr
}

// scratchStore makes an empty store in a private temporary folder, for a
// replay nothing needs to survive: no journal, no flushes. cleanup closes
// and removes it.
func scratchStore(ctx context.Context, s *Store) (*Store, func(), error) {
	dir, err := os.MkdirTemp("", "sitrep-verify-")
	if err != nil {
		return nil, nil, err
	}
	path := filepath.Join(dir, "replay.db")
	db, err := sql.Open("sqlite", "file:"+escapePath(path)+"?_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)&_txlock=immediate")
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	db.SetMaxOpenConns(2)
	replay := &Store{db: db, path: path, author: s.author, now: s.now, stmts: map[string]*sql.Stmt{}}
	cleanup := func() {
		replay.Close()
		os.RemoveAll(dir)
	}
	if err := replay.migrate(ctx, false); err != nil {
		cleanup()
		return nil, nil, err
	}
	// Nothing reads the replay but the dump, which goes by the tables'
	// keys: the other indexes would only cost their upkeep.
	err = replay.write(ctx, func(tx *sql.Tx) error {
		_, err := dropIndexes(ctx, tx, projectionTables()...)
		return err
	})
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	return replay, cleanup, nil
}

// diffProjection compares the store's table (main) with the replay's
// (replay, attached to q) row by row, keyed by key.
func diffProjection(ctx context.Context, q *sql.Conn, table, key, columns string, name func([]string) string) ([]Problem, error) {
	keys := strings.Split(key, ", ")
	cols := strings.Split(columns, ", ")
	all := key + ", " + columns
	type pair struct{ stored, replayed []any }
	diff := map[string]*pair{}
	var order []string
	read := func(query string, replayed bool) error {
		rows, err := q.QueryContext(ctx, query)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			vals := make([]any, len(keys)+len(cols))
			ptrs := make([]any, len(vals))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			k := fmt.Sprintf("%q", vals[:len(keys)])
			p := diff[k]
			if p == nil {
				p = &pair{}
				diff[k] = p
				order = append(order, k)
			}
			if replayed {
				p.replayed = vals
			} else {
				p.stored = vals
			}
		}
		return rows.Err()
	}
	if err := read(`SELECT `+all+` FROM main.`+table+` EXCEPT SELECT `+all+` FROM replay.`+table, false); err != nil {
		return nil, err
	}
	if err := read(`SELECT `+all+` FROM replay.`+table+` EXCEPT SELECT `+all+` FROM main.`+table, true); err != nil {
		return nil, err
	}
	slices.Sort(order)
	var problems []Problem
	for _, k := range order {
		p := diff[k]
		row := p.stored
		if row == nil {
			row = p.replayed
		}
		keyVals := make([]string, len(keys))
		for i := range keys {
			keyVals[i] = cellText(row[i])
		}
		pr := Problem{Table: table, Key: name(keyVals)}
		if keys[0] == "event_id" {
			pr.EventID = keyVals[0]
			// The author the log names, for the report.
			q.QueryRowContext(ctx, `SELECT author FROM main.events WHERE id = ?`, keyVals[0]).Scan(&pr.Author)
		}
		switch {
		case p.stored == nil:
			pr.Message = "missing, though the log has it (deleted from the table)"
		case p.replayed == nil:
			if table == "timeline" && pr.Author == "" {
				continue // its event is gone: the log check reports it
			}
			pr.Message = "not in the log (added to the table, or its key changed)"
		default:
			var changed []string
			for i, c := range cols {
				if cellText(p.stored[len(keys)+i]) != cellText(p.replayed[len(keys)+i]) {
					changed = append(changed, c)
				}
			}
			pr.Message = fmt.Sprintf("%s differ%s from what the log says (changed in the table, not through sitrep)",
				strings.Join(changed, ", "), map[bool]string{true: "s", false: ""}[len(changed) == 1])
		}
		problems = append(problems, pr)
	}
	return problems, nil
}

// cellText renders a column value for comparing and naming.
func cellText(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return string(v)
	default:
		return fmt.Sprint(v)
	}
}
