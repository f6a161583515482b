package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/sitrep-dev/sitrep/model"
)

const eventColumns = `seq, id, incident_id, kind, payload, author, origin, at, occurred, hlc, chain_seq, prev, hash, received`

// LoggedEvent is an event with where it sits in this store's log.
type LoggedEvent struct {
	model.Event
	Seq      int64 // this store's arrival order
	Received int64 // unix ms this store got it
}

// Future reports whether the event was stamped well ahead of the clock of
// the store that received it: a laptop whose clock runs fast.
func (l LoggedEvent) Future() bool { return StampedAhead(l.Event, fromMS(l.Received)) }

type scanner interface{ Scan(...any) error }

func scanLogged(r scanner) (LoggedEvent, error) {
	var l LoggedEvent
	var payload string
	var at, occurred, hlc int64
	err := r.Scan(&l.Seq, &l.ID, &l.IncidentID, &l.Kind, &payload, &l.Author, &l.Origin, &at, &occurred, &hlc, &l.ChainSeq, &l.Prev, &l.Hash, &l.Received)
	l.Payload = []byte(payload)
	l.At, l.Occurred, l.HLC = fromMS(at), fromMS(occurred), model.HLC(hlc)
	return l, err
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func eventsAfter(ctx context.Context, q querier, after int64, limit int) ([]LoggedEvent, int64, error) {
	out, err := queryLogged(ctx, q, `SELECT `+eventColumns+` FROM events WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, after, err
	}
	if len(out) > 0 {
		after = out[len(out)-1].Seq
	}
	return out, after, nil
}

// queryLogged runs a query selecting eventColumns and scans every row.
func queryLogged(ctx context.Context, q querier, query string, args ...any) ([]LoggedEvent, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LoggedEvent
	for rows.Next() {
		l, err := scanLogged(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// queryEvents is queryLogged without where each event sits in the log.
func queryEvents(ctx context.Context, q querier, query string, args ...any) ([]model.Event, error) {
	ls, err := queryLogged(ctx, q, query, args...)
	if err != nil {
		return nil, err
	}
	out := make([]model.Event, len(ls))
	for i, l := range ls {
		out[i] = l.Event
	}
	return out, nil
}

func prefixed(p, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// IncidentEvents returns every event of one incident in (HLC, id) order:
// the raw log, for exports.
func (s *Store) IncidentEvents(ctx context.Context, incidentID string) ([]model.Event, error) {
	out, err := queryEvents(ctx, s.db, `SELECT `+eventColumns+` FROM events WHERE incident_id = ? ORDER BY hlc, id`, incidentID)
	if err != nil {
		return nil, fmt.Errorf("read events of %s: %w", incidentID, describeSQLiteError(err))
	}
	return out, nil
}

// EventsInOrder returns up to limit events that come after (hlc, id) in
// (HLC, id) order, the order every store agrees on: a whole log read a page
// at a time, for exports.
func (s *Store) EventsInOrder(ctx context.Context, hlc model.HLC, id string, limit int) ([]model.Event, error) {
	out, err := queryEvents(ctx, s.db, `SELECT `+eventColumns+` FROM events WHERE (hlc, id) > (?, ?) ORDER BY hlc, id LIMIT ?`, int64(hlc), id, limit)
	if err != nil {
		return nil, fmt.Errorf("read events from %s: %w", s.path, describeSQLiteError(err))
	}
	return out, nil
}

// EventsAfter returns up to limit events that arrived here after seq, in
// arrival order, and the seq of the last one (seq itself if none): what sync
// sends from a cursor.
func (s *Store) EventsAfter(ctx context.Context, seq int64, limit int) ([]LoggedEvent, int64, error) {
	out, last, err := eventsAfter(ctx, s.db, seq, limit)
	if err != nil {
		return nil, seq, fmt.Errorf("read events from %s: %w", s.path, describeSQLiteError(err))
	}
	return out, last, nil
}

// MaxSeq is the newest arrival number: the UI polls it to notice changes
// made by another process (a sync, the CLI) without a restart.
func (s *Store) MaxSeq(ctx context.Context) (int64, error) {
	var v sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT max(seq) FROM events`).Scan(&v); err != nil {
		return 0, fmt.Errorf("read %s: %w", s.path, describeSQLiteError(err))
	}
	return v.Int64, nil
}

// CountEvents is how many events the log holds.
func (s *Store) CountEvents(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM events`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count events in %s: %w", s.path, describeSQLiteError(err))
	}
	return n, nil
}

const incidentColumns = `id, title, kind, severity, status, commander, exercise, declared_by, declared_at,
	detected_at, acknowledged_at, mitigated_at, resolved_at, reviewed_at, updated_at, entries`

func scanIncident(r scanner) (model.Incident, error) {
	var in model.Incident
	var sev, declared, updated, entries int64
	var status string
	var det, ack, mit, res, rev sql.NullInt64
	err := r.Scan(&in.ID, &in.Title, &in.Kind, &sev, &status, &in.Commander, &in.Exercise, &in.DeclaredBy, &declared,
		&det, &ack, &mit, &res, &rev, &updated, &entries)
	in.Entries = int(entries)
	in.Severity, in.Status = model.Severity(sev), model.Status(status)
	in.DeclaredAt, in.UpdatedAt = fromMS(declared), fromMS(updated)
	in.Milestones = model.MilestoneTimes{Detected: nullMS(det), Acknowledged: nullMS(ack), Mitigated: nullMS(mit), Resolved: nullMS(res), Reviewed: nullMS(rev)}
	return in, err
}

// Incidents lists every incident, active ones first, newest activity first
// within each group. It carries what a list shows (not the milestones,
// commander or entry count; use Incident for those), read from one covering index so ten thousand
// incidents list in a few milliseconds.
func (s *Store) Incidents(ctx context.Context) ([]model.Incident, error) {
	return s.IncidentsPage(ctx, 0, -1)
}

// IncidentsPage is the slice [offset, offset+limit) of what Incidents lists
// (limit -1: to the end). A screen opens on the first page of a long history
// instead of reading all of it before it can draw.
func (s *Store) IncidentsPage(ctx context.Context, offset, limit int) ([]model.Incident, error) {
	return s.listIncidents(ctx, "", nil, offset, limit)
}

// IncidentsWhere lists, in the same order, the incidents that pass f's
// fields (status, severity, kind, dates, exercise; f.Limit of them, 50 if
// unset): a filtered list without a full-text query.
func (s *Store) IncidentsWhere(ctx context.Context, f SearchFilter) ([]model.Incident, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	where, args := f.sql()
	return s.listIncidents(ctx, where, args, 0, f.Limit)
}

// listIncidents reads the list's columns for incidents matching where (SQL
// conditions on alias i, each starting with " AND "): the active ones most
// severe first, then most recently declared first, so rows stay put while
// notes arrive (ordered by last change, they jumped at every note); then
// the past ones, most recently changed first. The active ones are few and
// sorted; the past ones are read in the index's order, a page at a time.
func (s *Store) listIncidents(ctx context.Context, where string, args []any, offset, limit int) ([]model.Incident, error) {
	activeLimit := -1
	if limit >= 0 {
		activeLimit = offset + limit
	}
	buf := make([]model.Incident, 0, s.listCapacity(ctx, limit))
	active, err := s.queryList(ctx, buf, ` AND i.active = 1`+where, args, `severity, declared_at DESC, id`, activeLimit, 0)
	if err != nil {
		return nil, err
	}
	out := active[min(offset, len(active)):]
	if limit >= 0 && len(out) >= limit {
		return out[:limit], nil
	}
	// Fewer active ones than offset+limit: all of them were read, and the
	// page goes on into the past ones.
	pastLimit := -1
	if limit >= 0 {
		pastLimit = limit - len(out)
	}
	past, err := s.queryList(ctx, out, ` AND i.active = 0`+where, args, `updated_at DESC`, pastLimit, max(offset-len(active), 0))
	if err != nil {
		return nil, err
	}
	return past, nil
}

// queryList appends to out the list's columns for incidents matching
// where, in order, limit of them (-1: all) after offset.
func (s *Store) queryList(ctx context.Context, out []model.Incident, where string, args []any, order string, limit, offset int) ([]model.Incident, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, title, kind, severity, status, exercise, declared_at, updated_at
		FROM incidents i INDEXED BY incidents_list WHERE 1 = 1`+where+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		append(args[:len(args):len(args)], limit, offset)...)
	if err != nil {
		return nil, fmt.Errorf("list incidents in %s: %w", s.path, describeSQLiteError(err))
	}
	defer rows.Close()
	for rows.Next() {
		var in model.Incident
		// int64 destinations: database/sql converts into a plain int by
		// formatting and parsing a string, which was half the list's cost.
		var sev, declared, updated int64
		var status string
		if err := rows.Scan(&in.ID, &in.Title, &in.Kind, &sev, &status, &in.Exercise, &declared, &updated); err != nil {
			return nil, fmt.Errorf("list incidents in %s: %w", s.path, describeSQLiteError(err))
		}
		in.Severity, in.Status = model.Severity(sev), model.Status(status)
		in.DeclaredAt, in.UpdatedAt = fromMS(declared), fromMS(updated)
		out = append(out, in)
	}
	return out, rows.Err()
}

