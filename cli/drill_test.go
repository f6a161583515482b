package cli

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite the CLI's golden files in ../testdata")

// clockCLI runs sitrep in-process with a clock the test moves.
type clockCLI struct {
	*cli
	now time.Time
}

func newClockCLI(t *testing.T, start time.Time) *clockCLI {
	return &clockCLI{cli: newCLI(t), now: start}
}

func (c *clockCLI) at(d time.Duration, start time.Time) { c.now = start.Add(d) }

func (c *clockCLI) run(stdin string, args ...string) (string, string, int) {
	var out, errOut bytes.Buffer
	a := &session{in: strings.NewReader(stdin), out: &out, errOut: &errOut, now: func() time.Time { return c.now }}
	root := a.rootCommand()
	root.SetArgs(append([]string{"--db", c.db, "--runbooks", "../testdata/drill"}, args...))
	root.SetIn(strings.NewReader(stdin))
	root.SetOut(&out)
	root.SetErr(&errOut)
	if err := root.ExecuteContext(context.Background()); err != nil {
		return out.String(), errOut.String() + "sitrep: " + oneLineError(err) + "\n", 1
	}
	return out.String(), errOut.String(), 0
}

func (c *clockCLI) ok(args ...string) string {
	c.t.Helper()
	out, errOut, code := c.run("", args...)
	if code != 0 {
		c.t.Fatalf("sitrep %s: exit %d: %s", strings.Join(args, " "), code, errOut)
	}
	return out
}

func (c *clockCLI) store() *storage.Store {
	c.t.Helper()
	st, err := storage.Open(context.Background(), c.db, storage.Options{Author: "alice@laptop", Now: func() time.Time { return c.now }})
	if err != nil {
		c.t.Fatal(err)
	}
	return st
}

