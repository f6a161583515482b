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
	d, ok := NextUpdateDue(in, nil, p, t0.Add(3*time.Minute))
	if !ok || d.At != t0.Add(5*time.Minute) || d.Late {
		t.Fatalf("first: %+v %v", d, ok)
	}
	if d, _ := NextUpdateDue(in, nil, p, t0.Add(6*time.Minute)); !d.Late {
		t.Errorf("not late after 6m: %+v", d)
	}
	msgs := []Message{{Audience: AudienceCustomers, At: t0.Add(4 * time.Minute)}, {Audience: AudienceInternal, At: t0.Add(4 * time.Minute)}}
	dues := UpdatesDue(in, msgs, p, t0.Add(10*time.Minute))
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
	for _, d := range UpdatesDue(in, late, p, t0.Add(151*time.Minute)) {
		if d.Audience == AudienceCustomers && d.At != t0.Add(210*time.Minute) {
			t.Errorf("after 2h: due %v", d.At.Sub(t0))
		}
	}
	in.Status = StatusResolved
	if _, ok := NextUpdateDue(in, nil, p, t0); ok {
		t.Error("a resolved incident has updates due")
	}
	in.Status, in.Severity = StatusInvestigating, SEV4
	if _, ok := NextUpdateDue(in, nil, p, t0); ok {
		t.Error("SEV4 has updates due by default")
	}
}

func TestScoreCadence(t *testing.T) {
	in := Incident{Severity: SEV2, Status: StatusInvestigating, Milestones: MilestoneTimes{Detected: t0}}
	msgs := []Message{{Audience: AudienceCustomers, At: t0.Add(4 * time.Minute)}, {Audience: AudienceCustomers, At: t0.Add(50 * time.Minute)}}
	sc := ScoreCadence(in, msgs, CadencePolicy{SEV2: {AudienceCustomers: {First: 5 * time.Minute, Every: 20 * time.Minute}}}, t0.Add(60*time.Minute))
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
	text, err := FillMessage(tm, in, "payments failing for EU", "", t0.Add(time.Hour), t0.Add(30*time.Minute))
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
