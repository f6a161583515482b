package model

import (
	"testing"
	"time"
)

// A mitigation the incident went back from does not count as time to
// mitigate (finding 20); with the status unknown it counts as before.
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
