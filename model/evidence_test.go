package model

import (
	"strings"
	"testing"
	"time"
)

// TestStripTerminal: what a terminal would have shown, as plain text.
func TestStripTerminal(t *testing.T) {
	cases := []struct{ in, want string }{
		{"\x1b[1;31mred\x1b[0m plain\r\n", "red plain\n"},
		{"\x1b]0;title\x07after\n", "after\n"},
		{"\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\\n", "link\n"},
		{"10%\r50%\r100%\ndone\n", "100%\ndone\n"},
		{"loading...\rok\n", "okading...\n"}, // the terminal overwrote only what was written
		{"b\bbo\bol\bld\bd\n", "bold\n"},     // overstrike, as man pages print it
		{"ding\x07\n", "ding\n"},
		{"a\x00b\x7fc\n", "a\uFFFDb\uFFFDc\n"},
		{"tab\there\n", "tab    here\n"},
		{"rtl \u202Egnp.exe\n", "rtl <U+202E>gnp.exe\n"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		{"\x9b31mC1 CSI", "\uFFFD31mC1 CSI"},
		{"no newline at end", "no newline at end"},
	}
	for _, c := range cases {
		got := StripTerminal(c.in)
		if got != c.want {
			t.Errorf("StripTerminal(%q) = %q, want %q", c.in, got, c.want)
		}
		if Printable(got) != got {
			t.Errorf("StripTerminal(%q) = %q is not printable as it is", c.in, got)
		}
	}
}

// TestEvidenceValidate: what `sitrep run` records passes, and every field
// a hostile store could fill is refused with what is wrong.
func TestEvidenceValidate(t *testing.T) {
	good := EvidencePayload{Command: "kubectl get pods", Dir: "/srv", Host: "db1", Started: time.Now().UTC(), DurationMS: 12,
		Exit: 1, Output: "NAME\nweb-1\n", OutputBytes: 11, Runbook: "db", Step: 2}
	if err := good.Validate(); err != nil {
		t.Fatalf("good evidence refused: %v", err)
	}
	bad := []struct {
		name string
		edit func(*EvidencePayload)
		want string
	}{
		{"no command", func(p *EvidencePayload) { p.Command = " \n" }, "no command"},
		{"escape in command", func(p *EvidencePayload) { p.Command = "ls \x1b]52;c;aGk=\x07" }, "control or format"},
		{"escape in output", func(p *EvidencePayload) { p.Output = "\x1b[2Jcleared" }, "control or format"},
		{"bidi in output", func(p *EvidencePayload) { p.Output = "\u202Etxt.exe" }, "control or format"},
		{"tab in output", func(p *EvidencePayload) { p.Output = "a\tb" }, "control or format"},
		{"bad utf8", func(p *EvidencePayload) { p.Output = "\xff" }, "UTF-8"},
		{"huge output", func(p *EvidencePayload) { p.Output = strings.Repeat("x", MaxEvidenceOutput+1) }, "limit"},
		{"huge command", func(p *EvidencePayload) { p.Command = strings.Repeat("x", MaxCommand+1) }, "limit"},
		{"newline in dir", func(p *EvidencePayload) { p.Dir = "/a\n/b" }, "working directory"},
		{"escape in host", func(p *EvidencePayload) { p.Host = "h\x1b[31m" }, "host"},
		{"exit 300", func(p *EvidencePayload) { p.Exit = 300 }, "exit status"},
		{"negative exit", func(p *EvidencePayload) { p.Exit = -1 }, "exit status"},
		{"negative time", func(p *EvidencePayload) { p.DurationMS = -5 }, "negative time"},
		{"omitted > total", func(p *EvidencePayload) { p.Omitted = 50 }, "add up"},
		{"year 10000", func(p *EvidencePayload) { p.Started = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, "year"},
		{"no-output with output", func(p *EvidencePayload) { p.NoOutput = true }, "not kept"},
		{"step without runbook", func(p *EvidencePayload) { p.Runbook = "" }, "no runbook"},
		{"negative step", func(p *EvidencePayload) { p.Step = -1 }, "negative"},
		{"negative masks", func(p *EvidencePayload) { p.Masked = -1 }, "masked"},
	}
	for _, c := range bad {
		p := good
		c.edit(&p)
		err := p.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error saying %q", c.name, err, c.want)
		}
		if err := ValidatePayload(EventEvidence, p); err == nil {
			t.Errorf("%s: passed the kind table's check", c.name)
		}
	}
}
