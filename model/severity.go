package model

import (
	"strconv"
	"strings"
)

// Severity ranks how bad an incident is; SEV1 is the worst.
type Severity int

const (
	SEV1 Severity = 1
	SEV2 Severity = 2
	SEV3 Severity = 3
	SEV4 Severity = 4
)

// Severities lists every severity, worst first.
var Severities = []Severity{SEV1, SEV2, SEV3, SEV4}

var severityMeaning = map[Severity]string{
	SEV1: "critical: service down or data exposed for many customers; all hands, executive updates",
	SEV2: "major: core feature degraded or a subset of customers cut off; page the on-call now",
	SEV3: "minor: partial degradation with a workaround; fix within the working day",
	SEV4: "low: little or no customer impact; track and fix in normal work",
}

func (s Severity) String() string {
	if !s.Valid() {
		return "SEV?"
	}
	return "SEV" + strconv.Itoa(int(s))
}

// Meaning is the one-line description shown in pickers and help.
func (s Severity) Meaning() string { return severityMeaning[s] }

// Valid reports whether s is one of SEV1–SEV4.
func (s Severity) Valid() bool { return s >= SEV1 && s <= SEV4 }

// ParseSeverity accepts "1", "sev1", "SEV1" and "S1".
func ParseSeverity(text string) (Severity, error) {
	t := strings.ToLower(strings.TrimSpace(text))
	t = strings.TrimPrefix(t, "sev")
	t = strings.TrimPrefix(t, "s")
	n, err := strconv.Atoi(t)
	if err != nil || !Severity(n).Valid() {
		return 0, Invalidf("invalid severity %q: use one of SEV1, SEV2, SEV3, SEV4 (or 1-4)", text)
	}
	return Severity(n), nil
}
