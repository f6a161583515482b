package runbooks

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestNestingPastTheLimitIsAnError: lists and quotes nested deeper than
// MaxNesting are an error at the first marker past it, with its line, and
// the file still reads; at the limit exactly there is no such error.
func TestNestingPastTheLimitIsAnError(t *testing.T) {
	deepErr := "nested more than 32 deep"
	cases := []struct {
		name, src string
		want      *wantDiag
	}{
		{"bullets on one line", "# T\n" + strings.Repeat("- ", MaxNesting+5) + "x\n",
			&wantDiag{2, 2*MaxNesting + 1, Error, deepErr}},
		{"quotes on one line", "# T\n\n" + strings.Repeat(">", 100) + " x\n",
			&wantDiag{3, MaxNesting + 1, Error, deepErr}},
		{"a checklist indented 40 deep", "# T\n\n" + nestedSteps(40),
			&wantDiag{3 + MaxNesting, 2*MaxNesting + 1, Error, deepErr}},
		{"a numbered list under quotes", "# T\n" + strings.Repeat("> ", 20) + strings.Repeat("1. ", 20) + "x\n",
			&wantDiag{2, 0, Error, deepErr}},
		{"a checklist at the limit", "# T\n\n" + nestedSteps(MaxNesting), nil},
		{"bullets on one line at the limit", "# T\n" + strings.Repeat("- ", MaxNesting) + "x\n", nil},
		{"a deep list then a thematic break", "# T\n" + strings.Repeat("- ", 40) + "x\n\n---\n\n- [ ] after\n", &wantDiag{2, 0, Error, deepErr}},
	}
	for _, c := range cases {
		rb, diags := Parse("deep.md", []byte(c.src))
		if rb == nil || rb.StepCount() == 0 && !rb.Prose {
			t.Errorf("%s: the file no longer reads: %+v", c.name, rb)
		}
		if c.want == nil {
			for _, d := range diags {
				if strings.Contains(d.Message, deepErr) {
					t.Errorf("%s: at the limit, yet %s", c.name, d)
				}
			}
			continue
		}
		checkDiags(t, c.name, diags, []wantDiag{*c.want})
		for _, d := range diags {
			if strings.Contains(d.Message, deepErr) && !strings.HasPrefix(d.String(), "deep.md:") {
				t.Errorf("%s: %q does not start with file:line", c.name, d)
			}
		}
	}
	// the steps under the limit are all there
	rb, _ := Parse("deep.md", []byte(nestedSteps(40)))
	if n := rb.StepCount(); n != MaxNesting {
		t.Errorf("a checklist 40 deep gives %d steps, want the %d within the limit", n, MaxNesting)
	}
}

