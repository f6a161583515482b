package model

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// exEvent makes an exercise event at t0+at (wall).
func exEvent(n int, kind EventKind, at time.Duration, payload any) Event {
	b, _ := json.Marshal(payload)
	when := t0.Add(at)
	return Event{ID: fmt.Sprintf("e%03d", n), IncidentID: "inc", Kind: kind, Payload: b, Author: "fac", At: when, Occurred: when, HLC: NewHLC(when) + HLC(n)}
}

func drillStart(speed float64) Event {
	return exEvent(0, EventExerciseStarted, 0, ExerciseStartedPayload{Scenario: "dr", Title: "DR", Start: t0, Speed: speed,
		Injects: []Inject{{Offset: 0, Title: "alerts"}, {Offset: 10 * time.Minute, Title: "status page"}, {Offset: 30 * time.Minute, Title: "region down"}},
		Objectives: []Objective{
			{ID: "rto", Kind: ObjectiveRTO, Title: "Restored", Target: time.Hour},
			{ID: "customers-informed", Kind: ObjectiveMilestone, Title: "Customers informed", Target: 15 * time.Minute},
			{ID: "decision-made", Kind: ObjectiveMilestone, Title: "Decision made", Target: 20 * time.Minute},
			{ID: "rpo", Kind: ObjectiveRPO, Title: "Data loss", Target: 5 * time.Minute},
			{ID: "runbook-dr", Kind: ObjectiveRunbook, Title: "DR runbook done", Runbook: "dr"},
		}})
}

