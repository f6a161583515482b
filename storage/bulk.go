package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"

	"github.com/sitrep-dev/sitrep/model"
)

// bulkProjector builds every projection of a whole log in one go, for a
// rebuild, a big import or first pull, and verify's replay. The projector
// (project.go) pays several statements per event, reading and updating
// the incident each time (about 160 µs an event); here the single-valued
// state (an incident's title, severity, status and milestones, roles, step
// states, attachments, reviews, entry marks) is reduced in memory by the
// same rules, last writer by version, earliest time, and written once per
// row at the end; the rows keyed by event (timeline, role events,
// messages...) are inserted in batches as they come; the search indexes are
// built once at the end from their tables.
//
// Events must come in the order the projector would have seen them (the
// log's seq): the result, rowids included, is then the projector's, which
// the tests prove by comparing ProjectionDump. The tables must be empty.
// Decoding and wording go through the same model functions as the
// projector, so the two cannot drift on what an event means.
type bulkProjector struct {
	db execer
	tx *sql.Tx // when set up by beginBulk

	incidents map[string]*bulkIncident
	incOrder  []*bulkIncident
	marks     map[string]*bulkMark
	markOrder []*bulkMark
	roles     map[[2]string]*bulkRole
	roleOrder []*bulkRole
	steps     map[bulkStepKey]*bulkStep
	stepOrder []*bulkStep
	atts      map[[2]string]*bulkAtt
	attOrder  []*bulkAtt
	reviews   map[string]*bulkReview
	revOrder  []*bulkReview

	timeline, roleEvents, messages, exercise, unprojected *batchInsert

	// Set by beginBulk: the indexes to make again, and the page cache size
	// and sorter threads to put back.
	indexes []string
	cache   int64
	threads int64
}

// execer is what the bulk projector writes through: a transaction, or a
// scratch database's connection.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

type bulkIncident struct {
	id, short         string
	title, titleV     string
	kind              string
	severity          int
	severityV         string
	status, statusV   string
	active            bool
	exercise          bool
	declaredBy        string
	declaredAt        int64
	milestones        []*int64 // by model.Milestones
	updatedAt         int64
	entries           int64
	commanderAssigned bool
}

type bulkMark struct {
	entry       string
	pinned      bool
	pinnedV     string
	amendedText *string
	amendedBy   string
	amendedV    string
	retracted   bool
}

type bulkRole struct {
	incident, role, holder string
	since                  int64
	version, eventID       string
}

type bulkStepKey struct {
	incident, runbook string
	step              int
}

type bulkStep struct {
	key           bulkStepKey
	state, reason string
	by            string
	at            int64
	version       string
}

type bulkAtt struct {
	incident, name, title, source, hash, text, rules string
	at                                               int64
	version                                          string
}

type bulkReview struct {
	incident, doc, text string
	impact              any
	by                  string
	at                  int64
	version, eventID    string
}

