package runbooks

import (
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	gast "github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// upstream is the parser as sitrep built it with goldmark's own extension
// package: gfm.go's copies must give the same tree for every input.
var upstream = goldmark.New(
	goldmark.WithParser(parser.NewParser(
		parser.WithBlockParsers(cappedBlockParsers()...),
	)),
	goldmark.WithExtensions(extension.Table, extension.TaskList),
).Parser()

// treeOf writes every node of src's tree with what sitrep reads from it:
// kind, position, lines, text segments, checkbox state, table alignments.
func treeOf(p parser.Parser, src []byte) string {
	var b strings.Builder
	doc := p.Parse(text.NewReader(src))
	_ = gast.Walk(doc, func(n gast.Node, entering bool) (gast.WalkStatus, error) {
		if !entering {
			b.WriteString(")")
			return gast.WalkContinue, nil
		}
		fmt.Fprintf(&b, "(%s@%d", n.Kind(), n.Pos())
		if n.Type() == gast.TypeBlock {
			for i := 0; i < n.Lines().Len(); i++ {
				s := n.Lines().At(i)
				fmt.Fprintf(&b, " L%d-%d+%d", s.Start, s.Stop, s.Padding)
			}
		}
		switch n := n.(type) {
		case *gast.Text:
			fmt.Fprintf(&b, " T%d-%d%v%v", n.Segment.Start, n.Segment.Stop, n.SoftLineBreak(), n.HardLineBreak())
		case *extast.TaskCheckBox:
			fmt.Fprintf(&b, " checked=%v", n.IsChecked)
		case *extast.Table:
			fmt.Fprintf(&b, " %v", n.Alignments)
		case *extast.TableCell:
			fmt.Fprintf(&b, " %v", n.Alignment)
		}
		return gast.WalkContinue, nil
	})
	return b.String()
}

func sameTree(t *testing.T, name string, src []byte) {
	t.Helper()
	if got, want := treeOf(markdown(), src), treeOf(upstream, src); got != want {
		t.Errorf("%s: tree differs from goldmark's extensions\n got %s\nwant %s", name, got, want)
	}
}

// TestGFMMatchesGoldmark parses the bundled library, the fixtures, the
// corpus when present, and tables and checkboxes at their edges with both
// parsers.
func TestGFMMatchesGoldmark(t *testing.T) {
	cases := []string{
		"| a | b |\n|---|:--|\n| 1 | 2 |\n",
		"a | b\n:-: | -:\n1 | 2 | 3\nx\n",
		"text before\n| a |\n| - |\n| `x \\| y` | z\n",
		"| a | b |\n| --- |\n",
		"| a |\n|: -|\n",
		"| a |\n| ::- |\n",
		"| a |\n|\t:--:\t|\n",
		"    | a |\n    | - |\n",
		"| a |\n| ----- | \n| \\| | |\n",
		"- [ ] one\n- [x] two\n- [X]three\n- [\t] four\n- [] five\n- [y] six\n- text [ ] seven\n",
		"1. [x]\n2. [ ]  \n   - [x] nested\n> - [ ] quoted\n",
		"- [x] step\n\n  | role | who |\n  |------|-----|\n  | IC | ana |\n",
	}
	for i, c := range cases {
		sameTree(t, fmt.Sprintf("case %d", i), []byte(c))
	}
	walk := func(root string) {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			sameTree(t, p, src)
			return nil
		})
	}
	walk("library")
	walk("testdata")
	if os.Getenv("SITREP_REQUIRE_CORPUS") == "1" || corpusPresent() {
		walk(corpusDir(t))
	}
}

func corpusPresent() bool {
	for _, p := range []string{"../../shared/corpus", "../shared/corpus"} {
		if info, err := os.Stat(p); err == nil && info.IsDir() {
			return true
		}
	}
	return false
}

// TestGFMMatchesGoldmarkRandom compares the two parsers on documents made
// of the characters tables and checkboxes turn on.
func TestGFMMatchesGoldmarkRandom(t *testing.T) {
	pieces := []string{"|", "-", ":", " ", "\t", "\n", "\v", "\f", "[", "]", "x", "X", "\\", "`", "a", "- ", "1. ", "> ", "---", "| - |", "[ ] ", "[x]"}
	r := rand.New(rand.NewSource(1))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for i := 0; i < n; i++ {
		var b strings.Builder
		for j := r.Intn(40); j >= 0; j-- {
			b.WriteString(pieces[r.Intn(len(pieces))])
		}
		sameTree(t, fmt.Sprintf("%q", b.String()), []byte(b.String()))
		if t.Failed() {
			return
		}
	}
}
