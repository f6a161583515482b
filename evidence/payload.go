package evidence

import (
	"os"
	"strings"

	"github.com/sitrep-dev/sitrep/model"
)

// Link ties a command to the runbook step it came from.
type Link struct {
	Runbook string
	Step    int
}

// Payload is the evidence entry for a command that ran: keepOutput false
// (--no-output) records the command and how it ended, not what it printed.
func (r Result) Payload(c Command, keepOutput bool, link *Link) model.EvidencePayload {
	dir := c.Dir
	if dir == "" {
		dir, _ = os.Getwd()
	}
	host, _ := os.Hostname()
	line, masked := commandText(c)
	p := model.EvidencePayload{
		Command:     line,
		Dir:         label(dir),
		Host:        label(host),
		Started:     r.Started.UTC(),
		DurationMS:  r.Duration.Milliseconds(),
		Exit:        r.Exit,
		Signal:      r.Signal,
		OutputBytes: r.Output.Total,
	}
	if keepOutput {
		p.Output, p.Omitted = r.Output.Text, r.Output.Omitted
		masked += r.Output.Masked
	} else {
		p.NoOutput = true
	}
	p.Masked = masked
	if link != nil {
		p.Runbook, p.Step = label(link.Runbook), link.Step
	}
	return p
}

// commandText is the command as recorded: the line a person reads, cleaned
// and with secrets in it masked (a token passed as an argument is as
// secret as one printed), within model.MaxCommand.
func commandText(c Command) (string, int) {
	line := c.Line
	if line == "" {
		line = model.ShellLine(c.Args)
	}
	line, n := maskSecrets(strings.Trim(model.StripTerminal(line), "\n"))
	if len(line) > model.MaxCommand {
		line = line[:runeStartString(line, model.MaxCommand-len(" …"))] + " …"
	}
	return line, n
}

// label makes a directory or host name one printable line.
func label(s string) string {
	s = strings.ReplaceAll(model.Printable(s), "\n", " ")
	if r := []rune(s); len(r) > model.MaxLabel {
		s = string(r[:model.MaxLabel])
	}
	return s
}
