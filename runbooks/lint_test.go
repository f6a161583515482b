package runbooks

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

type wantDiag struct {
	line, col int // col 0: any column
	level     Level
	text      string
}

func checkDiags(t *testing.T, name string, diags []Diagnostic, wants []wantDiag) {
	t.Helper()
	for _, w := range wants {
		found := false
		for _, d := range diags {
			if d.Line == w.line && (w.col == 0 || d.Col == w.col) && d.Severity == w.level && strings.Contains(d.Message, w.text) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: want %s at %d:%d containing %q; got:\n%s", name, w.level, w.line, w.col, w.text, diagList(diags))
		}
	}
}

// TestLintWarnsAndCarriesOn: shapes real runbooks have are warnings with
// their line, never errors, and the file is still walked.
func TestLintWarnsAndCarriesOn(t *testing.T) {
	cases := []struct {
		name, path, src string
		steps           int
		want            []wantDiag
	}{
		{"invalid YAML front matter from another tool", "hugo.md",
			"---\ntitle: \"unterminated\nweight: 10\n---\n# Title\n\n- [ ] One\n- [ ] Two\n", 2,
			[]wantDiag{{4, 1, Warning, "front matter is not valid YAML"}}},
		{"template front matter", "arch.md",
			"---\ntitle: {{ replace .Name \"-\" \" \" | title }}\ndate: {{ .Date }}\n---\n# X\n\n1. One\n2. Two\n", 2,
			[]wantDiag{{2, 1, Warning, "front matter is a template"}}},
		{"front matter never closed", "open.md",
			"---\ntitle: x\n\n# Heading\n\n- [ ] Step\n", 1,
			[]wantDiag{{1, 1, Warning, "never closed"}}},
		{"Hugo shortcodes", "short.md",
			"# T\n\n- [ ] See {{< ref \"other.md\" >}} first\n- [ ] Then {{% notice %}}careful{{% /notice %}}\n", 2,
			[]wantDiag{{3, 11, Warning, "Hugo shortcode {{< ref >}}"}, {4, 12, Warning, "Hugo shortcode {{% notice %}}"}}},
		{"HTML blocks", "html.md",
			"# T\n\n<details>\n<summary>More</summary>\n\nhidden\n</details>\n\n- [ ] Step\n\n<table><tr><td>x</td></tr></table>\n", 1,
			[]wantDiag{{3, 1, Warning, "HTML block"}, {11, 1, Warning, "HTML block"}}},
		{"a callout never closed", "callout.md",
			"# T\n\n:::warning Origin load\nWatch origin CPU.\n\n- [ ] Step\n\n:::tip\nclosed\n:::\n", 1,
			[]wantDiag{{3, 1, Warning, "callout :::warning is not closed"}}},
		{"1.-only numbering is CommonMark's lazy numbering", "ones.md",
			"# T\n\n## Restore\n\n1. Stop the service\n1. Restore the backup\n1. Start the service\n", 3,
			nil},
		{"a numbering skip", "skip.md",
			"# T\n\n## Restore\n\n1. Stop the service\n2. Restore the backup\n4. Start the service\n", 3,
			[]wantDiag{{7, 1, Warning, "item numbered 4 is item 3"}}},
		{"steps read as references", "refs.md",
			"# T\n\n## References\n\n1. Stop the service\n2. Restore the backup\n", 0,
			[]wantDiag{{3, 1, Warning, "read as references"}}},
		{"references read as steps", "links.md",
			"# T\n\n## Restore\n\n1. [Runbook](https://x)\n2. [Dashboard](https://y)\n3. Restart it\n", 3,
			[]wantDiag{{5, 1, Warning, "mostly links"}}},
		{"nested checklists", "nested.md",
			"# T\n\n- [ ] a\n  - [ ] b\n    - [ ] c\n      - [ ] d\n        - [ ] e\n      - [ ] d2\n", 6,
			[]wantDiag{{6, 1, Warning, "nested 4 levels deep"}}},
		{"steps under bullets under steps", "mixed.md",
			"# T\n\n1. a\n   - note\n     - deeper\n       1. step four lists in\n", 2,
			[]wantDiag{{6, 1, Warning, "nested 4 levels deep"}}},
		{"file without extension", "runbooks/NodeDown",
			"# NodeDown\n\n## Meaning\n\nThe node is down.\n\n## Mitigation\n\nReboot it.\n", 2,
			[]wantDiag{{1, 1, Warning, "file has no extension"}}},
		{"ticked box", "ticked.md", "# T\n\n- [x] Done already\n- [ ] Open\n", 2,
			[]wantDiag{{3, 1, Warning, "ticked in the file"}}},
		{"TOML front matter", "toml.md", "+++\ntitle = \"x\"\n+++\n# T\n\n- [ ] One\n", 1,
			[]wantDiag{{1, 1, Warning, "TOML front matter"}}},
	}
	for _, c := range cases {
		rb, diags := Parse(c.path, []byte(c.src))
		if HasErrors(diags) {
			t.Errorf("%s: errors where warnings are due:\n%s", c.name, diagList(diags))
		}
		if got := len(rb.Steps()); got != c.steps {
			t.Errorf("%s: %d steps, want %d", c.name, got, c.steps)
		}
		checkDiags(t, c.name, diags, c.want)
	}
	if _, diags := Parse("ones.md", []byte("# T\n\n1. a\n1. b\n")); len(diags) > 0 {
		t.Errorf("lazy numbering warned:\n%s", diagList(diags))
	}
	// Only the first item of a deep list is flagged, not every one below it.
	_, diags := Parse("nested.md", []byte("# T\n\n- [ ] a\n  - [ ] b\n    - [ ] c\n      - [ ] d\n        - [ ] e\n      - [ ] d2\n"))
	if n := strings.Count(diagList(diags), "levels deep"); n != 1 {
		t.Errorf("nesting warned %d times:\n%s", n, diagList(diags))
	}
}

