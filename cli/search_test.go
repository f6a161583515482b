package cli

import (
	"strings"
	"testing"
)

func TestCLISearch(t *testing.T) {
	c := newCLI(t)
	a := strings.TrimSpace(c.ok("declare", "--title", "Replica lag in eu-west", "--sev", "2", "--kind", "outage"))
	c.ok("note", "Failover blocked by the DNS token")
	b := strings.TrimSpace(c.ok("declare", "--title", "Tabletop", "--sev", "1", "--kind", "dr", "--exercise"))
	c.ok("note", "--incident", b, "DNS token found in the break-glass vault")
	out := c.ok("search", "dns", "token")
	if !strings.Contains(out, a) || !strings.Contains(out, b) || !strings.Contains(out, "[DNS] [token]") || !strings.Contains(out, "[EXERCISE] Tabletop") {
		t.Errorf("search:\n%s", out)
	}
	out = c.ok("search", "dns", "--real")
	if !strings.Contains(out, a) || strings.Contains(out, b) {
		t.Errorf("--real:\n%s", out)
	}
	out = c.ok("search", "replica", "--sev", "2", "--status", "investigating,containing")
	if !strings.Contains(out, "title: [Replica] lag in eu-west") {
		t.Errorf("title match:\n%s", out)
	}
	if out, _, _ := c.run("", "search", "replica", "--status", "resolved,reviewed", "--status", "containing"); out != "" {
		t.Errorf("--status filter let an investigating incident through:\n%s", out)
	}
	if _, errOut, code := c.run("", "search", "dns", "--status", "bogus"); code == 0 || !strings.Contains(errOut, "invalid status") {
		t.Errorf("bad status: %d %s", code, errOut)
	}
	if out, errOut, _ := c.run("", "search", "zzzz"); out != "" || !strings.Contains(errOut, "no incident matches") {
		t.Errorf("no match: %q %q", out, errOut)
	}
}

// A short id finds its incident, as in the cockpit, within the filters
// given.
func TestCLISearchByID(t *testing.T) {
	c := newCLI(t)
	a := strings.TrimSpace(c.ok("declare", "--title", "Replica lag in eu-west", "--sev", "2"))
	c.ok("declare", "--title", "Other", "--sev", "3")
	out := c.ok("search", a)
	if !strings.HasPrefix(out, a+"  SEV2") || !strings.Contains(out, "id: ["+a+"]") || strings.Contains(out, "Other") {
		t.Errorf("search %s:\n%s", a, out)
	}
	if out, errOut, _ := c.run("", "search", a, "--sev", "1"); out != "" || !strings.Contains(errOut, "no incident matches") {
		t.Errorf("search by id ignored --sev 1: %q %q", out, errOut)
	}
}

// --in lists one incident's matching entries, newest first; the incident
// filters do not apply to it and say so.
func TestCLISearchIn(t *testing.T) {
	c := newCLI(t)
	a := strings.TrimSpace(c.ok("declare", "--title", "Checkout 500s", "--sev", "2"))
	c.ok("note", "Restarted the primary database")
	c.ok("note", "Error rate unchanged")
	c.ok("note", "--kind", "decision", "Restart the primary again after the failover")
	b := strings.TrimSpace(c.ok("declare", "--title", "Other", "--sev", "3"))
	c.ok("note", "--incident", b, "Restarted the cache")
	out := c.ok("search", "restart", "primary", "--in", a)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "decision") || !strings.Contains(lines[0], "[Restart] the [primary] again") ||
		!strings.Contains(lines[1], "[Restarted] the [primary] database") {
		t.Errorf("search --in %s:\n%s", a, out)
	}
	if strings.Contains(out, "cache") {
		t.Errorf("another incident's entry:\n%s", out)
	}
	if out := c.ok("search", "restart", "--in", a, "--limit", "1"); strings.Count(out, "\n") != 1 {
		t.Errorf("--limit 1:\n%s", out)
	}
	if out, errOut, _ := c.run("", "search", "cache", "--in", a); out != "" || !strings.Contains(errOut, "no entry of "+a+" matches") {
		t.Errorf("no match: %q %q", out, errOut)
	}
	if _, errOut, code := c.run("", "search", "x", "--in", a, "--sev", "1"); code == 0 || !strings.Contains(errOut, "--sev filters incidents") {
		t.Errorf("--in with --sev: %d %s", code, errOut)
	}
}
