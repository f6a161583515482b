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
