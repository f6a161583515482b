package runbooks

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/sitrep-dev/sitrep/model"
)

// The fidelity measure: how much of a file a responder can read in the
// cockpit, and how many of its code blocks they can copy. The words are
// found here independently of the parser (a line scanner, not goldmark), so
// the measure checks the parser rather than repeating it.

var (
	htmlTag    = regexp.MustCompile(`<[^<>\n]*>`)
	linkTarget = regexp.MustCompile(`\]\([^)]*\)|\]\[[^\]]*\]`)
	linkDef    = regexp.MustCompile(`(?m)^ {0,3}\[[^\]]+\]:\s*\S+.*$`)
	// a fence's info string (the language) is markup, not text
	fenceInfo = regexp.MustCompile("(?m)^([ \\t>*+\\-0-9.)]*(?:```+|~~~+))[^`\\n]*$")
	comment   = regexp.MustCompile(`(?s)<!--.*?-->`)
)

// sourceText is the file's text as a reader sees it: no front matter, no
// HTML tags, no link targets (a link shows its text).
func sourceText(src []byte) string {
	s := newSource("x.md", src)
	body := string(s.body)
	body = fenceInfo.ReplaceAllString(body, "$1")
	body = comment.ReplaceAllString(body, " ")
	body = htmlTag.ReplaceAllString(body, " ")
	body = linkTarget.ReplaceAllString(body, "] ")
	body = linkDef.ReplaceAllStringFunc(body, func(l string) string {
		// the label is text a reader sees in the raw file; the target is not
		return l[:strings.Index(l, "]")+1]
	})
	return body
}

// words splits text into runs of letters and digits, lower-cased.
func words(text string) []string {
	// a code span's backticks are markup: "`fsck`s" reads "fscks"
	text = strings.ReplaceAll(text, "`", "")
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// shownShare counts how many of want's words shown holds, each occurrence
// at most as often as shown has it: a word repeated ten times in the file
// must be shown ten times.
func shownShare(want, shown []string) (found int, missing []string) {
	have := map[string]int{}
	for _, w := range shown {
		have[w]++
	}
	for _, w := range want {
		if have[w] > 0 {
			have[w]--
			found++
		} else {
			missing = append(missing, w)
		}
	}
	return found, missing
}

// fencedBlocks lists the content of every fenced code block by a line
// scanner: an opening fence of three or more ` or ~ (after any indentation
// or list and quote markers), closed by a fence of the same character at
// least as long.
func fencedBlocks(src []byte) []string {
	s := newSource("x.md", src)
	var out []string
	var cur []string
	fence := ""
	indent, quotes := 0, 0
	for _, line := range strings.Split(strings.ReplaceAll(string(s.body), "\r\n", "\n"), "\n") {
		if fence == "" {
			line, quotes = unquote(line, -1)
		} else {
			line, _ = unquote(line, quotes)
		}
		t := strings.TrimLeft(line, " \t")
		lead := len(line) - len(t)
		if fence == "" {
			t2 := strings.TrimLeft(strings.TrimLeft(t, "-*+0123456789.) "), " ")
			if f := fenceOf(t2); f != "" && !(f[0] == '`' && strings.Contains(t2[len(f):], "`")) {
				fence, indent, cur = f, lead+len(t)-len(t2), nil
			}
			continue
		}
		if f := fenceOf(t); f != "" && f[0] == fence[0] && len(f) >= len(fence) && strings.TrimSpace(t[len(f):]) == "" {
			out = append(out, strings.Join(cur, "\n"))
			fence = ""
			continue
		}
		if len(line) >= indent && strings.TrimSpace(line[:indent]) == "" {
			line = line[indent:]
		} else {
			line = strings.TrimLeft(line, " \t")
		}
		cur = append(cur, line)
	}
	if fence != "" {
		out = append(out, strings.Join(cur, "\n"))
	}
	return out
}

// unquote takes up to n of a line's block-quote markers off (all with
// n < 0), each with the one space that may follow it, and says how many.
func unquote(line string, n int) (string, int) {
	for k := 0; k != n; k++ {
		t := strings.TrimLeft(line, " ")
		if len(line)-len(t) > 3 || !strings.HasPrefix(t, ">") {
			return line, k
		}
		line = strings.TrimPrefix(t[1:], " ")
	}
	return line, n
}

func fenceOf(t string) string {
	if len(t) < 3 || (t[0] != '`' && t[0] != '~') {
		return ""
	}
	n := 0
	for n < len(t) && t[n] == t[0] {
		n++
	}
	if n < 3 {
		return ""
	}
	return t[:n]
}

// corpusMeasure is one file's figures.
type corpusMeasure struct {
	file             string
	words, shown     int
	blocks, copyable int
	steps            int
	missing          []string
	missingBlocks    []string
}

func (m corpusMeasure) String() string {
	return fmt.Sprintf("%-100s words %5d shown %5d (%5.1f%%) code %3d copyable %3d steps %3d", m.file, m.words, m.shown, pct(m.shown, m.words), m.blocks, m.copyable, m.steps)
}

func pct(a, b int) float64 {
	if b == 0 {
		return 100
	}
	return 100 * float64(a) / float64(b)
}

// measureCorpus reads every corpus file with measure and totals the figures.
func measureCorpus(t *testing.T, measure func(rel string, src []byte) corpusMeasure) []corpusMeasure {
	root := corpusDir(t)
	var out []corpusMeasure
	for _, p := range corpusFiles(t, root) {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, p)
		out = append(out, measure(rel, src))
	}
	return out
}

