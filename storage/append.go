package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/sitrep-dev/sitrep/model"
)

// MaxNote bounds one note: model.MaxNote, kept here for callers that read
// typed text before it becomes an event.
const MaxNote = model.MaxNote

// Append records one change made here and updates the projections, in one
// durable transaction. It stamps the id, clocks and hash chain.
func (s *Store) Append(ctx context.Context, d model.Change) (model.Event, error) {
	events, err := s.AppendAll(ctx, []model.Change{d})
	if err != nil {
		return model.Event{}, err
	}
	return events[0], nil
}

// AppendAll records several changes atomically: all or none (declaring an
// incident and attaching its runbooks, or a generator's batch).
func (s *Store) AppendAll(ctx context.Context, drafts []model.Change) ([]model.Event, error) {
	var out []model.Event
	err := s.write(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		a, err := newAppender(ctx, tx, s)
		if err != nil {
			return err
		}
		for _, d := range drafts {
			e, err := a.append(ctx, d)
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, model.ErrInvalid) || errors.Is(err, model.ErrNotFound) {
			return nil, err
		}
		err = s.describe(err)
		if errors.Is(err, ErrReadOnly) || errors.Is(err, ErrDiskFull) {
			return nil, err // the cause first, so a narrow status line shows it
		}
		return nil, fmt.Errorf("save to %s: %w", s.path, err)
	}
	return out, nil
}

// appender holds what a run of appends in one transaction shares: the clock,
// each chain's head, and prepared statements.
type appender struct {
	s    *Store
	tx   *sql.Tx
	hlc  model.HLC
	seq  int64
	prev string
	proj *projector
	// declared holds incidents declared earlier in this batch, which later
	// drafts may refer to before the batch commits.
	declared map[string]bool
}

