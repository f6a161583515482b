// Package export writes incidents out of a sitrep store in standard formats
// (the review as Markdown, everything as JSON, the timeline as CSV) and reads
// the JSON back in. The JSON carries the raw events with their hashes, so an
// import re-applies them through the store's own Apply and verify passes:
// export, import into an empty store and export again gives the same bytes.
package export

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// FormatName and Version identify the JSON export; docs/export-schema.json
// describes it.
const (
	FormatName = "sitrep-export"
	Version    = 1
)

// Document is the JSON export: incidents as people read them, and the raw
// events they were built from.
type Document struct {
	Format    string     `json:"format"`
	Version   int        `json:"version"`
	Incidents []Incident `json:"incidents"`
	Events    []Event    `json:"events"`
}

// Incident is everything about one incident, as projected.
type Incident struct {
	ID           string          `json:"id"`
	Short        string          `json:"short_id"`
	Title        string          `json:"title"`
	Kind         string          `json:"kind"`
	Severity     string          `json:"severity"`
	Status       string          `json:"status"`
	Exercise     bool            `json:"exercise"`
	Commander    string          `json:"commander"`
	DeclaredBy   string          `json:"declared_by"`
	DeclaredAt   time.Time       `json:"declared_at"`
	Milestones   Milestones      `json:"milestones"`
	Metrics      Metrics         `json:"metrics"`
	Roles        []Role          `json:"roles"`
	Runbooks     []Runbook       `json:"runbooks"`
	Review       *Review         `json:"review"`
	Messages     []Message       `json:"messages"`
	ExerciseInfo *Exercise       `json:"exercise_info,omitempty"`
	Timeline     []TimelineEntry `json:"timeline"`
	entries      []model.TimelineEntry
	evidence     map[string]model.EvidencePayload // by event id
	in           model.Incident
	clock        model.IncidentClock // T+ marks: since detection, or the drill's exercise clock
}

// Milestones are when each milestone was first reached (UTC), null if not.
type Milestones struct {
	Detected     *time.Time `json:"detected"`
	Acknowledged *time.Time `json:"acknowledged"`
	Mitigated    *time.Time `json:"mitigated"`
	Resolved     *time.Time `json:"resolved"`
	Reviewed     *time.Time `json:"reviewed"`
}

// Metrics are the response times in seconds, null when not measurable.
type Metrics struct {
	TimeToDetect      *float64 `json:"time_to_detect_seconds"`
	TimeToAcknowledge *float64 `json:"time_to_acknowledge_seconds"`
	TimeToMitigate    *float64 `json:"time_to_mitigate_seconds"`
	TimeToResolve     *float64 `json:"time_to_resolve_seconds"`
}

// Role is who holds a role.
type Role struct {
	Role   string    `json:"role"`
	Title  string    `json:"title"`
	Holder string    `json:"holder"`
	Since  time.Time `json:"since"`
}

// Runbook is a runbook followed, with the exact text and the step states.
type Runbook struct {
	Name       string    `json:"name"`
	Title      string    `json:"title"`
	Source     string    `json:"source"`
	SHA256     string    `json:"sha256"`
	AttachedAt time.Time `json:"attached_at"`
	Text       string    `json:"text"`
	Steps      []Step    `json:"steps"`
}

