package storage_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// TestEvidenceEntries: a command's evidence is a timeline entry that reads
// the command, how it ended and its output; its output is found by search;
// the latest command of each step gives that step's exit status; and a
// rebuild of the tables from the log gives the same.
func TestEvidenceEntries(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	in := declare(t, st, "Checkout 500s")
	start := time.Now().UTC().Add(-time.Minute).Truncate(time.Millisecond)
	run := func(p model.EvidencePayload) model.Event {
		t.Helper()
		p.Started = start
		e, err := st.Append(ctx, model.Change{IncidentID: in, Kind: model.EventEvidence, Payload: p, Occurred: start})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	first := run(model.EvidencePayload{Command: "kubectl get pods -n shop", Host: "bastion", Dir: "/home/ann", DurationMS: 1200, Exit: 1,
		Output: "NAME READY\ncheckout-7f9 CrashLoopBackOff\n", OutputBytes: 44, Runbook: "checkout", Step: 2})
	run(model.EvidencePayload{Command: "kubectl rollout undo deploy/checkout", Exit: 0, NoOutput: true, OutputBytes: 30, Runbook: "checkout", Step: 2})
	run(model.EvidencePayload{Command: "curl -sf https://shop/health", Exit: 22, Runbook: "checkout", Step: 4})
	run(model.EvidencePayload{Command: "uptime", Exit: 0})

	e, err := st.TimelineEntry(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := "$ kubectl get pods -n shop\nexit 1 · 1.2s · bastion:/home/ann · step 3 of checkout\nNAME READY\ncheckout-7f9 CrashLoopBackOff"
	if e.Text != want || e.Label() != "evidence" || !e.Occurred.Equal(start) {
		t.Errorf("entry %q (%s at %v), want %q at %v", e.Text, e.Label(), e.Occurred, want, start)
	}

	hits, err := st.Search(ctx, "CrashLoopBackOff", storage.SearchFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || hits[0].EventID != first.ID || !strings.Contains(hits[0].Snippet, "CrashLoopBackOff") {
		t.Errorf("search for the output: %+v", hits)
	}

	all, err := st.Evidence(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 4 || all[0].EventID != first.ID || all[0].Author != "alice@laptop" || all[0].Output != "NAME READY\ncheckout-7f9 CrashLoopBackOff\n" {
		t.Fatalf("evidence: %+v", all)
	}
	exits, err := st.StepExits(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(exits) != 2 || exits[storage.StepRef{Runbook: "checkout", Step: 2}].Exit != 0 || exits[storage.StepRef{Runbook: "checkout", Step: 4}].Exit != 22 {
		t.Errorf("step exits: %+v", exits)
	}

	before, err := st.ProjectionDump(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	after, err := st.ProjectionDump(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Error("a rebuild projects evidence differently from the projector")
	}
	if rep, err := st.Verify(ctx); err != nil || len(rep.Problems) > 0 {
		t.Errorf("verify: %+v, %v", rep, err)
	}
}

// BenchmarkStepExits reads the steps' last runs of an incident of 100,000
// notes and three commands, as the cockpit does at every load.
func BenchmarkStepExits(b *testing.B) {
	ctx := context.Background()
	st, err := storage.Open(ctx, b.TempDir()+"/s.db", storage.Options{Author: "alice@laptop"})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	in := declare(b, st, "Big")
	for i := 0; i < 100; i++ {
		batch := make([]model.Change, 1000)
		for j := range batch {
			batch[j] = model.Change{IncidentID: in, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "note"}}
		}
		if _, err := st.AppendAll(ctx, batch); err != nil {
			b.Fatal(err)
		}
		if i%40 == 0 {
			if _, err := st.Append(ctx, model.Change{IncidentID: in, Kind: model.EventEvidence, Payload: model.EvidencePayload{Command: "ls", Exit: i % 3, Runbook: "db", Step: i}}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		exits, err := st.StepExits(ctx, in)
		if err != nil || len(exits) != 3 {
			b.Fatalf("%d exits, %v", len(exits), err)
		}
	}
}
