package model

import (
	"sort"
	"sync"
	"time"
)

// Replay is an incident's log put in the order things happened (Placed,
// then HLC, then id: the timeline's order), ready to be read as it stood
// at any moment. The state at a moment is a fold of the events placed up to
// it, by the same rules the store's projection follows (the newest version
// wins a single value, the earliest time marks a milestone, a retraction
// stays), so `show --as-of`, the cockpit's replay and the live tables agree.
//
// Building it sorts the log and decodes the payloads that change state
// once; notes, the bulk of a long incident, are decoded only when their
// entry is read. It is safe for use by several goroutines.
type Replay struct {
	incidentID string
	events     []placedEvent
	entries    []int          // position in events of each timeline entry, in order
	entryOf    map[string]int // entry index by event id

	mu   sync.Mutex
	base []*TimelineEntry // entries as first written, built when first read
}

// placedEvent is an event with what the fold needs read once.
type placedEvent struct {
	Event
	placed  time.Time // on the log's clock, to the millisecond as stored
	future  bool
	version string
	payload Payload // decoded for the kinds that change state; nil for notes and bad payloads
}

// NewReplay prepares an incident's events, given in any order, for
// reading at any moment. future reports which events their store flagged
// as stamped by a clock running ahead (nil: none). Events of kinds this
// version does not know are left out, as the projection leaves them.
func NewReplay(events []Event, future func(Event) bool) *Replay {
	r := &Replay{entryOf: map[string]int{}}
	r.events = make([]placedEvent, 0, len(events))
	for _, e := range events {
		if !e.Kind.Known() {
			continue
		}
		if r.incidentID == "" {
			r.incidentID = e.IncidentID
		}
		p := placedEvent{Event: e, placed: toMilli(e.Placed()), future: future != nil && future(e), version: e.Version()}
		if e.Kind != EventNote {
			if v, err := DecodePayload(e); err == nil {
				p.payload = v
			}
		}
		r.events = append(r.events, p)
	}
	sort.Slice(r.events, func(i, j int) bool {
		a, b := &r.events[i], &r.events[j]
		if !a.placed.Equal(b.placed) {
			return a.placed.Before(b.placed)
		}
		if a.HLC != b.HLC {
			return a.HLC < b.HLC
		}
		return a.ID < b.ID
	})
	for i := range r.events {
		if r.events[i].Kind.MakesEntry() {
			r.entryOf[r.events[i].ID] = len(r.entries)
			r.entries = append(r.entries, i)
		}
	}
	r.base = make([]*TimelineEntry, len(r.entries))
	return r
}

// toMilli is t as the store keeps it: UTC, to the millisecond.
func toMilli(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return time.UnixMilli(t.UnixMilli()).UTC()
}

// Len is how many events the replay holds.
func (r *Replay) Len() int { return len(r.events) }

// Entries is how many timeline entries the whole log makes.
func (r *Replay) Entries() int { return len(r.entries) }

// EntryTime is when the i-th entry of the whole log happened (Placed):
// the moments the cockpit steps through.
func (r *Replay) EntryTime(i int) time.Time { return r.events[r.entries[i]].placed }

// First is when the first event happened, and false for an empty log.
func (r *Replay) First() (time.Time, bool) {
	if len(r.events) == 0 {
		return time.Time{}, false
	}
	return r.events[0].placed, true
}

// Last is when the last event happened, and false for an empty log.
func (r *Replay) Last() (time.Time, bool) {
	if len(r.events) == 0 {
		return time.Time{}, false
	}
	return r.events[len(r.events)-1].placed, true
}

// Attached is every runbook text the log ever attached, each version
// once, so what was followed at any moment can be shown.
func (r *Replay) Attached() []Attachment {
	var out []Attachment
	seen := map[string]bool{}
	for i := range r.events {
		e := &r.events[i]
		if p, ok := e.payload.(RunbookAttachedPayload); ok && !seen[p.Hash+"\x00"+p.Name] {
			seen[p.Hash+"\x00"+p.Name] = true
			out = append(out, Attachment{IncidentID: e.IncidentID, Name: p.Name, Title: p.Title, Source: p.Source, Hash: p.Hash, Text: p.Text, At: e.placed})
		}
	}
	return out
}

