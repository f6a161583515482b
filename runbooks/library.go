package runbooks

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/adrg/xdg"

	"github.com/sitrep-dev/sitrep/model"
)

// BundledSource is the Source of runbooks and scenarios built into sitrep.
const BundledSource = "bundled"

// maxFileSize bounds what is read from a team folder: runbooks are a few
// kilobytes, and a stray data file should not stall startup. It is the
// limit a runbook attached elsewhere must meet to arrive by sync or import.
const maxFileSize = model.MaxAttachment

//go:embed library
var bundledFiles embed.FS

// Library is every runbook and scenario sitrep can offer, by name. Sources
// are layered: the bundled library first, then each folder in turn, a later
// file replacing an earlier one of the same name, so a team can override a
// bundled runbook with its own by naming it the same. A Library does not
// change once loaded and is safe to share; the runbooks it hands out are
// shared too and must not be modified.
type Library struct {
	runbooks  map[string]*model.Runbook
	scenarios map[string]*model.Scenario
	// replaced lists, per "runbook/name" or "scenario/name", the files an
	// entry took the place of, so `runbook list` can say what a team
	// folder overrides.
	replaced map[string][]string
}

// UserDir is the folder of personal runbooks every sitrep command reads:
// $XDG_CONFIG_HOME/sitrep/runbooks. The variable is read on each call (an
// absolute path, as the XDG spec asks), so a process that sets it after
// start-up, such as a test, is honoured; otherwise xdg's platform default.
func UserDir() string {
	if d := os.Getenv("XDG_CONFIG_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "sitrep", "runbooks")
	}
	return filepath.Join(xdg.ConfigHome, "sitrep", "runbooks")
}

var bundled = sync.OnceValue(func() *Library {
	lib := &Library{runbooks: map[string]*model.Runbook{}, scenarios: map[string]*model.Scenario{}, replaced: map[string][]string{}}
	_ = fs.WalkDir(bundledFiles, "library", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".md" {
			return err
		}
		src, err := bundledFiles.ReadFile(p)
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(p, "library/")
		if strings.HasPrefix(rel, "scenarios/") {
			sc, _ := ParseScenario(rel, src)
			sc.Source = BundledSource
			lib.scenarios[sc.Name] = sc
		} else {
			rb, _ := Parse(rel, src)
			rb.Source = BundledSource
			lib.runbooks[rb.Name] = rb
		}
		return nil
	})
	return lib
})

// Load builds the library from the bundled files and then dirs, in order.
// A folder that is missing or unreadable is an error: it was named on
// purpose. Problems inside files are diagnostics, and the files still load
// when there is anything to walk through; files with nothing (no steps, no
// injects) are left out with a warning.
func Load(dirs []string) (*Library, []Diagnostic, error) {
	b := bundled()
	lib := &Library{runbooks: maps.Clone(b.runbooks), scenarios: maps.Clone(b.scenarios), replaced: map[string][]string{}}
	var diags []Diagnostic
	for _, dir := range dirs {
		d, err := lib.loadDir(dir)
		diags = append(diags, d...)
		if err != nil {
			return nil, diags, err
		}
	}
	return lib, diags, nil
}