// TestLintErrorsNameTheLine: what makes a runbook wrong, not just unusual,
// is an error at the place it is written.
func TestLintErrorsNameTheLine(t *testing.T) {
	cases := []struct {
		name, src string
		want      []wantDiag
	}{
		{"broken front matter meant for sitrep",
			"---\ntitle: Failover\nraci:\n  A: incident-commander\n  R: [ops-lead\n---\n# Failover\n\n- [ ] Go\n",
			[]wantDiag{{4, 1, Error, "front matter is not valid YAML"}}},
		{"front matter that is not key: value",
			"---\n- just\n- a list\n---\n# T\n\n- [ ] Go\n",
			[]wantDiag{{2, 1, Error, "key: value"}}},
		{"unknown severity in front matter",
			"---\nseverities: [SEV1, SEV9]\n---\n# T\n\n- [ ] Go\n",
			[]wantDiag{{2, 20, Error, ""}}},
		{"two Accountables on a step",
			"# T\n\n## Contain\n\n- [ ] Isolate the host {R: ops, A: incident-commander, A: scribe}\n",
			[]wantDiag{{5, 0, Error, "2 Accountable roles (incident-commander, scribe)"}}},
		{"two Accountables in the default RACI",
			"---\nraci:\n  A: [incident-commander, executive-sponsor]\n---\n# T\n\n- [ ] Go\n",
			[]wantDiag{{3, 0, Error, "Accountable"}}},
		{"a role never defined",
			"---\nroles: [dba]\n---\n# T\n\n- [ ] Check lag {R: dba, A: ic}\n- [ ] Promote {R: release-wizard, A: ic}\n",
			[]wantDiag{{7, 19, Error, `role "release-wizard" is not defined`}}},
		{"merge conflict marker",
			"# T\n\n- [ ] One\n<<<<<<< HEAD\n- [ ] Two\n=======\n- [ ] Deux\n>>>>>>> branch\n",
			[]wantDiag{{4, 1, Error, "merge conflict"}}},
		{"UTF-8 with a damaged character",
			"# Café\n\n- [ ] caf\xe9\n",
			[]wantDiag{{3, 10, Error, "not valid UTF-8"}}},
		{"Windows-1252",
			"# T\n\n- [ ] caf\xe9\n",
			[]wantDiag{{1, 1, Warning, "read as Windows-1252"}}},
	}
	for _, c := range cases {
		rb, diags := Parse(c.name+".md", []byte(c.src))
		checkDiags(t, c.name, diags, c.want)
		if rb == nil || len(rb.Steps()) == 0 {
			t.Errorf("%s: a runbook with errors must still be walkable", c.name)
		}
	}
}

