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
