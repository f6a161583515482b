package runbooks

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BenchmarkParseCorpus parses every file of the shared corpus once per op,
// as runbooks: the total is what loading all of it as team folders costs.
func BenchmarkParseCorpus(b *testing.B) {
	root := corpusDir(b)
	var srcs [][]byte
	var paths []string
	size := 0
	for _, p := range corpusFiles(b, root) {
		src, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		srcs, paths = append(srcs, src), append(paths, p)
		size += len(src)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		for j, src := range srcs {
			Parse(paths[j], src)
		}
	}
	reportCPU(b, cpu)
	b.ReportMetric(float64(len(srcs)), "files/op")
}

// bigRunbook builds a runbook of at least size bytes with everything the
// parser handles: front matter with RACI and escalation, phases, checklists
// nested three deep, numbered steps, code blocks, annotations, tables.
func bigRunbook(size int) []byte {
	var b strings.Builder
	b.WriteString("---\ntitle: Big runbook\nkind: [outage, security]\nseverities: [SEV1, SEV2]\nroles:\n  dba: Database Administrator\nraci:\n  R: operations-lead\n  A: incident-commander\n  C: [subject-matter-expert, dba]\n  I: executive-sponsor\nescalation:\n  - after: 15m\n    who: dba\n    via: page the database on-call\n---\n\n# Big runbook\n\nIntro paragraph with **bold**, `code` and a [link](https://example.com).\n\n")
	for phase := 0; b.Len() < size; phase++ {
		fmt.Fprintf(&b, "## Phase %d {A: incident-commander, C: dba}\n\nWhat this phase is for, in a sentence or two of prose.\n\n", phase)
		fmt.Fprintf(&b, "| check | expected |\n|---|---|\n| replication lag | under 5s |\n| error rate | under 1%% |\n\n")
		for i := 0; i < 6; i++ {
			fmt.Fprintf(&b, "- [ ] Step %d.%d: look at the dashboard and decide what to do next {R: dba, I: scribe}\n", phase, i)
			fmt.Fprintf(&b, "  ```sh\n  kubectl -n production get pods -l app=api-%d -o wide\n  kubectl -n production logs deploy/api-%d --since=10m | tail -50\n  ```\n", i, i)
			fmt.Fprintf(&b, "  - [ ] Sub-step %d.%d.a with more detail\n    - [ ] Sub-sub-step with a note\n      * a plain bullet note\n", phase, i)
		}
		fmt.Fprintf(&b, "\n1. Numbered step one\n2. Numbered step two\n   ```sql\n   SELECT count(*) FROM orders WHERE created_at > now() - interval '5 minutes';\n   ```\n3. Numbered step three {R: subject-matter-expert}\n\n")
	}
	return []byte(b.String())
}

// BenchmarkParse70KB is the target the issue sets: a 70 KB runbook parses
// in under 5 ms.
func BenchmarkParse70KB(b *testing.B) {
	src := bigRunbook(70 << 10)
	if rb, diags := Parse("big.md", src); len(rb.Steps()) < 500 || HasErrors(diags) {
		b.Fatalf("generated runbook: %d steps, %v", len(rb.Steps()), diags)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		Parse("big.md", src)
	}
	reportCPU(b, cpu)
}

// BenchmarkParseLargestCorpusFile: the corpus's 70 KB file, a real
// security playbook with deep checklists and tables.
func BenchmarkParseLargestCorpusFile(b *testing.B) {
	p := filepath.Join(corpusDir(b), "aws-incident-response-playbooks", "playbooks", "IRP-PersonalDataBreach.md")
	src, err := os.ReadFile(p)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		Parse(p, src)
	}
	reportCPU(b, cpu)
}

// reportCPU adds the process CPU time per op since start (GC included).
func reportCPU(b *testing.B, start time.Duration) {
	if end := processCPU(); end > start && b.N > 0 {
		b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
	}
}

// worstCase is a runbook shaped to make a parser slow, built to size bytes.
type worstCase struct {
	name string
	make func(size int) []byte
	deep bool // nests past MaxNesting, so reading it must report an error
}