var drillStart = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// scriptedDrill runs a whole drill on a fake clock and returns its id.
func scriptedDrill(t *testing.T, c *clockCLI) string {
	at := func(d time.Duration) { c.at(d, drillStart) }
	step := func(n int, state model.StepState, reason string) {
		st := c.store()
		defer st.Close()
		in, err := st.Current(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Append(context.Background(), model.Change{IncidentID: in.ID, Kind: model.EventStepChanged,
			Payload: model.StepPayload{Runbook: "failover", Step: n, Title: "step", State: state, Reason: reason}}); err != nil {
			t.Fatal(err)
		}
	}
	at(0)
	id := strings.TrimSpace(c.ok("drill", "golden-drill"))
	at(time.Minute)
	c.ok("note", "Dashboards show 40% errors on web")
	step(0, model.StepDone, "")
	at(5 * time.Minute)
	c.ok("drill", "pause", "--reason", "coffee")
	at(8 * time.Minute) // clock at +5m
	c.ok("drill", "resume")
	at(14 * time.Minute) // inject 2 fell due at 13m
	c.ok("note", "Provider status page lags reality by 10 minutes #finding #2a")
	at(15 * time.Minute) // clock +12m
	c.ok("drill", "speed", "2")
	at(20 * time.Minute) // clock +22m; inject 3 fell due at 19m
	c.ok("message", "--template", "customer", "--send", "--channel", "status page")
	at(21 * time.Minute)
	c.ok("drill", "release", "5")
	at(22 * time.Minute)
	c.ok("drill", "skip", "6", "--reason", "out of time")
	at(23 * time.Minute) // clock +28m: the decision objective (25m) is late
	c.ok("note", "--kind", "decision", "Fail over to the recovery region #decision")
	step(1, model.StepDone, "")
	at(24 * time.Minute)
	step(2, model.StepDone, "")
	step(3, model.StepBlocked, "DNS token only in the failed region")
	at(25 * time.Minute)
	c.ok("note", "#rpo 4m of orders lost")
	at(26 * time.Minute)
	c.ok("note", "--kind", "action", "Keep a break-glass copy of the DNS token outside the region")
	at(27 * time.Minute)
	c.ok("note", "Add the break-glass token step to the failover runbook #plan")
	at(30 * time.Minute) // clock +42m
	c.ok("status", id, "mitigated")
	at(31 * time.Minute)
	c.ok("drill", "end", "--reason", "time is up")
	at(40 * time.Minute)
	return id
}

func TestDrillScriptedReportGolden(t *testing.T) {
	c := newClockCLI(t, drillStart)
	id := scriptedDrill(t, c)
	report := c.ok("drill", "report", id)
	report = strings.ReplaceAll(report, id, "SHORTID")
	golden := filepath.Join("..", "testdata", "drill-report.golden")
	if *updateGolden {
		if err := os.WriteFile(golden, []byte(report), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update-golden to create it)", err)
	}
	if report != string(want) {
		t.Errorf("after-action report differs from %s (run with -update-golden after checking):\n%s", golden, report)
	}
	for _, wantText := range []string{"**EXERCISE**", "| **MET** |", "| **MISSED** |", "## Findings", "## Recommendations",
		"## Improvements to the plan", "out of time", "DNS token only in the failed region", "#finding", "4m lost"} {
		if !strings.Contains(report, wantText) {
			t.Errorf("report lacks %q", wantText)
		}
	}
	// -o writes the same report to a file, replacing what was there whole.
	file := filepath.Join(t.TempDir(), "aar.md")
	if err := os.WriteFile(file, []byte("an older, longer report that must not leave a tail behind\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c.ok("drill", "report", id, "-o", file)
	written, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ReplaceAll(string(written), id, "SHORTID") != report {
		t.Errorf("report -o wrote something other than the report:\n%s", written)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(file), ".aar.md.*")); len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
}

func TestDrillClockAndStatus(t *testing.T) {
	c := newClockCLI(t, drillStart)
	at := func(d time.Duration) { c.at(d, drillStart) }
	// A stopped clock is not a speed: refused here as 'drill speed 0' is.
	if _, errOut, code := c.run("", "drill", "golden-drill", "--speed", "0"); code == 0 || !strings.Contains(errOut, "invalid speed 0") {
		t.Fatalf("--speed 0: exit %d %q", code, errOut)
	}
	id := strings.TrimSpace(c.ok("drill", "golden-drill", "--speed", "2"))
	ls := c.ok("ls")
	if !strings.Contains(ls, "[EXERCISE] Region outage tabletop") {
		t.Errorf("ls:\n%s", ls)
	}
	at(6 * time.Minute) // clock +12m at 2x: injects 1 and 2 released
	st := c.ok("drill", "status")
	for _, want := range []string{"clock T+12:00, running at 2x", "✓  1 +0m", "✓  2 +10m", "·  3 +20m", "due 10:10:00Z (in 4m)",
		"Next: inject 3 at +20m", "#decision", "customers",
		"Latest, inject 2 (read it out): Provider status page", "The provider admits connectivity issues in one zone."} {
		if !strings.Contains(st, want) {
			t.Errorf("status lacks %q:\n%s", want, st)
		}
	}
	// Every released inject keeps its expected actions in view, ticked
	// once a note tagged with one shows it was done.
	for _, want := range []string{"· #1a   look for: Declare and name a commander", "· #2a   look for: Compare the provider's status with our own dashboards",
		"· #2b   look for: Name who watches"} {
		if !strings.Contains(st, want) {
			t.Errorf("status lacks %q:\n%s", want, st)
		}
	}
	c.ok("note", "Our dashboards agree with the provider #2a")
	if st := c.ok("drill", "status"); !strings.Contains(st, "✓ #2a   Compare the provider's status with our own dashboards (seen at T+12:00)") ||
		!strings.Contains(st, "· #2b   look for:") {
		t.Errorf("the tagged note does not tick #2a:\n%s", st)
	}
	c.ok("drill", "pause")
	if _, errOut, code := c.run("", "drill", "pause"); code == 0 || !strings.Contains(errOut, "already paused") {
		t.Errorf("second pause: %d %s", code, errOut)
	}
	at(time.Hour) // paused: nothing more is released
	if st := c.ok("drill", "status", id); !strings.Contains(st, "PAUSED") || !strings.Contains(st, "·  3 +20m") || !strings.Contains(st, "waits for the clock") {
		t.Errorf("paused status:\n%s", st)
	}
	if _, errOut, code := c.run("", "drill", "release", "9"); code == 0 || !strings.Contains(errOut, "no inject 9") {
		t.Errorf("release 9: %d %s", code, errOut)
	}
	if _, errOut, code := c.run("", "drill", "nope-scenario"); code == 0 || !strings.Contains(errOut, "no scenario") {
		t.Errorf("unknown scenario: %d %s", code, errOut)
	}
	c.ok("declare", "--title", "real one", "--sev", "3")
	if _, errOut, code := c.run("", "drill", "status"); code == 0 || !strings.Contains(errOut, "not a drill") {
		t.Errorf("status of a real incident: %d %s", code, errOut)
	}
}

func TestDrillMissingScenarioRunbookWarns(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "scenarios"), 0o700)
	os.WriteFile(filepath.Join(dir, "scenarios", "two-runbooks.md"), []byte(`---
title: Two runbooks, one missing
severity: 2
runbooks: [failover, no-such-runbook]
---

# Two runbooks, one missing

## Injects

### +0m Alerts fire
Error rate 40% on the web tier.
`), 0o600)
	c := newClockCLI(t, drillStart)
	out, errOut, code := c.run("", "--runbooks", dir, "drill", "two-runbooks")
	if code != 0 || !strings.Contains(errOut, "scenario runbook no-such-runbook not attached") || strings.Contains(errOut, "runbook failover not attached") {
		t.Fatalf("drill: exit %d\n%s%s", code, out, errOut)
	}
	if show := c.ok("show", strings.TrimSpace(out)); !strings.Contains(show, "failover") {
		t.Errorf("the runbook that exists was not attached:\n%s", show)
	}
}

