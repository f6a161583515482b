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
