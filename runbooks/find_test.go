package runbooks

import (
	"strings"
	"testing"
)

// Finding words in a rendered runbook: every word in a line, any case,
// lines in document order.
func TestRenderedFind(t *testing.T) {
	src := "# Fail over the database\n\n## Check\n\n1. Look at replication lag on the REPLICA.\n2. Confirm the primary is down: `pg_isready -h primary`.\n\n" +
		"## Fail over\n\n- Promote the replica with `pg_ctl promote`, then point the application's connection string at the new primary before anything else.\n"
	rb, _ := Parse("failover.md", []byte(src))
	d := Render(rb, 30) // narrow: the long item wraps, words are cut
	hits := d.Find("replica PROMOTE", 0)
	if len(hits) != 1 || !strings.Contains(hits[0].Text, "Promote the replica") {
		t.Fatalf("hits %+v", hits)
	}
	h := hits[0]
	for i, m := range h.Matches {
		if i > 0 && m[0] < h.Matches[i-1][1] {
			t.Errorf("matches out of order: %v", h.Matches)
		}
	}
	if w := strings.ToLower(h.Text[h.Matches[0][0]:h.Matches[0][1]]); w != "promote" {
		t.Errorf("first match %q", w)
	}
	if h.Src != 10 {
		t.Errorf("file line %d, want 10", h.Src)
	}
	// "replication", "REPLICA", "replica": in document order.
	if got := d.Find("replica", 0); len(got) != 3 || got[0].Line > got[1].Line || got[1].Line > got[2].Line {
		t.Errorf("replica: %+v", got)
	}
	// A word longer than the width is cut onto the next line, and found
	// whole, at the line it starts on.
	long, _ := Parse("long.md", []byte("# R\n\nOpen https://dashboards.example.com/d/checkout-latency-by-region-and-pod now.\n"))
	ld := Render(long, 24)
	if got := ld.Find("checkout-latency-by-region", 0); len(got) != 1 || ld.Lines[got[0].Line].Cont {
		t.Errorf("a cut word: %+v", got)
	}
	// Other scripts: found in any case too, the offsets those of the text.
	de, _ := Parse("de.md", []byte("# R\n\n1. ÜBERPRÜFEN Sie den Dienst.\n"))
	hits = Render(de, 80).Find("überprüfen dienst", 0)
	if len(hits) != 1 || hits[0].Text[hits[0].Matches[0][0]:hits[0].Matches[0][1]] != "ÜBERPRÜFEN" {
		t.Errorf("non-ASCII: %+v", hits)
	}
	if got := d.Find("   ", 0); got != nil {
		t.Errorf("no words: %+v", got)
	}
	if got := d.Find("(.*", 0); got != nil {
		t.Errorf("regexp syntax is text: %+v", got)
	}
	if got := d.Find("the", 1); len(got) != 1 {
		t.Errorf("limit: %d hits", len(got))
	}
}
