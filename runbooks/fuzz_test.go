package runbooks

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sitrep-dev/sitrep/model"
)

// fuzzSeeds are files that exercise every branch the parser has: the
// bundled library, the fixtures, and the shapes real runbooks take.
func fuzzSeeds(f *testing.F) {
	_ = fs.WalkDir(bundledFiles, "library", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if src, err := bundledFiles.ReadFile(p); err == nil {
				f.Add(src)
			}
		}
		return nil
	})
	for _, name := range []string{"raci.md", "prose.md", "drill.md"} {
		if src, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(src)
		}
	}
	for _, s := range []string{
		"",
		"---\n",
		"---\n---\n",
		"\xef\xbb\xbf---\ntitle: x\n---\n# T\n- [ ] a {A: ic}\n",
		"---\na: &x [*x]\nraci: *x\n---\n",
		"---\nraci: {A: [ic, sme], R: }\nroles: {dba: }\nescalation: [{after: 5, who: }]\n---\n- [ ] x {R: , A: ic;; C:[sme}\n",
		"# H {A: ic}\n1. one\n1. two\n   ```\n   code\n   ```\n\n```\nout\n```\n1. again\n",
		"- [ ] a\n  - [ ] b\n    - [ ] c\n      - [ ] d\n        - [ ] e\n",
		"> - [ ] quoted step {A: scribe}\n> ```sh\n> ls\n> ```\n",
		"| a | b |\n|---|---|\n| - [ ] x | y |\n\n- [x] done\n",
		"<details>\n- [ ] inside html\n</details>\n\n{{< ref x >}} {{% y %}}\n",
		"## +5m inject\ntext\n- [ ] expected\n## Injects\n### 10:40 clock\n### 25:99 bad\n### nope\n",
		"---\ntype: scenario\nobjectives: [{rto: 1h, rpo: 2m}, {milestone: x, within: -5m}, 7]\nduration: 1d\n---\n### T+1d2h x\n",
		"---\ncadence: {customers: [5m, 20m], executive: none}\nobjectives: [Decision recorded on the breach, Decision recorded on the breach again, {id: x, milestone: y}]\n---\n### T+00 a\n### T+1:30 b\n### +15 c\n",
		"\r\n# crlf\r\n\r\n- [ ] a\r\n  ```\r\n  b\r\n  ```\r\n",
		// line ends yaml.v3 counts and the file does not: \r, NEL, LS, PS
		"---\n\r\r0\n---",
		"---\na: 1\u2028\u0085b: [x\r\u2029c\n---\n# T\n",
		"<<<<<<< HEAD\n- [ ] a\n=======\n>>>>>>> b\n",
		// run-sheets as a table and as a list, objectives under a heading
		"## Timeline\n| Time | Inject | Expected |\n|--|--|--|\n| T+0 | a | b |\n| 25:00 | c |\n| | |\n\n## Objectives\n- x within 5 minutes\n- x within 5 minutes\n",
		"## Run sheet\n- 23:50 — a\n  - look\n- 00:10 b\n- nope\n- +5x\n",
		"#\n##\n- [ ]\n1.\n-\n",
		"\x00\xff\xfe# bad utf8 \xc3\n- [ ] \x1b[31mred\n",
		// UTF-16 with a lone surrogate; Windows-1252 with its unused bytes
		"\xff\xfe#\x00 \x00T\x00\n\x00-\x00 \x00[\x00 \x00]\x00 \x00\x00\xd8\n\x00",
		"# caf\xe9\n- [ ] \x81\x8d\x9d\n",
		// past the nesting limit, on one line and by indentation
		strings.Repeat("- ", 40) + "x\n\n\n\n\n" + strings.Repeat("> ", 40) + "y\n",
		nestedSteps(MaxNesting + 3),
	} {
		f.Add([]byte(s))
	}
}

// checkDiagsInFile: every diagnostic points at a real line of the file.
func checkDiagsInFile(t *testing.T, src []byte, diags []Diagnostic) {
	lines := len(lineStarts(src))
	for _, d := range diags {
		if d.Line < 1 || d.Line > lines || d.Col < 1 || d.Message == "" || (d.Severity != Error && d.Severity != Warning) {
			t.Fatalf("diagnostic outside the file (%d lines): %+v", lines, d)
		}
	}
}