func summarise(ms []corpusMeasure) string {
	var b strings.Builder
	var words, shown, blocks, copyable, steps, partial, half int
	for _, m := range ms {
		fmt.Fprintln(&b, m)
		words += m.words
		shown += m.shown
		blocks += m.blocks
		copyable += m.copyable
		steps += m.steps
		if m.shown < m.words {
			partial++
		}
		if 2*m.shown < m.words {
			half++
		}
	}
	fmt.Fprintf(&b, "files %d; words shown %d of %d (%.1f%%); files with words unshown %d, with more than half unshown %d; code blocks copyable %d of %d; steps %d (%.1f per file)\n",
		len(ms), shown, words, pct(shown, words), partial, half, copyable, blocks, steps, float64(steps)/float64(max(len(ms), 1)))
	return b.String()
}

// cockpitTextBefore is what the runbook pane drew before it showed the
// whole document: the title, the headings of phases with steps, and each
// step's title and body (code included).
func cockpitTextBefore(rb *model.Runbook) string {
	var b strings.Builder
	b.WriteString(rb.Title + "\n")
	for _, p := range rb.Phases {
		if len(p.Steps) > 0 {
			b.WriteString(p.Title + "\n")
		}
		for _, st := range p.Steps {
			b.WriteString(st.Title + "\n" + st.Body + "\n")
		}
	}
	return b.String()
}

// TestCorpusFidelityBefore prints the measure the old pane gave (the
// per-file rules, steps only), kept so the figures can be compared.
func TestCorpusFidelityBefore(t *testing.T) {
	ms := measureCorpus(t, func(rel string, src []byte) corpusMeasure {
		rb, _ := ParseRules(rel, src, RulesPerFile)
		want := words(sourceText(src))
		found, missing := shownShare(want, words(cockpitTextBefore(rb)))
		m := corpusMeasure{file: rel, words: len(want), shown: found, missing: missing, steps: rb.StepCount()}
		blocks := fencedBlocks(src)
		m.blocks = len(blocks)
		for _, st := range rb.Steps() {
			m.copyable += len(st.Code)
		}
		return m
	})
	t.Log("\n" + summarise(ms))
}

// normCode compares code blocks line by line, trailing spaces aside.
func normCode(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

// measureRendered measures what `runbook show --width` prints of src: the
// title line and the rendered document.
func measureRendered(rel string, src []byte, width int) corpusMeasure {
	rb, _ := Parse(rel, src)
	d := Render(rb, width)
	shown := rb.Title + "\n" + d.Joined()
	want := words(sourceText(src))
	found, missing := shownShare(want, words(shown))
	m := corpusMeasure{file: rel, words: len(want), shown: found, missing: missing, steps: rb.StepCount()}
	have := map[string]int{}
	for _, c := range d.Code {
		have[normCode(c.Block.Text)]++
	}
	for _, b := range fencedBlocks(src) {
		m.blocks++
		if have[normCode(b)] > 0 {
			have[normCode(b)]--
			m.copyable++
		} else {
			m.missingBlocks = append(m.missingBlocks, b)
		}
	}
	return m
}

// TestCorpusFidelity: at 60, 100 and 160 columns, every word of every
// corpus file is in what `runbook show --width` prints, and every fenced
// code block can be copied (it is in the JSON form's code list).
func TestCorpusFidelity(t *testing.T) {
	for _, width := range []int{60, 100, 160} {
		ms := measureCorpus(t, func(rel string, src []byte) corpusMeasure {
			m := measureRendered(rel, src, width)
			if len(m.missing) > 0 {
				t.Errorf("width %d: %s: %d words not shown, first: %q", width, rel, len(m.missing), m.missing[:min(len(m.missing), 8)])
			}
			for _, b := range m.missingBlocks {
				t.Errorf("width %d: %s: code block not copyable: %q", width, rel, b[:min(len(b), 80)])
			}
			return m
		})
		if width == 100 {
			t.Log("\n" + summarise(ms))
		}
	}
}

// TestJSONCodeIsCopyable: the JSON form lists every code block as copied.
func TestJSONCodeIsCopyable(t *testing.T) {
	src := "# T\n\n## Diagnosis\n\n```console\n$ kubectl get pods\nNAME READY\napi 1/1\n$ kubectl logs api \\\n    --since=5m\n```\n\n- [ ] step\n  ```sh\n  # a comment\n  ls\n  ```\n"
	rb, _ := Parse("t.md", []byte(src))
	out, err := JSON(rb)
	if err != nil {
		t.Fatal(err)
	}
	var got JSONRunbook
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	want := []string{"kubectl get pods\nkubectl logs api \\\n    --since=5m", "# a comment\nls"}
	if fmt.Sprint(got.Code) != fmt.Sprint(want) {
		t.Errorf("code %q, want %q", got.Code, want)
	}
}
