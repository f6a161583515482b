package storage_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
	"github.com/sitrep-dev/sitrep/storage/storagetest"
)

// genIncident is what the test itself knows about an incident it made.
type genIncident struct {
	sev      model.Severity
	kind     string
	exercise bool
	declared time.Time
	impact   time.Time
	reached  map[model.Milestone]time.Time // earliest time each milestone was reached
	status   model.Status                  // where it stands at the end: the last status set
}

func (g genIncident) value(m model.Metric) (time.Duration, bool) {
	det := g.reached[model.MilestoneDetected]
	var from, to time.Time
	switch m {
	case model.MetricDetect:
		from, to = g.impact, det
	case model.MetricAcknowledge:
		from, to = det, g.reached[model.MilestoneAcknowledged]
	case model.MetricMitigate:
		from, to = det, g.reached[model.MilestoneMitigated]
	case model.MetricResolve:
		from, to = det, g.reached[model.MilestoneResolved]
	}
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return 0, false
	}
	// An incident reopened to before the milestone has no time to it yet.
	end := map[model.Metric]model.Milestone{model.MetricAcknowledge: model.MilestoneAcknowledged,
		model.MetricMitigate: model.MilestoneMitigated, model.MetricResolve: model.MilestoneResolved}[m]
	if end != "" && g.status.Rank() < end.ReachedBy().Rank() {
		return 0, false
	}
	return to.Sub(from), true
}

func nearestRank(vals []time.Duration, p float64) time.Duration {
	if len(vals) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), vals...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	k := int(math.Ceil(p / 100 * float64(len(s))))
	if k < 1 {
		k = 1
	}
	return s[k-1]
}

func TestStatsAgainstDirectComputation(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	rng := rand.New(rand.NewPCG(42, 7))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var gens []genIncident
	kinds := []string{"outage", "security", "ddos"}
	for i := 0; i < 240; i++ {
		g := genIncident{sev: model.Severities[rng.IntN(4)], kind: kinds[rng.IntN(3)], exercise: rng.IntN(6) == 0,
			declared: base.Add(time.Duration(i) * 3 * time.Hour), reached: map[model.Milestone]time.Time{}}
		detected := g.declared.Add(-time.Duration(rng.IntN(1800)) * time.Second)
		status := model.StatusDetected
		if rng.IntN(2) == 0 {
			status = model.StatusInvestigating
		}
		mark := func(s model.Status, at time.Time) {
			for _, m := range model.Milestones {
				if s.Rank() >= m.ReachedBy().Rank() && m != model.MilestoneDetected {
					if old, ok := g.reached[m]; !ok || at.Before(old) {
						g.reached[m] = at
					}
				}
			}
		}
		g.reached[model.MilestoneDetected] = detected
		g.status = status
		mark(status, g.declared)
		e, err := st.Append(ctx, model.Change{Kind: model.EventDeclared, Occurred: g.declared, Payload: model.DeclaredPayload{
			Title: fmt.Sprintf("incident %d", i), Kind: g.kind, Severity: g.sev, Status: status, Exercise: g.exercise, DetectedAt: detected}})
		if err != nil {
			t.Fatal(err)
		}
		// Status moves at random times, not in order: late entries and reopenings.
		for n := rng.IntN(5); n > 0; n-- {
			s := model.Statuses[rng.IntN(len(model.Statuses))]
			at := g.declared.Add(time.Duration(rng.IntN(6*3600)) * time.Second)
			mark(s, at)
			g.status = s
			if _, err := st.Append(ctx, model.Change{IncidentID: e.IncidentID, Kind: model.EventStatusChanged, Occurred: at, Payload: model.StatusPayload{Status: s}}); err != nil {
				t.Fatal(err)
			}
		}
		if rng.IntN(3) > 0 {
			g.impact = detected.Add(-time.Duration(rng.IntN(3600)) * time.Second)
			if _, err := st.Append(ctx, model.Change{IncidentID: e.IncidentID, Kind: model.EventReviewSaved,
				Payload: model.ReviewPayload{Review: model.Review{Summary: "x", ImpactStart: g.impact}}}); err != nil {
				t.Fatal(err)
			}
		}
		gens = append(gens, g)
	}
	since, until := base.Add(100*time.Hour), base.Add(600*time.Hour)
	for _, f := range []storage.StatsFilter{{}, {Exercises: true}, {Since: since, Until: until}, {Kind: "ddos"}, {Severity: model.SEV2}} {
		times, err := st.IncidentTimes(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		stats := model.ComputeStats(times, f.Exercises)
		// The same figures, straight from what the test generated.
		var picked []genIncident
		for _, g := range gens {
			if g.exercise != f.Exercises || (f.Kind != "" && g.kind != f.Kind) || (f.Severity != 0 && g.sev != f.Severity) ||
				(!f.Since.IsZero() && g.declared.Before(f.Since)) || (!f.Until.IsZero() && !g.declared.Before(f.Until)) {
				continue
			}
			picked = append(picked, g)
		}
		if stats.All.Count != len(picked) || len(picked) == 0 {
			t.Fatalf("filter %+v: %d incidents, want %d (non-zero)", f, stats.All.Count, len(picked))
		}
		check := func(key string, got model.StatsGroup, gs []genIncident) {
			for _, m := range model.Metrics {
				var vals []time.Duration
				for _, g := range gs {
					if v, ok := g.value(m); ok {
						vals = append(vals, v)
					}
				}
				s := got.Get(m)
				if s.N != len(vals) || s.Median != nearestRank(vals, 50) || s.P90 != nearestRank(vals, 90) {
					t.Errorf("filter %+v %s %s: n=%d median=%v p90=%v, want n=%d median=%v p90=%v", f, key, m,
						s.N, s.Median, s.P90, len(vals), nearestRank(vals, 50), nearestRank(vals, 90))
				}
			}
		}
		check("all", stats.All, picked)
		for _, g := range stats.BySeverity {
			var gs []genIncident
			for _, p := range picked {
				if p.sev.String() == g.Key {
					gs = append(gs, p)
				}
			}
			check(g.Key, g, gs)
		}
		for _, g := range stats.ByKind {
			var gs []genIncident
			for _, p := range picked {
				if p.kind == g.Key {
					gs = append(gs, p)
				}
			}
			check(g.Key, g, gs)
		}
	}
}

// BenchmarkStats reads the metrics of 10,000 incidents and summarises them,
// what `sitrep stats` does.
func BenchmarkStats(b *testing.B) {
	ctx := context.Background()
	st, _, _ := storagetest.OpenMillion(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		times, err := st.IncidentTimes(ctx, storage.StatsFilter{})
		if err != nil || len(times) < 8000 {
			b.Fatalf("%d incidents, %v", len(times), err)
		}
		_ = model.ComputeStats(times, false)
	}
}