// listCapacity sizes a list's slice up front: an Incident is a few hundred
// bytes, and growing a slice of ten thousand by doubling spent more time
// copying and clearing memory than SQLite spent reading the rows.
func (s *Store) listCapacity(ctx context.Context, limit int) int {
	if limit >= 0 {
		return min(limit, 1024)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM incidents`).Scan(&n); err != nil {
		return 0 // only a hint: the query that follows reports any error
	}
	return n
}

// IncidentCounts says how many incidents are active and how many are past,
// for a list that shows the totals while holding only a page.
func (s *Store) IncidentCounts(ctx context.Context) (active, past int, err error) {
	rows, err := s.db.QueryContext(ctx, `SELECT active, COUNT(*) FROM incidents INDEXED BY incidents_list GROUP BY active`)
	if err != nil {
		return 0, 0, fmt.Errorf("count incidents in %s: %w", s.path, describeSQLiteError(err))
	}
	defer rows.Close()
	for rows.Next() {
		var isActive bool
		var n int
		if err := rows.Scan(&isActive, &n); err != nil {
			return 0, 0, fmt.Errorf("count incidents in %s: %w", s.path, describeSQLiteError(err))
		}
		if isActive {
			active = n
		} else {
			past = n
		}
	}
	return active, past, rows.Err()
}

// Incident returns one incident by its full id.
func (s *Store) Incident(ctx context.Context, id string) (model.Incident, error) {
	in, err := scanIncident(s.db.QueryRowContext(ctx, `SELECT `+incidentColumns+` FROM incidents WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return in, model.NotFoundf("no incident with id %s", id)
	}
	if err != nil {
		return in, fmt.Errorf("read incident %s: %w", id, describeSQLiteError(err))
	}
	return in, nil
}

