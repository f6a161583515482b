package export_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/export"
	"github.com/sitrep-dev/sitrep/model"
)

var aarStart = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func drillStarted(t *testing.T, p model.ExerciseStartedPayload) model.Exercise {
	t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	e := model.Event{ID: "e000", IncidentID: "inc", Kind: model.EventExerciseStarted, Payload: b, Author: "fac",
		At: aarStart, Occurred: aarStart, HLC: model.NewHLC(aarStart)}
	x, ok := model.BuildExercise([]model.Event{e})
	if !ok {
		t.Fatal("the drill's start event built no exercise")
	}
	return x
}

// A scenario's own cadence replaces the team's in the report too: under
// the team's policy a silent drill's report names the deadlines passed;
// with `cadence: none` it counts none.
func TestAfterActionReportCadenceFromScenario(t *testing.T) {
	in := model.Incident{Severity: model.SEV2, Status: model.StatusInvestigating, Exercise: true, DeclaredAt: aarStart,
		Milestones: model.MilestoneTimes{Detected: aarStart}}
	end := aarStart.Add(3*time.Hour + 20*time.Minute)
	report := func(c *model.DrillCadence) string {
		x := drillStarted(t, model.ExerciseStartedPayload{Scenario: "tabletop", Title: "Decisions", Start: aarStart, Cadence: c})
		return export.AfterActionReport(model.AfterAction{Incident: in, Exercise: x, Now: end, Cadence: model.DefaultCadence()})
	}
	if r := report(nil); !strings.Contains(r, "communication deadlines passed without an update") {
		t.Fatalf("the team's policy: no missed deadlines in the report:\n%s", r)
	}
	r := report(&model.DrillCadence{})
	if strings.Contains(r, "communication deadline") || !strings.Contains(r, "0 updates sent, 0 deadlines missed") {
		t.Errorf("cadence: none: the report still counts deadlines:\n%s", r)
	}
}

// The after-action report escapes text from the scenario and the log with
// the review's one escaper in its tables: a pipe stays in its cell and a <
// opens no HTML.
func TestAfterActionReportEscapesCells(t *testing.T) {
	x := drillStarted(t, model.ExerciseStartedPayload{Scenario: "s", Title: "S", Start: aarStart,
		Injects:    []model.Inject{{Title: "db <b>down</b> | paged"}},
		Objectives: []model.Objective{{ID: "ok", Kind: model.ObjectiveMilestone, Title: "a|b <img src=x>", Target: time.Hour}}})
	in := model.Incident{Title: "t", Severity: model.SEV2, Exercise: true, DeclaredAt: aarStart}
	r := export.AfterActionReport(model.AfterAction{Incident: in, Exercise: x, Now: aarStart.Add(time.Minute), Cadence: model.DefaultCadence()})
	for _, want := range []string{`| a\|b \<img src=x> (`, `| db \<b>down\</b> \| paged |`} {
		if !strings.Contains(r, want) {
			t.Errorf("report lacks %q:\n%s", want, r)
		}
	}
}
