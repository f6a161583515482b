package storage_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
	"github.com/sitrep-dev/sitrep/storage/storagetest"
)

func TestVerifyCleanStore(t *testing.T) {
	st, _ := openTemp(t)
	randomHistory(t, st, rand.New(rand.NewPCG(5, 6)), 100)
	rep, err := st.Verify(context.Background())
	if err != nil || len(rep.Problems) != 0 || rep.Events != 100 || rep.Chains != 1 {
		t.Fatalf("clean store: %+v %v", rep, err)
	}
}

// Tampering with plain SQL is found and names the event and its author.
func TestVerifyFindsTampering(t *testing.T) {
	exec := func(t *testing.T, st *storage.Store, q, id string) {
		if _, err := st.DB().Exec(q, id); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name string
		// tamper changes the log behind sitrep's back and returns the event
		// id verify must name.
		tamper func(t *testing.T, st *storage.Store, ids []string) string
		want   string
	}{
		{"edited text", func(t *testing.T, st *storage.Store, ids []string) string {
			exec(t, st, `UPDATE events SET payload = '{"kind":"note","text":"nothing happened"}' WHERE id = ?`, ids[5])
			return ids[5]
		}, "does not match its hash"},
		{"deleted middle row", func(t *testing.T, st *storage.Store, ids []string) string {
			exec(t, st, `DELETE FROM events WHERE id = ?`, ids[5])
			return ids[6] // the event whose link now points at nothing
		}, "missing"},
		{"deleted newest row", func(t *testing.T, st *storage.Store, ids []string) string {
			exec(t, st, `DELETE FROM events WHERE id = ?`, ids[len(ids)-1])
			return ids[len(ids)-1]
		}, "missing from the log"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, _ := openTemp(t)
			ctx := context.Background()
			in := declare(t, st, "tamper")
			ids := []string{in}
			for i := 0; i < 9; i++ {
				e, err := st.Append(ctx, model.Change{IncidentID: in, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: fmt.Sprint("note ", i)}})
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, e.ID)
			}
			named := c.tamper(t, st, ids)
			rep, err := st.Verify(ctx)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, p := range rep.Problems {
				if p.EventID == named && p.Author == "alice@laptop" && strings.Contains(p.String(), c.want) {
					found = true
				}
			}
			if !found {
				t.Fatalf("verify did not name %s by alice@laptop with %q: %v", named, c.want, rep.Problems)
			}
		})
	}
}

// Editing what people read (the projections) with plain SQL, leaving the log
// alone, is found too: show, the cockpit and exports display those tables.
func TestVerifyFindsEditedProjections(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name, query   string
		table, column string
	}{
		{"timeline text", `UPDATE timeline SET text = replace(text, 'US fine', 'US totally fine')`, "timeline", "text"},
		{"timeline time", `UPDATE timeline SET occurred = occurred - 60000 WHERE kind = 'note.added'`, "timeline", "occurred"},
		{"timeline author", `UPDATE timeline SET author = 'mallory' WHERE kind = 'note.added'`, "timeline", "author"},
		{"incident title", `UPDATE incidents SET title = 'Nothing to see'`, "incidents", "title"},
		{"incident severity", `UPDATE incidents SET severity = 4`, "incidents", "severity"},
		{"incident status", `UPDATE incidents SET status = 'resolved'`, "incidents", "status"},
		{"step state", `UPDATE step_states SET state = 'done' WHERE step = 1`, "step_states", "state"},
		{"deleted timeline row", `DELETE FROM timeline WHERE kind = 'note.added'`, "timeline", "missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, _ := openTemp(t)
			in := declare(t, st, "EU down")
			note, err := st.Append(ctx, model.Change{IncidentID: in, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "US fine"}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.Append(ctx, model.Change{IncidentID: in, Kind: model.EventStepChanged,
				Payload: model.StepPayload{Runbook: "db", Step: 1, Title: "Fail over", State: model.StepSkipped, Reason: "not needed"}}); err != nil {
				t.Fatal(err)
			}
			if rep, err := st.Verify(ctx); err != nil || len(rep.Problems) != 0 {
				t.Fatalf("before the edit: %v %v", rep.Problems, err)
			}
			if _, err := st.DB().Exec(c.query); err != nil {
				t.Fatal(err)
			}
			rep, err := st.Verify(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var found []string
			for _, p := range rep.Problems {
				if p.Table == c.table && strings.Contains(p.Message, c.column) {
					found = append(found, p.String())
				}
			}
			if len(found) != 1 {
				t.Fatalf("want one problem in %s naming %s, got %v", c.table, c.column, rep.Problems)
			}
			want := "incident " + in
			if c.table == "timeline" {
				want = "event " + note.ID
			}
			if !strings.Contains(found[0], want) {
				t.Fatalf("%q does not name %s", found[0], want)
			}
			t.Log(found[0])
		})
	}
}

// BenchmarkVerify verifies a store of 1,000 incidents and 100,000 timeline
// entries: the hash chains, and the projections against a bulk replay of
// the log in a scratch database, side by side. Beside it, the baseline:
// PRAGMA integrity_check on the same store, wall clock and CPU (the
// machine is shared, so the CPU figures are the steadier ones).
func BenchmarkVerify(b *testing.B) {
	if testing.Short() {
		b.Skip("builds a 100,000-entry store")
	}
	benchVerify(b, storagetest.Spec{Incidents: 1000, Entries: 100000, Big: 1000, Seed: 7})
}

// BenchmarkVerifyMillion is BenchmarkVerify on the million-entry store the
// speed targets are set against. Target: about 10 s.
func BenchmarkVerifyMillion(b *testing.B) {
	if testing.Short() {
		b.Skip("builds a million-entry store")
	}
	benchVerify(b, storagetest.Million)
}

func benchVerify(b *testing.B, spec storagetest.Spec) {
	ctx := context.Background()
	path, err := storagetest.Cached(ctx, spec)
	if err != nil {
		b.Fatal(err)
	}
	st, err := storage.Open(ctx, path, storage.Options{Author: "bench@host"})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	b.ResetTimer()
	var integrity, integrityCPU, verifyCPU time.Duration
	for i := 0; i < b.N; i++ {
		cpu := cpuTime()
		rep, err := st.Verify(ctx)
		if err != nil || len(rep.Problems) != 0 {
			b.Fatalf("verify: %v %v", rep.Problems, err)
		}
		verifyCPU += cpuTime() - cpu
		// The baseline: SQLite reading every page of the same store.
		b.StopTimer()
		start, cpu := time.Now(), cpuTime()
		var ok string
		if err := st.DB().QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
			b.Fatalf("integrity_check: %q %v", ok, err)
		}
		integrity += time.Since(start)
		integrityCPU += cpuTime() - cpu
		b.StartTimer()
	}
	b.StopTimer()
	// On a shared machine the wall clock counts other people's work too.
	b.ReportMetric(float64(verifyCPU.Milliseconds())/float64(b.N), "verify-cpu-ms")
	b.ReportMetric(float64(integrityCPU.Milliseconds())/float64(b.N), "integrity_check-cpu-ms")
	b.ReportMetric(peakRSSMiB(), "peak-RSS-MiB")
	b.ReportMetric(float64(integrity.Milliseconds())/float64(b.N), "integrity_check-ms")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "verify-ms")
}
