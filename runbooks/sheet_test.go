package runbooks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSpreadsheetRunSheet: a game day's run-sheet kept in a spreadsheet
// runs as exported, CSV or Excel's UTF-16 "Unicode text", with what the
// linter finds pointed at the spreadsheet's own lines.
func TestSpreadsheetRunSheet(t *testing.T) {
	csv := "\ufeffTime,Inject,Expected response,Owner\r\n" +
		"09:00,Primary DB stops accepting writes,IC declares SEV1,Dana\r\n" +
		"\r\n" +
		"09:10,\"Replica lag 40s, rising\nand the | pager fires\",Ops checks replication,\r\n" +
		"09:30,Customers report failed payments,\"Comms drafts the \"\"status\"\" page\",Lee\r\n"
	sc, diags := ParseScenario("gameday.csv", []byte(csv))
	if sc.Name != "gameday" || sc.Title != "Gameday" || len(sc.Injects) != 3 {
		t.Fatalf("read as %q %q with %d injects: %v", sc.Name, sc.Title, len(sc.Injects), diags)
	}
	if len(diags) != 1 || !strings.Contains(diags[0].Message, "a spreadsheet run-sheet has none") {
		t.Errorf("diagnostics %v, want the one on objectives, for a spreadsheet", diags)
	}
	want := []struct {
		at          time.Duration
		title, text string
		expected    string
	}{
		{0, "Primary DB stops accepting writes", "Owner: Dana", "IC declares SEV1"},
		{10 * time.Minute, "Replica lag 40s, rising and the | pager fires", "", "Ops checks replication"},
		{30 * time.Minute, "Customers report failed payments", "Owner: Lee", `Comms drafts the "status" page`},
	}
	for i, w := range want {
		in := sc.Injects[i]
		if in.Offset != w.at || in.Title != w.title || strings.TrimSpace(in.Text) != w.text || len(in.Expected) != 1 || in.Expected[0] != w.expected {
			t.Errorf("inject %d: %+v, want %+v", i+1, in, w)
		}
	}

	// Excel's "Unicode text": tab-separated UTF-16 with a byte-order mark;
	// a row whose time does not read is reported at its own line.
	tsv := "When\tWhat happens\n+5m\tAZ A loses power\n25:99\tNonsense\n"
	raw := []byte{0xff, 0xfe}
	for _, r := range tsv {
		raw = append(raw, byte(r), byte(r>>8))
	}
	sc, diags = ParseScenario("az.tsv", raw)
	if len(sc.Injects) != 1 || sc.Injects[0].Title != "AZ A loses power" {
		t.Errorf("the TSV read as %+v", sc.Injects)
	}
	found := false
	for _, d := range diags {
		found = found || d.Line == 3 && strings.Contains(d.Message, "25:99")
	}
	if !found {
		t.Errorf("the bad time is not reported at line 3 of the file: %v", diags)
	}

	// In a team folder: the run-sheet is a scenario, a rota is not read.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "gameday.csv"), []byte(csv), 0o600)
	os.WriteFile(filepath.Join(dir, "rota.csv"), []byte("Name,Phone\nalice,123\n"), 0o600)
	lib, ldiags, err := Load([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Scenario("gameday"); err != nil {
		t.Error(err)
	}
	if _, err := lib.Scenario("rota"); err == nil {
		t.Error("a rota was read as a drill")
	}
	notRead := false
	for _, d := range ldiags {
		notRead = notRead || strings.HasSuffix(d.Path, "rota.csv") && strings.Contains(d.Message, "not read")
	}
	if !notRead {
		t.Errorf("the rota is not reported as not read: %v", ldiags)
	}
}
