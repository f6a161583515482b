package runbooks

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
)

// corpusDir finds ../shared/corpus (relative to the repository root) by
// walking up from the package folder, so the tests work from any package
// and from a checkout placed elsewhere beside shared/. Without it the tests
// skip, unless SITREP_REQUIRE_CORPUS=1 says CI must have it.
func corpusDir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		for _, cand := range []string{filepath.Join(dir, "shared", "corpus"), filepath.Join(dir, "..", "shared", "corpus")} {
			if info, err := os.Stat(cand); err == nil && info.IsDir() {
				return filepath.Clean(cand)
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	if os.Getenv("SITREP_REQUIRE_CORPUS") == "1" {
		tb.Fatal("../shared/corpus not found and SITREP_REQUIRE_CORPUS=1")
	}
	tb.Skip("../shared/corpus not found; set SITREP_REQUIRE_CORPUS=1 to make this a failure")
	return ""
}

// corpusFiles lists every file under the corpus except licence files.
func corpusFiles(tb testing.TB, root string) []string {
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasPrefix(strings.ToUpper(d.Name()), "LICENSE") {
			return nil
		}
		out = append(out, p)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// noPanic runs fn and turns a panic into a test failure naming the file.
func noPanic(t *testing.T, what string, fn func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s: panic: %v\n%s", what, r, debug.Stack())
		}
	}()
	fn()
}

// TestCorpusLintsWithoutPanic reads every corpus file both ways, runbook
// and scenario, and through the same path `sitrep runbook lint DIR` takes.
// Every diagnostic must point inside the file.
func TestCorpusLintsWithoutPanic(t *testing.T) {
	root := corpusDir(t)
	files := corpusFiles(t, root)
	if len(files) < 40 {
		t.Fatalf("only %d corpus files under %s", len(files), root)
	}
	for _, p := range files {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Count(string(src), "\n") + 1
		noPanic(t, p, func() {
			rb, diags := Parse(p, src)
			if rb == nil || rb.Text != string(src) {
				t.Errorf("%s: runbook does not keep the file's text", p)
			}
			sc, sdiags := ParseScenario(p, src)
			if sc == nil {
				t.Errorf("%s: nil scenario", p)
			}
			for _, d := range append(diags, sdiags...) {
				if d.Line < 1 || d.Line > lines || d.Col < 1 || d.Path != p || d.Message == "" {
					t.Errorf("%s: diagnostic out of the file: %+v", p, d)
				}
			}
		})
	}
	noPanic(t, "LintPaths", func() {
		diags, n := LintPaths([]string{root}, Auto)
		if n < 30 {
			t.Errorf("LintPaths read %d files of the corpus", n)
		}
		for _, d := range diags {
			if strings.Contains(d.Message, "cannot read") {
				t.Errorf("%s", d)
			}
		}
	})
}

var atxHeading = regexp.MustCompile(`^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$`)

// headings lists a file's ATX headings outside code fences and front
// matter, read independently of goldmark so the test checks the parser.
func headings(src string) map[string]bool {
	out := map[string]bool{}
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	i := 0
	if len(lines) > 0 && strings.TrimSpace(lines[0]) == "---" {
		for i = 1; i < len(lines) && strings.TrimSpace(lines[i]) != "---"; i++ {
		}
		i++
	}
	fence := ""
	for ; i < len(lines); i++ {
		t := strings.TrimLeft(lines[i], " \t")
		if fence != "" {
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
			continue
		}
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fence = t[:3]
			continue
		}
		if m := atxHeading.FindStringSubmatch(lines[i]); m != nil {
			out[plainInline(strings.TrimSpace(m[1]))] = true
		}
	}
	return out
}

// TestCorpusRunbooksWalkable: every runbook of the three runbook
// collections, found the way a team folder is read, yields steps, and its
// phases are the file's own headings.
func TestCorpusRunbooksWalkable(t *testing.T) {
	root := corpusDir(t)
	total := 0
	for _, repo := range []string{"prometheus-operator-runbooks", "gitlab-com-runbooks", "aws-incident-response-playbooks"} {
		files, err := Files(filepath.Join(root, repo))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, f := range files {
			if strings.Contains(filepath.ToSlash(f.Path), "/archetypes/") {
				continue // Hugo's template for new pages, not a runbook
			}
			n++
			src, err := ReadFile(f.Path)
			if err != nil {
				t.Fatal(err)
			}
			rb, diags := Parse(f.Path, src)
			rel, _ := filepath.Rel(root, f.Path)
			if len(rb.Steps()) == 0 {
				t.Errorf("%s: no steps (%v)", rel, diags)
				continue
			}
			hs := headings(string(src))
			matched := 0
			for _, p := range rb.Phases {
				if p.Title == "" {
					continue
				}
				if !hs[p.Title] {
					t.Errorf("%s: phase %q (line %d) is not one of the file's headings", rel, p.Title, p.Line)
					continue
				}
				matched++
			}
			if len(hs) > 0 && matched == 0 {
				t.Errorf("%s: %d headings, no phase named after one", rel, len(hs))
			}
			if rb.Prose {
				// each section is a step, named by its heading
				for _, st := range rb.Steps() {
					if !hs[st.Title] && st.Index > 0 {
						t.Errorf("%s: prose step %q (line %d) is not a heading", rel, st.Title, st.Line)
					}
				}
			}
		}
		if n == 0 {
			t.Errorf("%s: no runbooks found", repo)
		}
		total += n
	}
	t.Logf("%d corpus runbooks walkable", total)
}

// TestCorpusKnownShapes pins what the corpus is known to hold: each of the
// awkward shapes is met with a warning on its line, and nothing is lost.
func TestCorpusKnownShapes(t *testing.T) {
	root := corpusDir(t)
	cases := []struct {
		file string
		line int
		want string
	}{
		{"prometheus-operator-runbooks/archetypes/default.md", 3, "front matter is a template, not YAML"},
		{"prometheus-operator-runbooks/content/runbooks/node/NodeClockNotSynchronising.md", 22, "Hugo shortcode {{< ref >}}"},
		{"prometheus-operator-runbooks/content/runbooks/node/NodeFilesystemSpaceFillingUp.md", 16, "HTML block"},
		{"aws-incident-response-playbooks/playbooks/Amazon GuardDuty Playbooks/EKS Findings/IRP-GD-PrivilegeEscalation-Kubernetes_PrivilegedContainer.md", 93, "nested 5 levels deep"},
		{"prometheus-operator-runbooks/content/runbooks/prometheus-operator/PrometheusOperatorSyncFailed", 1, "file has no extension"},
	}
	for _, c := range cases {
		p := filepath.Join(root, c.file)
		src, err := os.ReadFile(p)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		_, diags := Parse(p, src)
		found := false
		for _, d := range diags {
			if d.Line == c.line && strings.Contains(d.Message, c.want) {
				found = d.Severity == Warning
				if !found {
					t.Errorf("%s: %s is an error, want a warning", c.file, d)
				}
			}
		}
		if !found {
			t.Errorf("%s: no warning %q on line %d; got:\n%s", c.file, c.want, c.line, diagList(diags))
		}
	}
}

func diagList(ds []Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "  %s\n", d)
	}
	return b.String()
}