func newAppender(ctx context.Context, tx *sql.Tx, s *Store) (*appender, error) {
	a := &appender{s: s, tx: tx, declared: map[string]bool{}}
	if err := model.ValidName("the author name", s.author); err != nil {
		return nil, err
	}
	var hlc sql.NullInt64
	if err := s.queryRowTx(ctx, tx, `SELECT max(hlc) FROM events`).Scan(&hlc); err != nil {
		return nil, err
	}
	a.hlc = model.HLC(hlc.Int64)
	err := s.queryRowTx(ctx, tx, `SELECT chain_seq, hash FROM events WHERE origin = ? AND author = ? ORDER BY chain_seq DESC LIMIT 1`, s.id, s.author).Scan(&a.seq, &a.prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	a.proj = newProjector(s, tx)
	return a, nil
}

const insertEventSQL = `INSERT INTO events (id, incident_id, kind, payload, author, origin, at, occurred, hlc, chain_seq, prev, hash, received)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

func (a *appender) append(ctx context.Context, d model.Change) (model.Event, error) {
	if err := d.Validate(); err != nil {
		return model.Event{}, err
	}
	if d.Kind != model.EventDeclared && !a.declared[d.IncidentID] {
		var one int
		err := a.s.queryRowTx(ctx, a.tx, `SELECT 1 FROM incidents WHERE id = ?`, d.IncidentID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return model.Event{}, model.NotFoundf("no incident with id %s", d.IncidentID)
		}
		if err != nil {
			return model.Event{}, err
		}
	}
	switch p := d.Payload.(type) {
	case model.AmendedPayload:
		if err := a.checkCorrection(ctx, d.IncidentID, p.Entry); err != nil {
			return model.Event{}, err
		}
	case model.RetractedPayload:
		if err := a.checkCorrection(ctx, d.IncidentID, p.Entry); err != nil {
			return model.Event{}, err
		}
	}
	payload, err := json.Marshal(d.Payload)
	if err != nil {
		return model.Event{}, fmt.Errorf("encode %s payload: %w", d.Kind, err)
	}
	now := a.s.now().UTC().Truncate(time.Millisecond)
	id, err := uuid.NewV7()
	if err != nil {
		return model.Event{}, fmt.Errorf("make event id: %w", err)
	}
	if err := model.ValidTime("this computer's clock", now); err != nil {
		return model.Event{}, err
	}
	occurred := d.Occurred.UTC().Truncate(time.Millisecond)
	if d.Occurred.IsZero() {
		occurred = now
	}
	a.hlc = a.hlc.Next(now)
	a.seq++
	e := model.Event{
		ID:         id.String(),
		IncidentID: d.IncidentID,
		Kind:       d.Kind,
		Payload:    payload,
		Author:     a.s.author,
		Origin:     a.s.id,
		At:         now,
		Occurred:   occurred,
		HLC:        a.hlc,
		ChainSeq:   a.seq,
		Prev:       a.prev,
	}
	if e.Kind == model.EventDeclared && e.IncidentID == "" {
		e.IncidentID = e.ID
	}
	e.Hash = e.ComputeHash()
	a.prev = e.Hash
	if e.Kind == model.EventDeclared {
		a.declared[e.IncidentID] = true
	}
	if err := a.s.insertEvent(ctx, a.tx, e, now); err != nil {
		return model.Event{}, err
	}
	if err := a.proj.apply(ctx, e, false); err != nil {
		return model.Event{}, err
	}
	return e, nil
}

func (s *Store) insertEvent(ctx context.Context, tx *sql.Tx, e model.Event, received time.Time) error {
	_, err := s.execTx(ctx, tx, insertEventSQL, e.ID, e.IncidentID, string(e.Kind), string(e.Payload), e.Author, e.Origin,
		ms(e.At), ms(e.Occurred), int64(e.HLC), e.ChainSeq, e.Prev, e.Hash, ms(received))
	if err != nil {
		return fmt.Errorf("append event %s: %w", e.ID, err)
	}
	return nil
}

// NewID makes an event or incident id: a UUIDv7, unique across laptops and
// sorting by creation time.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// ApplyResult says what a batch of events from elsewhere did.
type ApplyResult struct {
	Applied   int      // new events stored
	Known     int      // already here, identical
	Conflicts []string // same id, different content: kept ours, reported
}

// Apply stores events made elsewhere (sync, import) in one transaction:
// each is checked against its own hash, ids already held are skipped, and
// the projections are updated as for local events. An event whose hash does
// not match its content fails the whole batch, so garbage never lands.
// extra, when not nil, runs inside the same transaction (sync advances its
// cursor there, so cursor and events commit together).
func (s *Store) Apply(ctx context.Context, events []model.Event, extra func(*sql.Tx) error) (ApplyResult, error) {
	return s.ApplyWithClock(ctx, events, time.Time{}, extra)
}

// ApplyWithClock is Apply judging the arriving events' clocks (StampedAhead)
// by now instead of this store's clock (zero: this store's). Sync passes
// the hub's clock when this store's own is off; it is recorded as when the
// events arrived, so a rebuild judges them the same way.
func (s *Store) ApplyWithClock(ctx context.Context, events []model.Event, now time.Time, extra func(*sql.Tx) error) (ApplyResult, error) {
	return s.apply(ctx, events, now, false, extra)
}

// ApplyNoFork is Apply for a shared store (the hub): an event that would
// take a place in its author's chain that another event already holds
// fails the whole batch with ErrFork, so the hub never holds two histories
// of one author. Such an event comes from a store restored from a backup,
// or copied, by a sitrep that does not rejoin the history before pushing.
func (s *Store) ApplyNoFork(ctx context.Context, events []model.Event, extra func(*sql.Tx) error) (ApplyResult, error) {
	return s.apply(ctx, events, time.Time{}, true, extra)
}

// ErrFork marks a batch refused because it would fork a chain.
var ErrFork = errors.New("refused a fork")

func (s *Store) apply(ctx context.Context, events []model.Event, now time.Time, refuseForks bool, extra func(*sql.Tx) error) (ApplyResult, error) {
	var res ApplyResult
	err := s.write(ctx, func(tx *sql.Tx) error {
		res = ApplyResult{}
		if err := s.applyTx(ctx, tx, newProjector(s, tx), events, now, refuseForks, &res); err != nil {
			return err
		}
		if extra != nil {
			return extra(tx)
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, model.ErrInvalid) || errors.Is(err, ErrFork) {
			return ApplyResult{}, err
		}
		return ApplyResult{}, fmt.Errorf("store events in %s: %w", s.path, describeSQLiteError(err))
	}
	return res, nil
}

// applyTx stores events inside tx, adding to res; now judges their clocks
// (zero: this store's clock).
func (s *Store) applyTx(ctx context.Context, tx *sql.Tx, proj *projector, events []model.Event, now time.Time, refuseForks bool, res *ApplyResult) error {
	if now.IsZero() {
		now = s.now()
	}
	for _, e := range events {
		if err := CheckIncoming(e); err != nil {
			return err
		}
		var have string
		err := s.queryRowTx(ctx, tx, `SELECT hash FROM events WHERE id = ?`, e.ID).Scan(&have)
		switch {
		case err == nil && have == e.Hash:
			res.Known++
			continue
		case err == nil:
			res.Conflicts = append(res.Conflicts, fmt.Sprintf("event %s by %s differs from the copy here (kept ours)", e.ID, e.Author))
			continue
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if refuseForks {
			var other string
			err := s.queryRowTx(ctx, tx, `SELECT id FROM events WHERE origin = ? AND author = ? AND chain_seq = ? LIMIT 1`, e.Origin, e.Author, e.ChainSeq).Scan(&other)
			if err == nil {
				return fmt.Errorf("%w: event %s by %s would be number %d of a history that already holds event %s there (a store restored or copied)",
					ErrFork, e.ID, quoteField(e.Author), e.ChainSeq, other)
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		if err := s.insertEvent(ctx, tx, e, now); err != nil {
			return err
		}
		if err := proj.apply(ctx, e, StampedAhead(e, now)); err != nil {
			return err
		}
		res.Applied++
	}
	return nil
}

// CheckIncoming refuses an event from elsewhere (sync, import) that is
// malformed, whose hash does not cover its content, or any of whose fields
// breaks a rule a change made here meets (model's Event.CheckFields). The error
// names the event and its author, quoted so that neither can reach the
// terminal as anything but text.
func CheckIncoming(e model.Event) error {
	_, err := checkIncoming(e)
	return err
}

// checkIncoming is CheckIncoming, returning the payload it decoded.
func checkIncoming(e model.Event) (model.Payload, error) {
	if e.ID == "" || e.IncidentID == "" || e.Kind == "" || e.Author == "" || e.Origin == "" {
		return nil, model.Invalidf("incoming event %q lacks an id, incident, kind, author or origin", e.ID)
	}
	p, err := e.CheckedPayload()
	if err != nil {
		return nil, model.Invalidf("refused event %s by %s: %s; nothing from this batch was stored", quoteField(e.ID), quoteField(e.Author), err)
	}
	if e.ComputeHash() != e.Hash {
		return nil, model.Invalidf("incoming event %s by %s: its hash does not match its content", e.ID, e.Author)
	}
	return p, nil
}

// quoteField writes a field from elsewhere for a message: as it is when it
// is plain, else Go-quoted so escapes show as \x1b and the like.
func quoteField(s string) string {
	if model.ValidID("", s) == nil || model.ValidName("", s) == nil && !strings.ContainsAny(s, " \"'") {
		return s
	}
	return strconv.Quote(s)
}

// ChainHashes calls fn with the place and hash of each event of the chain of
// origin and author numbered from to to (both included), in order. Import
// uses it to check that a file's chains join the store's without a hole.
func (s *Store) ChainHashes(ctx context.Context, origin, author string, from, to int64, fn func(seq int64, hash string)) error {
	rows, err := s.db.QueryContext(ctx, `SELECT chain_seq, hash FROM events WHERE origin = ? AND author = ? AND chain_seq BETWEEN ? AND ? ORDER BY chain_seq`,
		origin, author, from, to)
	if err != nil {
		return fmt.Errorf("read %s's chain in %s: %w", author, s.path, describeSQLiteError(err))
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var hash string
		if err := rows.Scan(&seq, &hash); err != nil {
			return fmt.Errorf("read %s's chain in %s: %w", author, s.path, describeSQLiteError(err))
		}
		fn(seq, hash)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s's chain in %s: %w", author, s.path, describeSQLiteError(err))
	}
	return nil
}
