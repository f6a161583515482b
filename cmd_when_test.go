package main

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
