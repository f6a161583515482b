package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/sitrep-dev/sitrep/model"
)

// projector updates the read tables for one event. Every update is either
// an insert of something keyed by the event's id, a last-writer-wins by
// event version (HLC, then id), or a minimum of times, so applying the same
// set of events in any order gives the same tables: what makes sync safe.
type projector struct {
	s  *Store
	tx *sql.Tx
}

func newProjector(s *Store, tx *sql.Tx) *projector { return &projector{s: s, tx: tx} }

func (p *projector) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return p.s.execTx(ctx, p.tx, query, args...)
}

func (p *projector) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return p.s.queryRowTx(ctx, p.tx, query, args...)
}

func (p *projector) apply(ctx context.Context, e model.Event, future bool) error {
	if !e.Kind.Known() {
		// A kind from a newer sitrep: keep it in the log, project nothing
		// (not even a timeline line), and remember it so a sitrep that
		// knows the kind can project it later (ProjectPending).
		_, err := p.exec(ctx, `INSERT OR IGNORE INTO unprojected(event_id, kind) VALUES (?, ?)`, e.ID, string(e.Kind))
		return err
	}
	if err := p.applyState(ctx, e); err != nil {
		return fmt.Errorf("project event %s (%s): %w", e.ID, e.Kind, err)
	}
	if !e.Kind.MakesEntry() {
		return nil // a mark on another entry (a pin), not an entry of its own
	}
	return p.addEntry(ctx, e, future)
}