func (lib *Library) loadDir(dir string) ([]Diagnostic, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("runbook folder %s: %w", dir, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("runbook folder %s: not a folder", dir)
	}
	files, err := Files(dir)
	if err != nil {
		return nil, err
	}
	var diags []Diagnostic
	seenHere := map[string]string{}
	for _, f := range files {
		src, err := ReadFile(f.Path)
		if err != nil {
			diags = append(diags, Diagnostic{Path: f.Path, Line: 1, Col: 1, Severity: Error, Message: err.Error()})
			continue
		}
		rb, sc, d := parseFile(f.Path, src, Auto, f.Scenario)
		diags = append(diags, d...)
		if rb == nil && sc == nil {
			continue // a spreadsheet that is not a run-sheet, reported
		}
		if sc != nil {
			if len(sc.Injects) == 0 {
				diags = append(diags, Diagnostic{Path: f.Path, Line: 1, Col: 1, Severity: Warning, Message: "scenario has no injects; not loaded"})
				continue
			}
			sc.Source = dir
			diags = append(diags, lib.note("scenario", sc.Name, f.Path, seenHere)...)
			if old, ok := lib.scenarios[sc.Name]; ok {
				lib.replaced["scenario/"+sc.Name] = append(lib.replaced["scenario/"+sc.Name], where(old.Source, old.Path))
			}
			lib.scenarios[sc.Name] = sc
			continue
		}
		if rb.StepCount() == 0 {
			diags = append(diags, Diagnostic{Path: f.Path, Line: 1, Col: 1, Severity: Warning, Message: "runbook has no steps; not loaded"})
			continue
		}
		rb.Source = dir
		diags = append(diags, lib.note("runbook", rb.Name, f.Path, seenHere)...)
		if old, ok := lib.runbooks[rb.Name]; ok {
			lib.replaced["runbook/"+rb.Name] = append(lib.replaced["runbook/"+rb.Name], where(old.Source, old.Path))
		}
		lib.runbooks[rb.Name] = rb
	}
	return diags, nil
}

// note warns when two files in one folder claim the same name: across
// folders overriding is the point, within one it is usually an accident.
func (lib *Library) note(what, name, file string, seen map[string]string) []Diagnostic {
	key := what + "/" + name
	prev, dup := seen[key]
	seen[key] = file
	if !dup {
		return nil
	}
	return []Diagnostic{{Path: file, Line: 1, Col: 1, Severity: Warning, Message: fmt.Sprintf("%s name %q is also taken by %s in the same folder; this file wins", what, name, prev)}}
}

func where(source, p string) string {
	if source == BundledSource {
		return BundledSource
	}
	return p
}

// File is a file Files found, and whether its folder marks it a scenario.
type File struct {
	Path     string
	Scenario bool
}

// skipNames are files a repository keeps beside its runbooks that are not
// runbooks. README and index pages are skipped too: they describe a folder,
// and every folder's README would claim the same name "readme".
var skipNames = map[string]bool{
	"license": true, "licence": true, "copying": true, "notice": true, "authors": true,
	"contributing": true, "code_of_conduct": true, "codeowners": true, "changelog": true,
	"security": true, "readme": true, "index": true, "_index": true,
}

// Files lists the runbook and scenario files under dir, as sitrep reads a
// team's folder or git checkout: recursively, in lexical order, skipping
// hidden files and folders (.git, .github), licence and README files, and
// anything that is not Markdown. Files under a folder named "scenarios" or
// "drills" are scenarios.
func Files(dir string) ([]File, error) {
	out, _, err := walkFolder(dir)
	return out, err
}

// walkFolder is Files, and also the other documents it passed over whose
// format sitrep does not read (documentExts), for lint to name.
func walkFolder(dir string) (out []File, others []string, err error) {
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			return nil // an unreadable subfolder should not hide the rest
		}
		name := d.Name()
		if p != dir && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			// WalkDir does not follow links; a linked file is read, a
			// linked folder is not walked (it could loop back).
			if info, err := os.Stat(p); err != nil || !info.Mode().IsRegular() {
				return nil
			}
		} else if !d.Type().IsRegular() {
			return nil
		}
		ext := strings.ToLower(filepath.Ext(name))
		stem := strings.ToLower(strings.TrimSuffix(name, filepath.Ext(name)))
		if skipNames[stem] || skipNames[strings.ToLower(name)] {
			return nil
		}
		switch {
		case markdownExts[ext]:
		case sheetExts[ext]:
			out = append(out, File{Path: p, Scenario: true})
			return nil
		case ext == "" && looksLikeMarkdown(p):
		case documentExts[ext]:
			others = append(others, p)
			return nil
		default:
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, File{Path: p, Scenario: inScenarioFolder(rel)})
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("runbook folder %s: %w", dir, err)
	}
	return out, others, nil
}

func inScenarioFolder(rel string) bool {
	parts := strings.Split(filepath.ToSlash(rel), "/")
	for _, p := range parts[:len(parts)-1] {
		switch strings.ToLower(p) {
		case "scenarios", "drills":
			return true
		}
	}
	return false
}

