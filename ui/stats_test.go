package ui

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// TestStatsView: T on the list draws, for each group, the count, median
// and p90 that model.ComputeStats gives over the store; tab shows the
// exercises, apart.
func TestStatsView(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(6, 6))
	kinds := []string{"outage", "security", "degradation"}
	for i := range 24 {
		id := storage.NewID()
		at := t0.Add(time.Duration(i) * time.Hour)
		min := func(n int) time.Duration {
			return time.Duration(n)*time.Minute + time.Duration(rng.IntN(60))*time.Second
		}
		drafts := []model.Change{{IncidentID: id, Kind: model.EventDeclared, Occurred: at, Payload: model.DeclaredPayload{
			Title: fmt.Sprintf("Incident %d", i), Kind: kinds[i%3], Severity: model.Severity(1 + i%4), Status: model.StatusDetected, Exercise: i%5 == 0}}}
		ack := at.Add(min(1 + rng.IntN(10)))
		drafts = append(drafts, model.Change{IncidentID: id, Kind: model.EventStatusChanged, Occurred: ack, Payload: model.StatusPayload{Status: model.StatusInvestigating, From: model.StatusDetected}})
		if i%4 != 3 {
			mit := ack.Add(min(5 + rng.IntN(60)))
			drafts = append(drafts, model.Change{IncidentID: id, Kind: model.EventStatusChanged, Occurred: mit, Payload: model.StatusPayload{Status: model.StatusMitigated, From: model.StatusInvestigating}})
			if i%3 != 0 {
				drafts = append(drafts, model.Change{IncidentID: id, Kind: model.EventStatusChanged, Occurred: mit.Add(min(10 + rng.IntN(120))), Payload: model.StatusPayload{Status: model.StatusResolved, From: model.StatusMitigated}})
			}
		}
		if _, err := st.AppendAll(ctx, drafts); err != nil {
			t.Fatal(err)
		}
	}
	d := newDriver(t, Options{Store: st, Now: c.Now}, 140, 120)
	d.press("T")
	for _, ex := range []bool{false, true} {
		if ex {
			d.press("tab")
		}
		times, err := st.IncidentTimes(ctx, storage.StatsFilter{Exercises: ex})
		if err != nil {
			t.Fatal(err)
		}
		want := model.ComputeStats(times, ex)
		lines := strings.Split(ansi.Strip(d.view()), "\n")
		groups := append(append([]model.StatsGroup{want.All}, want.BySeverity...), want.ByKind...)
		if len(groups) < 4 {
			t.Fatalf("exercises %v: only %d groups; the seed is too small", ex, len(groups))
		}
		for _, g := range groups {
			name := g.Key
			if name == "all" {
				name = "All"
			}
			head := fmt.Sprintf("%s · %d incident(s)", name, g.Count)
			at := -1
			for i, l := range lines {
				if strings.HasPrefix(l, head) {
					at = i
				}
			}
			if at < 0 {
				t.Errorf("exercises %v: no %q on screen:\n%s", ex, head, strings.Join(lines, "\n"))
				continue
			}
			for j, m := range g.Metrics {
				f := strings.Fields(lines[at+2+j])
				wantF := []string{string(m.Metric), fmt.Sprint(m.N), "–", "–"}
				if m.N > 0 {
					wantF[2], wantF[3] = model.FormatMetric(m.Median), model.FormatMetric(m.P90)
				}
				if len(f) < 4 || strings.Join(f[:4], " ") != strings.Join(wantF, " ") {
					t.Errorf("exercises %v, %s, %s: row %q, want %v", ex, name, m.Metric, lines[at+2+j], wantF)
				}
			}
		}
	}
	d.press("esc")
	if d.app().slot.stats() != nil {
		t.Error("esc did not close the stats")
	}
}
