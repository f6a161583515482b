package storage_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
	"github.com/sitrep-dev/sitrep/storage/storagetest"
)

// liveState is what the store's tables say of an incident: what the fold
// of its log (model.Replay) must say too.
type liveState struct {
	Incident    model.Incident
	Roles       []model.RoleHolder
	Steps       []model.StepStatus
	Attachments []model.Attachment
	Messages    []model.Message
	Entries     []model.TimelineEntry
	Exercise    *model.Exercise
}

func readLive(t *testing.T, st *storage.Store, id string) liveState {
	t.Helper()
	ctx := context.Background()
	var l liveState
	var err error
	must := func(e error) {
		if e != nil {
			t.Fatal(e)
		}
	}
	l.Incident, err = st.Incident(ctx, id)
	must(err)
	l.Roles, err = st.Roles(ctx, id)
	must(err)
	for i := range l.Roles {
		sort.Strings(l.Roles[i].Clash) // the store's order of a clash is SQLite's
	}
	l.Steps, err = st.Steps(ctx, id)
	must(err)
	l.Attachments, err = st.Attachments(ctx, id)
	must(err)
	l.Messages, err = st.Messages(ctx, id)
	must(err)
	l.Entries, err = st.Timeline(ctx, id, storage.TimelinePage{})
	must(err)
	x, ok, err := st.Exercise(ctx, id)
	must(err)
	if ok {
		l.Exercise = &x
	}
	return l
}

func stateOf(s model.Snapshot) liveState {
	return liveState{Incident: s.Incident, Roles: s.Roles, Steps: s.Steps, Attachments: s.Attachments, Messages: s.Messages,
		Entries: s.Entries(), Exercise: s.Exercise}
}

// sameState reports the first field where two states differ.
func sameState(want, got liveState) error {
	w, g := reflect.ValueOf(want), reflect.ValueOf(got)
	for i := 0; i < w.NumField(); i++ {
		a, b := w.Field(i).Interface(), g.Field(i).Interface()
		if reflect.DeepEqual(a, b) {
			continue
		}
		if aw, ok := a.([]model.TimelineEntry); ok {
			bw := b.([]model.TimelineEntry)
			for j := range min(len(aw), len(bw)) {
				if !reflect.DeepEqual(aw[j], bw[j]) {
					return fmt.Errorf("entry %d: live %+v\nreplay %+v", j, aw[j], bw[j])
				}
			}
			return fmt.Errorf("live has %d entries, replay %d", len(aw), len(bw))
		}
		if isEmpty(w.Field(i)) && isEmpty(g.Field(i)) {
			continue // nil and empty lists say the same
		}
		return fmt.Errorf("%s: live %+v\nreplay %+v", w.Type().Field(i).Name, a, b)
	}
	return nil
}

func isEmpty(v reflect.Value) bool { return v.Kind() == reflect.Slice && v.Len() == 0 }

// TestReplayAgreesWithProjection appends a generated incident one event
// at a time — notes, late notes, decisions, status and severity changes,
// retitles, role hand-overs, releases and clashes, runbooks attached and
// re-attached, step changes, pins, amendments, retractions, messages, and
// for a drill its clock's pauses, resumes, speed changes, injects released
// and skipped and its end — and after every event compares the store's
// tables with the fold of the log so far. The whole log, read at the time
// of each event, must then give what the tables said after it, wherever
// the events so far were exactly those placed by then.
func TestReplayAgreesWithProjection(t *testing.T) {
	for _, drill := range []bool{false, true} {
		for seed := uint64(1); seed <= 3; seed++ {
			t.Run(fmt.Sprintf("drill=%v/seed=%d", drill, seed), func(t *testing.T) {
				replayAgrees(t, seed, drill)
			})
		}
	}
}

