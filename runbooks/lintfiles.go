package runbooks

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/yuin/goldmark/ast"

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
	if IsSheet(filePath) {
		sc, diags, ok := parseSheet(filePath, src)
		if !ok {
			return nil, nil, diags
		}
		return nil, sc, diags
	}
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
			scenario = inFolder || hasInjects(s)
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
			d, _ := lintOne(File{Path: p}, what)
			diags = append(diags, d...)
			continue
		}
		found, others, err := walkFolder(p)
		if err != nil {
			diags = append(diags, Diagnostic{Path: p, Line: 1, Col: 1, Severity: Error, Message: err.Error()})
			continue
		}
		for _, o := range others {
			diags = append(diags, notRead(o))
		}
		seen := map[string]string{}
		for _, f := range found {
			files++
			d, key := lintOne(f, what)
			diags = append(diags, d...)
			if prev, dup := seen[key]; dup && key != "" {
				diags = append(diags, Diagnostic{Path: f.Path, Line: 1, Col: 1, Severity: Warning,
					Message: fmt.Sprintf("%s is also the name of %s; this file, read later, wins and that one is hidden: rename one of them", key, prev)})
			}
			if key != "" {
				seen[key] = f.Path
			}
		}
	}
	return diags, files
}

// lintOne checks one file, and says the name it is known by ("runbook
// \"db-failover\""), so a folder's walk can point out two files that
// claim one name.
func lintOne(f File, what What) ([]Diagnostic, string) {
	src, err := ReadFile(f.Path)
	if err != nil {
		return []Diagnostic{{Path: f.Path, Line: 1, Col: 1, Severity: Error, Message: err.Error()}}, ""
	}
	rb, sc, diags := parseFile(f.Path, src, what, f.Scenario)
	switch {
	case sc != nil:
		return diags, fmt.Sprintf("scenario %q", sc.Name)
	case rb != nil:
		return diags, fmt.Sprintf("runbook %q", rb.Name)
	}
	return diags, "" // a spreadsheet that is not a run-sheet
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// hasInjects: a file with an "Injects" or "Run sheet" heading is a drill
// scenario wherever it sits, as a team's game-day plan dropped into its
// runbook folder is; no runbook has one. So is one whose "Timeline" (or
// "Schedule") holds timed subheadings (### 10:40 …, ### T+15 …) when its
// title or file name says it is a game day, tabletop, drill or exercise: a
// cut-over runbook may be timed too, and a postmortem's timeline is a list.
func hasInjects(s *source) bool {
	timedUnder := 0 // level of a Timeline heading being looked under
	timedHeads := 0
	title := ""
	for n := s.doc.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok {
			continue
		}
		text := s.inlineText(h)
		if h.Level == 1 && title == "" {
			title = text
		}
		if timedUnder > 0 && h.Level > timedUnder {
			if timed(text) {
				timedHeads++
			}
			continue
		}
		timedUnder = 0
		switch sectionOf(text) {
		case injectsSection:
			return true
		case timelineSection:
			timedUnder = h.Level
		}
	}
	// The words first: they are cheap, and no runbook says them.
	return drillWords().MatchString(title+" "+filepath.Base(s.path)) && (timedHeads >= 2 || modular(s))
}

var drillWords = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)game[ _-]?day|table[ _-]?top|drill|exercise|simulation|wargame`)
})

// documentExts are formats runbooks are also written in, which sitrep does
// not read: a folder of them would otherwise lint as "no runbook files"
// without saying why.
var documentExts = map[string]bool{".adoc": true, ".asciidoc": true, ".rst": true, ".org": true, ".txt": true, ".html": true,
	".htm": true, ".docx": true, ".odt": true, ".rtf": true, ".textile": true, ".wiki": true, ".mediawiki": true, ".pdf": true}

// notRead warns of a document in a format sitrep does not read, with how
// to bring it in.
func notRead(p string) Diagnostic {
	ext := strings.ToLower(filepath.Ext(p))
	md := strings.TrimSuffix(filepath.Base(p), filepath.Ext(p)) + ".md"
	how := fmt.Sprintf("convert it, for example `pandoc -t gfm %s -o %s`", filepath.Base(p), md)
	switch ext {
	case ".txt":
		how = "if it is Markdown, rename it " + md
	case ".pdf":
		how = "keep its text as " + md
	}
	return Diagnostic{Path: p, Line: 1, Col: 1, Severity: Warning,
		Message: fmt.Sprintf("not read: sitrep reads runbooks written in Markdown (.md); %s", how)}
}