func (p *projector) applyState(ctx context.Context, e model.Event) error {
	if _, err := p.exec(ctx, `INSERT OR IGNORE INTO incidents(id, short) VALUES (?, ?)`, e.IncidentID, model.ShortID(e.IncidentID)); err != nil {
		return err
	}
	v := e.Version()
	switch e.Kind {
	case model.EventDeclared:
		d, err := model.Decode[model.DeclaredPayload](e)
		if err != nil {
			return nil // kept in the log and timeline; nothing to project
		}
		if err := p.setTitle(ctx, e.IncidentID, d.Title, v); err != nil {
			return err
		}
		if err := p.setSeverity(ctx, e.IncidentID, d.Severity, v); err != nil {
			return err
		}
		if err := p.setStatus(ctx, e, d.Status, "", v); err != nil {
			return err
		}
		placed, detected := e.Placed(), declaredDetection(e, d)
		_, err = p.exec(ctx, `UPDATE incidents SET kind = ?, exercise = ?, declared_by = ?, declared_at = ?,
			detected_at = min(coalesce(detected_at, ?), ?) WHERE id = ?`,
			d.Kind, d.Exercise, e.Author, ms(placed), ms(detected), ms(detected), e.IncidentID)
		return err
	case model.EventRetitled:
		d, err := model.Decode[model.RetitledPayload](e)
		if err != nil {
			return nil
		}
		return p.setTitle(ctx, e.IncidentID, d.Title, v)
	case model.EventStatusChanged:
		d, err := model.Decode[model.StatusPayload](e)
		if err != nil {
			return nil
		}
		return p.setStatus(ctx, e, d.Status, d.From, v)
	case model.EventSeverityChanged:
		d, err := model.Decode[model.SeverityPayload](e)
		if err != nil {
			return nil
		}
		return p.setSeverity(ctx, e.IncidentID, d.Severity, v)
	case model.EventPinned:
		d, err := model.Decode[model.PinnedPayload](e)
		if err != nil {
			return nil
		}
		_, err = p.exec(ctx, `INSERT INTO entry_marks(entry_id, pinned, pinned_v) VALUES (?, ?, ?)
			ON CONFLICT(entry_id) DO UPDATE SET pinned = excluded.pinned, pinned_v = excluded.pinned_v
			WHERE excluded.pinned_v > entry_marks.pinned_v`, d.Entry, d.Pinned, v)
		return err
	case model.EventAmended:
		d, err := model.Decode[model.AmendedPayload](e)
		if err != nil {
			return nil
		}
		_, err = p.exec(ctx, `INSERT INTO entry_marks(entry_id, amended_text, amended_by, amended_v) VALUES (?, ?, ?, ?)
			ON CONFLICT(entry_id) DO UPDATE SET amended_text = excluded.amended_text, amended_by = excluded.amended_by, amended_v = excluded.amended_v
			WHERE excluded.amended_v > entry_marks.amended_v`, d.Entry, d.Text, e.ID, v)
		return err
	case model.EventRetracted:
		d, err := model.Decode[model.RetractedPayload](e)
		if err != nil {
			return nil
		}
		// A retraction cannot be undone, so it needs no version.
		_, err = p.exec(ctx, `INSERT INTO entry_marks(entry_id, retracted) VALUES (?, 1)
			ON CONFLICT(entry_id) DO UPDATE SET retracted = 1`, d.Entry)
		return err
	case model.EventRoleAssigned:
		return p.assignRole(ctx, e, v)
	case model.EventRunbookAttached:
		d, err := model.Decode[model.RunbookAttachedPayload](e)
		if err != nil {
			return nil
		}
		_, err = p.exec(ctx, `INSERT INTO attachments(incident_id, name, title, source, hash, text, at, version, rules) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(incident_id, name) DO UPDATE SET title = excluded.title, source = excluded.source, hash = excluded.hash,
				text = excluded.text, at = excluded.at, version = excluded.version, rules = excluded.rules
			WHERE excluded.version > attachments.version`,
			e.IncidentID, d.Name, d.Title, d.Source, d.Hash, d.Text, ms(e.Placed()), v, d.Rules)
		return err
	case model.EventStepChanged:
		d, err := model.Decode[model.StepPayload](e)
		if err != nil {
			return nil
		}
		_, err = p.exec(ctx, `INSERT INTO step_states(incident_id, runbook, step, state, reason, by, at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(incident_id, runbook, step) DO UPDATE SET state = excluded.state, reason = excluded.reason,
				by = excluded.by, at = excluded.at, version = excluded.version
			WHERE excluded.version > step_states.version`,
			e.IncidentID, d.Runbook, d.Step, string(d.State), d.Reason, e.Author, ms(e.Placed()), v)
		return err
	case model.EventReviewSaved:
		return p.saveReview(ctx, e, v)
	case model.EventMessageSent:
		return p.addMessage(ctx, e)
	}
	if model.IsExerciseKind(e.Kind) {
		_, err := p.exec(ctx, `INSERT OR IGNORE INTO exercise_events(event_id, incident_id) VALUES (?, ?)`, e.ID, e.IncidentID)
		return err
	}
	return nil
}

func (p *projector) setTitle(ctx context.Context, incident, title, v string) error {
	var rowid int64
	var old, oldV string
	err := p.queryRow(ctx, `SELECT rowid, title, title_v FROM incidents WHERE id = ?`, incident).Scan(&rowid, &old, &oldV)
	if err != nil {
		return err
	}
	if v <= oldV {
		return nil
	}
	if old != "" {
		if _, err := p.exec(ctx, `INSERT INTO incident_fts(incident_fts, rowid, title) VALUES ('delete', ?, ?)`, rowid, old); err != nil {
			return err
		}
	}
	if _, err := p.exec(ctx, `UPDATE incidents SET title = ?, title_v = ? WHERE id = ?`, title, v, incident); err != nil {
		return err
	}
	_, err = p.exec(ctx, `INSERT INTO incident_fts(rowid, title) VALUES (?, ?)`, rowid, title)
	return err
}

func (p *projector) setSeverity(ctx context.Context, incident string, sev model.Severity, v string) error {
	if !sev.Valid() {
		return nil
	}
	_, err := p.exec(ctx, `UPDATE incidents SET severity = ?, severity_v = ? WHERE id = ? AND severity_v < ?`, int(sev), v, incident, v)
	return err
}