// incidentsByID reads the incidents with these ids whole, in one query.
func (s *Store) incidentsByID(ctx context.Context, ids []string) (map[string]model.Incident, error) {
	out := make(map[string]model.Incident, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	list, _ := json.Marshal(ids)
	rows, err := s.db.QueryContext(ctx, `SELECT `+incidentColumns+` FROM incidents WHERE id IN (SELECT value FROM json_each(?))`, string(list))
	if err != nil {
		return nil, fmt.Errorf("read incidents from %s: %w", s.path, describeSQLiteError(err))
	}
	defer rows.Close()
	for rows.Next() {
		in, err := scanIncident(rows)
		if err != nil {
			return nil, fmt.Errorf("read incidents from %s: %w", s.path, describeSQLiteError(err))
		}
		out[in.ID] = in
	}
	return out, rows.Err()
}

// ResolveIncident finds an incident from what a person typed: its full id,
// its short id, or the start of its short id (at least four characters).
func (s *Store) ResolveIncident(ctx context.Context, ref string) (model.Incident, error) {
	ref = strings.ToLower(strings.TrimSpace(ref))
	if ref == "" {
		return model.Incident{}, model.Invalidf("no incident id given")
	}
	if in, err := s.Incident(ctx, ref); err == nil {
		return in, nil
	} else if !errors.Is(err, model.ErrNotFound) {
		return in, err
	}
	if len(ref) < 4 {
		return model.Incident{}, model.Invalidf("incident id %q is too short: give at least 4 characters (see 'sitrep ls')", ref)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM incidents WHERE short = ? OR short LIKE ? ESCAPE '\' LIMIT 6`,
		ref, strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(ref)+"%")
	if err != nil {
		return model.Incident{}, fmt.Errorf("find incident %s: %w", ref, describeSQLiteError(err))
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return model.Incident{}, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	switch len(ids) {
	case 0:
		return model.Incident{}, model.NotFoundf("no incident with id %s (see 'sitrep ls')", ref)
	case 1:
		return s.Incident(ctx, ids[0])
	}
	shorts := make([]string, len(ids))
	for i, id := range ids {
		shorts[i] = model.ShortID(id)
	}
	return model.Incident{}, model.Invalidf("incident id %s is ambiguous: it matches %s", ref, strings.Join(shorts, ", "))
}

const timelineColumns = `t.event_id, t.incident_id, t.kind, t.note_kind, t.occurred, t.typed, t.hlc, t.author,
	coalesce(m.amended_text, t.text), coalesce(m.pinned, 0), coalesce(m.amended_by, ''), coalesce(m.retracted, 0), t.future`

const timelineFrom = ` FROM timeline t LEFT JOIN entry_marks m ON m.entry_id = t.event_id `

// scanEntry reads timelineColumns, and into extra any columns after them.
func scanEntry(r scanner, extra ...any) (model.TimelineEntry, error) {
	var t model.TimelineEntry
	var kind, noteKind string
	var occurred, typed, hlc int64
	err := r.Scan(append([]any{&t.EventID, &t.IncidentID, &kind, &noteKind, &occurred, &typed, &hlc, &t.Author, &t.Text, &t.Pinned, &t.AmendedBy, &t.Retracted, &t.Future}, extra...)...)
	t.Kind, t.NoteKind = model.EventKind(kind), model.NoteKind(noteKind)
	t.Occurred, t.Typed, t.HLC = fromMS(occurred), fromMS(typed), model.HLC(hlc)
	return t, err
}

// TimelineKey is a position in an incident's timeline, for paging without
// OFFSET (which would read every skipped row of a long timeline).
type TimelineKey struct {
	Placed  int64 // unix ms of model.TimelineEntry.Placed
	HLC     int64
	EventID string
}

// KeyOf is the entry's position.
func KeyOf(t model.TimelineEntry) TimelineKey {
	return TimelineKey{Placed: ms(t.Placed()), HLC: int64(t.HLC), EventID: t.EventID}
}

// TimelinePage asks for part of a timeline. With neither bound it returns the
// newest Limit entries; Before or After pages back or forward from a key.
// Entries always come oldest first.
type TimelinePage struct {
	Before *TimelineKey
	After  *TimelineKey
	Limit  int // 0 means all
}

// Timeline returns entries of one incident, ordered by when they happened
// on the log's clock (model.TimelineEntry.Placed: the author's time, moved
// past what the author had already seen when its clock was behind), then
// by clock and id so every store shows the same order.
func (s *Store) Timeline(ctx context.Context, incidentID string, page TimelinePage) ([]model.TimelineEntry, error) {
	return s.timeline(ctx, incidentID, page, timelineColumns)
}

// timeline is Timeline reading columns (timelineColumns, or the replay's
// rawTimelineColumns).
func (s *Store) timeline(ctx context.Context, incidentID string, page TimelinePage, columns string) ([]model.TimelineEntry, error) {
	q := `SELECT ` + columns + timelineFrom + `WHERE t.incident_id = ?`
	args := []any{incidentID}
	desc := page.After == nil && page.Limit > 0
	if page.Before != nil {
		q += ` AND (t.placed, t.hlc, t.event_id) < (?, ?, ?)`
		args = append(args, page.Before.Placed, page.Before.HLC, page.Before.EventID)
	}
	if page.After != nil {
		q += ` AND (t.placed, t.hlc, t.event_id) > (?, ?, ?)`
		args = append(args, page.After.Placed, page.After.HLC, page.After.EventID)
	}
	if desc {
		q += ` ORDER BY t.placed DESC, t.hlc DESC, t.event_id DESC`
	} else {
		q += ` ORDER BY t.placed, t.hlc, t.event_id`
	}
	if page.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, page.Limit)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read timeline of %s: %w", incidentID, describeSQLiteError(err))
	}
	defer rows.Close()
	var out []model.TimelineEntry
	for rows.Next() {
		t, err := scanEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("read timeline of %s: %w", incidentID, describeSQLiteError(err))
		}
		out = append(out, t)
	}
	if desc {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out, rows.Err()
}

