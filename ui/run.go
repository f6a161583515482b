package ui

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/term"

	"github.com/sitrep-dev/sitrep/evidence"
	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// runCommand is what ! runs: a code block of the runbook, and the step it
// belongs to, if any.
type runCommand struct {
	incident string
	text     string // what runs: the block as y copies it
	lang     string // the block's fence language
	link     *evidence.Link
}

// runTarget is the command ! runs: the code block under the cursor when
// it is outside any step (run on its own, linked to no step), else the
// selected step's block that y copied last, or its first. A shell session
// runs its commands, without prompts or output, as y copies them.
func (p *stepper) runTarget() (runCommand, bool) {
	rb := p.current()
	if c, on := p.onCode(rb); on {
		if d := p.document(rb); d != nil && c < len(d.r.Code) {
			return runCommand{text: d.r.Code[c].Block.Copy(), lang: d.r.Code[c].Block.Lang}, true
		}
	}
	rb, st, ok := p.selected()
	if !ok || len(st.Code) == 0 {
		return runCommand{}, false
	}
	block := st.Code[max(p.codeNext-1, 0)%len(st.Code)]
	return runCommand{text: block.Copy(), lang: block.Lang, link: &evidence.Link{Runbook: rb.Name, Step: st.Index}}, true
}

// setExits takes the last command run from each step, with the incident's
// load; the step marks drawn with the old ones are drawn again.
func (p *stepper) setExits(exits map[storage.StepRef]storage.Evidence) {
	p.exits = exits
	p.styled.doc = nil
}

// runMark is what a step's mark carries after its state once a command ran
// from it: "exit 0 ".
func (p *stepper) runMark(runbook string, step int) string {
	if e, ok := p.lastRun(runbook, step); ok {
		return e.Status() + " "
	}
	return ""
}

// lastRun says how the last command run from a step ended, for the step's
// line: "exit 0 12:04Z", "" when none ran.
func (p *stepper) lastRun(runbook string, step int) (storage.Evidence, bool) {
	e, ok := p.exits[storage.StepRef{Runbook: runbook, Step: step}]
	return e, ok
}

// runHint is what the pane's status line says of the selected step's last
// run.
func runHint(e storage.Evidence) string {
	return fmt.Sprintf("last run %s at %s by %s", e.Status(), e.Started.UTC().Format("15:04Z"), model.OneLine(e.Author))
}

// evidenceLines is how many lines of a command's entry the timeline draws:
// its head (the command and its facts) and the tail of its output, where
// errors are; show and the exports have it all.
const evidenceHead, evidenceTail = 4, 6

// foldEvidence shortens a long evidence entry for the timeline pane.
func foldEvidence(text string) string {
	lines := strings.Split(text, "\n")
	if len(lines) <= evidenceHead+evidenceTail+1 {
		return text
	}
	left := len(lines) - evidenceHead - evidenceTail
	fold := fmt.Sprintf("… %s (sitrep show has them all)", model.Count(left, "more line"))
	return strings.Join(append(append(lines[:evidenceHead:evidenceHead], fold), lines[len(lines)-evidenceTail:]...), "\n")
}

// runStepCommand shows the command ! would run and asks for enter: the
// block runs on the responder's machine, against whatever it reaches, so it
// runs only once the person has read it.
func (a *App) runStepCommand() {
	c, ok := a.stepper.runTarget()
	c.incident = a.incID
	if !ok {
		a.refuse("This step has no command to run.")
		return
	}
	if !model.ShellLang(c.lang) {
		a.refuse(fmt.Sprintf("This is a %s block: ! runs shell commands only (y copies it).", model.OneLine(c.lang)))
		return
	}
	lines := strings.Split(strings.TrimRight(c.text, "\n"), "\n")
	shown := model.OneLine(lines[0])
	for _, l := range lines {
		// The first line that does something: a block often opens with
		// a comment saying what it is for.
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") {
			shown = model.OneLine(l)
			break
		}
	}
	if len(lines) > 1 {
		shown += fmt.Sprintf(" (%s)", model.Count(len(lines), "line"))
	}
	a.askEnter("Run here: "+shown+" ? enter runs it and logs its output; esc does not", func(a *App) tea.Cmd {
		return runEvidence(c)
	})
}

// runEvidence hands the terminal to the command, as $EDITOR gets it, and
// reports what it did when the cockpit takes the terminal back.
func runEvidence(c runCommand) tea.Cmd {
	x := &evidenceExec{run: c, cmd: evidence.Shell(c.text)}
	return tea.Exec(x, func(err error) tea.Msg {
		return evidenceRanMsg{run: c, cmd: x.cmd, res: x.res, err: x.err}
	})
}

// evidenceExec runs the command for tea.Exec. Its input is the terminal
// itself, not the program's reader over it (see runEditor), so the command
// gets a terminal of its own (evidence.Run's pty) and no key is left to a
// copy after it ends.
type evidenceExec struct {
	run runCommand
	cmd evidence.Command
	res evidence.Result
	err error
}

func (x *evidenceExec) SetStdin(io.Reader)    {}
func (x *evidenceExec) SetStdout(w io.Writer) { x.cmd.Stdout = w }
func (x *evidenceExec) SetStderr(w io.Writer) { x.cmd.Stderr = w }

// Run runs the command, then holds its output on the screen until a key is
// pressed: the cockpit redrawing at once would hide what it printed.
func (x *evidenceExec) Run() error {
	x.cmd.Stdin = os.Stdin
	if x.cmd.Stdout == nil {
		x.cmd.Stdout = os.Stdout
	}
	x.res, x.err = evidence.Run(context.Background(), x.cmd)
	fmt.Fprintf(x.cmd.Stdout, "\r\n[sitrep] %s after %s. Press any key to go back to sitrep.", x.res.Status(), model.FormatDuration(x.res.Duration))
	waitForKey(os.Stdin)
	fmt.Fprint(x.cmd.Stdout, "\r\n")
	return nil
}

// waitForKey reads one key press from the terminal.
func waitForKey(in *os.File) {
	if !term.IsTerminal(in.Fd()) {
		return
	}
	if state, err := term.MakeRaw(in.Fd()); err == nil {
		defer term.Restore(in.Fd(), state)
	}
	var b [64]byte
	_, _ = in.Read(b[:])
}

// evidenceRanMsg is a command ! ran, back from the terminal.
type evidenceRanMsg struct {
	run runCommand
	cmd evidence.Command
	res evidence.Result
	err error
}

// onEvidenceRan records what the command did, linked to its step, as
// `sitrep run` does; a command that could not start is recorded too.
func (a *App) onEvidenceRan(msg evidenceRanMsg) tea.Cmd {
	if msg.res.Started.IsZero() {
		a.setFlash("Not run: "+errText(msg.err), true)
		return nil
	}
	a.nextReq++
	rs := a.rs
	return record(a.nextReq, msg.run.incident, func(ctx context.Context) (model.Event, error) {
		return rs.RecordEvidence(ctx, msg.run.incident, msg.cmd, msg.res, true, msg.run.link)
	})
}
