package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/runbooks"
)

// bigRunbookText is a runbook of at least size bytes in the shapes real
// ones take: phases of prose, checklists with code, numbered steps,
// tables, bullets under action headings and shell sessions.
func bigRunbookText(size int) string {
	var b strings.Builder
	b.WriteString("# Big runbook\n\nWhat this is for, with **bold**, `code` and a [link](https://example.com).\n\n")
	for phase := 0; b.Len() < size; phase++ {
		fmt.Fprintf(&b, "## Phase %d\n\nWhat this phase is for, in a sentence or two of prose that wraps in a narrow pane.\n\n", phase)
		b.WriteString("| check | expected |\n|---|---|\n| replication lag | under 5s |\n| error rate | under 1% |\n\n")
		for i := 0; i < 6; i++ {
			fmt.Fprintf(&b, "- [ ] Step %d.%d: look at the dashboard and decide what to do next {R: dba}\n", phase, i)
			fmt.Fprintf(&b, "  ```sh\n  kubectl -n production get pods -l app=api-%d -o wide\n  ```\n", i)
		}
		b.WriteString("\n1. Numbered step one\n2. Numbered step two\n\n```console\n$ kubectl get nodes\nNAME STATUS\n```\n\n")
		fmt.Fprintf(&b, "### Contain %d\n\n- isolate the host\n- revoke the keys\n\n", phase)
	}
	return b.String()
}

// BenchmarkRunbookPaneKeypress times one key (Update and View of the
// whole 160x48 screen) in the runbook pane of a 70 KB runbook: the target
// is at most 2 ms, as for any key.
func BenchmarkRunbookPaneKeypress(b *testing.B) {
	c := newClock()
	st := openStore(b, c, "alice@laptop")
	text := bigRunbookText(70 << 10)
	rb, _ := runbooks.Parse("big.md", []byte(text))
	p, err := rb.Attachment()
	if err != nil {
		b.Fatal(err)
	}
	mustAppend(b, st, model.Change{IncidentID: incA, Kind: model.EventDeclared, Payload: model.DeclaredPayload{Title: "Big", Kind: "outage", Severity: model.SEV1, Status: model.StatusInvestigating}})
	mustAppend(b, st, model.Change{IncidentID: incA, Kind: model.EventRunbookAttached, Payload: p})
	d := newDriver(b, Options{Store: st, Now: c.Now, Incident: incA}, 160, 48)
	d.press("2")
	a := d.app()
	if a.focus != paneStepper || a.stepper.current() == nil || a.stepper.current().Runbook.StepCount() < 400 {
		b.Fatalf("focus %d, runbook %+v", a.focus, a.stepper.current())
	}
	var m tea.Model = *a
	keys := []tea.KeyMsg{keyMsg("j"), keyMsg("j"), keyMsg("k")}
	b.ReportMetric(float64(len(text)), "runbook-bytes")
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		m, _ = m.Update(keys[i%len(keys)])
		_ = m.View()
	}
}
