package ui

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/sitrep-dev/sitrep/evidence"
	"github.com/sitrep-dev/sitrep/model"
)

// TestRunStepCommand: ! on a step asks before running its command, and
// only enter says yes; what the command did, once back, is recorded
// linked to the step, which then shows its exit status, and the timeline
// draws a long output's head and tail only.
func TestRunStepCommand(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	d := newDriver(t, Options{Store: st, Now: c.Now}, 160, 48)
	d.press("enter", "2", "g", "j", "!")
	if v := d.view(); !strings.Contains(v, "Run here: curl") || !strings.Contains(v, "enter run it") {
		t.Fatalf("no question before running step 2's curl:\n%s", v)
	}
	d.press("y")
	if !strings.Contains(d.view(), "Run here: curl") {
		t.Fatal("y (the copy key) answered the question")
	}
	run, ok := d.app().stepper.runTarget()
	if !ok || !strings.Contains(run.text, "prometheus.example.internal") || run.link == nil || run.link.Runbook != "major-incident" || run.link.Step != 1 {
		t.Fatalf("run target %+v", run)
	}
	d.press("esc")
	if strings.Contains(d.view(), "Run here:") {
		t.Fatal("esc did not close the question")
	}

	// What tea.Exec hands back once the command ran: here a stand-in run
	// on pipes, 40 lines of output ending in an error.
	cmd := evidence.Command{Args: []string{"sh", "-c", `for i in $(seq 1 40); do echo "line $i"; done; echo "curl: (7) Failed to connect"; exit 7`},
		Line: run.text, Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard}
	res, err := evidence.Run(context.Background(), cmd)
	if err != nil {
		t.Fatal(err)
	}
	run.incident = incA
	d.send(evidenceRanMsg{run: run, cmd: cmd, res: res})

	all, err := st.Evidence(context.Background(), incA)
	if err != nil || len(all) != 1 {
		t.Fatalf("evidence %+v, %v", all, err)
	}
	if e := all[0]; e.Exit != 7 || e.Runbook != "major-incident" || e.Step != 1 || !strings.Contains(e.Output, "line 1\n") {
		t.Errorf("recorded %+v", e)
	}
	v := d.view()
	a := d.app()
	rb := a.stepper.current()
	doc := a.stepper.document(rb)
	if status := a.stepper.status(rb, doc, doc.targets[a.stepper.at(rb, doc)]); !strings.Contains(status, "last run exit 7 at") {
		t.Errorf("the pane's status line %q does not give the last run", status)
	}
	for _, want := range []string{"[x] exit 7 Confirm the signal is real", "evidence", "curl: (7) Failed to connect",
		"more lines (sitrep show has them all)"} {
		if !strings.Contains(v, want) {
			t.Errorf("the screen lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "line 20") {
		t.Error("the timeline drew the middle of a long output")
	}
}

// TestRunTargetShellSession: ! on a shell session outside any step runs
// its commands, without prompts or output, linked to no step; on a step,
// that step's command, linked to it.
func TestRunTargetShellSession(t *testing.T) {
	p := paneWith(t, "shell-session", 100, 30)
	p.key(keyMsg("g"))
	run, ok := p.runTarget()
	if !ok || run.text != "kubectl get nodes\nkubectl top nodes" || run.link != nil {
		t.Fatalf("! on the session: %+v %v", run, ok)
	}
	p.key(keyMsg("j"))
	run, ok = p.runTarget()
	if !ok || run.text != "kubectl cordon node-1" || run.link == nil || run.link.Runbook != p.current().Name {
		t.Errorf("! on the step: %+v %v", run, ok)
	}
}

// TestRunRefusesNonShellBlock: ! hands only shell blocks to the shell; a
// ruby console session (whose "irb> x = y" lines sh would read as
// redirections) is refused with a line saying y copies it, and nothing is
// asked or run.
func TestRunRefusesNonShellBlock(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	mustAppend(t, st, model.Change{IncidentID: incA, Kind: model.EventDeclared, Payload: model.DeclaredPayload{Title: "Restore a project", Kind: "outage", Severity: model.SEV3, Status: model.StatusInvestigating}})
	text := "# Restore\n\n1. Find the project\n\n   ```ruby\n   irb(main):027:0> proj = Project.find(5678)\n   ```\n"
	mustAppend(t, st, model.Change{IncidentID: incA, Kind: model.EventRunbookAttached, Payload: model.RunbookAttachedPayload{
		Name: "restore", Title: "Restore", Source: "test", Hash: model.TextHash(text), Text: text}})
	d := newDriver(t, Options{Store: st, Now: c.Now, Incident: incA}, 160, 48)
	d.press("2", "g", "!")
	v := d.view()
	if strings.Contains(v, "Run here:") {
		t.Fatalf("! offered to run a ruby block in the shell:\n%s", v)
	}
	if !strings.Contains(v, "This is a ruby block: ! runs shell commands only") {
		t.Errorf("no refusal naming the block's language:\n%s", v)
	}
}
