package model

import (
	"strings"
	"testing"
	"time"
)

func TestNextUpdateDue(t *testing.T) {
	in := Incident{ID: "x", Title: "Checkout down", Severity: SEV1, Status: StatusInvestigating, DeclaredAt: t0, Milestones: MilestoneTimes{Detected: t0}}
	p := DefaultCadence()
	// Nothing sent: the first external message is due 5 minutes after detection.
	d, ok := NextUpdateDue(in, nil, nil, p, t0.Add(3*time.Minute))
	if !ok || d.At != t0.Add(5*time.Minute) || d.Late {
		t.Fatalf("first: %+v %v", d, ok)
	}
	if d, _ := NextUpdateDue(in, nil, nil, p, t0.Add(6*time.Minute)); !d.Late {
		t.Errorf("not late after 6m: %+v", d)
	}
	msgs := []Message{{Audience: AudienceCustomers, At: t0.Add(4 * time.Minute)}, {Audience: AudienceInternal, At: t0.Add(4 * time.Minute)}}
	dues := UpdatesDue(in, nil, msgs, p, t0.Add(10*time.Minute))
	got := map[Audience]time.Time{}
	for _, d := range dues {
		got[d.Audience] = d.At
	}
	want := map[Audience]time.Time{AudienceCustomers: t0.Add(24 * time.Minute), AudienceInternal: t0.Add(24 * time.Minute), AudienceExecutive: t0.Add(30 * time.Minute)}
	for a, w := range want {
		if !got[a].Equal(w) {
			t.Errorf("%s due %v, want %v", a, got[a].Sub(t0), w.Sub(t0))
		}
	}
	// After two hours the customer cadence relaxes to hourly.
	late := []Message{{Audience: AudienceCustomers, At: t0.Add(150 * time.Minute)}}
	customers := false
	for _, d := range UpdatesDue(in, nil, late, p, t0.Add(151*time.Minute)) {
		if d.Audience == AudienceCustomers {
			customers = true
			if d.At != t0.Add(210*time.Minute) {
				t.Errorf("after 2h: due %v", d.At.Sub(t0))
			}
		}
	}
	if !customers {
		t.Error("after 2h: no customer update due at all")
	}
	in.Status = StatusResolved
	if _, ok := NextUpdateDue(in, nil, nil, p, t0); ok {
		t.Error("a resolved incident has updates due")
	}
	in.Status, in.Severity = StatusInvestigating, SEV4
	if _, ok := NextUpdateDue(in, nil, nil, p, t0); ok {
		t.Error("SEV4 has updates due by default")
	}
}

func TestScoreCadence(t *testing.T) {
	in := Incident{Severity: SEV2, Status: StatusInvestigating, Milestones: MilestoneTimes{Detected: t0}}
	msgs := []Message{{Audience: AudienceCustomers, At: t0.Add(4 * time.Minute)}, {Audience: AudienceCustomers, At: t0.Add(50 * time.Minute)}}
	sc := ScoreCadence(in, nil, msgs, CadencePolicy{SEV2: {AudienceCustomers: {First: 5 * time.Minute, Every: 20 * time.Minute}}}, t0.Add(60*time.Minute))
	// Due at 5 (met by 4), 24 (missed), 44 (missed), then 70 after the one at 50.
	if sc.Sent != 2 || sc.OnTime != 1 || len(sc.Missed) != 2 || sc.Missed[0].At != t0.Add(24*time.Minute) || sc.Missed[1].At != t0.Add(44*time.Minute) {
		t.Errorf("score %+v", sc)
	}
}

