package runbooks

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
)

// TestScenarioRunSheetOffsets: facilitators write injects as T+00, T+15
// (minutes) and T+1:30 (hours and minutes); all read, in order, with no
// error.
func TestScenarioRunSheetOffsets(t *testing.T) {
	src := "---\nobjectives: [\"Decision recorded\"]\n---\n# Tabletop\n\n## Injects\n\n" +
		"### T+00 - Alerts fire\nThe pager goes off.\n\n### T+15 Status page asks\nA reporter calls.\n\n" +
		"### T+1:30: Region down\nEverything is red.\n\n### +5 Early news\nA tweet.\n\n### +2 hours: Regulator\nA letter.\n\n### T+45 mins Board\nA call.\n"
	sc, diags := ParseScenario("tabletop.md", []byte(src))
	if HasErrors(diags) {
		t.Fatalf("errors:\n%s", diagList(diags))
	}
	var got []string
	for _, in := range sc.Injects {
		got = append(got, model.FormatOffset(in.Offset)+" "+in.Title)
	}
	want := []string{"+0m Alerts fire", "+5m Early news", "+15m Status page asks", "+45m Board", "+1h30m Region down", "+2h Regulator"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("injects %q, want %q", got, want)
	}
	_, diags = ParseScenario("bad.md", []byte("# T\n\n### T+1.5 Half\ntext\n\n### T+1:75 Late\ntext\n"))
	checkDiags(t, "bad offsets", diags, []wantDiag{{3, 0, Error, "whole numbers"}, {6, 0, Error, "T+1:30"}})
}

