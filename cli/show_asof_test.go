package cli

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/runbooks"
	"github.com/sitrep-dev/sitrep/storage"
)

// show --as-of prints the incident as it stood then: status and severity
// of the moment, milestones not yet reached as —, the runbook's steps of
// the moment, and no later entry. As of now it is show, plus the steps.
func TestShowAsOf(t *testing.T) {
	c := newCLI(t)
	id := strings.TrimSpace(c.ok("declare", "--title", "Checkout 500s", "--sev", "2", "--at", "-2h"))
	c.ok("note", "--at", "-100m", "first look: EU only")
	c.ok("severity", id, "1")
	c.ok("status", id, "mitigated", "--at", "-60m")
	c.ok("note", "--at", "-30m", "later: all clear")
	ctx := context.Background()
	st, err := storage.Open(ctx, c.db, storage.Options{Author: "bob@desk"})
	if err != nil {
		t.Fatal(err)
	}
	in, err := st.ResolveIncident(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	lib, _, err := runbooks.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := lib.Runbook("major-incident")
	if err != nil {
		t.Fatal(err)
	}
	att, err := rb.Attachment()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, ch := range []model.Change{
		{IncidentID: in.ID, Kind: model.EventRunbookAttached, Occurred: now.Add(-110 * time.Minute), Payload: att},
		{IncidentID: in.ID, Kind: model.EventStepChanged, Occurred: now.Add(-90 * time.Minute), Payload: model.StepPayload{Runbook: "major-incident", Step: 0, Title: "first", State: model.StepDone}},
		{IncidentID: in.ID, Kind: model.EventStepChanged, Occurred: now.Add(-20 * time.Minute), Payload: model.StepPayload{Runbook: "major-incident", Step: 1, Title: "second", State: model.StepSkipped, Reason: "not needed"}},
	} {
		if _, err := st.Append(ctx, ch); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	then := c.ok("show", id, "--as-of", "-75m")
	for _, want := range []string{"As of ", "SEV2", "· investigating", "first look: EU only", "mitigated —", "resolved —",
		"Incident Commander: alice@laptop", "(major-incident): 1 done, 0 skipped, 0 blocked of ", "  done    1. "} {
		if !strings.Contains(then, want) {
			t.Errorf("show --as-of -75m lacks %q:\n%s", want, then)
		}
	}
	for _, absent := range []string{"later: all clear", "mitigated 20", "SEV1", "Status investigating → mitigated", "not needed"} {
		if strings.Contains(then, absent) {
			t.Errorf("show --as-of -75m shows %q, which came later:\n%s", absent, then)
		}
	}

	// As of now: show's own lines, with the moment and the steps added.
	show := c.ok("show", id)
	var kept []string
	for i, l := range strings.Split(c.ok("show", id, "--as-of", "now"), "\n") {
		if i == 0 || strings.HasPrefix(l, "Runbook ") || strings.HasPrefix(l, "  ") && !strings.HasPrefix(l, "    ") {
			continue
		}
		kept = append(kept, l)
	}
	if got := strings.Join(kept, "\n"); got != show {
		t.Errorf("show --as-of now differs from show beyond its first line and steps:\n%s\n--- show:\n%s", got, show)
	}

	c.fails(1, "did not exist yet", "show", id, "--as-of", "-3h")
	c.fails(1, "invalid time", "show", id, "--as-of", "teatime")
	c.fails(1, "in the future", "show", id, "--as-of", time.Now().UTC().Add(3*time.Hour).Format("2006-01-02 15:04"))
}
