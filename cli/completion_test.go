package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// complete asks sitrep for completions as the shell scripts do
// ('sitrep __complete ARGS... WORD') and returns the candidates' values and
// the directive line.
func (c *cli) complete(args ...string) (values []string, directive string) {
	c.t.Helper()
	out := c.ok(append([]string{"__complete"}, args...)...)
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if strings.HasPrefix(line, ":") {
			directive = line
			continue
		}
		value, _, _ := strings.Cut(line, "\t")
		values = append(values, value)
	}
	return values, directive
}

func has(list []string, want string) bool {
	for _, v := range list {
		if v == want {
			return true
		}
	}
	return false
}

// TestCompleteIncidentIDs: the commands that take an incident offer the
// store's short ids, described by severity, status and title; the drill
// commands offer only exercises.
func TestCompleteIncidentIDs(t *testing.T) {
	c := newCLI(t)
	real := strings.TrimSpace(c.ok("declare", "--title", "Checkout 500s", "--sev", "1", "--kind", "outage"))
	other := strings.TrimSpace(c.ok("declare", "--title", "DNS slow", "--sev", "3"))
	drill := strings.TrimSpace(c.ok("declare", "--title", "Game day", "--sev", "2", "--exercise"))

	for _, cmd := range [][]string{{"show"}, {"note", "--incident"}, {"status"}, {"severity"}, {"assign"}, {"use"}, {"retitle"}, {"review"}, {"message"}, {"export"}, {"attach"}, {"amend", "--incident"}} {
		got, directive := c.complete(append(cmd, "")...)
		for _, id := range []string{real, other, drill} {
			if !has(got, id) {
				t.Errorf("sitrep %s <tab>: %q missing from %q", strings.Join(cmd, " "), id, got)
			}
		}
		if directive != ":4" {
			t.Errorf("sitrep %s <tab>: directive %q, want :4 (no file names)", strings.Join(cmd, " "), directive)
		}
	}
	out := c.ok("__complete", "show", "")
	if !strings.Contains(out, real+"\tSEV1 investigating · Checkout 500s") && !strings.Contains(out, real+"\tSEV1 detected · Checkout 500s") {
		t.Errorf("an id is not described by its severity, status and title:\n%s", out)
	}

	// What is typed narrows the list, whatever its case.
	if got, _ := c.complete("show", strings.ToUpper(real[:5])); len(got) != 1 || got[0] != real {
		t.Errorf("show %s<tab> = %q, want only %s", strings.ToUpper(real[:5]), got, real)
	}
	// The drill commands want an exercise.
	if got, _ := c.complete("drill", "status", ""); len(got) != 1 || got[0] != drill {
		t.Errorf("drill status <tab> = %q, want only the exercise %s", got, drill)
	}
	if got, _ := c.complete("drill", "speed", "2", ""); len(got) != 1 || got[0] != drill {
		t.Errorf("drill speed 2 <tab> = %q, want only the exercise %s", got, drill)
	}
	// The second argument of status is a status, not an id.
	if got, _ := c.complete("status", real, "mit"); len(got) != 1 || got[0] != "mitigated" {
		t.Errorf("status ID mit<tab> = %q, want mitigated", got)
	}
	if got, _ := c.complete("assign", real, "inc"); len(got) != 1 || got[0] != "incident-commander" {
		t.Errorf("assign ID inc<tab> = %q, want incident-commander", got)
	}
}

// TestCompleteNoStore: pressing tab before anything was declared offers
// nothing and creates no store.
func TestCompleteNoStore(t *testing.T) {
	c := newCLI(t)
	if got, _ := c.complete("show", ""); len(got) != 0 {
		t.Errorf("show <tab> on no store = %q", got)
	}
	if _, err := os.Stat(c.db); !os.IsNotExist(err) {
		t.Errorf("completion created the store %s (stat: %v)", c.db, err)
	}
}

// TestCompleteRunbookAndScenarioNames: attach, runbook show and declare
// --runbook offer the library's runbooks (bundled and the team's folder);
// drill and scenario show offer its scenarios.
func TestCompleteRunbookAndScenarioNames(t *testing.T) {
	c := newCLI(t)
	team := t.TempDir()
	writeFile(t, team, "db-failover.md", "# Database failover\n\n- [ ] Promote the replica\n")
	writeFile(t, filepath.Join(team, "scenarios"), "dns-drill.md", "---\ntype: scenario\ntitle: DNS drill\n---\n\n# DNS drill\n\n## Injects\n\n### +0m Resolvers fail\nNothing resolves.\n")
	id := strings.TrimSpace(c.ok("declare", "--title", "DB down", "--sev", "1"))

	for _, cmd := range [][]string{{"attach", id}, {"runbook", "show"}, {"declare", "--runbook"}, {"attach", id, "major-incident"}} {
		got, _ := c.complete(append(append([]string{"--runbooks", team}, cmd...), "")...)
		for _, want := range []string{"major-incident", "db-failover"} {
			if !has(got, want) {
				t.Errorf("%s <tab>: %q missing from %q", strings.Join(cmd, " "), want, got)
			}
		}
		if has(got, "dns-drill") {
			t.Errorf("%s <tab>: a scenario among the runbooks: %q", strings.Join(cmd, " "), got)
		}
	}
	for _, cmd := range [][]string{{"drill"}, {"scenario", "show"}} {
		got, _ := c.complete(append(append([]string{"--runbooks", team}, cmd...), "")...)
		for _, want := range []string{"region-outage-dr", "dns-drill"} {
			if !has(got, want) {
				t.Errorf("%s <tab>: %q missing from %q", strings.Join(cmd, " "), want, got)
			}
		}
		if has(got, "major-incident") {
			t.Errorf("%s <tab>: a runbook among the scenarios: %q", strings.Join(cmd, " "), got)
		}
	}
	if got, _ := c.complete("drill", "region"); len(got) != 1 || got[0] != "region-outage-dr" {
		t.Errorf("drill region<tab> = %q", got)
	}
}

// TestCompletionScripts: the completion command is on, for the three
// shells, and its scripts call back into sitrep for candidates.
func TestCompletionScripts(t *testing.T) {
	c := newCLI(t)
	for _, shell := range []string{"bash", "zsh", "fish"} {
		if out := c.ok("completion", shell); !strings.Contains(out, "__complete") {
			t.Errorf("sitrep completion %s does not ask sitrep for candidates:\n%.300s", shell, out)
		}
	}
}

// TestHelpListsRebuild: verify tells people to run 'sitrep rebuild', so
// --help lists it (it was hidden), and completion with it.
func TestHelpListsRebuild(t *testing.T) {
	help := newCLI(t).ok("--help")
	for _, cmd := range []string{"\n  rebuild ", "\n  completion "} {
		if !strings.Contains(help, cmd) {
			t.Errorf("--help does not list%s:\n%s", strings.TrimRight(cmd, " "), help)
		}
	}
}