// repeatTo repeats unit until the result holds at least size bytes, then
// adds tail.
func repeatTo(size int, unit, tail string) []byte {
	var b strings.Builder
	b.Grow(size + len(unit) + len(tail))
	for b.Len() < size {
		b.WriteString(unit)
	}
	b.WriteString(tail)
	return []byte(b.String())
}

// nestedSteps is a checklist nested depth levels deep by indentation, with
// a code block and a lazy line in the innermost step.
func nestedSteps(depth int) string {
	var b strings.Builder
	for i := 0; i < depth; i++ {
		fmt.Fprintf(&b, "%s- [ ] level %d {R: dba}\n", strings.Repeat("  ", i), i)
	}
	ind := strings.Repeat("  ", depth)
	fmt.Fprintf(&b, "%s```sh\n%secho deep\n%s```\nlazy text\n\n", ind, ind, ind)
	return b.String()
}

// worstCases are the shapes that made goldmark or sitrep's own walk over
// the tree slow, or could: the quadratic ones were markers opening a new
// block each on one line, and blocks open over many lines.
var worstCases = []worstCase{
	{"bullets-on-one-line", func(n int) []byte { return repeatTo(n, "- ", "x\n") }, true},
	{"numbers-on-one-line", func(n int) []byte { return repeatTo(n, "1. ", "x\n") }, true},
	{"quotes-on-one-line", func(n int) []byte { return repeatTo(n, ">", " x\n") }, true},
	{"quotes-and-bullets", func(n int) []byte { return repeatTo(n, "> - ", "x\n") }, true},
	{"deep-then-blank-lines", func(n int) []byte {
		return append([]byte(strings.Repeat("- ", 40)+"x\n"), repeatTo(n, "\n", "")...)
	}, true},
	{"deep-then-lazy-lines", func(n int) []byte {
		return append([]byte(strings.Repeat("> ", 40)+"x\n"), repeatTo(n, "lazy\n", "")...)
	}, true},
	{"indented-nesting", func(n int) []byte { return repeatTo(n, nestedSteps(40), "") }, true},
	{"deep-steps-at-the-limit", func(n int) []byte { return repeatTo(n, nestedSteps(MaxNesting), "") }, false},
	{"long-checklist", func(n int) []byte {
		return repeatTo(n, "- [ ] restart the api pods and watch the error rate {R: dba}\n", "")
	}, false},
	{"long-numbered-list", func(n int) []byte { return repeatTo(n, "1. drain the node\n", "") }, false},
	{"many-code-blocks", func(n int) []byte { return repeatTo(n, "```sh\nkubectl get pods\n```\n", "") }, false},
	{"steps-with-code", func(n int) []byte { return repeatTo(n, "- [ ] look\n  ```sh\n  kubectl get pods\n  ```\n", "") }, false},
	{"unclosed-fence", func(n int) []byte { return repeatTo(n, "```\n- [ ] x\n", "") }, false},
	{"headings", func(n int) []byte { return repeatTo(n, "## Phase {A: incident-commander}\ntext\n", "") }, false},
	{"wide-table", func(n int) []byte {
		return append(repeatTo(n/2, "| a ", "|\n"), repeatTo(n/2, "|---", "|\n| x |\n")...)
	}, false},
	{"brackets", func(n int) []byte { return repeatTo(n, "[", "\n") }, false},
	{"braces-in-a-step", func(n int) []byte { return append([]byte("- [ ] "), repeatTo(n, "{R: ", "\n")...) }, false},
	{"link-definitions", func(n int) []byte { return repeatTo(n, "[a]: http://x\n", "") }, false},
	{"one-long-line", func(n int) []byte { return repeatTo(n, "word ", "\n") }, false},
	{"front-matter-roles", func(n int) []byte {
		return append([]byte("---\nroles:\n"), repeatTo(n, "  - database administrator\n", "---\n- [ ] x\n")...)
	}, false},
	{"front-matter-nested", func(n int) []byte { return append([]byte("---\nraci: "), repeatTo(n, "[", "\n---\n- [ ] x\n")...) }, false},
}