// looksLikeMarkdown admits a file without extension (an alert name such as
// "PrometheusOperatorSyncFailed") when it opens like a runbook: a heading or
// front matter, and no NUL bytes.
func looksLikeMarkdown(p string) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	buf := make([]byte, 512)
	n, _ := f.Read(buf)
	buf = buf[:n]
	if bytes.IndexByte(buf, 0) >= 0 {
		return false
	}
	buf = bytes.TrimPrefix(buf, []byte("\xef\xbb\xbf"))
	first := bytes.TrimSpace(buf)
	return bytes.HasPrefix(first, []byte("#")) || bytes.HasPrefix(first, []byte("---"))
}

// ReadFile reads a file from disk for Parse or ParseScenario, refusing
// what cannot be a runbook before reading all of it.
func ReadFile(p string) ([]byte, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("read runbook %s: %w", p, err)
	}
	if info.IsDir() {
		return nil, fmt.Errorf("read runbook %s: is a folder", p)
	}
	if info.Size() > maxFileSize {
		return nil, fmt.Errorf("read runbook %s: %d bytes is more than the %d a runbook may have", p, info.Size(), maxFileSize)
	}
	src, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("read runbook %s: %w", p, err)
	}
	return src, nil
}

// Runbook returns the runbook called name; "Major Incident" and
// "major-incident.md" find "major-incident".
func (lib *Library) Runbook(name string) (*model.Runbook, error) {
	key := NameFor(name)
	if rb, ok := lib.runbooks[key]; ok {
		return rb, nil
	}
	return nil, model.NotFoundf("no runbook named %q%s; 'sitrep runbook list' shows them all", name, suggest(key, keys(lib.runbooks)))
}

// Scenario returns the scenario called name.
func (lib *Library) Scenario(name string) (*model.Scenario, error) {
	key := NameFor(name)
	if sc, ok := lib.scenarios[key]; ok {
		return sc, nil
	}
	return nil, model.NotFoundf("no scenario named %q%s; 'sitrep scenario list' shows them all", name, suggest(key, keys(lib.scenarios)))
}

// Runbooks lists every runbook by name.
func (lib *Library) Runbooks() []*model.Runbook {
	out := make([]*model.Runbook, 0, len(lib.runbooks))
	for _, k := range keys(lib.runbooks) {
		out = append(out, lib.runbooks[k])
	}
	return out
}

// Scenarios lists every scenario by name.
func (lib *Library) Scenarios() []*model.Scenario {
	out := make([]*model.Scenario, 0, len(lib.scenarios))
	for _, k := range keys(lib.scenarios) {
		out = append(out, lib.scenarios[k])
	}
	return out
}

// RunbooksForKind lists the runbooks to offer for an incident of kind: the
// ones written for that kind first, then the general ones that name no kind
// (the major incident process applies to every outage).
func (lib *Library) RunbooksForKind(kind string) []*model.Runbook {
	var specific, general []*model.Runbook
	for _, rb := range lib.Runbooks() {
		switch {
		case len(rb.Kinds) == 0:
			general = append(general, rb)
		case rb.AppliesToKind(kind):
			specific = append(specific, rb)
		}
	}
	return append(specific, general...)
}

// RunbookOverrides lists the files the runbook called name replaced, earliest
// first ("bundled" for the built-in one).
func (lib *Library) RunbookOverrides(name string) []string {
	return lib.replaced["runbook/"+NameFor(name)]
}

// ScenarioOverrides is RunbookOverrides for scenarios.
func (lib *Library) ScenarioOverrides(name string) []string {
	return lib.replaced["scenario/"+NameFor(name)]
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// suggest names the closest existing name, for a mistyped one.
func suggest(name string, names []string) string {
	best, bestDist := "", 4
	for _, n := range names {
		d := editDistance(name, n)
		if strings.Contains(n, name) && len(name) >= 3 {
			d = min(d, 1)
		}
		if d < bestDist {
			best, bestDist = n, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}