// beginBulk readies tx for building the projections in bulk: tables
// empty (or emptied next, before the first add), their secondary indexes
// dropped, to be made again by finish. restore must be called when done.
func beginBulk(ctx context.Context, tx *sql.Tx) (*bulkProjector, error) {
	b := newBulkProjector(tx)
	b.tx = tx
	// Timeline rows go in before the incidents they belong to, which are
	// written once, at the end: the foreign keys are checked at commit.
	if _, err := tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
		return nil, err
	}
	// A page cache big enough that inserting does not spill pages to the
	// log midway, put back afterwards (restore): the connection returns
	// to the pool.
	if err := tx.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&b.cache); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `PRAGMA cache_size = -32768`); err != nil {
		return nil, err
	}
	// Indexes made again over a big store sort more than the cache holds;
	// SQLite's sorter then merges its runs on helper threads (a million
	// events: the log's indexes in 5.8 s instead of 7-8 s).
	if err := tx.QueryRowContext(ctx, `PRAGMA threads`).Scan(&b.threads); err != nil {
		b.restore()
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA threads = %d`, min(runtime.NumCPU(), 4))); err != nil {
		b.restore()
		return nil, err
	}
	// The secondary indexes of the tables filled row by row are made again
	// at the end: sorting once beats keeping them in order row by row.
	var err error
	if b.indexes, err = dropIndexes(ctx, tx, bulkIndexed...); err != nil {
		b.restore()
		return nil, err
	}
	return b, nil
}

// restore puts back the connection's page cache size and sorter threads.
func (b *bulkProjector) restore() {
	if b.tx != nil && b.cache != 0 {
		b.tx.ExecContext(context.Background(), fmt.Sprintf(`PRAGMA cache_size = %d`, b.cache))
		b.tx.ExecContext(context.Background(), fmt.Sprintf(`PRAGMA threads = %d`, b.threads))
	}
}

func newBulkProjector(db execer) *bulkProjector {
	return &bulkProjector{
		db:          db,
		incidents:   map[string]*bulkIncident{},
		marks:       map[string]*bulkMark{},
		roles:       map[[2]string]*bulkRole{},
		steps:       map[bulkStepKey]*bulkStep{},
		atts:        map[[2]string]*bulkAtt{},
		reviews:     map[string]*bulkReview{},
		timeline:    newBatchInsert(db, "timeline", "event_id, incident_id, kind, note_kind, occurred, typed, hlc, author, text, future, placed"),
		roleEvents:  newBatchInsert(db, "role_events", "event_id, incident_id, role, holder, replaces"),
		messages:    newBatchInsert(db, "messages", "event_id, incident_id, audience, template, text, channel, author, at"),
		exercise:    newBatchInsert(db, "exercise_events", "event_id, incident_id"),
		unprojected: newBatchInsert(db, "unprojected", "event_id, kind"),
	}
}

func (b *bulkProjector) incident(id string) *bulkIncident {
	in := b.incidents[id]
	if in == nil {
		in = &bulkIncident{id: id, short: model.ShortID(id), kind: "other", status: string(model.StatusDetected), active: true,
			milestones: make([]*int64, len(model.Milestones))}
		b.incidents[id] = in
		b.incOrder = append(b.incOrder, in)
	}
	return in
}

// add projects one event, as projector.apply does.
func (b *bulkProjector) add(ctx context.Context, e model.Event, future bool) error {
	return b.addPending(ctx, worded(e, nil), future)
}

// addPending is add for an event worded already (worded), perhaps on
// another goroutine.
func (b *bulkProjector) addPending(ctx context.Context, p pendingEvent, future bool) error {
	e := p.Event
	if !e.Kind.Known() {
		return b.unprojected.add(ctx, e.ID, string(e.Kind))
	}
	if err := b.state(ctx, e); err != nil {
		return fmt.Errorf("project event %s (%s): %w", e.ID, e.Kind, err)
	}
	if !e.Kind.MakesEntry() {
		return nil
	}
	placed := ms(e.Placed())
	in := b.incident(e.IncidentID)
	in.entries++
	in.updatedAt = max(in.updatedAt, placed)
	return b.timeline.add(ctx, e.ID, e.IncidentID, string(e.Kind), p.noteKind, ms(e.Occurred), ms(e.At), int64(e.HLC), e.Author,
		p.text, future, placed)
}

// worded is e with the words of its timeline entry: the event's own CPU
// work, which a caller can do on another goroutine while the projector
// writes. payload is e's payload as the check decoded it, or nil to
// decode it here (then a payload that does not decode is worded as
// model.Describe words it).
func worded(e model.Event, payload model.Payload) pendingEvent {
	p := pendingEvent{Event: e}
	if !e.Kind.Known() || !e.Kind.MakesEntry() {
		return p
	}
	if payload == nil {
		p.text = model.Describe(e)
	} else {
		p.text = model.DescribeDecoded(e, payload)
	}
	if e.Kind == model.EventNote {
		if payload == nil {
			payload, _ = model.DecodePayload(e)
		}
		if n, ok := payload.(model.NotePayload); ok {
			p.noteKind = string(n.Kind)
		}
	}
	return p
}

// state is projector.applyState: the incident's own fields here, the
// marks on timeline entries (stateMarks) and the rows keyed by role, runbook,
// step, review or message (stateRows).
func (b *bulkProjector) state(ctx context.Context, e model.Event) error {
	in := b.incident(e.IncidentID)
	v := e.Version()
	switch e.Kind {
	case model.EventDeclared:
		d, err := model.Decode[model.DeclaredPayload](e)
		if err != nil {
			return nil
		}
		in.setTitle(d.Title, v)
		in.setSeverity(d.Severity, v)
		in.setStatus(e, d.Status, "", v)
		placed, detected := e.Placed(), declaredDetection(e, d)
		in.kind, in.exercise, in.declaredBy, in.declaredAt = d.Kind, d.Exercise, e.Author, ms(placed)
		in.mark(detectedIndex, ms(detected))
		return nil
	case model.EventRetitled:
		if d, err := model.Decode[model.RetitledPayload](e); err == nil {
			in.setTitle(d.Title, v)
		}
		return nil
	case model.EventStatusChanged:
		if d, err := model.Decode[model.StatusPayload](e); err == nil {
			in.setStatus(e, d.Status, d.From, v)
		}
		return nil
	case model.EventSeverityChanged:
		if d, err := model.Decode[model.SeverityPayload](e); err == nil {
			in.setSeverity(d.Severity, v)
		}
		return nil
	case model.EventPinned, model.EventAmended, model.EventRetracted:
		b.stateMarks(e, v)
		return nil
	}
	if model.IsExerciseKind(e.Kind) {
		return b.exercise.add(ctx, e.ID, e.IncidentID)
	}
	return b.stateRows(ctx, e, in, v)
}

// stateMarks is a pin, an amendment or a retraction of a timeline entry.
func (b *bulkProjector) stateMarks(e model.Event, v string) {
	switch e.Kind {
	case model.EventPinned:
		if d, err := model.Decode[model.PinnedPayload](e); err == nil {
			if m := b.mark(d.Entry); v > m.pinnedV {
				m.pinned, m.pinnedV = d.Pinned, v
			}
		}
	case model.EventAmended:
		if d, err := model.Decode[model.AmendedPayload](e); err == nil {
			if m := b.mark(d.Entry); v > m.amendedV {
				text := d.Text
				m.amendedText, m.amendedBy, m.amendedV = &text, e.ID, v
			}
		}
	case model.EventRetracted:
		if d, err := model.Decode[model.RetractedPayload](e); err == nil {
			b.mark(d.Entry).retracted = true
		}
	}
}

// stateRows is a role, an attached runbook, a step, a review or a message.
func (b *bulkProjector) stateRows(ctx context.Context, e model.Event, in *bulkIncident, v string) error {
	switch e.Kind {
	case model.EventRoleAssigned:
		d, err := model.Decode[model.RoleAssignedPayload](e)
		if err != nil || d.Role == "" {
			return nil
		}
		if err := b.roleEvents.add(ctx, e.ID, e.IncidentID, string(d.Role), d.Holder, d.Replaces); err != nil {
			return err
		}
		k := [2]string{e.IncidentID, string(d.Role)}
		r := b.roles[k]
		if r == nil {
			r = &bulkRole{incident: e.IncidentID, role: string(d.Role)}
			b.roles[k] = r
			b.roleOrder = append(b.roleOrder, r)
		}
		if v > r.version {
			r.holder, r.since, r.version, r.eventID = d.Holder, ms(e.Placed()), v, e.ID
		}
		if d.Role == model.RoleCommander {
			in.commanderAssigned = true
		}
		return nil
	case model.EventRunbookAttached:
		d, err := model.Decode[model.RunbookAttachedPayload](e)
		if err != nil {
			return nil
		}
		k := [2]string{e.IncidentID, d.Name}
		a := b.atts[k]
		if a == nil {
			a = &bulkAtt{incident: e.IncidentID, name: d.Name}
			b.atts[k] = a
			b.attOrder = append(b.attOrder, a)
		}
		if v > a.version {
			a.title, a.source, a.hash, a.text, a.at, a.version, a.rules = d.Title, d.Source, d.Hash, d.Text, ms(e.Placed()), v, d.Rules
		}
		return nil
	case model.EventStepChanged:
		d, err := model.Decode[model.StepPayload](e)
		if err != nil {
			return nil
		}
		k := bulkStepKey{e.IncidentID, d.Runbook, d.Step}
		s := b.steps[k]
		if s == nil {
			s = &bulkStep{key: k}
			b.steps[k] = s
			b.stepOrder = append(b.stepOrder, s)
		}
		if v > s.version {
			s.state, s.reason, s.by, s.at, s.version = string(d.State), d.Reason, e.Author, ms(e.Placed()), v
		}
		return nil
	case model.EventReviewSaved:
		d, err := model.Decode[model.ReviewPayload](e)
		if err != nil {
			return nil
		}
		r := b.reviews[e.IncidentID]
		if r != nil && v <= r.version {
			return nil
		}
		doc, err := json.Marshal(d.Review)
		if err != nil {
			return err
		}
		if r == nil {
			r = &bulkReview{incident: e.IncidentID}
			b.reviews[e.IncidentID] = r
			b.revOrder = append(b.revOrder, r)
		}
		r.doc, r.text, r.impact = string(doc), d.Review.SearchText(), nil
		if !d.Review.ImpactStart.IsZero() {
			r.impact = ms(d.Review.ImpactStart)
		}
		r.by, r.at, r.version, r.eventID = e.Author, ms(e.Placed()), v, e.ID
		return nil
	case model.EventMessageSent:
		d, err := model.Decode[model.MessagePayload](e)
		if err != nil {
			return nil
		}
		return b.messages.add(ctx, e.ID, e.IncidentID, string(d.Audience), d.Template, d.Text, d.Channel, e.Author, ms(e.Placed()))
	}
	return nil
}

func (b *bulkProjector) mark(entry string) *bulkMark {
	m := b.marks[entry]
	if m == nil {
		m = &bulkMark{entry: entry}
		b.marks[entry] = m
		b.markOrder = append(b.markOrder, m)
	}
	return m
}

func (in *bulkIncident) setTitle(title, v string) {
	if v > in.titleV {
		in.title, in.titleV = title, v
	}
}

func (in *bulkIncident) setSeverity(sev model.Severity, v string) {
	if sev.Valid() && v > in.severityV {
		in.severity, in.severityV = int(sev), v
	}
}

// setStatus is projector.setStatus.
func (in *bulkIncident) setStatus(e model.Event, status, from model.Status, v string) {
	if !status.Valid() {
		return
	}
	if v > in.statusV {
		in.status, in.statusV, in.active = string(status), v, status.Active()
	}
	at := ms(e.Placed())
	for i, m := range model.Milestones {
		if m.MarkedBy(status, from) {
			in.mark(i, at)
		}
	}
}

// detectedIndex is detection's place in model.Milestones (-1: none).
var detectedIndex = func() int {
	for i, m := range model.Milestones {
		if m == model.MilestoneDetected {
			return i
		}
	}
	return -1
}()

// mark keeps the earliest time of milestone i.
func (in *bulkIncident) mark(i int, at int64) {
	if i < 0 {
		return
	}
	if p := in.milestones[i]; p == nil || at < *p {
		in.milestones[i] = &at
	}
}

// flushEntries writes what is left of the rows keyed by event.
func (b *bulkProjector) flushEntries(ctx context.Context) error {
	for _, t := range []*batchInsert{b.timeline, b.roleEvents, b.messages, b.exercise, b.unprojected} {
		if err := t.flush(ctx); err != nil {
			return err
		}
	}
	return nil
}

// bulkIndexed are the tables the bulk projector fills row by row, whose
// secondary indexes are dropped before and made again after.
var bulkIndexed = []string{"timeline", "role_events", "messages", "exercise_events", "unprojected"}

// dropIndexes drops the secondary indexes of tables (not those of their
// keys) and returns the statements that make them again, as the schema
// has them.
func dropIndexes(ctx context.Context, tx *sql.Tx, tables ...string) ([]string, error) {
	args := make([]any, len(tables))
	for i, t := range tables {
		args[i] = t
	}
	rows, err := tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
		AND tbl_name IN (?`+strings.Repeat(", ?", len(tables)-1)+`) ORDER BY name`, args...)
	if err != nil {
		return nil, err
	}
	var names, remake []string
	for rows.Next() {
		var name, q string
		if err := rows.Scan(&name, &q); err != nil {
			rows.Close()
			return nil, err
		}
		names, remake = append(names, name), append(remake, q)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, name := range names {
		if _, err := tx.ExecContext(ctx, `DROP INDEX "`+name+`"`); err != nil {
			return nil, err
		}
	}
	return remake, nil
}