// setStatus takes the newest status, and marks every milestone the status
// implies (model.Milestone.MarkedBy) at the earliest time any event
// reached it, on the log's clock (Event.Placed): a laptop an hour slow does
// not acknowledge an incident an hour before it was declared.
func (p *projector) setStatus(ctx context.Context, e model.Event, status, from model.Status, v string) error {
	if !status.Valid() {
		return nil
	}
	if _, err := p.exec(ctx, `UPDATE incidents SET status = ?, status_v = ?, active = ? WHERE id = ? AND status_v < ?`,
		string(status), v, status.Active(), e.IncidentID, v); err != nil {
		return err
	}
	at := ms(e.Placed())
	for _, m := range model.Milestones {
		if !m.MarkedBy(status, from) {
			continue
		}
		col := string(m) + "_at"
		if _, err := p.exec(ctx, `UPDATE incidents SET `+col+` = min(coalesce(`+col+`, ?), ?) WHERE id = ?`, at, at, e.IncidentID); err != nil {
			return err
		}
	}
	return nil
}

func (p *projector) assignRole(ctx context.Context, e model.Event, v string) error {
	d, err := model.Decode[model.RoleAssignedPayload](e)
	if err != nil || d.Role == "" {
		return nil
	}
	if _, err := p.exec(ctx, `INSERT OR IGNORE INTO role_events(event_id, incident_id, role, holder, replaces) VALUES (?, ?, ?, ?, ?)`,
		e.ID, e.IncidentID, string(d.Role), d.Holder, d.Replaces); err != nil {
		return err
	}
	if _, err := p.exec(ctx, `INSERT INTO roles(incident_id, role, holder, since, version, event_id) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT(incident_id, role) DO UPDATE SET holder = excluded.holder, since = excluded.since,
			version = excluded.version, event_id = excluded.event_id
		WHERE excluded.version > roles.version`,
		e.IncidentID, string(d.Role), d.Holder, ms(e.Placed()), v, e.ID); err != nil {
		return err
	}
	if d.Role != model.RoleCommander {
		return nil
	}
	_, err = p.exec(ctx, `UPDATE incidents SET commander = coalesce((SELECT holder FROM roles WHERE incident_id = ? AND role = ?), '') WHERE id = ?`,
		e.IncidentID, string(model.RoleCommander), e.IncidentID)
	return err
}