func TestExerciseClockPauseAndSpeed(t *testing.T) {
	events := []Event{
		drillStart(0),
		exEvent(1, EventExercisePaused, 5*time.Minute, ExerciseClockPayload{}),
		exEvent(2, EventExerciseResumed, 15*time.Minute, ExerciseClockPayload{}),
		exEvent(3, EventExerciseSpeed, 20*time.Minute, ExerciseClockPayload{Speed: 2}),
		exEvent(4, EventExercisePaused, 21*time.Minute, ExerciseClockPayload{}), // pausing twice changes nothing
		exEvent(5, EventExercisePaused, 22*time.Minute, ExerciseClockPayload{}),
		exEvent(6, EventExerciseResumed, 25*time.Minute, ExerciseClockPayload{}),
	}
	// Any order gives the same state.
	rev := append([]Event(nil), events...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	for _, evs := range [][]Event{events, rev} {
		x, ok := BuildExercise(evs)
		if !ok {
			t.Fatal("no exercise")
		}
		cases := []struct {
			wall, want time.Duration
			paused     bool
		}{
			{0, 0, false},
			{5 * time.Minute, 5 * time.Minute, true},
			{10 * time.Minute, 5 * time.Minute, true},   // paused
			{20 * time.Minute, 10 * time.Minute, false}, // resumed at 15
			{21 * time.Minute, 12 * time.Minute, true},  // 1 wall minute at 2x
			{25 * time.Minute, 12 * time.Minute, false},
			{30 * time.Minute, 22 * time.Minute, false}, // 5 wall minutes at 2x
		}
		for _, c := range cases {
			if got := x.Elapsed(t0.Add(c.wall)); got != c.want {
				t.Errorf("elapsed at wall +%v = %v, want %v", c.wall, got, c.want)
			}
			if got := x.Paused(t0.Add(c.wall)); got != c.paused {
				t.Errorf("paused at +%v = %v, want %v", c.wall, got, c.paused)
			}
		}
		// Injects fall due when the exercise clock reaches their offsets.
		due := map[string]time.Duration{"alerts": 0, "status page": 20 * time.Minute, "region down": 34 * time.Minute} // 12m at wall 25, then 18m more at 2x
		for _, st := range x.Injects(t0.Add(time.Hour)) {
			if st.State != InjectReleased || st.ReleasedAt != t0.Add(due[st.Title]) {
				t.Errorf("inject %q: %s at %v, want released at +%v", st.Title, st.State, st.ReleasedAt.Sub(t0), due[st.Title])
			}
		}
		at := x.Injects(t0.Add(19 * time.Minute))
		if at[0].State != InjectReleased || at[1].State != InjectPending || at[2].State != InjectPending {
			t.Errorf("at wall +19m: %s %s %s", at[0].State, at[1].State, at[2].State)
		}
		if next, ok := x.NextInject(t0.Add(19 * time.Minute)); !ok || next.Title != "status page" {
			t.Errorf("next inject %+v", next)
		}
		if got := x.Speed(t0.Add(30 * time.Minute)); got != 2 {
			t.Errorf("speed %v", got)
		}
	}
}

func TestExerciseStartSpeedAndEnd(t *testing.T) {
	x, _ := BuildExercise([]Event{drillStart(4), exEvent(1, EventExerciseEnded, 10*time.Minute, ExerciseEndedPayload{})})
	if got := x.Elapsed(t0.Add(5 * time.Minute)); got != 20*time.Minute {
		t.Errorf("4x speed: %v", got)
	}
	if got := x.Elapsed(t0.Add(time.Hour)); got != 40*time.Minute {
		t.Errorf("after the end the clock stops: %v", got)
	}
	sts := x.Injects(t0.Add(time.Hour))
	if sts[2].State != InjectReleased || sts[2].ReleasedAt != t0.Add(7*time.Minute+30*time.Second) {
		t.Errorf("inject at +30m on a 4x clock: %+v", sts[2])
	}
	// While paused the next inject has no due time; it cannot come.
	p, _ := BuildExercise([]Event{drillStart(0), exEvent(1, EventExercisePaused, time.Minute, ExerciseClockPayload{})})
	if st := p.Injects(t0.Add(time.Hour))[1]; st.State != InjectPending || !st.Due.IsZero() {
		t.Errorf("paused clock released %+v", st)
	}
}

func TestInjectOverrides(t *testing.T) {
	x, _ := BuildExercise([]Event{
		drillStart(0),
		exEvent(1, EventInjectReleased, 2*time.Minute, InjectPayload{Index: 2, Title: "region down"}),
		exEvent(2, EventInjectSkipped, 3*time.Minute, InjectPayload{Index: 1, Title: "status page", Reason: "short on time"}),
	})
	sts := x.Injects(t0.Add(time.Hour))
	if sts[2].State != InjectReleased || !sts[2].Early || sts[2].ReleasedAt != t0.Add(2*time.Minute) || sts[2].By != "fac" {
		t.Errorf("early release: %+v", sts[2])
	}
	if sts[1].State != InjectSkipped || sts[1].Reason != "short on time" {
		t.Errorf("skip: %+v", sts[1])
	}
	if before := x.Injects(t0.Add(time.Minute)); before[2].State != InjectPending {
		t.Errorf("released before the release event: %+v", before[2])
	}
	entries := x.InjectEntries(t0.Add(time.Hour))
	if len(entries) != 1 || entries[0].Text[:8] != "Inject 1" {
		t.Errorf("derived entries: %+v", entries)
	}
}

func TestObjectivesMetAndMissed(t *testing.T) {
	x, _ := BuildExercise([]Event{drillStart(0)})
	in := Incident{ID: "inc", Severity: SEV1, Status: StatusMitigated, Milestones: MilestoneTimes{Detected: t0, Mitigated: t0.Add(50 * time.Minute)}}
	log := DrillLog{
		Incident: in,
		Entries: []TimelineEntry{
			{Kind: EventNote, NoteKind: NoteKindDecision, Text: "Fail over now #decision-made", Occurred: t0.Add(25 * time.Minute)},
			{Kind: EventNote, NoteKind: NoteKindNote, Text: "#rpo 3m of writes lost", Occurred: t0.Add(40 * time.Minute)},
		},
		Messages:     []Message{{Audience: AudienceCustomers, At: t0.Add(12 * time.Minute)}},
		RunbookSteps: map[string]int{"dr": 2},
		Steps:        []StepStatus{{Runbook: "dr", Step: 0, State: StepDone, At: t0.Add(30 * time.Minute)}},
	}
	want := map[string]ObjectiveState{"rto": ObjectiveMet, "customers-informed": ObjectiveMet, "decision-made": ObjectiveMissed, "rpo": ObjectiveMet, "runbook-dr": ObjectiveOpen}
	results := x.Objectives(log, t0.Add(55*time.Minute))
	if len(results) != len(want) {
		t.Fatalf("%d objectives, want %d: %+v", len(results), len(want), results)
	}
	for _, r := range results {
		if r.State != want[r.ID] {
			t.Errorf("%s: %s (%s), want %s", r.ID, r.State, r.Evidence, want[r.ID])
		}
		if r.ID == "rto" && r.Took != 50*time.Minute {
			t.Errorf("rto took %v", r.Took)
		}
	}
	// Before anything happened, objectives past their target are missed, the rest open.
	early := DrillLog{Incident: Incident{ID: "inc", Severity: SEV1, Status: StatusInvestigating}}
	for _, r := range x.Objectives(early, t0.Add(16*time.Minute)) {
		w := ObjectiveOpen
		if r.ID == "customers-informed" {
			w = ObjectiveMissed
		}
		if r.State != w {
			t.Errorf("early %s: %s, want %s", r.ID, r.State, w)
		}
	}
	// A stated loss above the RPO misses it; the runbook done at last meets its objective.
	log.Entries[1].Text = "#rpo 9m lost"
	log.Steps = append(log.Steps, StepStatus{Runbook: "dr", Step: 1, State: StepSkipped, Reason: "n/a", At: t0.Add(52 * time.Minute)})
	for _, r := range x.Objectives(log, t0.Add(55*time.Minute)) {
		if r.ID == "rpo" && r.State != ObjectiveMissed {
			t.Errorf("rpo 9m > 5m: %s", r.State)
		}
		if r.ID == "runbook-dr" && (r.State != ObjectiveMet || r.At != t0.Add(52*time.Minute)) {
			t.Errorf("runbook: %+v", r)
		}
	}
}

func TestHasTag(t *testing.T) {
	for text, want := range map[string]bool{"#rpo 3m": true, "x #RPO": true, "#rpox": false, "#rp": false, "a #rpo-b #rpo.": true} {
		if hasTag(text, "rpo") != want {
			t.Errorf("hasTag(%q) != %v", text, want)
		}
	}
}

// An objective about declaring the incident and naming its commander is met
// by the declaration and the role taken at T+0; one that names
// only one of them by that one; unrelated milestones are not.
func TestObjectiveDeclaredAndCommanderNamed(t *testing.T) {
	start := drillStart(0)
	var p ExerciseStartedPayload
	_ = json.Unmarshal(start.Payload, &p)
	p.Objectives = []Objective{
		{ID: "incident-declared-and-commander-named", Kind: ObjectiveMilestone, Title: "Incident declared and commander named", Target: 10 * time.Minute},
		{ID: "ic-named", Kind: ObjectiveMilestone, Title: "IC named", Target: 10 * time.Minute},
		{ID: "decision-made", Kind: ObjectiveMilestone, Title: "Decision made", Target: 20 * time.Minute},
		{ID: "attack-confirmed", Kind: ObjectiveMilestone, Title: "Attack confirmed and incident declared", Target: 15 * time.Minute},
	}
	start = exEvent(0, EventExerciseStarted, 0, p)
	x, _ := BuildExercise([]Event{start})
	log := DrillLog{
		Incident: Incident{ID: "inc", DeclaredAt: t0, Status: StatusInvestigating, Commander: "alice"},
		Entries: []TimelineEntry{
			{Kind: EventDeclared, Occurred: t0, Text: "Declared SEV1 dr incident (EXERCISE): DR"},
			{Kind: EventRoleAssigned, Occurred: t0, Text: "Incident Commander taken by alice"},
		},
	}
	got := x.Objectives(log, t0.Add(30*time.Minute))
	want := []ObjectiveState{ObjectiveMet, ObjectiveMet, ObjectiveMissed, ObjectiveMissed} // the attack is confirmed by a tagged note
	if len(got) != len(want) {
		t.Fatalf("%d objectives, want %d: %+v", len(got), len(want), got)
	}
	for i, o := range got {
		if o.State != want[i] {
			t.Errorf("%s: %s (%s), want %s", o.ID, o.State, o.Evidence, want[i])
		}
	}
	if got[0].Took != 0 || got[0].Evidence != "incident declared, commander named" {
		t.Errorf("declared objective: took %v, evidence %q", got[0].Took, got[0].Evidence)
	}
	// Commander named only later, after the role was released: met then, late.
	log.Entries[1] = TimelineEntry{Kind: EventRoleAssigned, Occurred: t0, Text: "Incident Commander released by alice"}
	log.Entries = append(log.Entries, TimelineEntry{Kind: EventRoleAssigned, Occurred: t0.Add(12 * time.Minute), Text: "Incident Commander handed from  to bob"})
	if o := x.Objectives(log, t0.Add(30*time.Minute))[0]; o.State != ObjectiveMissed || o.Took != 12*time.Minute {
		t.Errorf("commander named at +12m against 10m: %s at %v", o.State, o.Took)
	}
}

// A drill's RTO is not met by a mitigation the team later reopened, and
// nothing logged from the end of the drill on counts.
func TestObjectivesReopenedAndAfterEnd(t *testing.T) {
	x, _ := BuildExercise([]Event{drillStart(0), exEvent(1, EventExerciseEnded, 40*time.Minute, ExerciseEndedPayload{})})
	in := Incident{ID: "inc", DeclaredAt: t0, Status: StatusInvestigating, Milestones: MilestoneTimes{Detected: t0, Mitigated: t0.Add(20 * time.Minute)}}
	if o := x.Objectives(DrillLog{Incident: in}, t0.Add(time.Hour))[0]; o.State != ObjectiveMissed {
		t.Errorf("rto with the mitigation reopened: %s", o.State)
	}
	in.Status = StatusMitigated
	if o := x.Objectives(DrillLog{Incident: in}, t0.Add(time.Hour))[0]; o.State != ObjectiveMet {
		t.Errorf("rto mitigated at +20m: %s", o.State)
	}
	in.Status, in.Milestones.Mitigated, in.Milestones.Resolved = StatusResolved, time.Time{}, t0.Add(40*time.Minute)
	if o := x.Objectives(DrillLog{Incident: in}, t0.Add(time.Hour))[0]; o.State != ObjectiveMissed {
		t.Errorf("rto resolved as the drill ended: %s", o.State)
	}
}

// One range of speeds for the command line and the cockpit.
func TestCheckSpeed(t *testing.T) {
	for _, ok := range []float64{MinSpeed, 0.5, 1, 2, MaxSpeed} {
		if err := CheckSpeed(ok); err != nil {
			t.Errorf("CheckSpeed(%g): %v", ok, err)
		}
	}
	for _, bad := range []float64{0, -1, 0.1, 100, 1000} {
		if err := CheckSpeed(bad); err == nil {
			t.Errorf("CheckSpeed(%g) accepted", bad)
		}
	}
}

// An inject's expected actions are judged as milestone objectives are: a
// note, decision or action carrying the action's tag (#2a), logged once the
// inject was released and before the drill ended, answers it. Nothing
// before the release, nothing retracted, nothing after the end, and no
// longer tag (#2ab) counts; an inject not yet released has nothing to judge.
func TestExpectedActions(t *testing.T) {
	start := drillStart(0)
	p, _ := Decode[ExerciseStartedPayload](start)
	p.Injects[1].Expected = []string{"Check the provider's status page", "Name who watches it", "Tell support"}
	p.Injects[2].Expected = []string{"Fail over"}
	start.Payload, _ = json.Marshal(p)
	x, _ := BuildExercise([]Event{start, exEvent(1, EventExerciseEnded, 40*time.Minute, ExerciseEndedPayload{})})
	note := func(at time.Duration, text string, retracted bool) TimelineEntry {
		return TimelineEntry{Kind: EventNote, NoteKind: NoteKindNote, Occurred: t0.Add(at), Author: "bob", Text: text, Retracted: retracted}
	}
	entries := []TimelineEntry{
		note(5*time.Minute, "#2a looked early", false),                                        // before inject 2's release at 10m
		note(11*time.Minute, "wrong #2ab tag", false),                                         // another tag
		note(12*time.Minute, "retracted #2b", true),                                           // retracted
		note(14*time.Minute, "Provider page is green #2A", false),                             // tags ignore case
		{Kind: EventStepChanged, Occurred: t0.Add(15 * time.Minute), Text: "Done step 1 #2b"}, // not a note
		note(45*time.Minute, "after the end #2c", false),
	}
	now := t0.Add(50 * time.Minute)
	injects := x.Injects(now)
	got := x.ExpectedActions(injects[1], entries, now)
	if len(got) != 3 {
		t.Fatalf("%d expected actions, want 3", len(got))
	}
	if a := got[0]; a.Tag != "2a" || !a.Answered || !a.At.Equal(t0.Add(14*time.Minute)) || a.By != "bob" || a.Evidence != "Provider page is green #2A" {
		t.Errorf("2a: %+v", a)
	}
	for _, a := range got[1:] {
		if a.Answered {
			t.Errorf("%s answered by %q", a.Tag, a.Evidence)
		}
	}
	if got[1].Tag != "2b" || got[2].Tag != "2c" || got[2].Text != "Tell support" {
		t.Errorf("tags %s %s %q", got[1].Tag, got[2].Tag, got[2].Text)
	}
	// Inject 3 at 30m: released; its action not seen.
	if got := x.ExpectedActions(injects[2], entries, now); len(got) != 1 || got[0].Tag != "3a" || got[0].Answered {
		t.Errorf("inject 3: %+v", got)
	}
	// Before inject 2's release its actions are not judged.
	early := t0.Add(9 * time.Minute)
	if got := x.ExpectedActions(x.Injects(early)[1], entries, early); got != nil {
		t.Errorf("pending inject judged: %+v", got)
	}
	if ExpectedTag(1, 26) != "2-27" {
		t.Errorf("27th tag %q", ExpectedTag(1, 26))
	}
}

// BenchmarkExpectedActions judges every expected action of a drill with
// seven released injects of three actions each against 2,000 notes (one
// in ten tagged, none answering), as the
// facilitator panel does on every frame.
func BenchmarkExpectedActions(b *testing.B) {
	start := drillStart(0)
	p, _ := Decode[ExerciseStartedPayload](start)
	p.Injects = nil
	for i := range 7 {
		p.Injects = append(p.Injects, Inject{Offset: time.Duration(i) * time.Minute, Title: "inject", Expected: []string{"one", "two", "three"}})
	}
	start.Payload, _ = json.Marshal(p)
	x, _ := BuildExercise([]Event{start})
	var entries []TimelineEntry
	for i := range 2000 {
		entries = append(entries, TimelineEntry{Kind: EventNote, Occurred: t0.Add(time.Duration(i) * time.Second),
			Text: fmt.Sprintf("note %d about the replica lag and the DNS token", i)})
		if i%10 == 0 {
			entries[i].Text += " #finding"
		}
	}
	now := t0.Add(time.Hour)
	injects := x.Injects(now)
	for b.Loop() {
		for _, in := range injects {
			x.ExpectedActions(in, entries, now)
		}
	}
}

// hasTag matches in any case, at a tag's end only, wherever the # is.
func TestHasTagCases(t *testing.T) {
	for _, tc := range []struct {
		text, tag string
		want      bool
	}{
		{"seen #2A.", "2a", true}, {"#2ab", "2a", false}, {"#2a-b", "2a", false}, {"x##2a", "2a", true}, {"#2", "2a", false},
		{"é#2aé", "2a", true}, {"#Décision", "décision", true}, {"#decision_", "decision", false}, {"", "x", false}, {"#", "x", false},
	} {
		if got := hasTag(tc.text, tc.tag); got != tc.want {
			t.Errorf("hasTag(%q, %q) = %v, want %v", tc.text, tc.tag, got, tc.want)
		}
	}
}

func TestCoalesceSpeedChanges(t *testing.T) {
	speed := func(sec int, x string) TimelineEntry {
		return TimelineEntry{EventID: x, Kind: EventExerciseSpeed, Author: "fac", Occurred: t0.Add(time.Duration(sec) * time.Second), Text: "Exercise clock speed set to " + x}
	}
	note := TimelineEntry{EventID: "n", Kind: EventNote, Author: "fac", Occurred: t0.Add(10 * time.Second), Text: "hello"}
	got := CoalesceSpeedChanges([]TimelineEntry{speed(1, "2x"), speed(2, "4x"), speed(3, "8x"), note, speed(20, "4x"), speed(200, "2x")})
	var texts []string
	for _, e := range got {
		texts = append(texts, e.Text)
	}
	want := []string{"Exercise clock speed set to 2x → 4x → 8x", "hello", "Exercise clock speed set to 4x", "Exercise clock speed set to 2x"}
	if strings.Join(texts, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", texts, want)
	}
	if got[0].EventID != "8x" {
		t.Errorf("the merged line is not at the last change: %+v", got[0])
	}
}

// TestParseOffsetRunSheet: offsets written with their plus sign may leave
// the unit out, as facilitators' run-sheets do (T+00, T+15 are minutes,
// T+1:30 hours and minutes); without the sign a unit is still required.
func TestParseOffsetRunSheet(t *testing.T) {
	for text, want := range map[string]time.Duration{
		"T+00": 0, "T+15": 15 * time.Minute, "+5": 5 * time.Minute, "t+90": 90 * time.Minute,
		"T+1:30": 90 * time.Minute, "T+00:15": 15 * time.Minute, "+5m": 5 * time.Minute, "T+1h30m": 90 * time.Minute, "+2d": 48 * time.Hour,
	} {
		if got, err := ParseOffset(text); err != nil || got != want {
			t.Errorf("ParseOffset(%q) = %v, %v; want %v", text, got, err, want)
		}
	}
	for _, text := range []string{"5", "30", "01:30", "T+1.5", "T+1:75", "T+1:5", "T+-5", "T++5", "T+", "T+1:30:00"} {
		if d, err := ParseOffset(text); err == nil {
			t.Errorf("ParseOffset(%q) = %v, want an error", text, d)
		}
	}
}
