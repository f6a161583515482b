package model

import (
	"encoding/json"
	"testing"
	"time"
)

// The fold does not depend on the order events are given in, and before
// the first event the incident does not exist yet.
func TestReplayOrderAndBounds(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	ev := func(id string, min int, kind EventKind, p any) Event {
		raw, _ := json.Marshal(p)
		at := t0.Add(time.Duration(min) * time.Minute)
		return Event{ID: id, IncidentID: "inc", Kind: kind, Payload: raw, Author: "a", At: at, Occurred: at, HLC: NewHLC(at)}
	}
	events := []Event{
		ev("01", 0, EventDeclared, DeclaredPayload{Title: "x", Kind: "outage", Severity: SEV2, Status: StatusInvestigating}),
		ev("02", 5, EventNote, NotePayload{Kind: NoteKindNote, Text: "look"}),
		ev("03", 10, EventStatusChanged, StatusPayload{Status: StatusMitigated, From: StatusInvestigating}),
		ev("04", 12, EventAmended, AmendedPayload{Entry: "02", Text: "looked"}),
		ev("05", 15, EventSeverityChanged, SeverityPayload{Severity: SEV1, From: SEV2}),
		ev("06", 16, EventKind("from.the.future"), struct{}{}),
	}
	reversed := make([]Event, len(events))
	for i, e := range events {
		reversed[len(events)-1-i] = e
	}
	a, b := NewReplay(events, nil), NewReplay(reversed, nil)
	if a.Len() != 5 {
		t.Fatalf("%d events kept; the unknown kind is left out as the store leaves it", a.Len())
	}
	if s := a.At(t0.Add(-time.Second)); s.Exists || s.Len() != 0 {
		t.Fatalf("before the declaration: %+v", s.Incident)
	}
	for _, m := range []int{0, 5, 11, 13, 20} {
		at := t0.Add(time.Duration(m) * time.Minute)
		sa, sb := a.At(at), b.At(at)
		if sa.Incident != sb.Incident || len(sa.Entries()) != len(sb.Entries()) {
			t.Fatalf("at +%dm the order given changed the fold: %+v vs %+v", m, sa.Incident, sb.Incident)
		}
	}
	s := a.At(t0.Add(11 * time.Minute))
	if s.Incident.Status != StatusMitigated || s.Incident.Severity != SEV2 || s.Incident.Milestones.Mitigated.IsZero() || s.Entry(1).Text != "look" {
		t.Fatalf("at +11m: %+v, entry %q", s.Incident, s.Entry(1).Text)
	}
	if s := a.At(t0.Add(12 * time.Minute)); s.Entry(1).Text != "looked" || s.Entry(1).AmendedBy != "04" {
		t.Fatalf("the amendment at +12m: %+v", s.Entry(1))
	}
	if s := a.At(t0.Add(9 * time.Minute)); !s.Incident.Milestones.Mitigated.IsZero() {
		t.Fatalf("mitigated before it was: %v", s.Incident.Milestones.Mitigated)
	}
}
