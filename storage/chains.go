package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sitrep-dev/sitrep/model"
)

// ChainHead is the newest event a store holds of one chain: the events one
// author made in one store (origin), numbered from 1.
type ChainHead struct {
	Origin string
	Author string
	Seq    int64  // its place in the chain: the chain's length when whole
	Hash   string // its hash
}

// ChainHeads returns the head of every chain this store holds, ordered by
// origin and author: what a peer compares its own log with
// (`sitrep verify --against`). One pass over the chain index.
func (s *Store) ChainHeads(ctx context.Context) ([]ChainHead, error) {
	// SQLite takes the bare column hash from the row holding max(chain_seq).
	rows, err := s.db.QueryContext(ctx, `SELECT origin, author, max(chain_seq), hash FROM events GROUP BY origin, author ORDER BY origin, author`)
	if err != nil {
		return nil, fmt.Errorf("read the histories in %s: %w", s.path, describeSQLiteError(err))
	}
	defer rows.Close()
	var out []ChainHead
	for rows.Next() {
		var h ChainHead
		if err := rows.Scan(&h.Origin, &h.Author, &h.Seq, &h.Hash); err != nil {
			return nil, fmt.Errorf("read the histories in %s: %w", s.path, describeSQLiteError(err))
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the histories in %s: %w", s.path, describeSQLiteError(err))
	}
	return out, nil
}

// OriginHeads returns the heads of the chains made in one store (usually
// one author; more if its SITREP_AUTHOR changed). It costs a few index
// lookups per author, whatever the size of the log, so sync can ask on
// every exchange.
func (s *Store) OriginHeads(ctx context.Context, origin string) ([]ChainHead, error) {
	var out []ChainHead
	const next = `SELECT author FROM events WHERE origin = ? AND author > ? ORDER BY origin, author LIMIT 1`
	// Skip from one author to the next along the chain index; the first
	// is the smallest, which may be the empty string only in a damaged log.
	q, args := `SELECT author FROM events WHERE origin = ? ORDER BY origin, author LIMIT 1`, []any{origin}
	for {
		h := ChainHead{Origin: origin}
		err := s.cachedQueryRow(ctx, q, args...).Scan(&h.Author)
		if errors.Is(err, sql.ErrNoRows) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read the histories in %s: %w", s.path, describeSQLiteError(err))
		}
		err = s.cachedQueryRow(ctx, `SELECT chain_seq, hash FROM events WHERE origin = ? AND author = ? ORDER BY chain_seq DESC LIMIT 1`, origin, h.Author).Scan(&h.Seq, &h.Hash)
		if err != nil {
			return nil, fmt.Errorf("read the histories in %s: %w", s.path, describeSQLiteError(err))
		}
		out = append(out, h)
		q, args = next, []any{origin, h.Author}
	}
}

// ChainHead returns the newest event this store holds of one chain (Seq 0
// when it holds none).
func (s *Store) ChainHead(ctx context.Context, origin, author string) (ChainHead, error) {
	h := ChainHead{Origin: origin, Author: author}
	err := s.cachedQueryRow(ctx, `SELECT chain_seq, hash FROM events WHERE origin = ? AND author = ? ORDER BY chain_seq DESC LIMIT 1`, origin, author).Scan(&h.Seq, &h.Hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return h, fmt.Errorf("read %s's history in %s: %w", author, s.path, describeSQLiteError(err))
	}
	return h, nil
}

// ChainEventAt returns the event at place seq of a chain, and whether this
// store holds one there.
func (s *Store) ChainEventAt(ctx context.Context, origin, author string, seq int64) (LoggedEvent, bool, error) {
	out, err := queryLogged(ctx, s.db, `SELECT `+eventColumns+` FROM events WHERE origin = ? AND author = ? AND chain_seq = ? ORDER BY seq LIMIT 1`, origin, author, seq)
	if err != nil {
		return LoggedEvent{}, false, fmt.Errorf("read %s's history in %s: %w", author, s.path, describeSQLiteError(err))
	}
	if len(out) == 0 {
		return LoggedEvent{}, false, nil
	}
	return out[0], true, nil
}

