package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// SyncCursor is where this store stands with one hub. The invariants sync
// relies on: every local event with seq <= Pushed is in the hub, and every
// hub event with hub seq <= Pulled is here.
type SyncCursor struct {
	HubID    string
	Remote   string
	Pushed   int64
	Pulled   int64
	PulledID string // id of the hub's event at Pulled ("" when Pulled is 0)
	SyncedAt time.Time
}

const cursorColumns = `hub_id, remote, pushed, pulled, pulled_id, synced_at`

func scanCursor(r scanner) (SyncCursor, error) {
	var c SyncCursor
	var at int64
	err := r.Scan(&c.HubID, &c.Remote, &c.Pushed, &c.Pulled, &c.PulledID, &at)
	c.SyncedAt = fromMS(at)
	return c, err
}

// SyncCursor returns the cursor for a hub, and whether there is one.
func (s *Store) SyncCursor(ctx context.Context, hubID string) (SyncCursor, bool, error) {
	c, err := scanCursor(s.cachedQueryRow(ctx, `SELECT `+cursorColumns+` FROM sync_peers WHERE hub_id = ?`, hubID))
	return cursorResult(s, c, err)
}

// SyncCursorForRemote returns the cursor last used under a remote's name:
// what Pending counts from before any connection is made.
func (s *Store) SyncCursorForRemote(ctx context.Context, remote string) (SyncCursor, bool, error) {
	c, err := scanCursor(s.cachedQueryRow(ctx, `SELECT `+cursorColumns+` FROM sync_peers WHERE remote = ? ORDER BY synced_at DESC LIMIT 1`, remote))
	return cursorResult(s, c, err)
}

func cursorResult(s *Store, c SyncCursor, err error) (SyncCursor, bool, error) {
	if errors.Is(err, sql.ErrNoRows) {
		return SyncCursor{}, false, nil
	}
	if err != nil {
		return SyncCursor{}, false, fmt.Errorf("read sync state of %s: %w", s.path, describeSQLiteError(err))
	}
	return c, true, nil
}

// AdvanceSyncCursor moves a hub's cursor forward inside tx, creating it if
// needed. Cursors only ever move forward here, so two syncs of one store
// running at once (the TUI's and a script's) cannot undo each other's
// progress; moving back is ResetSyncCursor's job.
func (s *Store) AdvanceSyncCursor(ctx context.Context, tx *sql.Tx, c SyncCursor, now time.Time) error {
	_, err := s.execTx(ctx, tx, `INSERT INTO sync_peers(hub_id, remote, pushed, pulled, pulled_id, synced_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT(hub_id) DO UPDATE SET remote = excluded.remote,
			pushed = max(pushed, excluded.pushed),
			pulled_id = CASE WHEN excluded.pulled > pulled THEN excluded.pulled_id ELSE pulled_id END,
			pulled = max(pulled, excluded.pulled),
			synced_at = max(synced_at, excluded.synced_at)`,
		c.HubID, c.Remote, c.Pushed, c.Pulled, c.PulledID, ms(now))
	if err != nil {
		return fmt.Errorf("save sync state: %w", err)
	}
	return nil
}

// SaveSyncCursor is AdvanceSyncCursor in a transaction of its own.
func (s *Store) SaveSyncCursor(ctx context.Context, c SyncCursor) error {
	return s.SaveSyncState(ctx, c, nil)
}

// SaveSyncState advances a hub's cursor and records how far the hub holds
// the chains in acked (RecordAcked), in one transaction.
func (s *Store) SaveSyncState(ctx context.Context, c SyncCursor, acked []ChainHead) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := s.AdvanceSyncCursor(ctx, tx, c, s.now()); err != nil {
			return err
		}
		return s.RecordAcked(ctx, tx, c.HubID, acked)
	})
	if err != nil {
		return fmt.Errorf("%s: %w", s.path, describeSQLiteError(err))
	}
	return nil
}

// ResetSyncCursor forgets what is known about a hub (it was restored from a
// backup or replaced), so the next exchange reconciles by event id.
func (s *Store) ResetSyncCursor(ctx context.Context, hubID, remote string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sync_peers(hub_id, remote) VALUES (?, ?)
			ON CONFLICT(hub_id) DO UPDATE SET remote = excluded.remote, pushed = 0, pulled = 0, pulled_id = ''`, hubID, remote)
		return err
	})
	if err != nil {
		return fmt.Errorf("reset sync state of %s: %w", s.path, describeSQLiteError(err))
	}
	return nil
}

// CountAfter is how many events arrived here after seq: for a push cursor,
// the events waiting to go out.
func (s *Store) CountAfter(ctx context.Context, seq int64) (int64, error) {
	var n int64
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE seq > ?`, seq).Scan(&n); err != nil {
		return 0, fmt.Errorf("count events in %s: %w", s.path, describeSQLiteError(err))
	}
	return n, nil
}

