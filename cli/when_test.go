package cli

import (
	"strings"
	"testing"
	"time"
)

// Times typed as HH:MM mean UTC, as every screen shows them, whatever the
// laptop's zone; a time far in the future is refused.
func TestCLITimesAreUTCAndNotInTheFuture(t *testing.T) {
	saved := time.Local
	if ny, err := time.LoadLocation("America/New_York"); err == nil {
		time.Local = ny
	} else {
		time.Local = time.FixedZone("EST", -5*3600)
	}
	defer func() { time.Local = saved }()

	now := time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)
	c := newClockCLI(t, now)
	id := strings.TrimSpace(c.ok("declare", "--title", "Checkout 500s", "--sev", "2", "--detected", "13:00"))
	c.ok("note", "--at", "13:30", "Paged the DB on-call")
	c.ok("note", "--at", "15:40+02:00", "Zone given")
	show := c.ok("show", id)
	for _, want := range []string{"13:30", "13:40"} {
		if !strings.Contains(show, want) {
			t.Errorf("show lacks %s:\n%s", want, show)
		}
	}
	if strings.Contains(show, "18:30") {
		t.Errorf("--at 13:30 read as New York time:\n%s", show)
	}
	md := c.ok("export", id, "--format", "md")
	if !strings.Contains(md, "| Detected | 2026-11-23 13:00:00 UTC |") {
		t.Errorf("--detected 13:00 not 13:00 UTC:\n%s", md)
	}

	for _, args := range [][]string{
		{"note", "--at", "2030-01-01 00:00", "From the future"},
		{"declare", "--title", "Later", "--sev", "3", "--detected", "2030-01-01"},
		{"status", id, "mitigated", "--at", "2026-11-23 15:00"},
	} {
		_, errOut, code := c.run("", args...)
		if code == 0 || !strings.Contains(errOut, "in the future") {
			t.Errorf("sitrep %s: exit %d %q; want it refused as in the future", strings.Join(args, " "), code, errOut)
		}
	}
	// A clock a minute or two apart is fine.
	c.ok("note", "--at", "2026-11-23 14:03", "Slightly ahead")
}

// --since and --until take a date alone, as the help's examples say.
func TestCLISinceDate(t *testing.T) {
	c := newClockCLI(t, time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC))
	c.ok("declare", "--title", "Replica lag", "--sev", "1")
	if out := c.ok("search", "replica", "--since", "2026-01-01"); !strings.Contains(out, "Replica lag") {
		t.Errorf("search --since 2026-01-01:\n%s", out)
	}
	if _, errOut, _ := c.run("", "search", "replica", "--since", "2026-11-24"); !strings.Contains(errOut, "no incident matches") {
		t.Errorf("search --since tomorrow found something: %q", errOut)
	}
	out := c.ok("stats", "--since", "2026-01-01", "--until", "2026-12-01")
	if !strings.Contains(out, "declared 2026-01-01 00:00 to 2026-12-01 00:00 UTC: 1 incident") {
		t.Errorf("stats --since 2026-01-01:\n%s", out)
	}
}

// An incident recorded after the fact: declare --at puts the declaration
// where it happened, first in the timeline, with when it was written down;
// acknowledged is the declaration, not the moment of typing.
func TestCLIDeclareAfterTheFact(t *testing.T) {
	now := time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)
	c := newClockCLI(t, now)
	id := strings.TrimSpace(c.ok("declare", "--title", "Disk full on db-3", "--sev", "3",
		"--at", "2026-11-20 02:05", "--detected", "2026-11-20 02:00"))
	c.ok("note", "--at", "2026-11-20 02:20", "Deleted old WAL segments")
	c.ok("status", id, "resolved", "--at", "2026-11-20 02:45")
	show := c.ok("show", id)
	lines := strings.Split(show, "\n")
	var timeline []string
	for _, l := range lines {
		if strings.Contains(l, " T+") {
			timeline = append(timeline, l)
		}
	}
	if len(timeline) < 3 || !strings.Contains(show, "── Fri 20 Nov 2026 ──\n"+timeline[0]) || !strings.HasPrefix(timeline[0], "02:05:00Z") ||
		!strings.Contains(timeline[0], "declared") || !strings.Contains(timeline[0], "(logged 2026-11-23 14:00:00Z)") {
		t.Errorf("the declaration is not first, at 02:05, logged 14:00:\n%s", show)
	}
	if !strings.Contains(show, "acknowledged 2026-11-20 02:05:00 (5m)") || !strings.Contains(show, "declared 2026-11-20 02:05:00 UTC") {
		t.Errorf("acknowledged is not the declaration's time:\n%s", show)
	}
	md := c.ok("export", id, "--format", "md")
	for _, want := range []string{"| Time to acknowledge | 5m |", "| Time to resolve | 45m |"} {
		if !strings.Contains(md, want) {
			t.Errorf("export lacks %q:\n%s", want, md)
		}
	}

	// Healed before anyone acknowledged it: no acknowledged time, and no
	// time to acknowledge made up from when it was resolved.
	healed := strings.TrimSpace(c.ok("declare", "--title", "Queue backlog", "--sev", "4", "--at", "-9h", "--unacknowledged"))
	c.ok("status", healed, "resolved", "--at", "-8h50m", "--reason", "drained by itself")
	show = c.ok("show", healed)
	if !strings.Contains(show, "acknowledged — ·") || !strings.Contains(show, "resolved 2026-11-23 05:10:00 (10m)") {
		t.Errorf("healed incident shows an acknowledgement:\n%s", show)
	}
	md = c.ok("export", healed, "--format", "md")
	for _, want := range []string{"| Acknowledged | — |", "| Time to acknowledge | — |", "| Time to resolve | 10m |"} {
		if !strings.Contains(md, want) {
			t.Errorf("export of the healed incident lacks %q:\n%s", want, md)
		}
	}
	// Two incidents resolved, one acknowledged: time to acknowledge counts
	// only the one that was.
	stats := c.ok("stats")
	if !strings.Contains(stats, "5m / 5m (n=1)") || !strings.Contains(stats, "10m / 45m (n=2)") {
		t.Errorf("stats:\n%s", stats)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"declare", "--title", "Later", "--sev", "3", "--at", "2030-01-01"}, "in the future"},
		{[]string{"declare", "--title", "Odd", "--sev", "3", "--at", "2026-11-20 02:00", "--detected", "2026-11-20 03:00"}, "is after declared"},
		{[]string{"declare", "--title", "Typo", "--sev", "3", "--at", "yesterday-ish"}, "invalid time"},
	} {
		_, errOut, code := c.run("", tc.args...)
		if code == 0 || !strings.Contains(errOut, tc.want) {
			t.Errorf("sitrep %s: exit %d %q; want it refused with %q", strings.Join(tc.args, " "), code, errOut, tc.want)
		}
	}
}