func FuzzParse(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		rb, diags := Parse("fuzz.md", src)
		// The file's exact text, made UTF-8 when it was saved otherwise.
		text, _ := model.DecodeText(src)
		if rb.Text != string(text) || rb.Hash != model.TextHash(rb.Text) {
			t.Fatal("runbook does not keep the file's exact text and hash")
		}
		checkDiagsInFile(t, text, diags)
		steps := rb.Steps()
		for i, st := range steps {
			if st.Index != i {
				t.Fatalf("step %d has index %d", i, st.Index)
			}
			if got, ok := rb.Step(i); !ok || got.Line != st.Line {
				t.Fatalf("Step(%d) disagrees with Steps()", i)
			}
			if st.Line < 1 || st.Depth < 0 {
				t.Fatalf("step %d at line %d depth %d", i, st.Line, st.Depth)
			}
			if len(st.RACI.Accountable) > 1 && !HasErrors(diags) {
				t.Fatalf("step %d has %d Accountables and no error", i, len(st.RACI.Accountable))
			}
		}
		if len(steps) == 0 && strings.TrimSpace(string(src)) != "" && len(diags) == 0 {
			t.Fatal("a file with text and nothing to walk gives no warning")
		}
		// whatever the file, the renderer places every step and keeps to
		// the width
		d := Render(rb, 30)
		for i, a := range d.Steps {
			if a.Start < 0 || a.End < a.Start || a.Start > len(d.Lines) {
				t.Fatalf("step %d anchored at %+v of %d lines", i, a, len(d.Lines))
			}
		}
		for _, l := range d.Lines {
			if w := segsWidth(l.Segs); w > 30 {
				t.Fatalf("line %q is %d wide", l.Text(), w)
			}
		}
		if _, err := JSON(rb); err != nil {
			t.Fatal(err)
		}
		// every link offered can be shown and copied as it is
		for _, l := range d.Links(0, len(d.Lines)) {
			if l.Target == "" || l.Text == "" || model.Printable(l.Target) != l.Target || model.Printable(l.Text) != l.Text ||
				strings.Contains(l.Target, "\n") || l.Line < 0 || l.Line >= len(d.Lines) {
				t.Fatalf("link %+v", l)
			}
		}
	})
}

func FuzzParseScenario(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		sc, diags := ParseScenario("fuzz.md", src)
		text, _ := model.DecodeText(src)
		if sc.Text != string(text) || sc.Hash != model.TextHash(sc.Text) {
			t.Fatal("scenario does not keep the file's exact text and hash")
		}
		checkDiagsInFile(t, text, diags)
		for i, in := range sc.Injects {
			if in.Index != i || in.Offset < 0 || (i > 0 && in.Offset < sc.Injects[i-1].Offset) {
				t.Fatalf("inject %d: index %d offset %v", i, in.Index, in.Offset)
			}
		}
		// every objective has its own tag, one a note can name
		ids := map[string]bool{}
		for _, o := range sc.Objectives {
			if !validTag(o.ID) || ids[o.ID] {
				t.Fatalf("objective %q has tag %q (taken: %v)", o.Title, o.ID, ids[o.ID])
			}
			ids[o.ID] = true
		}
	})
}

// FuzzSheet: a spreadsheet export of any shape reads without a panic, and
// what is reported points into the file.
func FuzzSheet(f *testing.F) {
	for _, s := range []string{
		"Time,Inject\n+5m,a\n", "\ufeffWhen;What happens\n09:00;x\n", "Time,Inject\n\"unclosed,x\n", "",
		"Time,Inject,Expected\n25:99,bad,\n+1h,\"multi\nline\",ok\n", "T+,Event\n+0,a|b\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, name := range []string{"f.csv", "f.tsv"} {
			sc, diags := ParseScenario(name, src)
			if sc == nil {
				t.Fatal("no scenario")
			}
			text, _ := model.DecodeText(src)
			checkDiagsInFile(t, text, diags)
		}
	})
}
