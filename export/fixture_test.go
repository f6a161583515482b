package export_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// fixture builds events by hand, with fixed ids, clocks and hash chains, so
// the exports of the incident they describe are the same on every run.
type fixture struct {
	t        *testing.T
	t0       time.Time
	incident string
	n        int
	seq      map[string]int64
	prev     map[string]string
	events   []model.Event
}

var fixtureStart = time.Date(2026, 2, 10, 14, 0, 0, 0, time.UTC)

const fixtureIncident = "01900000-0000-7000-8000-00000000c0de"

func newFixture(t *testing.T) *fixture {
	return &fixture{t: t, t0: fixtureStart, incident: fixtureIncident, seq: map[string]int64{}, prev: map[string]string{}}
}

func (f *fixture) add(author string, at time.Duration, kind model.EventKind, payload any) string {
	f.t.Helper()
	f.n++
	b, err := json.Marshal(payload)
	if err != nil {
		f.t.Fatal(err)
	}
	when := f.t0.Add(at)
	origin := "store-" + author[:1]
	key := origin + "/" + author
	f.seq[key]++
	e := model.Event{ID: fmt.Sprintf("01900000-0000-7000-8000-%012d", f.n), IncidentID: f.incident, Kind: kind, Payload: b,
		Author: author, Origin: origin, At: when, Occurred: when, HLC: model.NewHLC(when) + model.HLC(f.n), ChainSeq: f.seq[key], Prev: f.prev[key]}
	if kind == model.EventDeclared {
		e.ID = f.incident
	}
	e.Hash = e.ComputeHash()
	f.prev[key] = e.Hash
	f.events = append(f.events, e)
	return e.ID
}

const fixtureRunbook = `# Checkout rollback

- [ ] Confirm the deploy that started the errors
- [ ] Freeze further deploys
- [ ] Roll back and watch the error rate
`

// incidentFixture is a resolved SEV1 outage with everything an export
// shows: roles, a runbook with a skipped step, notes of each kind, a pin,
// an amendment, a retraction, a message, a review, and text that tries to
// break Markdown tables and spreadsheets.
func incidentFixture(t *testing.T) []model.Event {
	f := newFixture(t)
	const alice, bob = "alice@laptop", "bob@desk"
	m := time.Minute
	f.add(alice, 0, model.EventDeclared, model.DeclaredPayload{Title: "Checkout 500s after deploy 4812", Kind: "outage", Severity: model.SEV1,
		Status: model.StatusInvestigating, DetectedAt: f.t0.Add(-3 * m)})
	f.add(alice, 0, model.EventRoleAssigned, model.RoleAssignedPayload{Role: model.RoleCommander, Holder: alice})
	f.add(alice, 1*m, model.EventRunbookAttached, model.RunbookAttachedPayload{Name: "checkout-rollback", Title: "Checkout rollback", Source: "bundled",
		Hash: model.TextHash(fixtureRunbook), Text: fixtureRunbook})
	first := f.add(bob, 2*m, model.EventNote, model.NotePayload{Kind: model.NoteKindNote, Text: "Error rate 40% on checkout"})
	f.add(alice, 3*m, model.EventRoleAssigned, model.RoleAssignedPayload{Role: model.RoleCommunications, Holder: bob})
	decision := f.add(alice, 6*m, model.EventNote, model.NotePayload{Kind: model.NoteKindDecision, Text: "Roll back deploy 4812"})
	f.add(alice, 6*m+30*time.Second, model.EventPinned, model.PinnedPayload{Entry: decision, Pinned: true})
	f.add(bob, 7*m, model.EventStepChanged, model.StepPayload{Runbook: "checkout-rollback", Step: 0, Title: "Confirm the deploy", State: model.StepDone})
	f.add(bob, 7*m+10*time.Second, model.EventStepChanged, model.StepPayload{Runbook: "checkout-rollback", Step: 1, Title: "Freeze further deploys",
		State: model.StepSkipped, Reason: "deploys already frozen for the holiday"})
	f.add(bob, 8*m, model.EventMessageSent, model.MessagePayload{Audience: model.AudienceCustomers, Template: "customer", Channel: "status page",
		Text: "Investigating: checkout errors\n\nSome customers cannot pay. Next update by 14:28 UTC.\n"})
	wrong := f.add(bob, 9*m, model.EventNote, model.NotePayload{Kind: model.NoteKindNote, Text: "DB is down"})
	f.add(bob, 9*m+20*time.Second, model.EventRetracted, model.RetractedPayload{Entry: wrong, Reason: "misread the dashboard"})
	f.add(alice, 12*m, model.EventNote, model.NotePayload{Kind: model.NoteKindNote, Text: "=HYPERLINK(\"http://x\") | pipes | and <html> & stuff"})
	f.add(bob, 14*m, model.EventStepChanged, model.StepPayload{Runbook: "checkout-rollback", Step: 2, Title: "Roll back", State: model.StepDone})
	f.add(alice, 15*m, model.EventStatusChanged, model.StatusPayload{Status: model.StatusMitigated, From: model.StatusInvestigating})
	f.add(alice, 20*m, model.EventNote, model.NotePayload{Kind: model.NoteKindAction, Text: "Add a canary stage for checkout"})
	f.add(bob, 21*m, model.EventAmended, model.AmendedPayload{Entry: first, Text: "Error rate 40% on checkout (EU only)"})
	f.add(alice, 40*m, model.EventStatusChanged, model.StatusPayload{Status: model.StatusResolved, From: model.StatusMitigated, Reason: "error rate normal for 20m"})
	f.add(alice, 26*time.Hour, model.EventReviewSaved, model.ReviewPayload{Review: model.Review{
		Summary: "Deploy 4812 turned on a feature flag that broke card payments for EU customers for 15 minutes.",
		Impact:  "About 30% of EU checkouts failed between 13:50 and 14:15 UTC.", ImpactStart: f.t0.Add(-10 * m),
		RootCause: "A flag default changed in a shared library.", ContributingFactors: "- No canary for checkout\n- Alert threshold too high",
		Detection: "Paged by the error-rate alert.", Resolution: "Rolled back deploy 4812.", WentWell: "Rollback took 8 minutes.",
		WentPoorly: "The first customer update came 8 minutes after detection.", Lucky: "Low traffic on a Tuesday afternoon.",
		Lessons: "Shared library flags need owners.",
		ActionItems: []model.ActionItem{{Title: "Add a canary stage for checkout", Owner: "bob", Due: "2026-03-01", Status: model.ActionInProgress, Category: "Process"},
			{Title: "Lower the error-rate alert threshold", Owner: "alice", Due: "2026-02-20", Status: model.ActionDone, Category: "Monitoring"}},
	}})
	// Added last so the ids above stay as the goldens have them.
	f.add(bob, 10*m, model.EventEvidence, model.EvidencePayload{Command: "kubectl -n shop get pods -l app=checkout", Dir: "/home/bob", Host: "bastion-1",
		Started: f.t0.Add(10 * m), DurationMS: 1430, Exit: 0, Output: "NAME            READY   STATUS\ncheckout-7f9    0/1     CrashLoopBackOff\n</details><script>alert(1)</script>\n```\n",
		OutputBytes: 4242, Omitted: 4100, Masked: 1, Runbook: "checkout-rollback", Step: 2})
	return f.events
}

