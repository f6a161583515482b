package main

import (
	"strings"
	"testing"
	"time"
)

// An incident mitigated and then reopened has no time to mitigate in its
// review document, and the Resolution section does not claim it was
// resolved (finding 20).
func TestExportReopenedMitigation(t *testing.T) {
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	c := newClockCLI(t, start)
	id := strings.TrimSpace(c.ok("declare", "--title", "Checkout 500s", "--sev", "2"))
	c.at(time.Minute, start)
	c.ok("status", id, "mitigated")
	c.at(5*time.Minute, start)
	md := c.ok("export", id, "--format", "md")
	if !strings.Contains(md, "Mitigated 1m after detection; not resolved yet.") || strings.Contains(md, "and resolved —") {
		t.Errorf("mitigated, not resolved:\n%s", md)
	}
	c.ok("status", id, "investigating", "--reason", "errors are back")
	md = c.ok("export", id, "--format", "md")
	if strings.Contains(md, "Mitigated 1m") || !strings.Contains(md, "| Time to mitigate | — |") {
		t.Errorf("a reopened mitigation still counts:\n%s", md)
	}
}

// stats writes response times as the cockpit does, with model.FormatMetric:
// 69 seconds is 1m09s, not 1m (finding 21).
func TestStatsFormatsLikeTheCockpit(t *testing.T) {
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	c := newClockCLI(t, start)
	id := strings.TrimSpace(c.ok("declare", "--title", "Checkout 500s", "--sev", "2"))
	c.at(69*time.Second, start)
	c.ok("status", id, "mitigated")
	if out := c.ok("stats"); !strings.Contains(out, "1m09s / 1m09s (n=1)") {
		t.Errorf("stats:\n%s", out)
	}
}