func replayAgrees(t *testing.T, seed uint64, drill bool) {
	ctx := context.Background()
	c := &fakeClock{t: time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)}
	st, err := storage.Open(ctx, filepath.Join(t.TempDir(), "s.db"), storage.Options{Author: "alice@laptop", Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	g := &incidentGen{t: t, st: st, c: c, rng: rand.New(rand.NewPCG(seed, 16)), drill: drill}
	type step struct {
		at   time.Time
		ids  map[string]bool
		live liveState
	}
	var steps []step
	ids := map[string]bool{}
	for _, e := range g.declare() {
		ids[e.ID] = true
	}
	for i := 0; i < 160; i++ {
		for _, e := range g.next() {
			ids[e.ID] = true
		}
		live := readLive(t, st, g.id)
		r, err := st.Replay(ctx, g.id)
		if err != nil {
			t.Fatal(err)
		}
		if err := sameState(live, stateOf(r.Latest())); err != nil {
			t.Fatalf("after event %d (%s): %v", i, g.last, err)
		}
		last, _ := r.Last()
		steps = append(steps, step{at: last, ids: copySet(ids), live: live})
	}
	r, err := st.Replay(ctx, g.id)
	if err != nil {
		t.Fatal(err)
	}
	all, err := st.IncidentEvents(ctx, g.id)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for i, s := range steps {
		if !placedBy(all, s.at, s.ids) {
			continue // a late note came after something placed later
		}
		checked++
		if err := sameState(s.live, stateOf(r.At(s.at))); err != nil {
			t.Fatalf("as of step %d (%s): %v", i, s.at.Format(time.RFC3339Nano), err)
		}
	}
	if checked < len(steps)/2 {
		t.Fatalf("only %d of %d steps could be checked as of their time", checked, len(steps))
	}
	if g.counts[model.EventAmended] == 0 || g.counts[model.EventRetracted] == 0 || g.counts[model.EventPinned] == 0 || g.handovers == 0 || g.clashes == 0 {
		t.Fatalf("the generated incident lacks corrections or hand-overs: %v, %d hand-overs, %d clashes", g.counts, g.handovers, g.clashes)
	}
	if drill && (g.counts[model.EventExercisePaused] == 0 || g.counts[model.EventExerciseSpeed] == 0 || g.counts[model.EventInjectReleased] == 0) {
		t.Fatalf("the drill lacks clock changes or injects: %v", g.counts)
	}
}

// placedBy reports whether the events placed at t or before are exactly ids.
func placedBy(all []model.Event, t time.Time, ids map[string]bool) bool {
	n := 0
	for _, e := range all {
		if !e.Placed().After(t) {
			if !ids[e.ID] {
				return false
			}
			n++
		}
	}
	return n == len(ids)
}

func copySet(m map[string]bool) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

// incidentGen makes a random but plausible incident through the store's
// own append path (and, for a teammate's clashing or slow-clocked
// events, through Apply as sync would).
type incidentGen struct {
	t         *testing.T
	st        *storage.Store
	c         *fakeClock
	rng       *rand.Rand
	drill     bool
	id        string
	last      model.EventKind
	notes     []string
	retracted map[string]bool
	status    model.Status
	counts    map[model.EventKind]int
	handovers int
	clashes   int
	teammate  *storagetest.Forger
}

var genPeople = []string{"alice@laptop", "bob@desk", "chen@laptop", "dana@bastion"}

func (g *incidentGen) append(changes ...model.Change) []model.Event {
	g.t.Helper()
	evs, err := g.st.AppendAll(context.Background(), changes)
	if err != nil {
		g.t.Fatalf("append %v: %v", changes[0].Kind, err)
	}
	for _, e := range evs {
		g.counts[e.Kind]++
		g.last = e.Kind
		if e.Kind == model.EventNote {
			g.notes = append(g.notes, e.ID)
		}
	}
	return evs
}

func (g *incidentGen) declare() []model.Event {
	g.counts, g.retracted = map[model.EventKind]int{}, map[string]bool{}
	g.teammate = &storagetest.Forger{Origin: "teammate-store", Author: "bob@desk"}
	evs := g.append(model.Change{Kind: model.EventDeclared, Payload: model.DeclaredPayload{Title: "Checkout 500s", Kind: "outage",
		Severity: model.SEV2, Status: model.StatusDetected, Exercise: g.drill, DetectedAt: g.c.t.Add(-4 * time.Minute)}})
	g.id, g.status = evs[0].IncidentID, model.StatusDetected
	evs = append(evs, g.append(model.Change{IncidentID: g.id, Kind: model.EventRoleAssigned, Payload: model.RoleAssignedPayload{Role: model.RoleCommander, Holder: "alice@laptop"}})...)
	if g.drill {
		evs = append(evs, g.append(model.Change{IncidentID: g.id, Kind: model.EventExerciseStarted, Payload: model.ExerciseStartedPayload{
			Scenario: "region-outage", Title: "Region outage", Hash: "abc", Text: "# Region outage", Start: g.c.t,
			Injects: []model.Inject{{Offset: 3 * time.Minute, Title: "alerts fire"}, {Offset: 20 * time.Minute, Title: "replica lag"},
				{Offset: 45 * time.Minute, Title: "press asks"}, {Offset: 90 * time.Minute, Title: "region back"}}}})...)
	}
	return evs
}

// next makes one random change (a clash makes two) and returns its events.
func (g *incidentGen) next() []model.Event {
	g.c.t = g.c.t.Add(time.Duration(5+g.rng.IntN(115)) * time.Second)
	id := g.id
	switch n := g.rng.IntN(100); {
	case n < 30:
		return g.append(model.Change{IncidentID: id, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKinds[g.rng.IntN(3)], Text: fmt.Sprintf("note %d #2a", n)}})
	case n < 34: // written down late: placed before what came just before it
		return g.append(model.Change{IncidentID: id, Kind: model.EventNote, Occurred: g.c.t.Add(-3 * time.Minute), Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "late"}})
	case n < 42:
		s := model.Statuses[g.rng.IntN(len(model.Statuses))]
		from := g.status
		g.status = s
		return g.append(model.Change{IncidentID: id, Kind: model.EventStatusChanged, Payload: model.StatusPayload{Status: s, From: from, Reason: "because"}})
	case n < 46:
		return g.append(model.Change{IncidentID: id, Kind: model.EventSeverityChanged, Payload: model.SeverityPayload{Severity: model.Severities[g.rng.IntN(4)]}})
	case n < 48:
		return g.append(model.Change{IncidentID: id, Kind: model.EventRetitled, Payload: model.RetitledPayload{Title: fmt.Sprintf("Title %d", n)}})
	case n < 56:
		return g.role()
	case n < 60:
		return g.attach()
	case n < 70:
		state := []model.StepState{model.StepDone, model.StepSkipped, model.StepBlocked, model.StepOpen}[g.rng.IntN(4)]
		return g.append(model.Change{IncidentID: id, Kind: model.EventStepChanged, Payload: model.StepPayload{Runbook: []string{"db", "edge"}[g.rng.IntN(2)],
			Step: g.rng.IntN(4), Title: "a step", State: state, Reason: "why"}})
	case n < 84:
		return g.correct()
	case n < 88:
		return g.append(model.Change{IncidentID: id, Kind: model.EventMessageSent, Payload: model.MessagePayload{Audience: model.AudienceInternal, Text: "update"}})
	case n < 91:
		return g.teammateEvent()
	}
	if g.drill {
		return g.drillChange()
	}
	return g.append(model.Change{IncidentID: id, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindDecision, Text: "decided"}})
}