// TestScenarioGamedayAsRunSheet: the GDS game day's run-sheet, written as
// facilitators do with T+ minutes instead of its clock times (T+00, T+20,
// … T+180), reads without an error and gives the same schedule as the
// clock times do. It gave an error on each such heading before.
func TestScenarioGamedayAsRunSheet(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(corpusDir(t), "gds-techops-gameday-2019", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	clock := regexp.MustCompile(`(?m)^(###) (\d\d):(\d\d) -`)
	converted := clock.ReplaceAllStringFunc(string(src), func(m string) string {
		p := clock.FindStringSubmatch(m)
		h, _ := strconv.Atoi(p[2])
		min, _ := strconv.Atoi(p[3])
		return fmt.Sprintf("%s T+%02d -", p[1], (h-10)*60+min)
	})
	if converted == string(src) || !strings.Contains(converted, "### T+180 - Change of techops strategy") {
		t.Fatal("the run-sheet's headings were not rewritten; has the corpus file changed?")
	}
	byClock, _ := ParseScenario("gameday.md", src)
	sc, diags := ParseScenario("gameday.md", []byte(converted))
	if e, _ := Count(diags); e > 0 {
		t.Fatalf("%d errors:\n%s", e, diagList(diags))
	}
	if len(sc.Injects) != len(byClock.Injects) || len(sc.Injects) != 12 {
		t.Fatalf("%d injects by T+, %d by clock, want 12", len(sc.Injects), len(byClock.Injects))
	}
	for i, in := range sc.Injects {
		if c := byClock.Injects[i]; in.Offset != c.Offset || in.Title != c.Title {
			t.Errorf("inject %d: %v %q by T+, %v %q by clock", i, in.Offset, in.Title, c.Offset, c.Title)
		}
	}
}

// TestScenarioCadence: the front matter's cadence forms, and what a
// malformed one says.
func TestScenarioCadence(t *testing.T) {
	every := func(d time.Duration) *model.Cadence { return &model.Cadence{Every: d} }
	cases := []struct {
		yaml string
		want *model.DrillCadence
	}{
		{"none", &model.DrillCadence{}},
		{"off", &model.DrillCadence{}},
		{"30m", &model.DrillCadence{All: every(30 * time.Minute)}},
		{"[5m, 30m]", &model.DrillCadence{All: &model.Cadence{First: 5 * time.Minute, Every: 30 * time.Minute}}},
		{"[5m, 20m, 2h, 1h]", &model.DrillCadence{All: &model.Cadence{First: 5 * time.Minute, Every: 20 * time.Minute, EarlyFor: 2 * time.Hour, EveryAfter: time.Hour}}},
		{"first=10m every=45m", &model.DrillCadence{All: &model.Cadence{First: 10 * time.Minute, Every: 45 * time.Minute}}},
		{"{customers: 15m, executive: none}", &model.DrillCadence{Audiences: map[model.Audience]model.Cadence{
			model.AudienceCustomers: {Every: 15 * time.Minute}, model.AudienceExecutive: {}}}},
	}
	for _, c := range cases {
		src := "---\ncadence: " + c.yaml + "\nobjectives: [\"Decision recorded\"]\n---\n### +5m Go\ntext\n"
		sc, diags := ParseScenario("c.md", []byte(src))
		if HasErrors(diags) {
			t.Errorf("cadence: %s: %s", c.yaml, diagList(diags))
			continue
		}
		if fmt.Sprintf("%+v", derefCadence(sc.Cadence)) != fmt.Sprintf("%+v", derefCadence(c.want)) {
			t.Errorf("cadence: %s read as %+v, want %+v", c.yaml, derefCadence(sc.Cadence), derefCadence(c.want))
		}
	}
	if sc, _ := ParseScenario("c.md", []byte("### +5m Go\ntext\n")); sc.Cadence != nil {
		t.Errorf("no cadence: %+v, want the team's policy (nil)", sc.Cadence)
	}
	for _, bad := range []string{"sometimes", "30", "[5m, 20m, 2h]", "{pigeons: 5m}", "every=soon"} {
		_, diags := ParseScenario("c.md", []byte("---\ncadence: "+bad+"\n---\n### +5m Go\ntext\n"))
		checkDiags(t, "cadence: "+bad, diags, []wantDiag{{2, 0, Error, "cadence"}})
	}
}

func derefCadence(c *model.DrillCadence) string {
	if c == nil {
		return "nil"
	}
	s := "all="
	if c.All != nil {
		s += fmt.Sprintf("%+v", *c.All)
	}
	return s + fmt.Sprintf(" audiences=%+v", c.Audiences)
}

// TestScenarioObjectiveIDs: an objective's tag is the id the file gives,
// or its title as a slug of at most 24 characters cut at a word; titles
// that start alike get numbered tags; an id that cannot be typed as a tag
// is an error.
func TestScenarioObjectiveIDs(t *testing.T) {
	src := `---
objectives:
  - Customers informed on the status page within 30m
  - milestone: Decision recorded on whether this is a notifiable breach
  - milestone: Decision recorded on the notifiable breach again
  - id: regulator
    milestone: Regulator notification drafted, inside the 72-hour clock started at awareness
  - milestone: Supercalifragilisticexpialidocious-and-more-words
  - rto: 1h
  - runbook: third-party-disruption-and-vendor-escalation
---
### +5m Go
text
`
	sc, diags := ParseScenario("ids.md", []byte(src))
	if HasErrors(diags) {
		t.Fatalf("errors:\n%s", diagList(diags))
	}
	var got []string
	for _, o := range sc.Objectives {
		if len(o.ID) > 24 {
			t.Errorf("id %q is longer than 24 characters", o.ID)
		}
		got = append(got, o.ID)
	}
	want := []string{"customers-informed", "decision-recorded", "decision-recorded-2", "regulator", "supercalifragilisticexpi", "rto", "runbook-third-party"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("ids %q\nwant %q", got, want)
	}
	_, diags = ParseScenario("bad.md", []byte("---\nobjectives:\n  - id: Notify Regulator\n    milestone: x\n  - id: a-very-long-objective-id-indeed\n    milestone: y\n  - id: same\n    milestone: one\n  - id: same\n    milestone: two\n---\n### +5m Go\ntext\n"))
	checkDiags(t, "bad ids", diags, []wantDiag{{3, 0, Error, "cannot be typed as a #tag"}, {5, 0, Warning, "keep it to 24"}, {9, 0, Error, "used twice"}})
}

// A run-sheet written as a table or as a list of timed items, with its
// objectives as a list under a heading, reads as one with a heading per
// inject does; either shape in a team's runbook folder is a scenario.
func TestScenarioRunSheetTablesAndLists(t *testing.T) {
	table := "# Cache cluster loss\n\nFacilitator: Ana.\n\n## Timeline\n\n" +
		"| Time | Inject | Expected response | Notes |\n|------|--------|----|----|\n" +
		"| T+0  | Redis primary is terminated | IC declared |  |\n" +
		"| T+10 | Checkout latency rises to 4 s | Fallback enabled | ask the DBA |\n" +
		"| T+25 | Replica promotion fails |  |  |\n\n" +
		"## Objectives\n\n- Service restored within 45 minutes\n- Status page updated within 15m\n"
	sc, diags := ParseScenario("table.md", []byte(table))
	if HasErrors(diags) || len(diags) > 0 {
		t.Fatalf("diagnostics:\n%s", diagList(diags))
	}
	want := []model.Inject{
		{Offset: 0, Title: "Redis primary is terminated", Expected: []string{"IC declared"}, Line: 9},
		{Offset: 10 * time.Minute, Title: "Checkout latency rises to 4 s", Text: "Notes: ask the DBA", Expected: []string{"Fallback enabled"}, Line: 10, Index: 1},
		{Offset: 25 * time.Minute, Title: "Replica promotion fails", Line: 11, Index: 2},
	}
	checkInjects(t, "table", sc.Injects, want)
	if len(sc.Objectives) != 2 || sc.Objectives[0].Title != "Service restored" || sc.Objectives[0].Target != 45*time.Minute ||
		sc.Objectives[1].Target != 15*time.Minute || sc.Objectives[1].ID != "status-page-updated" {
		t.Errorf("objectives %+v", sc.Objectives)
	}

	list := "# Lose a zone\n\n## Injects\n\n- 09:00 — Zone A marked unhealthy\n- 09:15 — Half the web pods are pending\n" +
		"  - scale out in zone B\n  - tell support\n- 09:40: Database failover completes\n- later: nothing\n"
	sc, diags = ParseScenario("list.md", []byte(list))
	checkDiags(t, "list", diags, []wantDiag{{1, 0, Warning, "no objectives"}, {10, 0, Error, "does not start with its offset"}})
	checkInjects(t, "list", sc.Injects, []model.Inject{
		{Offset: 0, Title: "Zone A marked unhealthy", Line: 5},
		{Offset: 15 * time.Minute, Title: "Half the web pods are pending", Expected: []string{"scale out in zone B", "tell support"}, Line: 6, Index: 1},
		{Offset: 40 * time.Minute, Title: "Database failover completes", Line: 9, Index: 2},
	})

	dir := t.TempDir()
	// "Timeline" alone does not make a scenario (postmortems have one);
	// "Run sheet" and "Injects" do.
	if err := os.WriteFile(filepath.Join(dir, "gameday.md"), []byte(strings.Replace(table, "## Timeline", "## Run sheet", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	lib, _, err := Load([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Scenario("gameday"); err != nil {
		t.Error("a run-sheet in a runbook folder, without front matter, was not taken as a scenario")
	}
	// So is a game day's Timeline of timed headings, as the GDS game
	// day's; not a cut-over runbook's, nor a postmortem's Timeline list.
	for name, src := range map[string]string{
		"headed":     "# Game day\n\n## Timeline\n### 10:00 - Start\nGo.\n### 10:40 - Disable AZ A\nNow.\n",
		"cutover":    "# Database cut-over\n\n## Timeline\n### 10:00 - Freeze writes\nGo.\n### 10:30 - Switch DNS\nNow.\n",
		"postmortem": "# Outage\n\n## Summary\nIt broke.\n\n## Timeline\n- 10:00 alert\n- 10:40 fixed\n\n## Action items\n- [ ] Alert sooner\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name+".md"), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	lib, _, err = Load([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Scenario("headed"); err != nil {
		t.Error("a Timeline of timed headings was not taken as a scenario")
	}
	for _, name := range []string{"postmortem", "cutover"} {
		if _, err := lib.Runbook(name); err != nil {
			t.Errorf("%s was not left a runbook: %v", name, err)
		}
	}
}

func checkInjects(t *testing.T, name string, got, want []model.Inject) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d injects %+v, want %+v", name, len(got), got, want)
	}
	for i := range want {
		if fmt.Sprintf("%+v", got[i]) != fmt.Sprintf("%+v", want[i]) {
			t.Errorf("%s: inject %d = %+v, want %+v", name, i, got[i], want[i])
		}
	}
}

// A tabletop written as numbered modules with no times (CISA's exercise
// packages, and most templates after them) is a scenario: each module is
// an inject, spaced over the stated duration, its discussion questions
// read out with it. In a runbook folder it is taken as a drill when its
// title says so; a runbook's "Phase 1", "Phase 2" stays a runbook.
func TestScenarioModules(t *testing.T) {
	src := "# Ransomware tabletop exercise\n\n**Exercise duration:** 2 hours\n\n## Objectives\n\n" +
		"1. Decide on taking systems offline within 30 minutes.\n\n" +
		"## Module 1: Initial detection\n\n**Day 1, 08:30** — Files end in `.locked`.\n\n### Discussion questions\n\n- Who is told first?\n\n" +
		"## Module 2 – Escalation\n\nA ransom note arrives.\n\n- [ ] Legal brought in\n\n" +
		"## Module 3\n\nBackups are encrypted too.\n\n## Hot wash\n\nWhat went well?\n"
	sc, diags := ParseScenario("tabletop.md", []byte(src))
	if len(diags) > 0 {
		t.Fatalf("diagnostics:\n%s", diagList(diags))
	}
	checkInjects(t, "modules", sc.Injects, []model.Inject{
		{Offset: 0, Title: "Module 1: Initial detection", Text: "**Day 1, 08:30** — Files end in `.locked`.\n\n### Discussion questions\n\n- Who is told first?", Line: 9},
		{Offset: 40 * time.Minute, Title: "Module 2 – Escalation", Text: "A ransom note arrives.", Expected: []string{"Legal brought in"}, Line: 17, Index: 1},
		{Offset: 80 * time.Minute, Title: "Module 3", Text: "Backups are encrypted too.", Line: 23, Index: 2},
	})
	if sc.Duration != 2*time.Hour || !strings.Contains(sc.Brief, "What went well?") || len(sc.Objectives) != 1 || sc.Objectives[0].Target != 30*time.Minute {
		t.Errorf("duration %v, brief %q, objectives %+v", sc.Duration, sc.Brief, sc.Objectives)
	}

	// No duration: half an hour each. A timed inject anywhere means the
	// file says its times, and "Module" headings are only headings.
	sc, _ = ParseScenario("t.md", []byte("# Drill\n\n## Part 1\nA.\n\n## Part 2\nB.\n"))
	if len(sc.Injects) != 2 || sc.Injects[1].Offset != 30*time.Minute {
		t.Errorf("injects %+v", sc.Injects)
	}
	sc, _ = ParseScenario("t.md", []byte("# Drill\n\n## Module 1\nA.\n\n## Module 2\nB.\n\n## +10m Alert\nC.\n"))
	if len(sc.Injects) != 1 || sc.Injects[0].Title != "Alert" {
		t.Errorf("injects %+v", sc.Injects)
	}
	sc, _ = ParseScenario("t.md", []byte("# Drill\n\n## Phase 1\nA.\n\n## Phase 2\nB.\n\n## Timeline\n\n| Time | Inject |\n|---|---|\n| T+5 | Alert |\n"))
	if len(sc.Injects) != 1 || sc.Injects[0].Title != "Alert" {
		t.Errorf("injects %+v", sc.Injects)
	}

	dir := t.TempDir()
	for name, text := range map[string]string{
		"ransomware-tabletop": src,
		"upgrade":             "# Upgrade the cluster\n\n## Phase 1: Drain\n\n1. Drain the nodes\n\n## Phase 2: Upgrade\n\n1. Upgrade\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name+".md"), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	lib, _, err := Load([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Scenario("ransomware-tabletop"); err != nil {
		t.Error("a tabletop of modules in a runbook folder was not taken as a scenario")
	}
	if _, err := lib.Runbook("upgrade"); err != nil {
		t.Errorf("a runbook in phases was not left a runbook: %v", err)
	}
}