// TestWorstCasesParseInLinearTime: each worst case, at 1 MB, parses well
// inside a second of CPU (the limit here is loose, for -race and a busy
// machine; BenchmarkParseWorstCase measures it). Before the nesting cap a
// 200 KB list nested 100,000 deep took 20 s, so a parse is given a
// deadline rather than waited for.
func TestWorstCasesParseInLinearTime(t *testing.T) {
	if testing.Short() {
		t.Skip("parses 19 files of 1 MB")
	}
	for _, wc := range worstCases {
		src := wc.make(1 << 20)
		done := make(chan []Diagnostic, 1)
		start := time.Now()
		go func() {
			_, diags := Parse("worst.md", src)
			done <- diags
		}()
		select {
		case diags := <-done:
			took := time.Since(start)
			t.Logf("%s: %d bytes in %v", wc.name, len(src), took)
			deep := false
			for _, d := range diags {
				deep = deep || (d.Severity == Error && strings.Contains(d.Message, "nested more than"))
			}
			if deep != wc.deep {
				t.Errorf("%s: nesting error reported: %v, want %v", wc.name, deep, wc.deep)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: a 1 MB file still parsing after 10 s: parse time is not linear", wc.name)
		}
	}
}

// TestCodeBlockBlankLinesKept: runs of blank lines are shortened before
// goldmark reads the file, but a code block's text keeps every one of
// them, at the top level and inside a list item.
func TestCodeBlockBlankLinesKept(t *testing.T) {
	code := "echo one\n\n\n\n\necho two\n\n\necho three"
	indented := "  " + strings.ReplaceAll(code, "\necho", "\n  echo")
	for _, src := range []string{
		"# T\n\n- [ ] step\n\n\n\n  ```sh\n" + indented + "\n  ```\n\n\n\n- [ ] next\n",
		"# T\n\n## Prose\n\n\n\n```sh\n" + code + "\n```\n",
		"# T\n\r\n\r\n\r\n- [ ] step\r\n  ```sh\r\n  echo one\r\n\r\n\r\n\r\n  echo two\r\n  ```\r\n",
	} {
		rb, _ := Parse("blank.md", []byte(src))
		var got []string
		for _, st := range rb.Steps() {
			for _, c := range st.Code {
				got = append(got, c.Text)
			}
		}
		want := code
		if strings.Contains(src, "\r\n") {
			// saved on Windows: copied without the \r, which breaks a
			// command pasted into a shell
			want = "echo one\n\n\n\necho two"
		}
		if len(got) == 0 || got[0] != want {
			t.Errorf("code blocks of %q:\n%q\nwant first %q", src, got, want)
		}
	}
}

// TestWindowsLineEndings: a runbook saved on Windows reads as the same
// file saved elsewhere; its commands copy without the "\r" that would
// break them in a shell, and nothing shows one as a stray character.
func TestWindowsLineEndings(t *testing.T) {
	src := "Database failover\n=================\n\nStep 1 - Check replication\n--------------------------\n\n" +
		"    $ psql -c 'select 1'\n\nStep 2 - Promote\n----------------\n\n- [ ] promote\n  ```bash\n  pg_ctl promote\n  ```\n"
	unix, _ := Parse("failover.md", []byte(src))
	win, _ := Parse("failover.md", []byte(strings.ReplaceAll(src, "\n", "\r\n")))
	var codes []string
	for _, st := range win.Steps() {
		for _, c := range st.Code {
			codes = append(codes, c.Text)
		}
	}
	if want := []string{"pg_ctl promote"}; !slices.Equal(codes, want) {
		t.Errorf("commands %q, want %q", codes, want)
	}
	u, w := Render(unix, 60), Render(win, 60)
	if u.PlainText() != w.PlainText() {
		t.Errorf("rendered differently with \\r\\n:\n%s\nwithout:\n%s", w.PlainText(), u.PlainText())
	}
	for _, c := range w.Code {
		if strings.ContainsAny(c.Block.Text, "\r\ufffd") {
			t.Errorf("code block at line %d copies as %q", c.Block.Line, c.Block.Text)
		}
	}
	if len(w.Code) != 2 {
		t.Errorf("%d code blocks rendered, want the indented one and the fenced one", len(w.Code))
	}
}

// TestOtherEncodings: a runbook saved as UTF-16 (PowerShell's Out-File,
// Notepad's "Unicode") or as Windows-1252 reads as the same text saved as
// UTF-8, and can be attached: its text is UTF-8 and its hash is that
// text's.
func TestOtherEncodings(t *testing.T) {
	src := "# Redémarrer le service\r\n\r\n- [ ] Arrêter l'API\r\n  ```sh\r\n  systemctl stop api\r\n  ```\r\n- [ ] Vérifier les files d'attente\r\n"
	want, _ := Parse("api.md", []byte(src))
	utf16 := []byte{0xff, 0xfe}
	for _, r := range src {
		utf16 = append(utf16, byte(r), byte(r>>8))
	}
	utf16be := []byte{0xfe, 0xff}
	for _, r := range src {
		utf16be = append(utf16be, byte(r>>8), byte(r))
	}
	var cp1252 []byte
	for _, r := range src {
		cp1252 = append(cp1252, byte(r)) // é, ê: the same code points in Latin-1
	}
	for name, raw := range map[string][]byte{"UTF-16LE": utf16, "UTF-16BE": utf16be, "Windows-1252": cp1252} {
		rb, diags := Parse("api.md", raw)
		if rb.Text != want.Text || rb.Hash != want.Hash || rb.Title != "Redémarrer le service" {
			t.Errorf("%s: read as %q (hash %.8s), want %q (hash %.8s)", name, rb.Text, rb.Hash, want.Text, want.Hash)
		}
		if len(diags) != 1 || diags[0].Severity != Warning || !strings.Contains(diags[0].Message, "save the file as UTF-8") {
			t.Errorf("%s: diagnostics %v, want one warning", name, diags)
		}
		if _, err := rb.Attachment(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if got := rb.Steps()[0].Code[0].Text; got != "systemctl stop api" {
			t.Errorf("%s: command %q", name, got)
		}
	}
}
