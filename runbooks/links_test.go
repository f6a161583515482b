package runbooks

import (
	"slices"
	"testing"
)

// TestLinks: every kind of link a runbook writes is found with its words
// and target, once, however narrow the pane and wherever the wrap cut it.
func TestLinks(t *testing.T) {
	src := "# Checkout latency\n\n" +
		"Open the [checkout **latency** dashboard](https://grafana.example.com/d/abc?orgId=1&from=now-1h \"Grafana\") first.\n\n" +
		"- [ ] Check the error budget in [the SLO page][slo] and [Kibana][].\n" +
		"- [ ] Read <https://status.example.com/incidents> and the <a href=\"https://wiki.example.com/db?x=1&amp;y=2\">DB owners' page</a>.\n" +
		"- [ ] Escalate (see https://pagerduty.example.com/schedules/PXYZ123/on-call-rotation-for-the-payments-platform-team).\n" +
		"- [ ] If the primary is down, follow [failover](../db/failover.md#promote) and [the same dashboard](https://grafana.example.com/d/abc?orgId=1&from=now-1h).\n\n" +
		"[slo]: https://slo.example.com/checkout\n" +
		"[kibana]: <https://kibana.example.com/app/discover#/?q=checkout>\n"
	want := []Link{
		{Text: "checkout latency dashboard", Target: "https://grafana.example.com/d/abc?orgId=1&from=now-1h"},
		{Text: "the SLO page", Target: "https://slo.example.com/checkout"},
		{Text: "Kibana", Target: "https://kibana.example.com/app/discover#/?q=checkout"},
		{Text: "https://status.example.com/incidents", Target: "https://status.example.com/incidents"},
		{Text: "DB owners' page", Target: "https://wiki.example.com/db?x=1&y=2"},
		{Text: "https://pagerduty.example.com/schedules/PXYZ123/on-call-rotation-for-the-payments-platform-team",
			Target: "https://pagerduty.example.com/schedules/PXYZ123/on-call-rotation-for-the-payments-platform-team"},
		{Text: "failover", Target: "../db/failover.md#promote"},
	}
	rb, _ := Parse("latency.md", []byte(src))
	for _, width := range []int{160, 60, 24} {
		d := Render(rb, width)
		got := d.Links(0, len(d.Lines))
		for i := range got {
			got[i].Line = 0
		}
		if !slices.Equal(got, want) {
			t.Errorf("at %d columns:\n%+v\nwant\n%+v", width, got, want)
		}
	}
	// A step's own links: the lines from its mark to the next step's.
	d := Render(rb, 60)
	step := d.Links(d.Steps[1].Start, d.Steps[2].Start)
	if len(step) != 2 || step[0].Text != "https://status.example.com/incidents" || step[1].Text != "DB owners' page" {
		t.Errorf("the second step's links: %+v", step)
	}
}