func TestLintScenarioErrors(t *testing.T) {
	src := `---
title: Drill
objectives:
  - rto: 1 hour
  - Customers told within 30m
---
# Drill

## Injects

### +5m First news
Something breaks.

### +five minutes Second
More breaks.

### 25:70 Third
Clock time that is not one.

### Fourth without a time
Text.
`
	sc, diags := ParseScenario("drill.md", []byte(src))
	checkDiags(t, "scenario", diags, []wantDiag{
		{4, 10, Error, "RTO"},
		{14, 5, Error, "inject offset"},
		{17, 5, Error, "not a time of day"},
		{20, 5, Error, "does not start with its offset"},
	})
	if len(sc.Injects) != 1 || sc.Injects[0].Title != "First news" {
		t.Errorf("injects: %+v", sc.Injects)
	}
	for _, text := range []string{"More breaks", "Clock time"} {
		if strings.Contains(sc.Brief, text) {
			t.Errorf("text of a broken inject leaked into the brief: %q", sc.Brief)
		}
	}
	_, diags = ParseScenario("empty.md", []byte("# Nothing here\n\nJust prose.\n"))
	checkDiags(t, "empty scenario", diags, []wantDiag{{1, 1, Error, "no injects"}})
}

// TestLintSharedNames: two files of one folder that claim one name are
// pointed out, saying which wins and where the other is.
func TestLintSharedNames(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"a/db-failover.md", "b/db-failover.md", "c/other.md"} {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte("# T\n\n- [ ] step\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	diags, n := LintPaths([]string{dir}, Auto)
	if n != 3 {
		t.Fatalf("%d files", n)
	}
	want := fmt.Sprintf(`runbook "db-failover" is also the name of %s; this file, read later, wins`, filepath.Join(dir, "a/db-failover.md"))
	found := 0
	for _, d := range diags {
		if strings.Contains(d.Message, "also the name") {
			found++
			if d.Path != filepath.Join(dir, "b/db-failover.md") || !strings.Contains(d.Message, want) {
				t.Errorf("%s", d)
			}
		}
	}
	if found != 1 {
		t.Errorf("%d shared-name warnings:\n%s", found, diagList(diags))
	}
}

// Lint names each document in a folder that is not Markdown, with how to
// bring it in, instead of finding "no runbook files" without a reason;
// READMEs and licences in other formats are left alone as in Markdown.
func TestLintNamesDocumentsNotRead(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"restart.adoc": "= Restart\n\n. Check\n", "failover.rst": "Failover\n========\n", "notes.txt": "- [ ] x\n",
		"README.rst": "About\n", "LICENSE.txt": "MIT\n", "ok.md": "# Ok\n- [ ] step\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	diags, files := LintPaths([]string{dir}, Auto)
	if files != 1 {
		t.Errorf("%d files read, want 1 (ok.md)", files)
	}
	var got []string
	for _, d := range diags {
		if strings.Contains(d.Message, "not read") {
			got = append(got, filepath.Base(d.Path)+": "+d.Message)
		}
	}
	sort.Strings(got)
	want := []string{
		"failover.rst: not read: sitrep reads runbooks written in Markdown (.md); convert it, for example `pandoc -t gfm failover.rst -o failover.md`",
		"notes.txt: not read: sitrep reads runbooks written in Markdown (.md); if it is Markdown, rename it notes.md",
		"restart.adoc: not read: sitrep reads runbooks written in Markdown (.md); convert it, for example `pandoc -t gfm restart.adoc -o restart.md`",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