// Step is a step someone changed.
type Step struct {
	Index  int       `json:"index"`
	State  string    `json:"state"`
	Reason string    `json:"reason,omitempty"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
}

// Review is the post-incident review and who saved it last.
type Review struct {
	model.Review
	SavedBy string    `json:"saved_by"`
	SavedAt time.Time `json:"saved_at"`
}

// Message is an update sent.
type Message struct {
	EventID  string    `json:"event_id"`
	Audience string    `json:"audience"`
	Template string    `json:"template,omitempty"`
	Channel  string    `json:"channel,omitempty"`
	Author   string    `json:"author"`
	At       time.Time `json:"at"`
	Text     string    `json:"text"`
}

// Exercise describes a drill: its scenario and clock. Judgements that
// depend on the time of reading (objectives, injects released) are left to
// the after-action report, except once the drill has ended.
type Exercise struct {
	Scenario     string            `json:"scenario"`
	Title        string            `json:"title"`
	SHA256       string            `json:"sha256"`
	Start        time.Time         `json:"start"`
	Ended        *time.Time        `json:"ended"`
	EndReason    string            `json:"end_reason,omitempty"`
	ClockChanges []ClockChange     `json:"clock_changes"`
	Injects      []Inject          `json:"injects"`
	Objectives   []ObjectiveResult `json:"objectives"`
}

// ClockChange is a pause, resume or speed change.
type ClockChange struct {
	Kind  string    `json:"kind"`
	At    time.Time `json:"at"`
	Speed float64   `json:"speed,omitempty"`
	By    string    `json:"by"`
}

// Inject is an inject of the drill, with its release when the drill ended.
type Inject struct {
	Number     int        `json:"number"`
	Offset     string     `json:"offset"`
	Title      string     `json:"title"`
	State      string     `json:"state,omitempty"`
	ReleasedAt *time.Time `json:"released_at,omitempty"`
}

// ObjectiveResult is an objective, judged at the end of a drill that ended.
type ObjectiveResult struct {
	ID     string     `json:"id"`
	Kind   string     `json:"kind"`
	Title  string     `json:"title"`
	Target string     `json:"target,omitempty"`
	State  string     `json:"state,omitempty"`
	MetAt  *time.Time `json:"met_at,omitempty"`
}

// TimelineEntry is one line of the timeline.
type TimelineEntry struct {
	EventID   string    `json:"event_id"`
	Kind      string    `json:"kind"`
	Label     string    `json:"label"`
	NoteKind  string    `json:"note_kind,omitempty"`
	Occurred  time.Time `json:"occurred"`
	Recorded  time.Time `json:"recorded"`
	Author    string    `json:"author"`
	Text      string    `json:"text"`
	Pinned    bool      `json:"pinned,omitempty"`
	Amended   bool      `json:"amended,omitempty"`
	Retracted bool      `json:"retracted,omitempty"`
	// Clock is "behind" or "ahead" when the clock that stamped the entry
	// disagreed with the others by more than a minute; Occurred is then
	// where the log places it, and Stamped what that clock said.
	Clock   string     `json:"clock,omitempty"`
	Stamped *time.Time `json:"stamped,omitempty"`
	// Evidence is set on the entry of a command run on the incident.
	Evidence *Evidence `json:"evidence,omitempty"`
}

// Evidence is a command a responder ran on the incident (sitrep run, or !
// in the cockpit) and what it printed, as kept: cleaned of terminal
// control, secrets masked, the middle of a long output left out.
type Evidence struct {
	Command       string    `json:"command"`
	Dir           string    `json:"dir"`
	Host          string    `json:"host"`
	Started       time.Time `json:"started"`
	DurationMS    int64     `json:"duration_ms"`
	Exit          int       `json:"exit"`
	Signal        string    `json:"signal,omitempty"`
	OutputKept    bool      `json:"output_kept"`
	Output        string    `json:"output"`
	OutputBytes   int64     `json:"output_bytes"`
	OmittedBytes  int64     `json:"omitted_bytes"`
	SecretsMasked int       `json:"secrets_masked"`
	Runbook       string    `json:"runbook,omitempty"`
	StepIndex     *int      `json:"step_index,omitempty"`
}

func evidenceOf(p model.EvidencePayload) *Evidence {
	ev := &Evidence{Command: p.Command, Dir: p.Dir, Host: p.Host, Started: utc(p.Started), DurationMS: p.DurationMS, Exit: p.Exit, Signal: p.Signal,
		OutputKept: !p.NoOutput, Output: p.Output, OutputBytes: p.OutputBytes, OmittedBytes: p.Omitted, SecretsMasked: p.Masked, Runbook: p.Runbook}
	if p.Runbook != "" {
		step := p.Step
		ev.StepIndex = &step
	}
	return ev
}

// Event is one event of the log, exactly as stored: import re-applies it
// and its hash must still match. Payload is the author's JSON; when those
// bytes are not in compact form it travels as PayloadText instead, so not a
// byte changes.
type Event struct {
	ID          string          `json:"id"`
	IncidentID  string          `json:"incident_id"`
	Kind        string          `json:"kind"`
	Payload     json.RawMessage `json:"payload,omitempty"`
	PayloadText string          `json:"payload_text,omitempty"`
	Author      string          `json:"author"`
	Origin      string          `json:"origin"`
	At          time.Time       `json:"at"`
	Occurred    time.Time       `json:"occurred"`
	HLC         int64           `json:"hlc"`
	ChainSeq    int64           `json:"chain_seq"`
	Prev        string          `json:"prev"`
	Hash        string          `json:"hash"`
}

func fromModel(e model.Event) Event {
	out := Event{ID: e.ID, IncidentID: e.IncidentID, Kind: string(e.Kind), Author: e.Author, Origin: e.Origin,
		At: e.At.UTC(), Occurred: e.Occurred.UTC(), HLC: int64(e.HLC), ChainSeq: e.ChainSeq, Prev: e.Prev, Hash: e.Hash}
	var c bytes.Buffer
	if json.Compact(&c, e.Payload) == nil && bytes.Equal(c.Bytes(), e.Payload) && len(e.Payload) > 0 {
		out.Payload = json.RawMessage(e.Payload)
	} else {
		out.PayloadText = string(e.Payload)
	}
	return out
}

// Model turns an exported event back into the store's event.
func (e Event) Model() model.Event {
	m, _ := e.toModel()
	return m
}

// toModel is Model, and whether the event's hash covers its content.
func (e Event) toModel() (model.Event, bool) {
	// Payload was compact when exported (else it travels as PayloadText);
	// the export's indentation is taken out again here.
	var c bytes.Buffer
	payload := []byte(e.Payload)
	if json.Compact(&c, e.Payload) == nil {
		payload = c.Bytes()
	}
	if e.PayloadText != "" {
		payload = []byte(e.PayloadText)
	}
	m := model.Event{ID: e.ID, IncidentID: e.IncidentID, Kind: model.EventKind(e.Kind), Payload: payload, Author: e.Author,
		Origin: e.Origin, At: e.At.UTC(), Occurred: e.Occurred.UTC(), HLC: model.HLC(e.HLC), ChainSeq: e.ChainSeq, Prev: e.Prev, Hash: e.Hash}
	if m.ComputeHash() == m.Hash {
		return m, true
	}
	// Re-encoded by another JSON tool (jq, Python): the hash covers the
	// bytes Go's encoder wrote, so try those; and jq 1.6 reads numbers as
	// doubles, so an HLC past 2^53 may come back rounded: try the integers
	// that round to the same double.
	payloads := [][]byte{payload}
	if e.PayloadText == "" {
		if canon, err := canonical(payload); err == nil && !bytes.Equal(canon, payload) {
			payloads = append(payloads, canon)
		}
	}
	hlcs := append([]int64{e.HLC}, sameDouble(e.HLC)...)
	for _, p := range payloads {
		for _, h := range hlcs {
			c := m
			c.Payload, c.HLC = p, model.HLC(h)
			if c.ComputeHash() == c.Hash {
				return c, true
			}
		}
	}
	return m, false
}

// sameDouble lists the other integers that a float64 reads as v does (none
// below 2^53): the values v may have been before a tool that holds numbers
// as doubles rounded it.
func sameDouble(v int64) []int64 {
	f := float64(v)
	if math.Abs(f) < 1<<53 || math.Abs(f) >= 1<<62 {
		return nil
	}
	half := int64((math.Nextafter(math.Abs(f), math.Inf(1)) - math.Abs(f)) / 2)
	base := int64(f)
	var out []int64
	for x := base - half; x <= base+half; x++ {
		if x != v && float64(x) == f {
			out = append(out, x)
		}
	}
	return out
}

// canonical re-encodes JSON as Go's json.Marshal writes it: compact, keys
// in the order given, strings escaped as Go escapes them (<, >, & and
// U+2028/U+2029 as \u escapes, other characters as themselves, "/" bare)
// and fractional numbers in Go's shortest form. It cannot restore a key
// order another tool sorted.
func canonical(b []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out bytes.Buffer
	// Each open container's state: whether its first element was written,
	// and for objects whether a key is next.
	type level struct {
		object, started, key bool
	}
	var stack []level
	for {
		t, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if d, ok := t.(json.Delim); ok && (d == '}' || d == ']') {
			out.WriteByte(byte(d))
			stack = stack[:len(stack)-1]
			continue
		}
		if n := len(stack); n > 0 {
			top := &stack[n-1]
			switch {
			case top.object && top.key:
				if top.started {
					out.WriteByte(',')
				}
				top.started = true
			case top.object:
				out.WriteByte(':')
			case top.started:
				out.WriteByte(',')
			default:
				top.started = true
			}
			if top.object {
				top.key = !top.key
			}
		}
		switch v := t.(type) {
		case json.Delim:
			out.WriteByte(byte(v))
			stack = append(stack, level{object: v == '{', key: v == '{'})
		case json.Number:
			lit := string(v)
			if strings.ContainsAny(lit, ".eE") {
				f, err := v.Float64()
				if err != nil {
					return nil, err
				}
				enc, err := json.Marshal(f)
				if err != nil {
					return nil, err
				}
				lit = string(enc)
			}
			out.WriteString(lit)
		default: // string, bool, nil
			enc, err := json.Marshal(v)
			if err != nil {
				return nil, err
			}
			out.Write(enc)
		}
	}
	return out.Bytes(), nil
}

// Load reads everything about one incident from the store.
func Load(ctx context.Context, st *storage.Store, incidentID string, count StepCounter) (Incident, error) {
	in, err := st.Incident(ctx, incidentID)
	if err != nil {
		return Incident{}, err
	}
	out := Incident{ID: in.ID, Short: in.Short(), Title: in.Title, Kind: in.Kind, Severity: in.Severity.String(), Status: string(in.Status),
		Exercise: in.Exercise, Commander: in.Commander, DeclaredBy: in.DeclaredBy, DeclaredAt: utc(in.DeclaredAt), in: in}
	m := in.Milestones
	out.Milestones = Milestones{Detected: tp(m.Detected), Acknowledged: tp(m.Acknowledged), Mitigated: tp(m.Mitigated), Resolved: tp(m.Resolved), Reviewed: tp(m.Reviewed)}

	roles, err := st.Roles(ctx, in.ID)
	if err != nil {
		return out, err
	}
	out.Roles = []Role{}
	for _, r := range roles {
		out.Roles = append(out.Roles, Role{Role: string(r.Role), Title: r.Role.Title(), Holder: r.Holder, Since: utc(r.Since)})
	}

	atts, err := st.Attachments(ctx, in.ID)
	if err != nil {
		return out, err
	}
	steps, err := st.Steps(ctx, in.ID)
	if err != nil {
		return out, err
	}
	out.Runbooks = []Runbook{}
	for _, a := range atts {
		rb := Runbook{Name: a.Name, Title: a.Title, Source: a.Source, SHA256: a.Hash, AttachedAt: utc(a.At), Text: a.Text, Steps: []Step{}}
		for _, s := range steps {
			if s.Runbook == a.Name {
				rb.Steps = append(rb.Steps, Step{Index: s.Step, State: string(s.State), Reason: s.Reason, By: s.By, At: utc(s.At)})
			}
		}
		out.Runbooks = append(out.Runbooks, rb)
	}

	r, info, err := st.Review(ctx, in.ID)
	if err != nil {
		return out, err
	}
	if info.EventID != "" {
		r.ImpactStart = utc(r.ImpactStart)
		out.Review = &Review{Review: r, SavedBy: info.By, SavedAt: utc(info.At)}
	}
	x, isDrill, err := st.Exercise(ctx, in.ID)
	if err != nil {
		return out, err
	}
	t := model.TimesOf(in, r)
	out.clock = model.ClockOf(in, nil)
	if isDrill {
		// A drill's metrics and T+ marks read on its exercise clock.
		t.Drill, out.clock.Drill = &x, &x
	}
	out.Metrics = Metrics{TimeToDetect: secs(t, model.MetricDetect), TimeToAcknowledge: secs(t, model.MetricAcknowledge),
		TimeToMitigate: secs(t, model.MetricMitigate), TimeToResolve: secs(t, model.MetricResolve)}

	msgs, err := st.Messages(ctx, in.ID)
	if err != nil {
		return out, err
	}
	out.Messages = []Message{}
	for _, m := range msgs {
		out.Messages = append(out.Messages, Message{EventID: m.EventID, Audience: string(m.Audience), Template: m.Template, Channel: m.Channel,
			Author: m.Author, At: utc(m.At), Text: m.Text})
	}

	entries, err := st.Timeline(ctx, in.ID, storage.TimelinePage{})
	if err != nil {
		return out, err
	}
	if isDrill {
		out.ExerciseInfo = exerciseInfo(x, in, entries, steps, atts, msgs, count)
		if !x.Ended.IsZero() {
			// Injects released by the clock are part of the story once the
			// drill is over (before that they depend on the time of reading).
			entries = model.MergeEntries(entries, x.InjectEntries(x.Ended))
		}
	}
	out.entries = entries
	if err := out.loadEvidence(ctx, st); err != nil {
		return out, err
	}
	out.Timeline = []TimelineEntry{}
	for _, e := range entries {
		te := TimelineEntry{EventID: e.EventID, Kind: string(e.Kind), Label: e.Label(), NoteKind: string(e.NoteKind),
			Occurred: utc(e.Placed()), Recorded: utc(e.Logged()), Author: e.Author, Text: e.Text, Pinned: e.Pinned, Amended: e.AmendedBy != "", Retracted: e.Retracted}
		if mark := e.ClockMark(); mark != "" {
			te.Clock = strings.TrimPrefix(mark, "clock ")
			te.Stamped = tp(e.Occurred)
		}
		if p, ok := out.evidence[e.EventID]; ok {
			te.Evidence = evidenceOf(p)
		}
		out.Timeline = append(out.Timeline, te)
	}
	return out, nil
}

// loadEvidence reads the commands run on the incident, only when its
// timeline has any: most incidents have none, and a whole store's export
// should not pay a query each for them.
func (in *Incident) loadEvidence(ctx context.Context, st *storage.Store) error {
	for _, e := range in.entries {
		if e.Kind != model.EventEvidence {
			continue
		}
		all, err := st.Evidence(ctx, in.ID)
		if err != nil {
			return err
		}
		in.evidence = make(map[string]model.EvidencePayload, len(all))
		for _, ev := range all {
			in.evidence[ev.EventID] = ev.EvidencePayload
		}
		return nil
	}
	return nil
}

func exerciseInfo(x model.Exercise, in model.Incident, entries []model.TimelineEntry, steps []model.StepStatus, atts []model.Attachment, msgs []model.Message, count StepCounter) *Exercise {
	ex := &Exercise{Scenario: x.Started.Scenario, Title: x.Started.Title, SHA256: x.Started.Hash, Start: utc(x.Started.Start), Ended: tp(x.Ended),
		EndReason: x.EndReason, ClockChanges: []ClockChange{}, Injects: []Inject{}, Objectives: []ObjectiveResult{}}
	for _, c := range x.Changes {
		ex.ClockChanges = append(ex.ClockChanges, ClockChange{Kind: string(c.Kind), At: utc(c.At), Speed: c.Speed, By: c.By})
	}
	ended := !x.Ended.IsZero()
	var states []model.InjectStatus
	if ended {
		states = x.Injects(x.Ended)
	}
	for i, inj := range x.Started.Injects {
		out := Inject{Number: i + 1, Offset: model.FormatOffset(inj.Offset), Title: inj.Title}
		if ended {
			st := states[i]
			out.State = string(st.State)
			out.ReleasedAt = tp(st.ReleasedAt)
		}
		ex.Injects = append(ex.Injects, out)
	}
	var results []model.ObjectiveResult
	if ended {
		counts := map[string]int{}
		for _, a := range atts {
			counts[a.Name] = count.steps(a)
		}
		results = x.Objectives(model.DrillLog{Incident: in, Entries: entries, Steps: steps, RunbookSteps: counts, Messages: msgs}, x.Ended)
	}
	for i, o := range x.Started.Objectives {
		r := ObjectiveResult{ID: o.ID, Kind: string(o.Kind), Title: o.Title}
		if o.Target > 0 {
			r.Target = model.FormatLength(o.Target)
		}
		if ended {
			r.State = string(results[i].State)
			r.MetAt = tp(results[i].At)
		}
		ex.Objectives = append(ex.Objectives, r)
	}
	return ex
}

// StepCounter counts the steps of a runbook's text. The caller passes the
// runbook parser's (export reads only model and storage, so a format layer
// never pulls in the runbook library); with nil, a drill's runbook objectives stay unjudged.
type StepCounter func(at model.Attachment) int

func (c StepCounter) steps(at model.Attachment) int {
	if c == nil {
		return 0
	}
	return c(at)
}

func tp(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := utc(t)
	return &u
}

// utc is a time as the export writes it: in UTC, and within the years 0 to
// 9999 that JSON can hold. Arrival refuses times outside them; a store that
// already holds one (from an older sitrep, or edited by hand) still exports.
func utc(t time.Time) time.Time { return model.ClampTime(t) }

func secs(t model.IncidentTimes, m model.Metric) *float64 {
	d, ok := t.Duration(m)
	if !ok {
		return nil
	}
	v := d.Seconds()
	return &v
}

// One builds the JSON document for one incident with its raw events.
func One(ctx context.Context, st *storage.Store, incidentID string, count StepCounter) (Document, error) {
	in, err := Load(ctx, st, incidentID, count)
	if err != nil {
		return Document{}, err
	}
	events, err := st.IncidentEvents(ctx, incidentID)
	if err != nil {
		return Document{}, err
	}
	doc := Document{Format: FormatName, Version: Version, Incidents: []Incident{in}, Events: make([]Event, 0, len(events))}
	var skipped SkippedEvents
	for _, e := range events {
		if !skipped.check(e) {
			continue
		}
		doc.Events = append(doc.Events, fromModel(e))
	}
	if len(skipped.Events) > 0 {
		return doc, &skipped
	}
	return doc, nil
}

// SkippedEvents is what an export that left events out returns, after
// writing everything else: events dated outside the years 0 to 9999, which
// JSON cannot hold and sync and import now refuse, but which a store made
// by an older sitrep or edited by hand may already hold. One such row must
// not stop the export of a whole store; the caller says what was left out.
type SkippedEvents struct {
	Events []string // "ID by AUTHOR (year N)", printable
}

func (s *SkippedEvents) Error() string {
	more := ""
	list := s.Events
	if len(list) > 3 {
		list, more = list[:3], fmt.Sprintf(" and %d more", len(s.Events)-3)
	}
	return fmt.Sprintf("left out %s dated outside the years 0 to 9999, which JSON cannot hold: %s%s (everything else was exported; the incidents show such times as the nearest year that fits)",
		model.Count(len(s.Events), "event"), strings.Join(list, ", "), more)
}

// check reports whether e can be written, and notes it if not.
func (s *SkippedEvents) check(e model.Event) bool {
	for _, t := range []time.Time{e.At, e.Occurred} {
		if model.ValidTime("", t) != nil {
			s.Events = append(s.Events, fmt.Sprintf("%s by %s (year %d)", model.OneLine(e.ID), model.OneLine(e.Author), t.UTC().Year()))
			return false
		}
	}
	return true
}

// WriteAll writes the JSON export of every incident in the store, oldest
// first, and every event of its log (kinds this sitrep does not know
// included). Events JSON cannot hold are left out and reported as a
// *SkippedEvents error once the rest is written. It holds one incident and one page of events at a time, so a
// store of any size exports in the memory of its largest incident. The
// bytes are those WriteJSON writes for the same document.
func WriteAll(ctx context.Context, st *storage.Store, w io.Writer, count StepCounter) error {
	list, err := oldestFirst(ctx, st)
	if err != nil {
		return err
	}
	head, _ := json.Marshal(FormatName)
	if _, err := fmt.Fprintf(w, "{\n  \"format\": %s,\n  \"version\": %d,\n  \"incidents\": [", head, Version); err != nil {
		return fmt.Errorf("write JSON export: %w", err)
	}
	elems := arrayWriter{w: w}
	for _, l := range list {
		in, err := Load(ctx, st, l.ID, count)
		if err != nil {
			return err
		}
		if err := elems.write(in); err != nil {
			return err
		}
	}
	if err := elems.close(",\n  \"events\": ["); err != nil {
		return err
	}
	elems = arrayWriter{w: w}
	var hlc model.HLC
	var id string
	var skipped SkippedEvents
	for {
		page, err := st.EventsInOrder(ctx, hlc, id, 5000)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			break
		}
		for _, e := range page {
			if !skipped.check(e) {
				continue
			}
			if err := elems.write(fromModel(e)); err != nil {
				return err
			}
		}
		hlc, id = page[len(page)-1].HLC, page[len(page)-1].ID
	}
	if err := elems.close("\n}\n"); err != nil {
		return err
	}
	if len(skipped.Events) > 0 {
		return &skipped
	}
	return nil
}

// WriteAllCSV writes the timelines of every incident, oldest first, as one
// CSV file with one header, an incident at a time.
func WriteAllCSV(ctx context.Context, st *storage.Store, w io.Writer, count StepCounter) error {
	list, err := oldestFirst(ctx, st)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return CSV(w, Incident{})
	}
	var b bytes.Buffer
	for i, l := range list {
		in, err := Load(ctx, st, l.ID, count)
		if err != nil {
			return err
		}
		b.Reset()
		if err := CSV(&b, in); err != nil {
			return err
		}
		rows := b.Bytes()
		if i > 0 { // one header for the whole file
			rows = rows[bytes.IndexByte(rows, '\n')+1:]
		}
		if _, err := w.Write(rows); err != nil {
			return fmt.Errorf("write CSV export: %w", err)
		}
	}
	return nil
}

// oldestFirst lists the store's incidents in export order: by declaration,
// then id.
func oldestFirst(ctx context.Context, st *storage.Store) ([]model.Incident, error) {
	list, err := st.Incidents(ctx)
	if err != nil {
		return nil, err
	}
	sort.Slice(list, func(i, j int) bool {
		if !list[i].DeclaredAt.Equal(list[j].DeclaredAt) {
			return list[i].DeclaredAt.Before(list[j].DeclaredAt)
		}
		return list[i].ID < list[j].ID
	})
	return list, nil
}

// arrayWriter writes the elements of a JSON array nested one level in the
// document, indented as WriteJSON indents them.
type arrayWriter struct {
	w   io.Writer
	n   int
	buf bytes.Buffer
}

func (a *arrayWriter) write(v any) error {
	a.buf.Reset()
	if a.n > 0 {
		a.buf.WriteByte(',')
	}
	a.buf.WriteString("\n    ")
	enc := json.NewEncoder(&a.buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("    ", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write JSON export: %w", err)
	}
	a.buf.Truncate(a.buf.Len() - 1) // Encode's newline
	a.n++
	if _, err := a.w.Write(a.buf.Bytes()); err != nil {
		return fmt.Errorf("write JSON export: %w", err)
	}
	return nil
}

// close ends the array (empty: "[]") and writes what follows it.
func (a *arrayWriter) close(after string) error {
	end := "\n  ]"
	if a.n == 0 {
		end = "]"
	}
	if _, err := io.WriteString(a.w, end+after); err != nil {
		return fmt.Errorf("write JSON export: %w", err)
	}
	return nil
}

// WriteJSON writes the document, indented, with a trailing newline. HTML
// characters are not escaped, so payloads keep their exact bytes.
func WriteJSON(w io.Writer, doc Document) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write JSON export: %w", err)
	}
	return nil
}