// role hands a role over, releases it, or has two people take it at once.
func (g *incidentGen) role() []model.Event {
	ctx := context.Background()
	role := []model.Role{model.RoleCommander, model.RoleScribe, model.RoleCommunications}[g.rng.IntN(3)]
	holder, ev, err := g.st.RoleEvent(ctx, g.id, role)
	if err != nil {
		g.t.Fatal(err)
	}
	who := genPeople[g.rng.IntN(len(genPeople))]
	switch g.rng.IntN(4) {
	case 0:
		who = "" // released
	case 1: // a teammate offline took it from the same starting point
		g.clashes++
		e := g.forge(model.EventRoleAssigned, model.RoleAssignedPayload{Role: role, Holder: "erin@laptop", Previous: holder, Replaces: ev}, nil)
		return append(e, g.append(model.Change{IncidentID: g.id, Kind: model.EventRoleAssigned, Payload: model.RoleAssignedPayload{Role: role, Holder: who, Previous: holder, Replaces: ev}})...)
	}
	if holder != "" && who != "" {
		g.handovers++
	}
	if holder == "" && who == "" {
		who = "chen@laptop"
	}
	return g.append(model.Change{IncidentID: g.id, Kind: model.EventRoleAssigned, Payload: model.RoleAssignedPayload{Role: role, Holder: who, Previous: holder, Replaces: ev}})
}

