package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
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

	// Imported when it was exported: an import an hour before the events
	// it holds would rightly mark them [clock ahead] in its export.
	other := newClockCLI(t, c.now)
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
	piped := newClockCLI(t, c.now)
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

// A refused import names what is wrong in one line, stores nothing and,
// where there was no store, leaves none behind.
func TestCLIImportRefusalsLeaveNoStore(t *testing.T) {
	start := time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC)
	c := newClockCLI(t, start)
	first := strings.TrimSpace(c.ok("declare", "--title", "Login failures", "--sev", "2"))
	c.ok("note", "US fine")
	second := strings.TrimSpace(c.ok("declare", "--title", "Disk full", "--sev", "3"))
	c.ok("note", "--incident", second, "Cleared /var/log")
	c.ok("note", "--incident", first, "EU fine too")
	dir := t.TempDir()
	one := filepath.Join(dir, "one.json")
	c.ok("export", second, "--format", "json", "-o", one)
	all := filepath.Join(dir, "all.json")
	c.ok("export", "--all", "--format", "json", "-o", all)
	b, err := os.ReadFile(all)
	if err != nil {
		t.Fatal(err)
	}
	// Cut the second event (the note "US fine") out of the file.
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var events []json.RawMessage
	json.Unmarshal(doc["events"], &events)
	doc["events"], _ = json.Marshal(append(events[:1:1], events[2:]...))
	cut := filepath.Join(dir, "cut.json")
	b, _ = json.Marshal(doc)
	os.WriteFile(cut, b, 0o600)

	for _, tc := range []struct{ file, want string }{
		{one, "the file holds only part of alice@laptop's history (a single-incident export, or events deleted from it); import takes a full export, 'sitrep export --all --format json'; nothing imported"},
		{cut, "event(s) 2 of alice@laptop's chain are neither in the file nor in this store (deleted from the file?): nothing imported"},
	} {
		fresh := newClockCLI(t, start)
		fresh.fails(1, tc.want, "import", tc.file)
		if _, err := os.Stat(fresh.db); !os.IsNotExist(err) {
			t.Errorf("a refused import left a store file: %v", err)
		}
		// Into an existing store lacking the rest: refused, nothing stored,
		// verify still passes.
		fresh.ok("declare", "--title", "Elsewhere", "--sev", "4")
		fresh.fails(1, tc.want, "import", tc.file)
		if out := fresh.ok("verify"); !strings.Contains(out, "ok: 2 events in 1 chain") {
			t.Errorf("verify after a refused import: %s", out)
		}
	}
	// The store the single-incident export came from takes it back.
	if out := c.ok("import", one); !strings.Contains(out, "imported 0 new event(s)") {
		t.Errorf("import into its own store: %s", out)
	}
	// An export re-indented by jq imports.
	needTool(t, "jq", "SITREP_REQUIRE_JQ")
	jq := filepath.Join(dir, "jq.json")
	cmd := exec.Command("jq", ".", all)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(jq, out, 0o600)
	fresh := newClockCLI(t, start)
	fresh.ok("import", jq)
	fresh.ok("verify")
	if again, want := fresh.ok("export", "--all", "--format", "json"), mustRead(t, all); again != want {
		t.Error("jq's re-encoding imported differs from the original export")
	}
}

// verify names a timeline line edited in the database, though the log was
// not touched, and exits 2.
func TestCLIVerifyNamesEditedTimeline(t *testing.T) {
	c := newCLI(t)
	c.ok("declare", "--title", "Login failures", "--sev", "2")
	c.ok("note", "US fine")
	st, err := (&session{dbPath: c.db, now: time.Now}).openStore(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().Exec(`UPDATE timeline SET text = replace(text, 'US fine', 'US totally fine')`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	out, errOut, code := c.run("", "verify")
	if code != 2 || !strings.Contains(out, "timeline row of event ") || !strings.Contains(out, "text differs from what the log says") ||
		!strings.Contains(errOut, "1 problem(s)") {
		t.Fatalf("verify after editing the timeline: exit %d\n%s%s", code, out, errOut)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// An incident mitigated and then reopened has no time to mitigate in its
// review document, and the Resolution section does not claim it was
// resolved.
func TestExportReopenedMitigation(t *testing.T) {
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	c := newClockCLI(t, start)
	id := strings.TrimSpace(c.ok("declare", "--title", "Checkout 500s", "--sev", "2"))
	c.at(time.Minute, start)
	c.ok("status", id, "mitigated")
	c.at(5*time.Minute, start)
	md := c.ok("export", id, "--format", "md")
	if !strings.Contains(md, "Mitigated 1m after detection; not resolved yet.") || strings.Contains(md, "and resolved —") {
		t.Errorf("mitigated, not resolved:\n%s", md)
	}
	c.ok("status", id, "investigating", "--reason", "errors are back")
	md = c.ok("export", id, "--format", "md")
	if strings.Contains(md, "Mitigated 1m") || !strings.Contains(md, "| Time to mitigate | — |") {
		t.Errorf("a reopened mitigation still counts:\n%s", md)
	}
}