// BenchmarkParseWorstCase parses a 1 MB file of each worst case: the
// limit is 50 ms each.
func BenchmarkParseWorstCase(b *testing.B) {
	for _, wc := range worstCases {
		src := wc.make(1 << 20)
		b.Run(wc.name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			cpu := processCPU()
			for i := 0; i < b.N; i++ {
				Parse("worst.md", src)
			}
			reportCPU(b, cpu)
		})
	}
}

// BenchmarkParseRender70KB is parse plus render of a 70 KB runbook, what
// opening one in the pane costs: the target is at most 5 ms.
func BenchmarkParseRender70KB(b *testing.B) {
	src := bigRunbook(70 << 10)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	cpu := processCPU()
	for b.Loop() {
		d, _ := ParseDoc("big.md", src, "")
		d.Render(100)
	}
	reportCPU(b, cpu)
}

// BenchmarkParseRenderLargestCorpusFile: the same for the corpus's 70 KB
// security playbook.
func BenchmarkParseRenderLargestCorpusFile(b *testing.B) {
	p := filepath.Join(corpusDir(b), "aws-incident-response-playbooks", "playbooks", "IRP-PersonalDataBreach.md")
	src, err := os.ReadFile(p)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	cpu := processCPU()
	for b.Loop() {
		d, _ := ParseDoc(p, src, "")
		d.Render(100)
	}
	reportCPU(b, cpu)
}

// BenchmarkRender70KB is rendering alone, what a new pane width costs.
func BenchmarkRender70KB(b *testing.B) {
	d, _ := ParseDoc("big.md", bigRunbook(70<<10), "")
	b.ReportAllocs()
	cpu := processCPU()
	for b.Loop() {
		d.Render(100)
	}
	reportCPU(b, cpu)
}

// BenchmarkRenderLargestCorpusFile is rendering the corpus's 70 KB
// playbook alone.
func BenchmarkRenderLargestCorpusFile(b *testing.B) {
	p := filepath.Join(corpusDir(b), "aws-incident-response-playbooks", "playbooks", "IRP-PersonalDataBreach.md")
	src, err := os.ReadFile(p)
	if err != nil {
		b.Fatal(err)
	}
	d, _ := ParseDoc(p, src, "")
	b.ReportAllocs()
	for b.Loop() {
		d.Render(100)
	}
}

// BenchmarkFind finds two words in a 1 MiB runbook rendered at 80
// columns: what the cockpit's find does at each key after the first.
// Target: a few milliseconds, so typing never waits.
func BenchmarkFind(b *testing.B) {
	src := bigRunbook(1 << 20)
	rb, _ := Parse("big.md", src)
	d := Render(rb, 80)
	start := time.Now()
	d.Find("first", 1) // the first find reads the lines once
	first := time.Since(start)
	b.SetBytes(int64(len(src)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.Find("restart step", 100)
	}
	b.StopTimer()
	b.ReportMetric(float64(first.Microseconds())/1000, "first-find-ms")
}

// BenchmarkLinks lists every link of a rendered runbook, the most o
// costs: the 70 KB runbook, a 1 MiB one of links, and the worst cases
// for links (definitions, brackets, one long line).
func BenchmarkLinks(b *testing.B) {
	var line strings.Builder
	for line.Len() < 1<<20 {
		fmt.Fprintf(&line, "- [ ] See [dashboard %d](https://grafana.example.com/d/%d) and https://logs.example.com/q/%d.\n", line.Len(), line.Len(), line.Len())
	}
	cases := []struct {
		name string
		src  []byte
	}{{"70KB", bigRunbook(70 << 10)}, {"links-1MiB", []byte(line.String())}}
	for _, wc := range worstCases {
		switch wc.name {
		case "link-definitions", "brackets", "one-long-line":
			cases = append(cases, struct {
				name string
				src  []byte
			}{wc.name, wc.make(1 << 20)})
		}
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			d, _ := ParseDoc("links.md", c.src, "")
			r := d.Render(100)
			for b.Loop() {
				r.Links(0, len(r.Lines))
			}
		})
	}
}