func (g *incidentGen) attach() []model.Event {
	name := []string{"db", "edge"}[g.rng.IntN(2)]
	text := fmt.Sprintf("# %s\n\n1. Check it\n2. Fix it (v%d)\n", name, g.rng.IntN(3))
	return g.append(model.Change{IncidentID: g.id, Kind: model.EventRunbookAttached, Payload: model.RunbookAttachedPayload{Name: name, Title: "Runbook " + name,
		Source: "test", Hash: fmt.Sprintf("%x", len(text)), Text: text}})
}

// correct pins, unpins, amends or retracts a note still standing.
func (g *incidentGen) correct() []model.Event {
	var standing []string
	for _, n := range g.notes {
		if !g.retracted[n] {
			standing = append(standing, n)
		}
	}
	if len(standing) == 0 {
		return g.append(model.Change{IncidentID: g.id, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "first"}})
	}
	entry := standing[g.rng.IntN(len(standing))]
	switch g.rng.IntN(4) {
	case 0, 1:
		return g.append(model.Change{IncidentID: g.id, Kind: model.EventPinned, Payload: model.PinnedPayload{Entry: entry, Pinned: g.rng.IntN(3) > 0}})
	case 2:
		return g.append(model.Change{IncidentID: g.id, Kind: model.EventAmended, Payload: model.AmendedPayload{Entry: entry, Text: fmt.Sprintf("amended %d", g.rng.IntN(100))}})
	}
	g.retracted[entry] = true
	return g.append(model.Change{IncidentID: g.id, Kind: model.EventRetracted, Payload: model.RetractedPayload{Entry: entry, Reason: "wrong"}})
}

// teammateEvent is a note from a teammate whose clock ran two minutes
// slow, or one stamped 90 seconds ahead: each is placed by the log's clock.
func (g *incidentGen) teammateEvent() []model.Event {
	p := model.NotePayload{Kind: model.NoteKindNote, Text: "from bob"}
	if g.rng.IntN(2) == 0 {
		return g.forge(model.EventNote, p, func(e *model.Event) {
			e.At, e.Occurred = e.At.Add(-2*time.Minute), e.Occurred.Add(-2*time.Minute)
		})
	}
	return g.forge(model.EventNote, p, func(e *model.Event) {
		e.At, e.Occurred, e.HLC = e.At.Add(90*time.Second), e.Occurred.Add(90*time.Second), model.NewHLC(e.At.Add(90*time.Second))
	})
}

// forge applies an event made on the teammate's store, as sync would.
func (g *incidentGen) forge(kind model.EventKind, payload any, edit func(*model.Event)) []model.Event {
	g.teammate.At = g.c.t
	e := g.teammate.Event(g.id, kind, payload, func(e *model.Event) {
		e.HLC = model.NewHLC(g.c.t).Next(g.c.t) // seen everything here
		if edit != nil {
			edit(e)
		}
	})
	if _, err := g.st.Apply(context.Background(), []model.Event{e}, nil); err != nil {
		g.t.Fatalf("apply %s: %v", kind, err)
	}
	g.counts[kind]++
	g.last = kind
	if kind == model.EventNote {
		g.notes = append(g.notes, e.ID)
	}
	return []model.Event{e}
}

