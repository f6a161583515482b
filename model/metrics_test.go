package model

import (
	"testing"
	"time"
)

// A mitigation the incident went back from does not count as time to
// mitigate; with the status unknown it counts as before.
func TestDurationIgnoresReopenedMilestones(t *testing.T) {
	times := IncidentTimes{Milestones: MilestoneTimes{Detected: t0, Acknowledged: t0.Add(time.Minute), Mitigated: t0.Add(10 * time.Minute)}}
	for _, tc := range []struct {
		status Status
		ok     bool
	}{{"", true}, {StatusMitigated, true}, {StatusResolved, true}, {StatusInvestigating, false}, {StatusContaining, false}} {
		times.Status = tc.status
		d, ok := times.Duration(MetricMitigate)
		if ok != tc.ok || (ok && d != 10*time.Minute) {
			t.Errorf("status %q: time to mitigate %v %v, want counted %v", tc.status, d, ok, tc.ok)
		}
	}
	times.Status = StatusInvestigating
	if d, ok := times.Duration(MetricAcknowledge); !ok || d != time.Minute {
		t.Errorf("reopened to investigating keeps time to acknowledge: %v %v", d, ok)
	}
	if got := TimesOf(Incident{Status: StatusContaining}, Review{}).Status; got != StatusContaining {
		t.Errorf("TimesOf drops the status: %q", got)
	}
}

// One format for response times everywhere: the cockpit said
// 34s and 1m9s where the command line said 33s and 1m for the same values.
func TestFormatMetric(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"}, {33600 * time.Millisecond, "34s"}, {59600 * time.Millisecond, "1m"}, {69 * time.Second, "1m09s"},
		{12 * time.Minute, "12m"}, {59*time.Minute + 59*time.Second + 600*time.Millisecond, "1h"},
		{3*time.Hour + 5*time.Minute + 20*time.Second, "3h05m"}, {47*time.Hour + 59*time.Minute + 40*time.Second, "2d"},
		{52 * time.Hour, "2d04h"}, {-90 * time.Second, "-1m30s"},
	} {
		if got := FormatMetric(tc.d); got != tc.want {
			t.Errorf("FormatMetric(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

// A length is written as scenarios write offsets, without the sign: the
// scenario picker's planned lengths, objective targets, data lost.
func TestFormatLength(t *testing.T) {
	for d, want := range map[time.Duration]string{2 * time.Hour: "2h", 90 * time.Minute: "1h30m", 45 * time.Minute: "45m", 30 * time.Second: "30s", 61 * time.Second: "1m1s", -5 * time.Minute: "-5m"} {
		if got := FormatLength(d); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
}
