package runbooks

import (
	"fmt"
	"os"

	"github.com/sitrep-dev/sitrep/model"
)

// What says how LintPaths reads the files it finds.
type What int

const (
	// Auto reads a file as a scenario when its front matter says
	// `type: scenario` or it sits under a folder named scenarios or drills,
	// and as a runbook otherwise: the way Load reads a team folder.
	Auto What = iota
	// AsScenario reads every file as a scenario.
	AsScenario
)

// parseFile reads src as a runbook or a scenario, as what says; with Auto,
// as a scenario when its front matter says `type: scenario`, or inFolder
// (the file sits under a folder named scenarios or drills) and the front
// matter does not say `type: runbook`. The file is split and its front
// matter decoded once, whichever it turns out to be. Exactly one of the
// results is non-nil.
func parseFile(filePath string, src []byte, what What, inFolder bool) (*model.Runbook, *model.Scenario, []Diagnostic) {
	s := newSource(filePath, src)
	f := readFrontMatter(s)
	scenario := what == AsScenario
	if what == Auto {
		switch f.fileType() {
		case "scenario":
			scenario = true
		case "runbook":
			scenario = false
		default:
			scenario = inFolder
		}
	}
	if scenario {
		sc := parseScenario(s, f)
		return nil, sc, s.done()
	}
	rb := parseRunbook(s, f, "")
	return rb, nil, s.done()
}

// LintPaths checks files and folders as `sitrep runbook lint` does. A folder
// is walked like a team folder (see Files); a file named directly is read
// whatever its extension. It returns the diagnostics in path order and how
// many files were read; a path that cannot be read at all is reported as an
// error diagnostic at 1:1, so one bad argument does not hide the others.
func LintPaths(paths []string, what What) ([]Diagnostic, int) {
	var diags []Diagnostic
	files := 0
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			diags = append(diags, Diagnostic{Path: p, Line: 1, Col: 1, Severity: Error, Message: fmt.Sprintf("cannot read: %v", unwrapPathError(err))})
			continue
		}
		if !info.IsDir() {
			files++
			diags = append(diags, lintOne(File{Path: p}, what)...)
			continue
		}
		found, err := Files(p)
		if err != nil {
			diags = append(diags, Diagnostic{Path: p, Line: 1, Col: 1, Severity: Error, Message: err.Error()})
			continue
		}
		for _, f := range found {
			files++
			diags = append(diags, lintOne(f, what)...)
		}
	}
	return diags, files
}

func lintOne(f File, what What) []Diagnostic {
	src, err := ReadFile(f.Path)
	if err != nil {
		return []Diagnostic{{Path: f.Path, Line: 1, Col: 1, Severity: Error, Message: err.Error()}}
	}
	_, _, diags := parseFile(f.Path, src, what, f.Scenario)
	return diags
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