// The bundled DR scenario's first objective is met by the declaration and
// commander 'sitrep drill' records at T+0. After 'drill end'
// nothing is due and the drill leaves the active list.
func TestDrillDeclaredObjectiveAndEnd(t *testing.T) {
	c := newClockCLI(t, drillStart)
	id := strings.TrimSpace(c.ok("drill", "region-outage-dr"))
	c.at(2*time.Minute, drillStart)
	status := c.ok("drill", "status")
	if !strings.Contains(status, "MET    #incident-declared Incident declared and commander named within 10m at T+0:00") {
		t.Errorf("declared objective not met at T+0:\n%s", status)
	}
	c.at(30*time.Minute, drillStart)
	due := c.ok("message", id, "--due")
	if !strings.Contains(due, "LATE") {
		t.Errorf("a SEV1 drill with no update at +30m is late:\n%s", due)
	}
	// Paused, deadlines wait: twenty minutes later nothing is later.
	c.ok("drill", "pause")
	c.at(50*time.Minute, drillStart)
	paused := c.ok("message", id, "--due")
	if !strings.Contains(paused, "exercise clock paused at T+30:00") || !strings.Contains(due, "internal  due 10:05:00Z (LATE by 25m)") ||
		!strings.Contains(paused, "internal  due 10:05:00Z (LATE by 25m)") || strings.Contains(paused, "in -") {
		t.Errorf("--due while paused:\n%s\nwant as at the pause:\n%s", paused, due)
	}
	if out := c.ok("drill", "end", "--reason", "time"); !strings.Contains(out, "drill ended at T+30:00 and the exercise incident resolved") {
		t.Errorf("drill end: %s", out)
	}
	c.at(90*time.Minute, drillStart)
	if due := c.ok("message", id, "--due"); strings.Contains(due, "LATE") || !strings.Contains(due, "no updates due") {
		t.Errorf("updates still due after the drill ended:\n%s", due)
	}
	if ls := c.ok("ls"); !strings.Contains(ls, id+"  SEV1  resolved") {
		t.Errorf("ended drill not resolved:\n%s", ls)
	}
	report := c.ok("drill", "report", id)
	if !strings.Contains(report, "| milestone | 10m | **MET** | T+0:00 (10:00:00Z) | incident declared, commander named |") {
		t.Errorf("report does not mark the declared objective met:\n%s", report)
	}
	if strings.Contains(report, "status reached mitigated") {
		t.Errorf("the resolution at the end met the RTO:\n%s", report)
	}
}