// TimelinePosition is how many of the incident's timeline entries come
// before key: where a window opened at that entry starts.
func (s *Store) TimelinePosition(ctx context.Context, incidentID string, key TimelineKey) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM timeline t WHERE t.incident_id = ? AND (t.placed, t.hlc, t.event_id) < (?, ?, ?)`,
		incidentID, key.Placed, key.HLC, key.EventID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("read timeline of %s: %w", incidentID, describeSQLiteError(err))
	}
	return n, nil
}

// TimelineEntry returns one entry by its event id.
func (s *Store) TimelineEntry(ctx context.Context, eventID string) (model.TimelineEntry, error) {
	t, err := scanEntry(s.db.QueryRowContext(ctx, `SELECT `+timelineColumns+timelineFrom+`WHERE t.event_id = ?`, eventID))
	if errors.Is(err, sql.ErrNoRows) {
		return t, model.NotFoundf("no timeline entry %s", eventID)
	}
	return t, err
}

// Steps returns the state of every step anyone has touched on an incident.
func (s *Store) Steps(ctx context.Context, incidentID string) ([]model.StepStatus, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT runbook, step, state, reason, by, at FROM step_states WHERE incident_id = ? ORDER BY runbook, step`, incidentID)
	if err != nil {
		return nil, fmt.Errorf("read steps of %s: %w", incidentID, describeSQLiteError(err))
	}
	defer rows.Close()
	var out []model.StepStatus
	for rows.Next() {
		st := model.StepStatus{IncidentID: incidentID}
		var state string
		var at int64
		if err := rows.Scan(&st.Runbook, &st.Step, &state, &st.Reason, &st.By, &at); err != nil {
			return nil, err
		}
		st.State, st.At = model.StepState(state), fromMS(at)
		out = append(out, st)
	}
	return out, rows.Err()
}

