package runbooks

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// librarySteps lists every bundled runbook's steps, one "name index line
// title" per line: step events store the index, so a rules change that
// renumbers a bundled runbook would move its incidents' ticks.
func librarySteps() string {
	lib := bundled()
	var names []string
	for name := range lib.runbooks {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		for _, st := range lib.runbooks[name].Steps() {
			fmt.Fprintf(&b, "%s %d %d %s\n", name, st.Index, st.Line, st.Title)
		}
	}
	return b.String()
}

// TestLibraryStepsUnchanged pins the bundled library's step lists to the
// ones the rules before per-section steps gave (testdata/library-steps.golden).
func TestLibraryStepsUnchanged(t *testing.T) {
	golden(t, "library-steps", librarySteps())
}