// The command line refuses the speeds the cockpit refuses.
func TestDrillSpeedBounds(t *testing.T) {
	c := newClockCLI(t, drillStart)
	if _, errOut, code := c.run("", "drill", "golden-drill", "--speed", "100"); code == 0 || !strings.Contains(errOut, "from 0.125 to 64") {
		t.Errorf("--speed 100: exit %d %q", code, errOut)
	}
	c.ok("drill", "golden-drill", "--speed", "64")
	if _, errOut, code := c.run("", "drill", "speed", "128"); code == 0 || !strings.Contains(errOut, "invalid speed 128") {
		t.Errorf("drill speed 128: exit %d %q", code, errOut)
	}
}

// A decision-only tabletop says `cadence: none`: the drill it starts owes
// no updates, and its after-action report finds no deadline passed, where
// the team's policy would have counted one every twenty minutes.
func TestDrillScenarioCadenceNone(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "scenarios"), 0o700)
	scenario := func(cadence string) string {
		return "---\ntitle: Decisions only\nseverity: 1\n" + cadence + "objectives:\n  - id: decided\n    milestone: Decision recorded\n---\n\n## Injects\n\n### T+00 Alerts fire\nError rate 40%.\n\n### T+15 Regulator calls\nWhat do you tell them?\n"
	}
	os.WriteFile(filepath.Join(dir, "scenarios", "decisions.md"), []byte(scenario("cadence: none\n")), 0o600)
	os.WriteFile(filepath.Join(dir, "scenarios", "team-policy.md"), []byte(scenario("")), 0o600)
	report := func(name string) string {
		c := newClockCLI(t, drillStart)
		id := strings.TrimSpace(c.ok("--runbooks", dir, "drill", name))
		c.at(3*time.Hour+20*time.Minute, drillStart)
		if status := c.ok("drill", "status"); strings.Contains(status, "Updates due:") != (name == "team-policy") {
			t.Errorf("%s: drill status and updates due disagree with the cadence:\n%s", name, status)
		}
		c.ok("drill", "end")
		return c.ok("drill", "report", id)
	}
	if r := report("team-policy"); !strings.Contains(r, "communication deadlines passed without an update") {
		t.Fatalf("under the team's policy the silent drill reports no missed deadline; the test needs it to:\n%s", r)
	}
	r := report("decisions")
	if strings.Contains(r, "communication deadline") || !strings.Contains(r, "0 deadlines missed") || !strings.Contains(r, "`#decided`") {
		t.Errorf("cadence: none: the report still counts deadlines or lost the objective's id:\n%s", r)
	}
}

// TestCLIDrillFromRunSheetFile: a facilitator's run-sheet file, a
// spreadsheet's CSV among them, runs as it is, without a team folder.
func TestCLIDrillFromRunSheetFile(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	sheet := writeFile(t, dir, "gameday.csv", "Time,Inject,Expected response\n09:00,Primary DB stops accepting writes,IC declares SEV1\n09:10,Replica lag rising,Ops checks replication\n")
	out, errOut, code := c.run("", "drill", sheet)
	if code != 0 || !strings.Contains(errOut, "started: Gameday (2 injects, 0 objectives)") {
		t.Fatalf("exit %d: %q %q", code, out, errOut)
	}
	if status := c.ok("drill", "status"); !strings.Contains(status, "Primary DB stops accepting writes") || !strings.Contains(status, "+10m") {
		t.Errorf("drill status:\n%s", status)
	}
	// Not a runbook: attaching it says what it is for.
	c.fails(1, "is a spreadsheet, read as a drill's run-sheet, not a runbook: run it with 'sitrep drill", "attach", strings.TrimSpace(out), sheet)
	rota := writeFile(t, dir, "rota.csv", "Name,Phone\nalice,123\n")
	c.fails(1, "has no injects to run: not read: a spreadsheet is read as a drill's run-sheet", "drill", rota)
}
