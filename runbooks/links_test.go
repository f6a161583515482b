package runbooks

import (
	"slices"
	"strings"
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
	// The last step runs to the end of the file, over the reference
	// definitions: their addresses come with the links naming them.
	last := d.Links(d.Steps[len(d.Steps)-1].Start, len(d.Lines))
	if len(last) != 2 || last[0].Text != "failover" {
		t.Errorf("the last step's links: %+v", last)
	}
	step := d.Links(d.Steps[1].Start, d.Steps[2].Start)
	if len(step) != 2 || step[0].Text != "https://status.example.com/incidents" || step[1].Text != "DB owners' page" {
		t.Errorf("the second step's links: %+v", step)
	}
}

// TestWikiExports: what Notion, Obsidian and wiki exports write reads as
// its words: HTML5 tags dropped as the older ones are, and [[Page]] and
// [[Page|words]] links shown as their words, offering the page.
func TestWikiExports(t *testing.T) {
	src := "# Notion export\n\n<aside>\n💡 Only the on-call DBA may run this.\n</aside>\n\n" +
		"See [[DB Failover]] and [[Postgres/Replication|replication notes]].\n\n" +
		"- [ ] Check <mark>replication lag</mark> on the <kbd>primary</kbd>\n- [ ] Restart <pod-name> if needed\n"
	rb, _ := Parse("notion.md", []byte(src))
	d := Render(rb, 80)
	text := d.PlainText()
	for _, want := range []string{"💡 Only the on-call DBA may run this.", "See DB Failover and replication notes.",
		"Check replication lag on the primary", "Restart <pod-name> if needed"} {
		if !strings.Contains(text, want) {
			t.Errorf("lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "<aside>") || strings.Contains(text, "<mark>") || strings.Contains(text, "[[") {
		t.Errorf("markup left in:\n%s", text)
	}
	links := d.Links(0, len(d.Lines))
	if len(links) != 2 || links[0].Target != "DB Failover" || links[1].Text != "replication notes" || links[1].Target != "Postgres/Replication" {
		t.Errorf("links %+v", links)
	}
}