// EntriesUpTo is how many entries happened at t or before.
func (r *Replay) EntriesUpTo(t time.Time) int {
	return sort.Search(len(r.entries), func(i int) bool { return r.EntryTime(i).After(t) })
}

// At is the incident as it stood at t: the fold of every event placed at
// t or before.
func (r *Replay) At(t time.Time) Snapshot {
	n := sort.Search(len(r.events), func(i int) bool { return r.events[i].placed.After(t) })
	s := r.fold(n)
	s.At = t
	return s
}

// Latest is the incident as the whole log has it: what the live tables
// show.
func (r *Replay) Latest() Snapshot {
	s := r.fold(len(r.events))
	if t, ok := r.Last(); ok {
		s.At = t
	}
	return s
}

// entry is the i-th entry as first written, without the marks later
// events put on it.
func (r *Replay) entry(i int) TimelineEntry {
	r.mu.Lock()
	defer r.mu.Unlock()
	if b := r.base[i]; b != nil {
		return *b
	}
	e := &r.events[r.entries[i]]
	t := &TimelineEntry{EventID: e.ID, IncidentID: e.IncidentID, Kind: e.Kind, Occurred: toMilli(e.Occurred), Typed: toMilli(e.At),
		HLC: e.HLC, Author: e.Author, Text: Describe(e.Event), Future: e.future}
	if e.Kind == EventNote {
		if n, err := Decode[NotePayload](e.Event); err == nil {
			t.NoteKind = n.Kind
		}
	}
	r.base[i] = t
	return *t
}

// Snapshot is an incident as it stood at one moment.
type Snapshot struct {
	At          time.Time
	Exists      bool // some event of the incident had happened by then
	Incident    Incident
	Roles       []RoleHolder // by role, as the store lists them
	Steps       []StepStatus // by runbook and step
	Attachments []Attachment // by time attached, then name
	Messages    []Message    // oldest first
	Exercise    *Exercise    // the drill as it stood; nil if none had started

	r     *Replay
	n     int // entries up to At
	marks map[string]entryMark
}

// entryMark is what pins, amendments and retractions had done to an entry.
type entryMark struct {
	pinned            bool
	pinnedV, amendedV string
	amended, by       string
	retracted         bool
}

// Len is how many timeline entries there were (injects a drill's clock
// released are not counted: see Timeline).
func (s Snapshot) Len() int { return s.n }

// Entry is the i-th timeline entry as it read then, with the pins,
// amendments and retractions made by then.
func (s Snapshot) Entry(i int) TimelineEntry { return s.Marked(s.r.entry(i)) }

// Marked is an entry as first written with the pins, amendments and
// retractions made by then: for entries read from elsewhere (the store's
// timeline, for a replay built without its notes).
func (s Snapshot) Marked(e TimelineEntry) TimelineEntry {
	if m, ok := s.marks[e.EventID]; ok {
		e.Pinned, e.Retracted = m.pinned, m.retracted
		if m.by != "" {
			e.Text, e.AmendedBy = m.amended, m.by
		}
	}
	return e
}

// Index is the position of the entry made by event id, and false if it
// had not happened by then.
func (s Snapshot) Index(id string) (int, bool) {
	i, ok := s.r.entryOf[id]
	return i, ok && i < s.n
}

// Entries are the stored timeline entries as they read then, in order.
func (s Snapshot) Entries() []TimelineEntry {
	out := make([]TimelineEntry, s.n)
	for i := range out {
		out[i] = s.Entry(i)
	}
	return out
}

// Timeline is the whole timeline as it read then: for a drill, with the
// injects its clock had released merged in, as the store's TimelineAt
// reads it now.
func (s Snapshot) Timeline() []TimelineEntry {
	if s.Exercise == nil {
		return s.Entries()
	}
	return MergeEntries(s.Entries(), s.Exercise.InjectEntries(s.At))
}