// storeWith makes a store in a temp dir holding events.
func storeWith(t *testing.T, events []model.Event) *storage.Store {
	t.Helper()
	st, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"), storage.Options{Author: "tester@host",
		Now: func() time.Time { return fixtureStart.Add(48 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if len(events) > 0 {
		if _, err := st.Apply(context.Background(), events, nil); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

const drillIncident = "01900000-0000-7000-8000-0000000d7111"

// drillFixture is a short drill that ended: two injects released by the
// clock, one pause, the RTO met.
func drillFixture(t *testing.T) []model.Event {
	f := newFixture(t)
	f.n = 100
	f.t0 = fixtureStart.Add(72 * time.Hour)
	m := time.Minute
	const fac = "fac@laptop"
	f.incident = drillIncident
	ev := func(at time.Duration, kind model.EventKind, p any) { f.add(fac, at, kind, p) }
	ev(0, model.EventDeclared, model.DeclaredPayload{Title: "DR tabletop", Kind: "dr", Severity: model.SEV1, Status: model.StatusInvestigating, Exercise: true})
	ev(0, model.EventExerciseStarted, model.ExerciseStartedPayload{Scenario: "dr", Title: "DR tabletop", Hash: "abc123", Text: "# DR", Start: f.t0,
		Injects:    []model.Inject{{Offset: 0, Title: "Alerts"}, {Offset: 10 * m, Title: "Region down"}, {Offset: time.Hour, Title: "Never reached"}},
		Objectives: []model.Objective{{ID: "rto", Kind: model.ObjectiveRTO, Title: "Restored", Target: 30 * m}}})
	ev(2*m, model.EventExercisePaused, model.ExerciseClockPayload{})
	ev(4*m, model.EventExerciseResumed, model.ExerciseClockPayload{})
	ev(13*m, model.EventNote, model.NotePayload{Kind: model.NoteKindDecision, Text: "Fail over"})
	ev(20*m, model.EventStatusChanged, model.StatusPayload{Status: model.StatusMitigated})
	ev(25*m, model.EventExerciseEnded, model.ExerciseEndedPayload{Reason: "done"})
	return f.events
}
