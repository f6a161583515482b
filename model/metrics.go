package model

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"time"
)

// Metric is a response time measured from milestones.
type Metric string

const (
	MetricDetect      Metric = "detect"      // impact start (from the review) → detected
	MetricAcknowledge Metric = "acknowledge" // detected → acknowledged
	MetricMitigate    Metric = "mitigate"    // detected → mitigated
	MetricResolve     Metric = "resolve"     // detected → resolved
)

// Metrics lists them in the order they happen.
var Metrics = []Metric{MetricDetect, MetricAcknowledge, MetricMitigate, MetricResolve}

// Title is the metric's name in reports: "time to detect".
func (m Metric) Title() string { return "time to " + string(m) }

// IncidentTimes is what the metrics of one incident are computed from.
type IncidentTimes struct {
	ID          string
	Kind        string
	Severity    Severity
	Exercise    bool
	DeclaredAt  time.Time
	ImpactStart time.Time // from the review; zero if not given
	Milestones  MilestoneTimes
	Status      Status // where the incident stands now; "" if unknown
	// Drill is the exercise of a drill, whose metrics are read on its
	// exercise clock (a drill mitigated at T+30:30 took 30m30s, whatever
	// the speed it ran at); nil for a real incident.
	Drill *Exercise
}

// TimesOf takes the metric inputs from an incident and its review.
func TimesOf(in Incident, r Review) IncidentTimes {
	return IncidentTimes{ID: in.ID, Kind: in.Kind, Severity: in.Severity, Exercise: in.Exercise, DeclaredAt: in.DeclaredAt,
		ImpactStart: r.ImpactStart, Milestones: in.Milestones, Status: in.Status}
}

// Duration is the incident's value of m, and false when a milestone it
// needs was never reached (or the times are out of order). A milestone the
// incident has gone back from does not count: mitigated, then reopened to
// investigating, has no time to mitigate until it is mitigated again.
func (t IncidentTimes) Duration(m Metric) (time.Duration, bool) {
	var from, to time.Time
	var end Milestone
	switch m {
	case MetricDetect:
		from, to = t.ImpactStart, t.Milestones.Detected
	case MetricAcknowledge:
		from, to, end = t.Milestones.Detected, t.Milestones.Acknowledged, MilestoneAcknowledged
	case MetricMitigate:
		from, to, end = t.Milestones.Detected, t.Milestones.Mitigated, MilestoneMitigated
	case MetricResolve:
		from, to, end = t.Milestones.Detected, t.Milestones.Resolved, MilestoneResolved
	}
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return 0, false
	}
	if end != "" && t.Status.Valid() && t.Status.Rank() < end.ReachedBy().Rank() {
		return 0, false
	}
	if t.Drill != nil {
		return t.Drill.Between(from, to), true
	}
	return to.Sub(from), true
}

// MetricSummary sums up one metric over a group of incidents.
type MetricSummary struct {
	Metric Metric
	N      int // incidents with a value
	Median time.Duration
	P90    time.Duration
	Values []time.Duration // sorted, for sparklines and histograms
}

// StatsGroup is the metrics of the incidents sharing a severity or kind.
type StatsGroup struct {
	Key     string // "all", "SEV1", or a kind
	Count   int
	Metrics []MetricSummary // in Metrics order
}

// Get returns the summary of one metric.
func (g StatsGroup) Get(m Metric) MetricSummary {
	for _, s := range g.Metrics {
		if s.Metric == m {
			return s
		}
	}
	return MetricSummary{Metric: m}
}

// Stats is the metrics over a set of incidents: all of them, by severity
// and by kind. Exercises and real incidents are never mixed: callers pass
// one or the other, and ComputeStats refuses a mix by dropping the minority
// it was not asked for (see Exercises).
type Stats struct {
	Exercises  bool
	All        StatsGroup
	BySeverity []StatsGroup // SEV1 first; only severities present
	ByKind     []StatsGroup // by kind name
}

// ComputeStats summarises incidents of one sort: exercises when exercises
// is true, real incidents otherwise; the others are left out.
func ComputeStats(times []IncidentTimes, exercises bool) Stats {
	st := Stats{Exercises: exercises}
	// Indices, not copies: an IncidentTimes is a couple of hundred bytes.
	var picked []int
	bySev := map[Severity][]int{}
	byKind := map[string][]int{}
	for i := range times {
		t := &times[i]
		if t.Exercise != exercises {
			continue
		}
		picked = append(picked, i)
		bySev[t.Severity] = append(bySev[t.Severity], i)
		byKind[t.Kind] = append(byKind[t.Kind], i)
	}
	st.All = group("all", times, picked)
	for _, s := range Severities {
		if len(bySev[s]) > 0 {
			st.BySeverity = append(st.BySeverity, group(s.String(), times, bySev[s]))
		}
	}
	kinds := make([]string, 0, len(byKind))
	for k := range byKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		st.ByKind = append(st.ByKind, group(k, times, byKind[k]))
	}
	return st
}

func group(key string, times []IncidentTimes, idx []int) StatsGroup {
	g := StatsGroup{Key: key, Count: len(idx)}
	for _, m := range Metrics {
		vals := make([]time.Duration, 0, len(idx))
		for _, i := range idx {
			if d, ok := times[i].Duration(m); ok {
				vals = append(vals, d)
			}
		}
		slices.Sort(vals)
		g.Metrics = append(g.Metrics, MetricSummary{Metric: m, N: len(vals), Median: Percentile(vals, 50), P90: Percentile(vals, 90), Values: vals})
	}
	return g
}

// Percentile is the p-th percentile of ds by nearest rank (the smallest
// value with at least p% of the values at or below it); 0 for none.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := ds
	if !slices.IsSorted(s) {
		s = slices.Clone(ds)
		slices.Sort(s)
	}
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	rank = max(1, min(rank, len(s)))
	return s[rank-1]
}

// FormatMetric writes a response time the one way the command line, the
// cockpit and the review document show it: rounded to its last unit, with
// two units at most and the second left out when zero: 34s, 1m09s, 12m,
// 3h05m, 2d04h.
func FormatMetric(d time.Duration) string {
	sign := ""
	if d < 0 {
		sign, d = "-", -d
	}
	two := func(big, small time.Duration, bu, su string) string {
		d = d.Round(small)
		b, r := d/big, (d%big)/small
		if r == 0 {
			return fmt.Sprintf("%s%d%s", sign, b, bu)
		}
		return fmt.Sprintf("%s%d%s%02d%s", sign, b, bu, r, su)
	}
	switch r := d.Round(time.Second); {
	case r < time.Minute:
		return fmt.Sprintf("%s%ds", sign, r/time.Second)
	case r < time.Hour:
		return two(time.Minute, time.Second, "m", "s")
	case d.Round(time.Minute) < 48*time.Hour:
		return two(time.Hour, time.Minute, "h", "m")
	default:
		return two(24*time.Hour, time.Hour, "d", "h")
	}
}
