package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/runbooks"
)

// paneWith is a runbook pane showing the runbook in testdata/runbooks/name.md,
// its first step done, sized as the incident screen of w×h sizes it.
func paneWith(t testing.TB, name string, w, h int) stepper {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "runbooks", name+".md"))
	if err != nil {
		t.Fatal(err)
	}
	rb, _ := runbooks.Parse(name+".md", src)
	keys := newKeyMap()
	p := newStepper(NewStyles(asciiRenderer()), &keys)
	l := computeLayout(w, h)
	p.SetSize(l.Stepper.W, l.Stepper.H)
	p.setData("abcd1234", []attachedRunbook{{Name: rb.Name, Title: rb.Title, Hash: rb.Hash, Runbook: rb}},
		[]model.StepStatus{{Runbook: rb.Name, Step: 0, State: model.StepDone, By: "alice", At: t0}})
	return p
}

// TestGoldenRunbookPane draws the pane for the shapes the step rules read
// section by section, at the three screen sizes.
func TestGoldenRunbookPane(t *testing.T) {
	for _, name := range []string{"numbered-headings", "contain-eradicate", "alert-references", "shell-session"} {
		for _, sz := range [][2]int{{160, 48}, {100, 30}, {60, 20}} {
			p := paneWith(t, name, sz[0], sz[1])
			checkGolden(t, fmt.Sprintf("pane-%s-%dx%d", name, sz[0], sz[1]), strings.Join(p.View(true), "\n")+"\n")
		}
	}
}

// TestPaneReachesEveryLine: j alone scrolls from the top of a long runbook
// to its last line, landing on every step on the way.
func TestPaneReachesEveryLine(t *testing.T) {
	p := paneWith(t, "numbered-headings", 60, 20)
	d := p.document(p.current())
	seen := map[int]bool{}
	bottom := false
	p.key(keyMsg("g"))
	if p.top != 0 {
		t.Fatalf("g leaves the top at %d", p.top)
	}
	for range 200 {
		_, st, ok := p.selected()
		p.key(keyMsg("j"))
		if ok {
			seen[st.Index] = true
		}
		if p.top+p.docHeight() >= len(d.r.Lines) {
			bottom = true
		}
	}
	if !bottom || len(seen) != p.current().Runbook.StepCount() {
		t.Errorf("after j×200: bottom reached %v, steps landed on %v of %d", bottom, seen, p.current().Runbook.StepCount())
	}
}

// TestCopyShellSession: y on a shell session outside any step copies its
// commands without prompts or output; on a step, that step's command.
func TestCopyShellSession(t *testing.T) {
	p := paneWith(t, "shell-session", 100, 30)
	p.key(keyMsg("g"))
	text, _, _, ok := p.nextCode()
	if !ok || text != "kubectl get nodes\nkubectl top nodes" {
		t.Fatalf("y on the session: %q %v", text, ok)
	}
	p.key(keyMsg("j"))
	if text, _, _, ok := p.nextCode(); !ok || text != "kubectl cordon node-1" {
		t.Errorf("y on the step: %q %v", text, ok)
	}
}

// TestPaneMarksFollowStates: lines drawn once are kept, but a step's new
// state shows on the next frame.
func TestPaneMarksFollowStates(t *testing.T) {
	p := paneWith(t, "contain-eradicate", 160, 48)
	before := strings.Count(strings.Join(p.View(true), "\n"), "[x]")
	rb := p.current()
	p.setData("abcd1234", p.runbooks, []model.StepStatus{
		{Runbook: rb.Name, Step: 0, State: model.StepDone, By: "alice", At: t0},
		{Runbook: rb.Name, Step: 2, State: model.StepDone, By: "alice", At: t0},
	})
	if after := strings.Count(strings.Join(p.View(true), "\n"), "[x]"); before != 1 || after != 2 {
		t.Errorf("[x] marks: %d before, %d after a second step is done", before, after)
	}
}
