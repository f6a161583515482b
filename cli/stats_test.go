package cli

import (
	"strings"
	"testing"
	"time"
)

func TestCLIStats(t *testing.T) {
	start := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	c := newClockCLI(t, start)
	// Two real SEV1 outages mitigated after 10m and 30m, one drill after 2m.
	for i, mins := range []int{10, 30} {
		c.at(time.Duration(i)*24*time.Hour, start)
		id := strings.TrimSpace(c.ok("declare", "--title", "outage", "--sev", "1", "--kind", "outage"))
		c.at(time.Duration(i)*24*time.Hour+time.Duration(mins)*time.Minute, start)
		c.ok("status", id, "mitigated")
	}
	c.at(72*time.Hour, start)
	ex := strings.TrimSpace(c.ok("declare", "--title", "drill", "--sev", "2", "--kind", "dr", "--exercise"))
	c.at(72*time.Hour+2*time.Minute, start)
	c.ok("status", ex, "resolved")

	out := c.ok("stats")
	for _, want := range []string{"Real incidents, all time: 2 incidents", "10m / 30m (n=2)", "SEV1", "outage"} {
		if !strings.Contains(out, want) {
			t.Errorf("stats lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "dr ") || strings.Contains(out, "2m") {
		t.Errorf("the drill leaked into real stats:\n%s", out)
	}
	out = c.ok("stats", "--exercises")
	if !strings.Contains(out, "EXERCISES") || !strings.Contains(out, "1 incident\n") || !strings.Contains(out, "2m / 2m (n=1)") {
		t.Errorf("exercise stats:\n%s", out)
	}
	out = c.ok("stats", "--since", "2026-06-02 00:00")
	if !strings.Contains(out, "1 incident\n") || !strings.Contains(out, "30m / 30m (n=1)") {
		t.Errorf("stats since:\n%s", out)
	}
	if out := c.ok("stats", "--sev", "3"); !strings.Contains(out, "0 incidents") {
		t.Errorf("empty filter:\n%s", out)
	}
}

// stats writes response times as the cockpit does, with model.FormatMetric:
// 69 seconds is 1m09s, not 1m.
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
