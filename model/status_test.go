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

func TestSlugify(t *testing.T) {
	for _, c := range []struct {
		in, want string
		max      int
	}{
		{"Howto Backup & Restore", "howto-backup-restore", 0},
		{"  --Network--  ", "network", 0},
		{"ÉTÉ_2026", "t-_2026", 0},
		{"!!!", "fallback", 0},
		{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 40},
	} {
		got := Slugify(c.in, c.max, "fallback")
		if got != c.want {
			t.Errorf("Slugify(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
		if got != "fallback" {
			if err := ValidSlug("kind", got); c.max > 0 && err != nil {
				t.Errorf("Slugify(%q) = %q, which ValidSlug refuses: %v", c.in, got, err)
			}
		}
	}
}