// Roles returns who holds each role on an incident, with any clash: people
// who took the same role from the same starting point while offline.
func (s *Store) Roles(ctx context.Context, incidentID string) ([]model.RoleHolder, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT r.role, r.holder, r.since,
		coalesce((SELECT group_concat(DISTINCT o.holder) FROM role_events o, role_events w
			WHERE w.event_id = r.event_id AND o.incident_id = w.incident_id AND o.role = w.role
			AND o.replaces = w.replaces AND o.event_id != w.event_id AND o.holder != w.holder), '')
		FROM roles r WHERE r.incident_id = ? ORDER BY r.role`, incidentID)
	if err != nil {
		return nil, fmt.Errorf("read roles of %s: %w", incidentID, describeSQLiteError(err))
	}
	defer rows.Close()
	var out []model.RoleHolder
	for rows.Next() {
		var h model.RoleHolder
		var role, clash string
		var since int64
		if err := rows.Scan(&role, &h.Holder, &since, &clash); err != nil {
			return nil, err
		}
		h.Role, h.Since = model.Role(role), fromMS(since)
		if clash != "" {
			h.Clash = strings.Split(clash, ",")
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// RoleEvent returns the id of the assignment that set the current holder of
// a role ("" if nobody ever held it): what a new assignment replaces.
func (s *Store) RoleEvent(ctx context.Context, incidentID string, role model.Role) (holder, eventID string, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT holder, event_id FROM roles WHERE incident_id = ? AND role = ?`, incidentID, string(role)).Scan(&holder, &eventID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil
	}
	return holder, eventID, err
}

// Attachments returns the runbooks attached to an incident, with their text.
func (s *Store) Attachments(ctx context.Context, incidentID string) ([]model.Attachment, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, title, source, hash, text, at, rules FROM attachments WHERE incident_id = ? ORDER BY at, name`, incidentID)
	if err != nil {
		return nil, fmt.Errorf("read runbooks of %s: %w", incidentID, describeSQLiteError(err))
	}
	defer rows.Close()
	var out []model.Attachment
	for rows.Next() {
		a := model.Attachment{IncidentID: incidentID}
		var at int64
		if err := rows.Scan(&a.Name, &a.Title, &a.Source, &a.Hash, &a.Text, &at, &a.Rules); err != nil {
			return nil, err
		}
		a.At = fromMS(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

const currentKey = "current_incident"

// SetCurrent remembers the incident this person is working, so commands
// without --incident go to it. It is local to this store and never synced.
func (s *Store) SetCurrent(ctx context.Context, incidentID string) error {
	return s.SetMeta(ctx, currentKey, incidentID)
}

// Current is the incident commands go to by default: the one last declared
// or opened here if it still exists, else the only active one.
func (s *Store) Current(ctx context.Context) (model.Incident, error) {
	id, err := s.Meta(ctx, currentKey)
	if err != nil {
		return model.Incident{}, err
	}
	if id != "" {
		if in, err := s.Incident(ctx, id); err == nil {
			return in, nil
		}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM incidents WHERE active = 1 ORDER BY updated_at DESC LIMIT 6`)
	if err != nil {
		return model.Incident{}, fmt.Errorf("find the active incident: %w", describeSQLiteError(err))
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return model.Incident{}, err
		}
		ids = append(ids, model.ShortID(id))
	}
	rows.Close()
	switch len(ids) {
	case 0:
		return model.Incident{}, model.NotFoundf("no active incident: declare one with 'sitrep declare' or name one with --incident")
	case 1:
		return s.ResolveIncident(ctx, ids[0])
	}
	return model.Incident{}, model.Invalidf("%d incidents are active (%s): name one with --incident", len(ids), strings.Join(ids, ", "))
}