// finish writes the reduced rows and builds the search indexes.
func (b *bulkProjector) finish(ctx context.Context) error {
	if err := b.flushEntries(ctx); err != nil {
		return err
	}
	// Made again before the incidents go in: each finds the rows waiting
	// on it for the deferred foreign key check through these indexes.
	for _, q := range b.indexes {
		if _, err := b.db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	cols := "id, short, title, title_v, kind, severity, severity_v, status, status_v, active, commander, exercise, declared_by, declared_at, updated_at, entries"
	for _, m := range model.Milestones {
		cols += ", " + string(m) + "_at"
	}
	incidents := newBatchInsert(b.db, "incidents", cols)
	for _, in := range b.incOrder {
		commander := ""
		if r := b.roles[[2]string{in.id, string(model.RoleCommander)}]; in.commanderAssigned && r != nil {
			commander = r.holder
		}
		args := []any{in.id, in.short, in.title, in.titleV, in.kind, in.severity, in.severityV, in.status, in.statusV, in.active,
			commander, in.exercise, in.declaredBy, in.declaredAt, in.updatedAt, in.entries}
		for _, m := range in.milestones {
			if m == nil {
				args = append(args, nil)
			} else {
				args = append(args, *m)
			}
		}
		if err := incidents.add(ctx, args...); err != nil {
			return err
		}
	}
	marks := newBatchInsert(b.db, "entry_marks", "entry_id, pinned, pinned_v, amended_text, amended_by, amended_v, retracted")
	for _, m := range b.markOrder {
		var text any
		if m.amendedText != nil {
			text = *m.amendedText
		}
		if err := marks.add(ctx, m.entry, m.pinned, m.pinnedV, text, m.amendedBy, m.amendedV, m.retracted); err != nil {
			return err
		}
	}
	roles := newBatchInsert(b.db, "roles", "incident_id, role, holder, since, version, event_id")
	for _, r := range b.roleOrder {
		if err := roles.add(ctx, r.incident, r.role, r.holder, r.since, r.version, r.eventID); err != nil {
			return err
		}
	}
	steps := newBatchInsert(b.db, "step_states", "incident_id, runbook, step, state, reason, by, at, version")
	for _, s := range b.stepOrder {
		if err := steps.add(ctx, s.key.incident, s.key.runbook, s.key.step, s.state, s.reason, s.by, s.at, s.version); err != nil {
			return err
		}
	}
	atts := newBatchInsert(b.db, "attachments", "incident_id, name, title, source, hash, text, at, version, rules")
	for _, a := range b.attOrder {
		if err := atts.add(ctx, a.incident, a.name, a.title, a.source, a.hash, a.text, a.at, a.version, a.rules); err != nil {
			return err
		}
	}
	reviews := newBatchInsert(b.db, "reviews", "incident_id, doc, text, impact_start, by, at, version, event_id")
	for _, r := range b.revOrder {
		if err := reviews.add(ctx, r.incident, r.doc, r.text, r.impact, r.by, r.at, r.version, r.eventID); err != nil {
			return err
		}
	}
	for _, t := range []*batchInsert{incidents, marks, roles, steps, atts, reviews} {
		if err := t.flush(ctx); err != nil {
			return err
		}
	}
	// The indexes read their tables: one pass each instead of an insert
	// (and for titles and reviews, a delete) per event.
	for _, fts := range []string{"timeline_fts", "incident_fts", "review_fts"} {
		// FTS5 writes its index out as a segment each time 1 MB of it is
		// pending, and merges the segments as it goes; 16 MB at a time makes
		// a million entries' index in 2.2 s instead of 2.8 s. Only a
		// transaction this big ever holds that much, so the setting stays.
		// Not in verify's scratch copy (no tx): there it made verifying
		// 100,000 events slower, 2.1-2.2 s against 1.8 s.
		if b.tx != nil {
			if _, err := b.db.ExecContext(ctx, `INSERT INTO `+fts+`(`+fts+`, rank) VALUES ('hashsize', 16777216)`); err != nil {
				return fmt.Errorf("index %s: %w", fts, err)
			}
		}
		if _, err := b.db.ExecContext(ctx, `INSERT INTO `+fts+`(`+fts+`) VALUES ('rebuild')`); err != nil {
			return fmt.Errorf("index %s: %w", fts, err)
		}
	}
	return nil
}

// batchInsert inserts rows many to a statement: SQLite's cost is mostly
// per statement, not per row.
type batchInsert struct {
	db      execer
	table   string
	cols    string
	n       int // columns
	args    []any
	full    *sql.Stmt
	perStmt int
}

func newBatchInsert(db execer, table, cols string) *batchInsert {
	n := strings.Count(cols, ",") + 1
	// Well under SQLite's 32,766 variables a statement.
	return &batchInsert{db: db, table: table, cols: cols, n: n, perStmt: max(1, 2000/n)}
}

func (b *batchInsert) sql(rows int) string {
	row := "(" + strings.Repeat("?, ", b.n-1) + "?)"
	return `INSERT INTO ` + b.table + `(` + b.cols + `) VALUES ` + strings.Repeat(row+", ", rows-1) + row
}

func (b *batchInsert) add(ctx context.Context, vals ...any) error {
	b.args = append(b.args, vals...)
	if len(b.args) < b.n*b.perStmt {
		return nil
	}
	if b.full == nil {
		st, err := b.db.PrepareContext(ctx, b.sql(b.perStmt))
		if err != nil {
			return fmt.Errorf("insert into %s: %w", b.table, err)
		}
		b.full = st
	}
	_, err := b.full.ExecContext(ctx, b.args...)
	b.args = b.args[:0]
	if err != nil {
		return fmt.Errorf("insert into %s: %w", b.table, err)
	}
	return nil
}

// flush inserts what is left and releases the statement.
func (b *batchInsert) flush(ctx context.Context) error {
	if b.full != nil {
		b.full.Close()
		b.full = nil
	}
	if len(b.args) == 0 {
		return nil
	}
	_, err := b.db.ExecContext(ctx, b.sql(len(b.args)/b.n), b.args...)
	b.args = b.args[:0]
	if err != nil {
		return fmt.Errorf("insert into %s: %w", b.table, err)
	}
	return nil
}
