package runbooks

import (
	"fmt"
	"strings"

	"github.com/sitrep-dev/sitrep/model"
)

// dumpRunbook writes what the parser made of a file, one fact per line, for
// golden files: a change in structure shows up as a readable diff.
func dumpRunbook(rb *model.Runbook, diags []Diagnostic) string {
	var b strings.Builder
	fmt.Fprintf(&b, "name: %s\ntitle: %s\nprose: %v\n", rb.Name, rb.Title, rb.Prose)
	if len(rb.Kinds) > 0 {
		fmt.Fprintf(&b, "kinds: %s\n", strings.Join(rb.Kinds, ", "))
	}
	if len(rb.Severities) > 0 {
		fmt.Fprintf(&b, "severities: %v\n", rb.Severities)
	}
	if len(rb.Roles) > 0 {
		fmt.Fprintf(&b, "roles: %v\n", rb.Roles)
	}
	if !rb.DefaultRACI.IsZero() {
		fmt.Fprintf(&b, "raci: %s\n", rb.DefaultRACI)
	}
	for _, e := range rb.Escalation {
		fmt.Fprintf(&b, "escalate: after %s to %s via %q (line %d)\n", model.FormatOffset(e.After), e.Who, e.Via, e.Line)
	}
	for _, p := range rb.Phases {
		fmt.Fprintf(&b, "\nphase %q level %d line %d\n", p.Title, p.Level, p.Line)
		if p.Intro != "" {
			fmt.Fprintf(&b, "  intro: %s\n", summary(p.Intro))
		}
		for _, s := range p.Steps {
			fmt.Fprintf(&b, "  %s#%d line %d: %s\n", strings.Repeat("  ", s.Depth), s.Index, s.Line, s.Title)
			ind := strings.Repeat("  ", s.Depth) + "     "
			if s.OwnRACI || (!s.RACI.IsZero() && !equalRACI(s.RACI, rb.DefaultRACI)) {
				fmt.Fprintf(&b, "%sraci: %s\n", ind, s.RACI)
			}
			if s.Body != "" {
				fmt.Fprintf(&b, "%sbody: %s\n", ind, summary(s.Body))
			}
			for _, c := range s.Code {
				fmt.Fprintf(&b, "%scode %q line %d: %s\n", ind, c.Lang, c.Line, summary(c.Text))
			}
		}
	}
	if len(diags) > 0 {
		b.WriteString("\ndiagnostics:\n")
		for _, d := range diags {
			fmt.Fprintf(&b, "  %d:%d: %s: %s\n", d.Line, d.Col, d.Severity, d.Message)
		}
	}
	return b.String()
}

// summary is a text's line count and first line, enough to see that the
// right text landed in the right place without copying whole files.
func summary(text string) string {
	lines := strings.Split(text, "\n")
	first := lines[0]
	if len(first) > 72 {
		first = first[:72] + "…"
	}
	return fmt.Sprintf("%d lines: %s", len(lines), first)
}

func equalRACI(a, b model.RACI) bool { return a.String() == b.String() }

// dumpScenario is dumpRunbook for scenarios.
func dumpScenario(sc *model.Scenario, diags []Diagnostic) string {
	var b strings.Builder
	fmt.Fprintf(&b, "name: %s\ntitle: %s\n", sc.Name, sc.Title)
	if sc.Kind != "" {
		fmt.Fprintf(&b, "kind: %s\n", sc.Kind)
	}
	if sc.Severity != 0 {
		fmt.Fprintf(&b, "severity: %s\n", sc.Severity)
	}
	if sc.Duration != 0 {
		fmt.Fprintf(&b, "duration: %s\n", model.FormatOffset(sc.Duration))
	}
	if len(sc.Runbooks) > 0 {
		fmt.Fprintf(&b, "runbooks: %s\n", strings.Join(sc.Runbooks, ", "))
	}
	for _, o := range sc.Objectives {
		fmt.Fprintf(&b, "objective %s (%s) within %s line %d: %s\n", o.ID, o.Kind, model.FormatOffset(o.Target), o.Line, o.Title)
	}
	if sc.Brief != "" {
		fmt.Fprintf(&b, "brief: %s\n", summary(sc.Brief))
	}
	for _, in := range sc.Injects {
		fmt.Fprintf(&b, "\ninject #%d %s line %d: %s\n", in.Index, model.FormatOffset(in.Offset), in.Line, in.Title)
		if in.Text != "" {
			fmt.Fprintf(&b, "  text: %s\n", summary(in.Text))
		}
		for _, e := range in.Expected {
			fmt.Fprintf(&b, "  expected: %s\n", e)
		}
	}
	if len(diags) > 0 {
		b.WriteString("\ndiagnostics:\n")
		for _, d := range diags {
			fmt.Fprintf(&b, "  %d:%d: %s: %s\n", d.Line, d.Col, d.Severity, d.Message)
		}
	}
	return b.String()
}