func TestFillMessageAndCadenceConfig(t *testing.T) {
	in := Incident{ID: "0190aaaa-bbbb-7ccc-8ddd-eeeeffff0001", Title: "Checkout down", Severity: SEV1, Status: StatusMitigated, Commander: "alice",
		Exercise: true, Milestones: MilestoneTimes{Detected: t0}}
	tm, err := FindTemplate("customers")
	if err != nil {
		t.Fatal(err)
	}
	text, err := FillMessage(tm, in, MessageFacts{Impact: "payments failing for EU"}, t0.Add(time.Hour), t0.Add(30*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[EXERCISE", "Monitoring: Checkout down", "payments failing for EU", "by 11:00 UTC"} {
		if !strings.Contains(text, want) {
			t.Errorf("customer notice lacks %q:\n%s", want, text)
		}
	}
	if _, err := FindTemplate("press"); err == nil {
		t.Error("found a template that does not exist")
	}
	c, err := ParseCadence("first=10m every=15m for=1h then=45m")
	if err != nil || c.First != 10*time.Minute || c.EveryAfter != 45*time.Minute {
		t.Errorf("parse cadence: %+v %v", c, err)
	}
	if _, err := ParseCadence("often"); err == nil {
		t.Error("accepted a bad cadence")
	}
}

// In a drill, update deadlines run on the exercise clock: the same policy
// falls due sooner at double speed, stands still while paused, and is
// scored the same way in the after-action report.
func TestDrillCadenceOnExerciseClock(t *testing.T) {
	p := CadencePolicy{SEV2: {AudienceCustomers: {First: 10 * time.Minute, Every: 20 * time.Minute}}}
	in := Incident{Severity: SEV2, Status: StatusInvestigating, Exercise: true, DeclaredAt: t0, Milestones: MilestoneTimes{Detected: t0}}
	twice, _ := BuildExercise([]Event{drillStart(2)})
	// 10 exercise minutes at 2x is 5 wall minutes.
	d, ok := NextUpdateDue(in, &twice, nil, p, t0.Add(time.Minute))
	if !ok || !d.At.Equal(t0.Add(5*time.Minute)) || d.Late {
		t.Fatalf("at 2x: due +%v late %v, want +5m on time", d.At.Sub(t0), d.Late)
	}
	if d, _ := NextUpdateDue(in, &twice, nil, p, t0.Add(6*time.Minute)); !d.Late || d.LateBy != 2*time.Minute {
		t.Errorf("at 2x, 6 wall minutes (12 exercise minutes) in: late %v by %v, want late by 2m of exercise time", d.Late, d.LateBy)
	}
	if d, _ := NextUpdateDue(in, nil, nil, p, t0.Add(13*time.Minute)); !d.Late || d.LateBy != 3*time.Minute {
		t.Errorf("a real incident 13 minutes in: late %v by %v, want 3m", d.Late, d.LateBy)
	}
	// The same policy on wall time says the opposite at wall +6m.
	if d, _ := NextUpdateDue(in, nil, nil, p, t0.Add(6*time.Minute)); d.Late {
		t.Error("a real incident is late 6 minutes into a 10-minute deadline")
	}

	// Paused at wall +4m (exercise +4m) for 30 minutes: nothing falls due
	// during the pause, and the deadline stays 6 minutes away.
	paused, _ := BuildExercise([]Event{drillStart(1), exEvent(1, EventExercisePaused, 4*time.Minute, ExerciseClockPayload{})})
	for _, wall := range []time.Duration{5 * time.Minute, 20 * time.Minute, 34 * time.Minute} {
		now := t0.Add(wall)
		d, ok := NextUpdateDue(in, &paused, nil, p, now)
		if !ok || d.Late || d.At.Sub(now) != 6*time.Minute {
			t.Errorf("paused, at wall +%v: due in %v late %v, want 6m on time", wall, d.At.Sub(now), d.Late)
		}
	}
	resumed, _ := BuildExercise([]Event{drillStart(1),
		exEvent(1, EventExercisePaused, 4*time.Minute, ExerciseClockPayload{}),
		exEvent(2, EventExerciseResumed, 34*time.Minute, ExerciseClockPayload{})})
	if d, _ := NextUpdateDue(in, &resumed, nil, p, t0.Add(35*time.Minute)); d.Late || !d.At.Equal(t0.Add(40*time.Minute)) {
		t.Errorf("resumed: due +%v late %v, want +40m on time", d.At.Sub(t0), d.Late)
	}

	// Scoring the same drill at wall +64m (exercise +34m), with one update
	// at wall +3m: on the exercise clock the next deadline, +23m, falls at
	// wall +53m and is missed once; +43m is not reached. On wall time the
	// same message would leave +23m, +43m and +63m all missed.
	msgs := []Message{{Audience: AudienceCustomers, At: t0.Add(3 * time.Minute)}}
	sc := ScoreCadence(in, &resumed, msgs, p, t0.Add(64*time.Minute))
	if sc.Sent != 1 || sc.OnTime != 1 || len(sc.Missed) != 1 || !sc.Missed[0].At.Equal(t0.Add(53*time.Minute)) {
		t.Errorf("drill score %+v, want 1 sent on time and one deadline missed at wall +53m", sc)
	}
	if wall := ScoreCadence(in, nil, msgs, p, t0.Add(64*time.Minute)); len(wall.Missed) != 3 {
		t.Errorf("wall-time score %+v, want 3 missed", wall)
	}
}

// Once a drill has ended nothing falls due, even if its incident was left
// active; a deadline the clock reached just as it was paused
// is due now, not in the past.
func TestDrillCadenceAfterEnd(t *testing.T) {
	p := CadencePolicy{SEV2: {AudienceCustomers: {First: 10 * time.Minute, Every: 20 * time.Minute}}}
	in := Incident{Severity: SEV2, Status: StatusInvestigating, Exercise: true, DeclaredAt: t0, Milestones: MilestoneTimes{Detected: t0}}
	ended, _ := BuildExercise([]Event{drillStart(1), exEvent(1, EventExerciseEnded, 30*time.Minute, ExerciseEndedPayload{})})
	if _, ok := NextUpdateDue(in, &ended, nil, p, t0.Add(20*time.Minute)); !ok {
		t.Error("nothing due before the end")
	}
	if d, ok := NextUpdateDue(in, &ended, nil, p, t0.Add(40*time.Minute)); ok {
		t.Errorf("due after the end: %+v", d)
	}
	pausedAtDue, _ := BuildExercise([]Event{drillStart(1), exEvent(1, EventExercisePaused, 10*time.Minute, ExerciseClockPayload{})})
	now := t0.Add(25 * time.Minute)
	if d, ok := NextUpdateDue(in, &pausedAtDue, nil, p, now); !ok || d.Late || !d.At.Equal(now) {
		t.Errorf("paused at the deadline: %+v, want due now (%v), not late", d, now)
	}
}

// A resolved incident's updates say it is over, with no next update and no
// "under investigation"; the customer notice dates the impact from the
// review's impact start when there is one.
func TestMessagesFitTheStage(t *testing.T) {
	in := Incident{ID: "0190aaaa-bbbb-7ccc-8ddd-eeeeffff0001", Title: "Checkout down", Severity: SEV1, Status: StatusResolved, Commander: "alice",
		Milestones: MilestoneTimes{Detected: t0, Mitigated: t0.Add(20 * time.Minute), Resolved: t0.Add(45 * time.Minute)}}
	now := t0.Add(2 * time.Hour)
	facts := MessageFacts{ImpactStart: t0.Add(-10 * time.Minute)}
	for _, tc := range []struct {
		template string
		want     []string
	}{
		{"internal", []string{"— resolved", "(resolved 2026-03-02 10:45 UTC after 45m)", "Impact: details to follow", "This is the final update."}},
		{"customer", []string{"Resolved: Checkout down", "This issue is resolved. From 2026-03-02 09:50 UTC to 2026-03-02 10:45 UTC some customers were affected"}},
		{"executive", []string{"Status: resolved at 2026-03-02 10:45 UTC, 45m after it started", "This is the final update"}},
	} {
		tm, _ := FindTemplate(tc.template)
		text, err := ComposeMessage(tm, in, nil, facts, nil, DefaultCadence(), now)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range tc.want {
			if !strings.Contains(text, want) {
				t.Errorf("%s lacks %q:\n%s", tc.template, want, text)
			}
		}
		for _, bad := range []string{"under investigation", "Next update by", "next scheduled update", "working on it"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s for a resolved incident says %q:\n%s", tc.template, bad, text)
			}
		}
	}

	in.Status = StatusMitigated
	tm, _ := FindTemplate("customer")
	text, _ := ComposeMessage(tm, in, nil, facts, nil, DefaultCadence(), t0.Add(30*time.Minute))
	for _, want := range []string{"Monitoring: Checkout down", "A fix is in place", "Since 2026-03-02 09:50 UTC", "next update by 10:50 UTC"} {
		if !strings.Contains(text, want) {
			t.Errorf("mitigated customer notice lacks %q:\n%s", want, text)
		}
	}
	in.Status, in.Severity = StatusInvestigating, SEV4 // no cadence for SEV4
	text, _ = ComposeMessage(tm, in, nil, MessageFacts{}, nil, DefaultCadence(), t0.Add(30*time.Minute))
	for _, want := range []string{"Since 2026-03-02 10:00 UTC some customers may be affected: under investigation", "we will post an update when there is news."} {
		if !strings.Contains(text, want) {
			t.Errorf("SEV4 customer notice lacks %q:\n%s", want, text)
		}
	}
}

// A scenario's own cadence replaces the team's for its drills: with
// `cadence: none` a decision-only tabletop has no deadlines (what its
// after-action report says of it is checked in export); a single cadence
// applies to the audiences the team's policy names at the severity; a
// mapping sets audiences one by one.
func TestDrillCadenceFromScenario(t *testing.T) {
	in := Incident{Severity: SEV2, Status: StatusInvestigating, Exercise: true, DeclaredAt: t0, Milestones: MilestoneTimes{Detected: t0}}
	started := func(c *DrillCadence) Exercise {
		p := ExerciseStartedPayload{Scenario: "tabletop", Title: "Decisions", Start: t0, Cadence: c}
		x, _ := BuildExercise([]Event{exEvent(0, EventExerciseStarted, 0, p)})
		return x
	}
	end := t0.Add(3*time.Hour + 20*time.Minute)

	team := started(nil)
	if sc := ScoreCadence(in, &team, nil, DefaultCadence(), end); len(sc.Missed) < 10 {
		t.Fatalf("under the team's policy a silent 3h20m drill misses %d deadlines; the test needs it to miss many", len(sc.Missed))
	}

	none := started(&DrillCadence{})
	if sc := ScoreCadence(in, &none, nil, DefaultCadence(), end); len(sc.Missed) != 0 {
		t.Errorf("cadence: none, yet %d deadlines missed", len(sc.Missed))
	}
	if d, ok := NextUpdateDue(in, &none, nil, DefaultCadence(), t0.Add(time.Hour)); ok {
		t.Errorf("cadence: none, yet an update is due: %+v", d)
	}

	// 30m for every audience SEV2 expects to hear (customers, internal):
	// 6 deadlines each in 3h20m
	every := started(&DrillCadence{All: &Cadence{Every: 30 * time.Minute}})
	if sc := ScoreCadence(in, &every, nil, DefaultCadence(), end); len(sc.Missed) != 12 {
		t.Errorf("cadence: 30m: %d missed, want 6 each for customers and internal", len(sc.Missed))
	}
	sev4 := in
	sev4.Severity = SEV4
	if dues := UpdatesDue(sev4, &every, nil, DefaultCadence(), t0); len(dues) != 1 || dues[0].Audience != AudienceInternal {
		t.Errorf("cadence: 30m at a severity the team expects no updates for: %+v, want internal", dues)
	}
	only := started(&DrillCadence{Audiences: map[Audience]Cadence{AudienceExecutive: {First: time.Hour}}})
	if dues := UpdatesDue(in, &only, nil, DefaultCadence(), t0); len(dues) != 1 || dues[0].Audience != AudienceExecutive || !dues[0].At.Equal(t0.Add(time.Hour)) {
		t.Errorf("cadence: {executive: [1h, 0]}: %+v", dues)
	}
	// a real incident is never affected
	if dues := UpdatesDue(in, nil, nil, DefaultCadence(), t0); len(dues) != 2 {
		t.Errorf("a real incident: %d audiences due, want the team's 2", len(dues))
	}
}
