package runbooks

import (
	"fmt"
	"sort"
)

// Level says whether a diagnostic stops a file from being trusted (Error)
// or only makes it harder to read or follow (Warning). Files with errors
// still load: during an incident a runbook with a typo in a role is still
// better than no runbook.
type Level int

const (
	Warning Level = iota + 1
	Error
)

func (l Level) String() string {
	if l == Error {
		return "error"
	}
	return "warning"
}

// Diagnostic is one finding about a file, with the position an editor can
// jump to: lines and columns count from 1, columns in bytes like the Go tools.
type Diagnostic struct {
	Path     string
	Line     int
	Col      int
	Severity Level
	Message  string
}

// String is the compiler-style line editors and CI annotate:
// "path:line:col: error: message".
func (d Diagnostic) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s", d.Path, d.Line, d.Col, d.Severity, d.Message)
}

// HasErrors reports whether any diagnostic is an error.
func HasErrors(ds []Diagnostic) bool {
	for _, d := range ds {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Count returns how many errors and warnings ds holds.
func Count(ds []Diagnostic) (errors, warnings int) {
	for _, d := range ds {
		if d.Severity == Error {
			errors++
		} else {
			warnings++
		}
	}
	return errors, warnings
}

// SortDiagnostics orders diagnostics by file, then position, so output is
// stable and reads top to bottom.
func SortDiagnostics(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}
