package respond

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/evidence"
)

// TestRecordEvidence: a command run from a step of an attached runbook is
// recorded at its start, linked to the step; a link to a runbook the
// incident does not have is refused and records nothing.
func TestRecordEvidence(t *testing.T) {
	s, st, _ := newService(t)
	ctx := context.Background()
	in := mustDeclare(t, s, "major-incident")
	c := evidence.Command{Args: []string{"sh", "-c", "echo token=abc123; exit 2"}, Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard}
	res, err := evidence.Run(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	e, err := s.RecordEvidence(ctx, in.ID, c, res, true, &evidence.Link{Runbook: "major-incident", Step: 1})
	if err != nil {
		t.Fatal(err)
	}
	if d := e.Occurred.Sub(res.Started); d < -time.Millisecond || d > time.Millisecond {
		t.Errorf("placed at %v, the command started at %v", e.Occurred, res.Started)
	}
	exits, err := st.StepExits(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for k, v := range exits {
		got = append(got, k.Runbook)
		if k.Step != 1 || v.Exit != 2 || v.Masked != 2 || strings.Contains(v.Output+v.Command, "abc123") {
			t.Errorf("step %+v: %+v", k, v)
		}
	}
	if len(got) != 1 || got[0] != "major-incident" {
		t.Errorf("step exits for %v", got)
	}
	if _, err := s.RecordEvidence(ctx, in.ID, c, res, true, &evidence.Link{Runbook: "not-attached", Step: 0}); err == nil || !strings.Contains(err.Error(), "not attached") {
		t.Errorf("a step of a runbook not attached: %v", err)
	}
	if all, _ := st.Evidence(ctx, in.ID); len(all) != 1 {
		t.Errorf("%d entries after the refusal, want 1", len(all))
	}
}
