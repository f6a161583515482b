package runbooks

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the parser's current output")

// golden compares got with testdata/name.golden, or writes it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if string(want) != got {
		t.Errorf("%s differs from the parser's output (go test -run %s -update rewrites it after review):\n--- want\n%s\n--- got\n%s", p, t.Name(), want, got)
	}
}

// TestGoldenFixtures covers the format's features on files written for it.
func TestGoldenFixtures(t *testing.T) {
	for _, name := range []string{"raci", "prose"} {
		src, err := os.ReadFile(filepath.Join("testdata", name+".md"))
		if err != nil {
			t.Fatal(err)
		}
		rb, diags := Parse(name+".md", src)
		golden(t, name, dumpRunbook(rb, diags))
	}
	src, err := os.ReadFile(filepath.Join("testdata", "drill.md"))
	if err != nil {
		t.Fatal(err)
	}
	sc, diags := ParseScenario("drill.md", src)
	golden(t, "drill", dumpScenario(sc, diags))
}

// TestGoldenCorpus pins how a handful of real files are read, one of each
// shape: a prose alert runbook, one with no extension, a checklist, a long
// numbered restore procedure, a deeply nested security playbook, a game
// day's run-sheet read as a scenario. The files are read in place.
func TestGoldenCorpus(t *testing.T) {
	root := corpusDir(t)
	runbooks := map[string]string{
		"corpus-kubepodcrashlooping":    "prometheus-operator-runbooks/content/runbooks/kubernetes/KubePodCrashLooping.md",
		"corpus-syncfailed-noext":       "prometheus-operator-runbooks/content/runbooks/prometheus-operator/PrometheusOperatorSyncFailed",
		"corpus-cmoc-checklist":         "gitlab-com-runbooks/on-call/checklists/cmoc.md",
		"corpus-postgres-corruption":    "gitlab-com-runbooks/docs/patroni/postgres-data-corruption.md",
		"corpus-deleted-project":        "gitlab-com-runbooks/docs/uncategorized/deleted-project-restore.md",
		"corpus-irp-credcompromise":     "aws-incident-response-playbooks/playbooks/IRP-CredCompromise.md",
		"corpus-kubeapierrorbudgetburn": "prometheus-operator-runbooks/content/runbooks/kubernetes/KubeAPIErrorBudgetBurn.md",
	}
	for name, rel := range runbooks {
		src, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			t.Fatal(err)
		}
		rb, diags := Parse(rel, src)
		golden(t, name, dumpRunbook(rb, diags))
	}
	rel := "gds-techops-gameday-2019/README.md"
	src, err := os.ReadFile(filepath.Join(root, rel))
	if err != nil {
		t.Fatal(err)
	}
	sc, diags := ParseScenario(rel, src)
	golden(t, "corpus-gds-gameday-scenario", dumpScenario(sc, diags))
}
