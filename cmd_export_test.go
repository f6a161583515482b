package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCLIExportImportRoundTrip(t *testing.T) {
	start := time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC)
	c := newClockCLI(t, start)
	id := strings.TrimSpace(c.ok("declare", "--title", "Login failures", "--sev", "2", "--kind", "security"))
	c.at(time.Minute, start)
	c.ok("note", "--kind", "decision", "Force password resets")
	c.ok("message", "--template", "internal", "--send")
	c.at(20*time.Minute, start)
	c.ok("status", id, "resolved")
	drill := strings.TrimSpace(c.ok("drill", "golden-drill"))
	c.at(30*time.Minute, start)
	c.ok("drill", "end")

	md := c.ok("export", id, "--format", "md")
	for _, want := range []string{"# Post-incident review: Login failures", "## Timeline (UTC)", "Force password resets", "## Messaging"} {
		if !strings.Contains(md, want) {
			t.Errorf("md lacks %q", want)
		}
	}
	if dmd := c.ok("export", drill, "--format", "md"); !strings.Contains(dmd, "**EXERCISE**") {
		t.Error("drill export not marked EXERCISE")
	}
	rows, err := csv.NewReader(strings.NewReader(c.ok("export", id, "--format", "csv"))).ReadAll()
	if err != nil || len(rows) < 5 || rows[0][0] != "occurred_utc" {
		t.Fatalf("csv: %v %v", rows, err)
	}
	// --all csv: one header, then both incidents' rows, the one above first.
	all, err := csv.NewReader(strings.NewReader(c.ok("export", "--all", "--format", "csv"))).ReadAll()
	if err != nil || len(all) <= len(rows) || fmt.Sprint(all[:len(rows)]) != fmt.Sprint(rows) {
		t.Fatalf("csv --all: %v %v", all, err)
	}
	for _, r := range all[len(rows):] {
		if r[0] == "occurred_utc" {
			t.Fatalf("csv --all repeats the header: %v", all)
		}
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "all.json")
	c.ok("export", "--all", "--format", "json", "-o", file)
	first, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(file); info.Mode().Perm() != 0o600 {
		t.Errorf("export file mode %o, want private", info.Mode().Perm())
	}

	other := newClockCLI(t, start)
	out := other.ok("import", file)
	if !strings.Contains(out, "0 already here, 0 conflict(s); 2 incident(s)") {
		t.Errorf("import: %s", out)
	}
	if again := other.ok("import", file); !strings.Contains(again, "imported 0 new event(s)") {
		t.Errorf("second import: %s", again)
	}
	second := other.ok("export", "--all", "--format", "json")
	if second != string(first) {
		t.Fatal("export → import → export is not byte-identical")
	}
	other.ok("verify")
	// From standard input, as in 'ssh hub sitrep export --all | sitrep import -'.
	piped := newClockCLI(t, start)
	if out, errOut, code := piped.run(string(first), "import", "-"); code != 0 || !strings.Contains(out, "2 incident(s)") {
		t.Errorf("import -: exit %d %s %s", code, out, errOut)
	}
	if got := piped.ok("export", "--all", "--format", "json"); got != string(first) {
		t.Error("export → import - → export is not byte-identical")
	}

	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(strings.Replace(string(first), "Force password resets", "Force password reset!", -1)), 0o600)
	if _, errOut, code := newClockCLI(t, start).run("", "import", bad); code == 0 || !strings.Contains(errOut, "hash does not match") {
		t.Errorf("tampered import: %d %s", code, errOut)
	}
	if _, errOut, code := c.run("", "export", "--all", "--format", "md"); code == 0 || !strings.Contains(errOut, "one at a time") {
		t.Errorf("--all md: %d %s", code, errOut)
	}
}