// MissingIDs returns those of ids this store does not hold, in the order
// given: one indexed lookup each, whatever the size of the log.
func (s *Store) MissingIDs(ctx context.Context, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	list, _ := json.Marshal(ids)
	rows, err := s.cachedQuery(ctx, `SELECT j.value FROM json_each(?) j WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = j.value) ORDER BY j.key`, string(list))
	if err != nil {
		return nil, fmt.Errorf("look up events in %s: %w", s.path, describeSQLiteError(err))
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// EventsByID returns the events with the given ids that this store holds,
// in its arrival order.
func (s *Store) EventsByID(ctx context.Context, ids []string) ([]LoggedEvent, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	list, _ := json.Marshal(ids)
	out, err := queryLogged(ctx, s.db, `SELECT `+eventColumns+` FROM events WHERE id IN (SELECT value FROM json_each(?)) ORDER BY seq`, string(list))
	if err != nil {
		return nil, fmt.Errorf("read events from %s: %w", s.path, describeSQLiteError(err))
	}
	return out, nil
}

// IDsAfter lists up to limit event ids that arrived after seq, with the seq
// of the last: how a reconcile compares two logs without sending bodies.
func (s *Store) IDsAfter(ctx context.Context, seq int64, limit int) ([]string, int64, error) {
	rows, err := s.cachedQuery(ctx, `SELECT seq, id FROM events WHERE seq > ? ORDER BY seq LIMIT ?`, seq, limit)
	if err != nil {
		return nil, seq, fmt.Errorf("read event ids from %s: %w", s.path, describeSQLiteError(err))
	}
	defer rows.Close()
	var out []string
	last := seq
	for rows.Next() {
		var id string
		if err := rows.Scan(&last, &id); err != nil {
			return nil, seq, err
		}
		out = append(out, id)
	}
	return out, last, rows.Err()
}

// IDAt is the id of the event at seq ("" if there is none).
func (s *Store) IDAt(ctx context.Context, seq int64) (string, error) {
	var id string
	err := s.cachedQueryRow(ctx, `SELECT id FROM events WHERE seq = ?`, seq).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", s.path, describeSQLiteError(err))
	}
	return id, nil
}

// CoveredThrough reports, inside tx, whether every event after seq is one
// of ids, and if so the newest seq and its id. Sync uses it to move a
// cursor past events the other side just sent or received, so they never
// travel back.
func (s *Store) CoveredThrough(ctx context.Context, tx *sql.Tx, seq int64, ids []string) (int64, string, bool, error) {
	var top int64
	var topID string
	err := s.queryRowTx(ctx, tx, `SELECT seq, id FROM events ORDER BY seq DESC LIMIT 1`).Scan(&top, &topID)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && top <= seq) {
		return seq, "", false, nil
	}
	if err != nil {
		return seq, "", false, err
	}
	// More events after seq than ids cannot all be among them: say so
	// without counting a long tail (a big store's first sync).
	var after int
	err = s.queryRowTx(ctx, tx, `SELECT count(*) FROM (SELECT 1 FROM events WHERE seq > ? LIMIT ?)`, seq, len(ids)+1).Scan(&after)
	if err != nil || after > len(ids) {
		return seq, "", false, err
	}
	list, _ := json.Marshal(ids)
	var other int
	err = s.queryRowTx(ctx, tx, `SELECT count(*) FROM events WHERE seq > ? AND id NOT IN (SELECT value FROM json_each(?))`, seq, string(list)).Scan(&other)
	if err != nil || other > 0 {
		return seq, "", false, err
	}
	return top, topID, true, nil
}

// NewestIn is the seq and id of the newest event, read inside tx (0 and ""
// for an empty log).
func (s *Store) NewestIn(ctx context.Context, tx *sql.Tx) (int64, string, error) {
	var top int64
	var topID string
	err := s.queryRowTx(ctx, tx, `SELECT seq, id FROM events ORDER BY seq DESC LIMIT 1`).Scan(&top, &topID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	return top, topID, err
}

// Claim records key in meta unless it is there already, and reports
// whether this call recorded it: one winner among racers.
func (s *Store) Claim(ctx context.Context, key, value string) (bool, error) {
	won := false
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO meta(key, value) VALUES (?, ?)`, key, value)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		won = n == 1
		return err
	})
	if err != nil {
		return false, fmt.Errorf("write to %s: %w", s.path, describeSQLiteError(err))
	}
	return won, nil
}

// Reidentify gives a store a new id. Only for a store that has made no
// events of its own yet: tests copy one migrated template file to make many
// replicas cheaply, and copies must not share an id.
func (s *Store) Reidentify(ctx context.Context) error {
	id := uuid.NewString()
	err := s.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE origin = ?`, s.id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("it already holds %d event(s) made under its id", n)
		}
		_, err := tx.ExecContext(ctx, `UPDATE meta SET value = ? WHERE key = 'store_id'`, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("give %s a new id: %w", s.path, describeSQLiteError(err))
	}
	s.id = id
	return nil
}