// ChainEventsAfter returns up to limit events of one chain placed after
// seq, in chain order.
func (s *Store) ChainEventsAfter(ctx context.Context, origin, author string, seq int64, limit int) ([]LoggedEvent, error) {
	out, err := queryLogged(ctx, s.db, `SELECT `+eventColumns+` FROM events WHERE origin = ? AND author = ? AND chain_seq > ? ORDER BY chain_seq, seq LIMIT ?`, origin, author, seq, limit)
	if err != nil {
		return nil, fmt.Errorf("read %s's history in %s: %w", author, s.path, describeSQLiteError(err))
	}
	return out, nil
}

// ChainEventsArrivedAfter returns up to limit events of one chain that
// arrived here after seq (a push cursor), placed after place, in chain
// order: the events of a chain a hub may not have seen.
func (s *Store) ChainEventsArrivedAfter(ctx context.Context, origin, author string, seq, place int64, limit int) ([]LoggedEvent, error) {
	out, err := queryLogged(ctx, s.db, `SELECT `+eventColumns+` FROM events WHERE origin = ? AND author = ? AND chain_seq > ? AND seq > ? ORDER BY chain_seq, seq LIMIT ?`, origin, author, place, seq, limit)
	if err != nil {
		return nil, fmt.Errorf("read %s's history in %s: %w", author, s.path, describeSQLiteError(err))
	}
	return out, nil
}

// RejoinResult says what Rejoin did.
type RejoinResult struct {
	Taken int // events of the chain stored from the hub's copy
	Moved int // events made here, renumbered to follow them
}

