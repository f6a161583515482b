package model

import "testing"

// A status marks the milestones it implies, so a skipped stage is still
// recorded; going from detected straight to mitigated or later marks no
// acknowledgement, for an incident that ended before anyone took it.
func TestMilestoneMarkedBy(t *testing.T) {
	for _, tc := range []struct {
		m        Milestone
		to, from Status
		want     bool
	}{
		{MilestoneAcknowledged, StatusInvestigating, "", true},             // a declaration
		{MilestoneAcknowledged, StatusDetected, "", false},                 // declared unacknowledged
		{MilestoneAcknowledged, StatusInvestigating, StatusDetected, true}, // taken
		{MilestoneAcknowledged, StatusContaining, StatusDetected, true},    // taken and acting
		{MilestoneAcknowledged, StatusResolved, StatusDetected, false},     // healed by itself
		{MilestoneAcknowledged, StatusMitigated, StatusDetected, false},    //
		{MilestoneAcknowledged, StatusResolved, StatusInvestigating, true}, // a skipped stage is still recorded
		{MilestoneMitigated, StatusResolved, StatusDetected, true},         // resolved implies mitigated
		{MilestoneResolved, StatusMitigated, StatusInvestigating, false},   // not yet
		{MilestoneDetected, StatusResolved, StatusDetected, false},         // detection comes from the declaration
	} {
		if got := tc.m.MarkedBy(tc.to, tc.from); got != tc.want {
			t.Errorf("%s by %s from %q = %v, want %v", tc.m, tc.to, tc.from, got, tc.want)
		}
	}
}
