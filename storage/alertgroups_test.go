package storage_test

import (
	"context"
	"strings"
	"testing"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// TestOpenIncidentForAlertGroup: the group's active incident is found, in
// this store and in one that only received the events by sync; a resolved
// incident, a drill and another group are not.
func TestOpenIncidentForAlertGroup(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	declare := func(title, group string, exercise bool) string {
		t.Helper()
		id := storage.NewID()
		if _, err := st.Append(ctx, model.Change{IncidentID: id, Kind: model.EventDeclared, Payload: model.DeclaredPayload{
			Title: title, Kind: "outage", Severity: model.SEV2, Status: model.StatusInvestigating, Exercise: exercise, AlertGroup: group}}); err != nil {
			t.Fatal(err)
		}
		return id
	}
	const group = `alertmanager:{}/{severity="critical"}:{alertname="ProbeFailure"}`
	declare("by hand", "", false)
	declare("a drill of it", group, true)
	old := declare("last week's", group, false)
	if _, err := st.Append(ctx, model.Change{IncidentID: old, Kind: model.EventStatusChanged, Payload: model.StatusPayload{Status: model.StatusResolved, From: model.StatusInvestigating}}); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := st.OpenIncidentForAlertGroup(ctx, group); err != nil || ok {
		t.Fatalf("with only a resolved incident and a drill of the group: found %v, %v", ok, err)
	}
	open := declare("ProbeFailure", group, false)
	declare("another group", "alertmanager:{}:{alertname=\"Other\"}", false)
	in, ok, err := st.OpenIncidentForAlertGroup(ctx, group)
	if err != nil || !ok || in.ID != open {
		t.Fatalf("found %q (%v, %v), want the open incident %q", in.ID, ok, err, open)
	}
	if _, ok, _ := st.OpenIncidentForAlertGroup(ctx, "alertmanager:nothing"); ok {
		t.Error("an unknown group found an incident")
	}
	if _, ok, _ := st.OpenIncidentForAlertGroup(ctx, ""); ok {
		t.Error("no group found an incident")
	}

	// The key travels in the event: a store that applies the log finds it.
	other, _ := openTemp(t)
	events, err := st.IncidentEvents(ctx, open)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Apply(ctx, events, nil); err != nil {
		t.Fatal(err)
	}
	if in, ok, err := other.OpenIncidentForAlertGroup(ctx, group); err != nil || !ok || in.ID != open {
		t.Errorf("after sync: found %q (%v, %v), want %q", in.ID, ok, err, open)
	}
	if err := other.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	if in, ok, _ := other.OpenIncidentForAlertGroup(ctx, group); !ok || in.ID != open {
		t.Errorf("after rebuild: found %q, want %q", in.ID, open)
	}
}

func TestAlertGroupValidated(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	for _, bad := range []string{"k\x1b[2J", strings.Repeat("k", 301)} {
		_, err := st.Append(ctx, model.Change{IncidentID: storage.NewID(), Kind: model.EventDeclared, Payload: model.DeclaredPayload{
			Title: "x", Kind: "outage", Severity: model.SEV2, Status: model.StatusInvestigating, AlertGroup: bad}})
		if err == nil {
			t.Errorf("alert group %q accepted", bad)
		}
	}
}

// TestAppendForAlertGroupDeclaresOnce: notifications of one group arriving
// at once, through two handles on one file as two processes would, make
// one incident; the others become notes on it.
func TestAppendForAlertGroupDeclaresOnce(t *testing.T) {
	ctx := context.Background()
	first, path := openTemp(t)
	second, err := storage.Open(ctx, path, storage.Options{Author: "bob@laptop"})
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	const group, n = "alertmanager:{}:{alertname=\"DiskFull\"}", 8
	errs := make(chan error, n)
	declared := make(chan bool, n)
	for i := range n {
		st := first
		if i%2 == 1 {
			st = second
		}
		go func() {
			id := storage.NewID()
			declare := []model.Change{{IncidentID: id, Kind: model.EventDeclared, Payload: model.DeclaredPayload{
				Title: "DiskFull", Kind: "outage", Severity: model.SEV2, Status: model.StatusInvestigating, AlertGroup: group}}}
			_, found, err := st.AppendForAlertGroup(ctx, group, declare, func(in model.Incident) []model.Change {
				return []model.Change{{IncidentID: in.ID, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "Alert fired again"}}}
			})
			declared <- !found
			errs <- err
		}()
	}
	count := 0
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		if <-declared {
			count++
		}
	}
	list, err := first.Incidents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if count != 1 || len(list) != 1 {
		t.Fatalf("%d calls declared, %d incidents; want 1 and 1", count, len(list))
	}
	entries, err := first.Timeline(ctx, list[0].ID, storage.TimelinePage{})
	if err != nil {
		t.Fatal(err)
	}
	notes := 0
	for _, e := range entries {
		if strings.Contains(e.Text, "fired again") {
			notes++
		}
	}
	if notes != n-1 {
		t.Errorf("%d fired-again notes, want %d", notes, n-1)
	}
	// Nothing to declare and no open incident: nothing written.
	before, _ := first.CountEvents(ctx)
	if _, found, err := first.AppendForAlertGroup(ctx, "alertmanager:other", nil, nil); err != nil || found {
		t.Fatalf("found %v, %v", found, err)
	}
	if after, _ := first.CountEvents(ctx); after != before {
		t.Errorf("%d events written for nothing", after-before)
	}
}