func (p *projector) addEntry(ctx context.Context, e model.Event, future bool) error {
	noteKind := ""
	if e.Kind == model.EventNote {
		if n, err := model.Decode[model.NotePayload](e); err == nil {
			noteKind = string(n.Kind)
		}
	}
	text := model.Describe(e)
	placed := ms(e.Placed())
	res, err := p.exec(ctx, `INSERT OR IGNORE INTO timeline(event_id, incident_id, kind, note_kind, occurred, typed, hlc, author, text, future, placed)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.IncidentID, string(e.Kind), noteKind, ms(e.Occurred), ms(e.At), int64(e.HLC), e.Author, text, future, placed)
	if err != nil {
		return err
	}
	rowid, err := res.LastInsertId()
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	if _, err := p.exec(ctx, `INSERT INTO timeline_fts(rowid, text) VALUES (?, ?)`, rowid, text); err != nil {
		return err
	}
	_, err = p.exec(ctx, `UPDATE incidents SET entries = entries + 1, updated_at = max(updated_at, ?) WHERE id = ?`, placed, e.IncidentID)
	return err
}

// ProjectPending projects events kept unprojected because an older sitrep
// did not know their kind, now that this one does. It returns how many it
// projected. Open-time callers run it once after an upgrade; Rebuild does
// the same work.
func (s *Store) ProjectPending(ctx context.Context) (int, error) {
	// Almost always there is nothing to do: look before taking the write
	// lock, so opening a store costs no write transaction.
	var any bool
	if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM unprojected)`).Scan(&any); err != nil {
		return 0, fmt.Errorf("project pending events in %s: %w", s.path, describeSQLiteError(err))
	}
	if !any {
		return 0, nil
	}
	var n int
	err := s.write(ctx, func(tx *sql.Tx) error {
		n = 0
		// Read them all before projecting: the driver cannot write while a
		// cursor is open on the same connection.
		todo, err := queryLogged(ctx, tx, `SELECT `+prefixed("e.", eventColumns)+` FROM unprojected u JOIN events e ON e.id = u.event_id ORDER BY e.seq`)
		if err != nil {
			return err
		}
		proj := newProjector(s, tx)
		for _, l := range todo {
			if !l.Kind.Known() {
				continue
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM unprojected WHERE event_id = ?`, l.ID); err != nil {
				return err
			}
			if err := proj.apply(ctx, l.Event, l.Future()); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("project pending events in %s: %w", s.path, describeSQLiteError(err))
	}
	return n, nil
}

// clearProjections empties every projection, before a replay of the log.
var clearProjections = []string{
	`INSERT INTO timeline_fts(timeline_fts) VALUES ('delete-all')`,
	`INSERT INTO incident_fts(incident_fts) VALUES ('delete-all')`,
	`INSERT INTO review_fts(review_fts) VALUES ('delete-all')`,
	`DELETE FROM reviews`, `DELETE FROM exercise_events`, `DELETE FROM messages`, `DELETE FROM unprojected`,
	`DELETE FROM timeline`, `DELETE FROM entry_marks`, `DELETE FROM roles`, `DELETE FROM role_events`,
	`DELETE FROM step_states`, `DELETE FROM attachments`, `DELETE FROM incidents`,
}

// Rebuild recreates every projection from the event log, in one transaction.
// It is how a store recovers from a projection bug, and tests use it to prove
// that incremental updates and a replay agree.
func (s *Store) Rebuild(ctx context.Context) error {
	err := s.write(ctx, func(tx *sql.Tx) error { return s.rebuildTx(ctx, tx) })
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("rebuild %s: %w", s.path, describeSQLiteError(err))
	}
	return err
}

// rebuildKey is the meta entry a migration sets when it changes how events
// are projected, so the tables of an existing store are rebuilt once, at
// the next open, and verify keeps agreeing with them.
const rebuildKey = "rebuild_projections"

// rebuildIfAsked rebuilds every projection when a migration asked for it.
// The common case is a read: opening costs no write lock. Two processes
// opening at once take turns, and the second finds the work done.
func (s *Store) rebuildIfAsked(ctx context.Context) error {
	var why string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, rebuildKey).Scan(&why)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open store %s: %w", s.path, describeSQLiteError(err))
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, rebuildKey)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // another process rebuilt them meanwhile
		}
		return s.rebuildTx(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("open store %s: rebuild its tables (%s): %w", s.path, why, describeSQLiteError(err))
	}
	return nil
}

// rebuildTx is Rebuild inside tx: every projection emptied and built again
// in bulk (bulkProjector), the log read a page at a time.
func (s *Store) rebuildTx(ctx context.Context, tx *sql.Tx) error {
	b, err := beginBulk(ctx, tx)
	if err != nil {
		return err
	}
	defer b.restore()
	if err := clearAll(ctx, tx); err != nil {
		return err
	}
	for after := int64(0); ; {
		// The driver cannot write while a cursor is open on the same
		// connection: read a page, then project it.
		page, last, err := eventsAfter(ctx, tx, after, 5000)
		if err != nil {
			return err
		}
		if last == after {
			break
		}
		for _, l := range page {
			if err := b.add(ctx, l.Event, l.Future()); err != nil {
				return err
			}
		}
		after = last
	}
	return b.finish(ctx)
}

// clearAll runs clearProjections.
func clearAll(ctx context.Context, tx *sql.Tx) error {
	for _, q := range clearProjections {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

// declaredDetection is when a declaration says the problem was detected,
// on the log's clock (model.DetectedAt, which the replay shares).
func declaredDetection(e model.Event, d model.DeclaredPayload) time.Time {
	return model.DetectedAt(e, d)
}