// Rejoin repairs this store's own chain when the hub holds more of it than
// this store does: the store was restored from a backup, or lost its newest
// events with a damaged WAL, and may have made new events since, numbered
// from where the old copy stopped, in places the hub already fills.
//
// tail is the hub's copy of the chain from some place on, up to the hub's
// head, each event linking to the one before. In one transaction Rejoin
// stores the events of tail this store lacks and gives every event of its
// own that sits at or after the first place where the two copies part a new
// place after the hub's head: new chain_seq, prev and hash, the same id,
// content and clocks. That is the one change ever made to a logged event,
// and it is honest only because nobody else has seen those events: each
// must be in unseen (the ids the hub said it lacks) and past every push
// cursor this store holds, or nothing is changed.
//
// now judges the taken events' clocks as in ApplyWithClock (zero: this
// store's clock); extra, when not nil, runs in the same transaction.
func (s *Store) Rejoin(ctx context.Context, tail []model.Event, unseen []string, now time.Time, extra func(*sql.Tx) error) (RejoinResult, error) {
	var res RejoinResult
	if len(tail) == 0 {
		return res, nil
	}
	origin, author := tail[0].Origin, tail[0].Author
	for i, e := range tail {
		if err := CheckIncoming(e); err != nil {
			return res, err
		}
		switch {
		case e.Origin != origin || e.Author != author:
			return res, model.Invalidf("the hub's copy of %s's history mixes in event %s by %s", author, e.ID, e.Author)
		case i > 0 && (e.ChainSeq != tail[i-1].ChainSeq+1 || e.Prev != tail[i-1].Hash):
			return res, model.Invalidf("the hub's copy of %s's history does not link at event %d", author, e.ChainSeq)
		}
	}
	hubAt := make(map[int64]string, len(tail))
	for _, e := range tail {
		hubAt[e.ChainSeq] = e.ID
	}
	lacks := make(map[string]bool, len(unseen))
	for _, id := range unseen {
		lacks[id] = true
	}
	head := tail[len(tail)-1]
	err := s.write(ctx, func(tx *sql.Tx) error {
		res = RejoinResult{}
		// An event of tail this store holds under other numbers: one this
		// store renumbered and pushed, then lost to an older backup that
		// still had its first numbers, which nobody else ever saw. The
		// hub's numbers stand.
		for _, e := range tail {
			mine, err := queryLogged(ctx, tx, `SELECT `+eventColumns+` FROM events WHERE id = ?`, e.ID)
			if err != nil {
				return err
			}
			if len(mine) == 0 || mine[0].Hash == e.Hash || !sameButPlace(mine[0].Event, e) {
				continue
			}
			if _, err := s.execTx(ctx, tx, `UPDATE events SET chain_seq = ?, prev = ?, hash = ? WHERE id = ?`, e.ChainSeq, e.Prev, e.Hash, e.ID); err != nil {
				return fmt.Errorf("renumber event %s: %w", e.ID, err)
			}
			res.Moved++
		}
		local, err := queryLogged(ctx, tx, `SELECT `+eventColumns+` FROM events WHERE origin = ? AND author = ? AND chain_seq >= ? ORDER BY chain_seq, seq`, origin, author, tail[0].ChainSeq)
		if err != nil {
			return err
		}
		// The copies part at the first of the hub's places this store
		// holds differently, or lacks while holding later events.
		var move []LoggedEvent
		parted := false
		for _, l := range local {
			hubID, held := hubAt[l.ChainSeq]
			if !parted {
				if !held || hubID == l.ID {
					continue // the same event, or past the hub's head with all before it shared
				}
				parted = true
			}
			if hubID != l.ID {
				move = append(move, l)
			}
		}
		if len(move) > 0 {
			var pushed int64
			if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(pushed), 0) FROM sync_peers`).Scan(&pushed); err != nil {
				return err
			}
			for _, l := range move {
				if !lacks[l.ID] || l.Seq <= pushed {
					return fmt.Errorf("%s's event %s (number %d) was already sent to a shared store, so it cannot be renumbered after the hub's copy: compare with 'sitrep verify --against' and ask for help", author, l.ID, l.ChainSeq)
				}
			}
		}
		proj := newProjector(s, tx)
		var applied ApplyResult
		if err := s.applyTx(ctx, tx, proj, tail, now, false, &applied); err != nil {
			return err
		}
		if len(applied.Conflicts) > 0 {
			return fmt.Errorf("the hub's copy of %s's history holds an event that differs from this store's: %s", author, applied.Conflicts[0])
		}
		res.Taken = applied.Applied
		seq, prev := head.ChainSeq, head.Hash
		for _, l := range move {
			e := l.Event
			seq++
			e.ChainSeq, e.Prev = seq, prev
			e.Hash = e.ComputeHash()
			prev = e.Hash
			if _, err := s.execTx(ctx, tx, `UPDATE events SET chain_seq = ?, prev = ?, hash = ? WHERE id = ?`, e.ChainSeq, e.Prev, e.Hash, e.ID); err != nil {
				return fmt.Errorf("renumber event %s: %w", e.ID, err)
			}
			res.Moved++
		}
		if extra != nil {
			return extra(tx)
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, model.ErrInvalid) {
			return RejoinResult{}, err
		}
		return RejoinResult{}, fmt.Errorf("rejoin %s's history in %s with the hub's: %w", author, s.path, describeSQLiteError(err))
	}
	return res, nil
}

// sameButPlace reports whether two copies of an event differ only in their
// place in the chain (number, link and so hash).
func sameButPlace(a, b model.Event) bool {
	return a.ID == b.ID && a.IncidentID == b.IncidentID && a.Kind == b.Kind && string(a.Payload) == string(b.Payload) &&
		a.Author == b.Author && a.Origin == b.Origin && a.At.Equal(b.At) && a.Occurred.Equal(b.Occurred) && a.HLC == b.HLC
}

// Acknowledged heads. After a sync, this store knows how far the hub holds
// each chain it exchanged: every event it pushed and the hub confirmed,
// every event it pulled. verify compares the log with these marks, so a
// chain's newest events deleted here show, which the hash chain alone
// cannot show (a chain cut at its end still links).
//
// They live in meta, one row per hub and chain, rather than in a table of
// their own: a new table is a schema migration, and a newer schema makes
// older sitreps refuse the store and older clients refuse the hub. Keys are
// "acked " and a JSON array [hub, origin, author]; values {"seq":N,"hash":H}.

const ackedPrefix = "acked "

// AckedHead is how far one hub acknowledged holding one chain.
type AckedHead struct {
	Hub string
	ChainHead
}

func ackedKey(hub string, h ChainHead) string {
	k, _ := json.Marshal([]string{hub, h.Origin, h.Author})
	return ackedPrefix + string(k)
}

type ackedValue struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// RecordAcked notes inside tx that hub holds each chain at least up to its
// head given. A mark only ever moves forward.
func (s *Store) RecordAcked(ctx context.Context, tx *sql.Tx, hub string, heads []ChainHead) error {
	for _, h := range heads {
		v, _ := json.Marshal(ackedValue{Seq: h.Seq, Hash: h.Hash})
		_, err := s.execTx(ctx, tx, `INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value
			WHERE json_extract(excluded.value, '$.seq') > json_extract(meta.value, '$.seq')`, ackedKey(hub, h), string(v))
		if err != nil {
			return fmt.Errorf("save what the hub holds: %w", err)
		}
	}
	return nil
}

// AckedHeads lists every mark this store holds, for every hub.
func (s *Store) AckedHeads(ctx context.Context) ([]AckedHead, error) {
	// "acked [" up to "acked \" (the next byte after '['): the index range.
	rows, err := s.db.QueryContext(ctx, `SELECT key, value FROM meta WHERE key >= ? AND key < ? ORDER BY key`, ackedPrefix+"[", ackedPrefix+"\\")
	if err != nil {
		return nil, fmt.Errorf("read sync state of %s: %w", s.path, describeSQLiteError(err))
	}
	defer rows.Close()
	var out []AckedHead
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("read sync state of %s: %w", s.path, describeSQLiteError(err))
		}
		var parts []string
		var val ackedValue
		if json.Unmarshal([]byte(strings.TrimPrefix(k, ackedPrefix)), &parts) != nil || len(parts) != 3 || json.Unmarshal([]byte(v), &val) != nil {
			continue // not ours; meta is free-form
		}
		out = append(out, AckedHead{Hub: parts[0], ChainHead: ChainHead{Origin: parts[1], Author: parts[2], Seq: val.Seq, Hash: val.Hash}})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read sync state of %s: %w", s.path, describeSQLiteError(err))
	}
	return out, nil
}

// HeadsOf sums up events as the newest of each chain among them, for
// RecordAcked.
func HeadsOf(events []model.Event) []ChainHead {
	type key struct{ origin, author string }
	at := map[key]int{}
	var out []ChainHead
	for _, e := range events {
		k := key{e.Origin, e.Author}
		i, ok := at[k]
		if !ok {
			at[k] = len(out)
			out = append(out, ChainHead{Origin: e.Origin, Author: e.Author, Seq: e.ChainSeq, Hash: e.Hash})
			continue
		}
		if e.ChainSeq > out[i].Seq {
			out[i].Seq, out[i].Hash = e.ChainSeq, e.Hash
		}
	}
	return out
}

// CompareHeads checks this store's log against heads a hub holds (from
// `verify --against`, or the marks sync recorded): a chain the hub holds
// further than this store does lost its newest events here; one it holds
// and this store lacks entirely was deleted here; one whose event at the
// hub's head differs was changed. where names the hub in the messages,
// fix the command that takes missing events back. ahead counts the chains this store holds further than the hub (events
// not synced yet: no problem).
func (s *Store) CompareHeads(ctx context.Context, heads []ChainHead, where, fix string) (problems []Problem, ahead int, err error) {
	for _, h := range heads {
		mine, err := s.ChainHead(ctx, h.Origin, h.Author)
		if err != nil {
			return nil, 0, err
		}
		short := model.ShortID(h.Origin)
		bad := func(format string, args ...any) {
			problems = append(problems, Problem{Author: h.Author, Message: fmt.Sprintf(format, args...)})
		}
		switch {
		case mine.Seq == 0:
			bad("history made in store %s is missing here: %s holds its events 1–%d (deleted or lost here; '%s' takes them back)", short, where, h.Seq, fix)
			continue
		case mine.Seq < h.Seq:
			bad("history made in store %s ends at event %d here, but %s holds it up to event %d: %s missing here (deleted or lost; '%s' takes them back)",
				short, mine.Seq, where, h.Seq, span(mine.Seq+1, h.Seq), fix)
			continue
		case mine.Seq > h.Seq:
			ahead++
		}
		l, ok, err := s.ChainEventAt(ctx, h.Origin, h.Author, h.Seq)
		if err != nil {
			return nil, 0, err
		}
		switch {
		case !ok:
			bad("history made in store %s lacks event %d here, which %s holds", short, h.Seq, where)
		case l.Hash != h.Hash:
			bad("history made in store %s: event %d here (%s) differs from the one %s holds (changed here, or this store was copied)", short, h.Seq, l.ID, where)
		}
	}
	return problems, ahead, nil
}

func span(from, to int64) string {
	if from == to {
		return fmt.Sprintf("event %d is", from)
	}
	return fmt.Sprintf("events %d–%d are", from, to)
}