// drillChange pauses, resumes or speeds up the exercise clock, releases
// or skips an inject, or (rarely) ends the drill.
func (g *incidentGen) drillChange() []model.Event {
	c := model.Change{IncidentID: g.id, Kind: model.EventExercisePaused, Payload: model.ExerciseClockPayload{}}
	switch g.rng.IntN(6) {
	case 1:
		c.Kind = model.EventExerciseResumed
	case 2:
		c.Kind, c.Payload = model.EventExerciseSpeed, model.ExerciseClockPayload{Speed: []float64{0.5, 2, 4}[g.rng.IntN(3)]}
	case 3:
		c.Kind, c.Payload = model.EventInjectReleased, model.InjectPayload{Index: g.rng.IntN(4), Title: "early"}
	case 4:
		c.Kind, c.Payload = model.EventInjectSkipped, model.InjectPayload{Index: g.rng.IntN(4), Title: "skipped", Reason: "no time"}
	case 5:
		if g.rng.IntN(4) == 0 {
			c.Kind, c.Payload = model.EventExerciseEnded, model.ExerciseEndedPayload{Reason: "done"}
		}
	}
	return g.append(c)
}

// TestReplayWithoutNotes replays a generated incident as the cockpit does
// for a long one, from its events other than notes and its timeline table
// read as of each moment, and checks that this gives, at every entry's
// time, what the fold of the whole log gives.
func TestReplayWithoutNotes(t *testing.T) {
	ctx := context.Background()
	c := &fakeClock{t: time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)}
	st, err := storage.Open(ctx, filepath.Join(t.TempDir(), "s.db"), storage.Options{Author: "alice@laptop", Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	g := &incidentGen{t: t, st: st, c: c, rng: rand.New(rand.NewPCG(7, 16)), drill: true}
	g.declare()
	for range 60 {
		g.next()
	}
	early, err := st.ReplayEvents(ctx, g.id, 0)
	if err != nil {
		t.Fatal(err)
	}
	for range 60 {
		g.next()
	}
	// What arrived since, added to the log read before, is the log read now.
	since, err := st.ReplayEvents(ctx, g.id, early.Seq)
	if err != nil {
		t.Fatal(err)
	}
	all, err := st.ReplayEvents(ctx, g.id, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(since.Events) == 0 || len(since.Events) >= len(all.Events) {
		t.Fatalf("%d events arrived since, of %d", len(since.Events), len(all.Events))
	}
	if err := sameState(stateOf(all.Replay().Latest()), stateOf(early.Add(since).Replay().Latest())); err != nil {
		t.Fatalf("the log read in two parts differs: %v", err)
	}
	full, err := st.Replay(ctx, g.id)
	if err != nil {
		t.Fatal(err)
	}
	part, err := st.ReplayState(ctx, g.id)
	if err != nil {
		t.Fatal(err)
	}
	if part.Len() >= full.Len() {
		t.Fatalf("the replay without notes read %d events of %d", part.Len(), full.Len())
	}
	for i := range full.Entries() {
		at := full.EntryTime(i)
		want, got := full.At(at), part.At(at)
		entries, err := st.ReplayTimeline(ctx, g.id, at, storage.TimelinePage{})
		if err != nil {
			t.Fatal(err)
		}
		for j := range entries {
			entries[j] = got.Marked(entries[j])
		}
		n, err := st.ReplayCount(ctx, g.id, time.Time{}, at)
		if err != nil {
			t.Fatal(err)
		}
		if n != want.Len() {
			t.Fatalf("at entry %d: counted %d entries, the fold has %d", i, n, want.Len())
		}
		got.Incident.Entries, got.Incident.UpdatedAt = want.Incident.Entries, want.Incident.UpdatedAt
		l := stateOf(got)
		l.Entries = entries
		if err := sameState(stateOf(want), l); err != nil {
			t.Fatalf("at entry %d (%s): %v", i, at.Format(time.RFC3339Nano), err)
		}
		// The newest few, as the cockpit's window reads them.
		last, err := st.ReplayTimeline(ctx, g.id, at, storage.TimelinePage{Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		if k := min(5, len(entries)); len(last) != k || len(last) > 0 && last[k-1].EventID != entries[len(entries)-1].EventID {
			t.Fatalf("at entry %d: the newest %d entries read %d, ending %v", i, k, len(last), last)
		}
		if next, ok, err := st.ReplayNeighbour(ctx, g.id, at, true); err != nil || ok != (i+1 < full.Entries() && full.EntryTime(full.Entries()-1).After(at)) || ok && !next.After(at) {
			t.Fatalf("at entry %d: next entry %v %v %v", i, next, ok, err)
		}
	}
}
