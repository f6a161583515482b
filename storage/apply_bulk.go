package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sitrep-dev/sitrep/model"
)

// ApplyBulk is Apply for a large batch (an import, sync's first pull of a
// big hub): each calls add for every event, all inside one transaction, so
// a failure or a cut midway leaves the store as it was. Each event is
// checked against its hash and its fields as Apply does. When the batch is
// large beside what the store already holds, the events are stored first
// and every projection is then rebuilt in bulk (bulkProjector), which gives
// the same tables as projecting them one by one at a fraction of the CPU; a
// small batch into a big store is projected event by event, cheaper than
// rebuilding the whole store.
func (s *Store) ApplyBulk(ctx context.Context, each func(add func(model.Event) error) error, extra func(*sql.Tx) error) (ApplyResult, error) {
	var after func(*sql.Tx, int64) error
	if extra != nil {
		after = func(tx *sql.Tx, _ int64) error { return extra(tx) }
	}
	return s.ApplyBulkAt(ctx, time.Time{}, each, after)
}

// ApplyBulkAt is ApplyBulk judging the arriving events' clocks by now
// (zero: this store's clock), as ApplyWithClock does. extra, when not nil,
// runs last inside the transaction and is told the newest seq the store
// held before the batch: every event after it arrived in this batch, which
// lets sync's first pull move its push cursor past what it received.
func (s *Store) ApplyBulkAt(ctx context.Context, now time.Time, each func(add func(model.Event) error) error, extra func(tx *sql.Tx, before int64) error) (ApplyResult, error) {
	if now.IsZero() {
		now = s.now()
	}
	var res ApplyResult
	err := s.write(ctx, func(tx *sql.Tx) error {
		res = ApplyResult{}
		var before int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM events`).Scan(&before); err != nil {
			return err
		}
		if err := s.storeBulk(ctx, tx, before, now, each, &res); err != nil {
			return err
		}
		if extra != nil {
			return extra(tx, before)
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, model.ErrInvalid) {
			return ApplyResult{}, err
		}
		return ApplyResult{}, fmt.Errorf("store events in %s: %w", s.path, describeSQLiteError(err))
	}
	return res, nil
}

// storeBulk is ApplyBulkAt's transaction, up to its extra.
func (s *Store) storeBulk(ctx context.Context, tx *sql.Tx, before int64, now time.Time, each func(add func(model.Event) error) error, res *ApplyResult) error {
	// Into an empty store (a new laptop's first pull, an import to start
	// from), the log's own indexes are made once at the end, and each
	// event is projected in bulk as it is stored: in the order stored, as
	// a rebuild would.
	var indexes []string
	var bulk *bulkProjector
	if before == 0 {
		var err error
		if indexes, err = dropIndexes(ctx, tx, "events"); err != nil {
			return err
		}
		if bulk, err = beginBulk(ctx, tx); err != nil {
			return err
		}
		defer bulk.restore()
	}
	in := &eventInserter{tx: tx, received: ms(now), res: res, bulk: bulk, perStmt: 2000 / 13}
	defer in.close()
	if err := in.run(ctx, each); err != nil {
		return err
	}
	for _, q := range indexes {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	switch {
	case bulk != nil:
		return bulk.finish(ctx)
	case res.Applied == 0:
		return nil
	case int64(res.Applied)*10 < before:
		return s.projectAfter(ctx, tx, before, now)
	default:
		return s.rebuildTx(ctx, tx)
	}
}

// eventInserter stores arriving events many to a statement (SQLite's cost
// is mostly per statement): a statement's RETURNING names the events that
// were new, and an id already held is compared by hash, as Apply does.
type eventInserter struct {
	tx       *sql.Tx
	received int64
	res      *ApplyResult
	bulk     *bulkProjector // nil: projected after all are stored
	args     []any
	full     *sql.Stmt
	perStmt  int
}

// pendingEvent is an event on its way to the bulk projector, with the
// words of its timeline entry (see worded).
type pendingEvent struct {
	model.Event
	noteKind, text string
}

// errStoreStopped stops the feed when the store's side has failed; the
// store's own error is the one returned.
var errStoreStopped = errors.New("storing stopped")

// run stores every event each adds. Checking an event (its fields and
// hash) and wording its timeline entry are the event's own CPU work, a
// third of the whole: they run on the caller's goroutine while the
// store's goroutine writes the batch before, so a big pull or import uses
// two cores. At most a few batches wait between the two, so memory does
// not grow with the number of events.
func (in *eventInserter) run(ctx context.Context, each func(add func(model.Event) error) error) error {
	batches := make(chan []pendingEvent, 2)
	failed := make(chan struct{})
	stored := make(chan error, 1)
	go func() {
		var err error
		defer func() {
			// On this goroutine a panic would pass the command's recover
			// by: it ends the apply as an error instead.
			if r := recover(); r != nil {
				err = fmt.Errorf("internal error while storing events: %v", r)
			}
			if err != nil {
				close(failed)
			}
			stored <- err
		}()
		for batch := range batches {
			if err = in.flush(ctx, batch); err != nil {
				return
			}
		}
	}()
	send := func(batch []pendingEvent) error {
		select {
		case batches <- batch:
			return nil
		case <-failed:
			return errStoreStopped
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	batch := make([]pendingEvent, 0, in.perStmt)
	err := each(func(e model.Event) error {
		p, err := in.prepare(e)
		if err != nil {
			return err
		}
		if batch = append(batch, p); len(batch) < in.perStmt {
			return nil
		}
		full := batch
		batch = make([]pendingEvent, 0, in.perStmt)
		return send(full)
	})
	if err == nil && len(batch) > 0 {
		err = send(batch)
	}
	close(batches)
	if storeErr := <-stored; storeErr != nil {
		return storeErr
	}
	return err
}

// prepare checks an arriving event as Apply does and, when it will be
// projected in bulk, words its timeline entry.
func (in *eventInserter) prepare(e model.Event) (pendingEvent, error) {
	payload, err := checkIncoming(e)
	if err != nil {
		return pendingEvent{}, err
	}
	if in.bulk == nil {
		return pendingEvent{Event: e}, nil
	}
	return worded(e, payload), nil
}

// insertEventsSQL inserts n events, returning the ids of those that were
// new.
func insertEventsSQL(n int) string {
	row := "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	head, _, _ := strings.Cut(insertEventSQL, "VALUES")
	return strings.Replace(head, "INSERT INTO", "INSERT OR IGNORE INTO", 1) + "VALUES " +
		strings.Repeat(row+", ", n-1) + row + " RETURNING id"
}

// flush stores a batch of events and projects the new ones, in order.
func (in *eventInserter) flush(ctx context.Context, batch []pendingEvent) error {
	if len(batch) == 0 {
		return nil
	}
	in.args = in.args[:0]
	for _, e := range batch {
		in.args = append(in.args, e.ID, e.IncidentID, string(e.Kind), string(e.Payload), e.Author, e.Origin,
			ms(e.At), ms(e.Occurred), int64(e.HLC), e.ChainSeq, e.Prev, e.Hash, in.received)
	}
	inserted, err := in.insert(ctx, len(batch))
	if err != nil {
		return fmt.Errorf("append events from %s on: %w", batch[0].ID, err)
	}
	for _, p := range batch {
		e := p.Event
		if inserted[e.ID] {
			delete(inserted, e.ID) // the same id again later in the batch is a copy
			in.res.Applied++
			if in.bulk != nil {
				// Judged as a rebuild will judge it, by the time stored
				// as its arrival.
				if err := in.bulk.addPending(ctx, p, StampedAhead(e, fromMS(in.received))); err != nil {
					return err
				}
			}
			continue
		}
		var have string
		if err := in.tx.QueryRowContext(ctx, `SELECT hash FROM events WHERE id = ?`, e.ID).Scan(&have); err != nil {
			return err
		}
		if have == e.Hash {
			in.res.Known++
		} else {
			in.res.Conflicts = append(in.res.Conflicts, fmt.Sprintf("event %s by %s differs from the copy here (kept ours)", e.ID, e.Author))
		}
	}
	return nil
}

// insert runs the statement for the n events in in.args and reads which ids it
// stored; the rows are read whole before anything else is written on the
// connection.
func (in *eventInserter) insert(ctx context.Context, n int) (map[string]bool, error) {
	var rows *sql.Rows
	var err error
	if n == in.perStmt {
		if in.full == nil {
			if in.full, err = in.tx.PrepareContext(ctx, insertEventsSQL(in.perStmt)); err != nil {
				return nil, err
			}
		}
		rows, err = in.full.QueryContext(ctx, in.args...)
	} else {
		rows, err = in.tx.QueryContext(ctx, insertEventsSQL(n), in.args...)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	inserted := make(map[string]bool, n)
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		inserted[id] = true
	}
	return inserted, rows.Err()
}

func (in *eventInserter) close() {
	if in.full != nil {
		in.full.Close()
	}
}

// projectAfter projects, one by one, the events stored after seq after, as
// Apply would have as they arrived at now.
func (s *Store) projectAfter(ctx context.Context, tx *sql.Tx, after int64, now time.Time) error {
	proj := newProjector(s, tx)
	for {
		page, last, err := eventsAfter(ctx, tx, after, 5000)
		if err != nil || last == after {
			return err
		}
		for _, l := range page {
			if err := proj.apply(ctx, l.Event, StampedAhead(l.Event, now)); err != nil {
				return err
			}
		}
		after = last
	}
}
