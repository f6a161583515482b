package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/adrg/xdg"

	"github.com/sitrep-dev/sitrep/export"
	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
	"github.com/sitrep-dev/sitrep/storage/storagetest"
)

// terminalBytes are what must never leave sitrep in text output: ESC, BEL,
// backspace, carriage return, the 8-bit CSI, and a bidi override.
var terminalBytes = []string{"\x1b", "\x07", "\b", "\r", "\u009b", "\u202e"}

func checkHarmless(t *testing.T, what, out string) {
	t.Helper()
	for _, b := range terminalBytes {
		if strings.Contains(out, b) {
			t.Errorf("%s holds %q:\n%q", what, b, out)
		}
	}
}

// A store edited with sqlite3 (or filled by a modified sitrep) may hold
// escape sequences in any field: kinds, authors, roles, ids, titles,
// reasons, runbook names. show, ls and every export draw them harmless.
func TestCLIHostileStoreDrawsHarmless(t *testing.T) {
	c := newCLI(t)
	c.ok("declare", "--title", "Checkout 500s", "--sev", "1")
	ctx := context.Background()
	st, err := storage.Open(ctx, c.db, storage.Options{Author: "alice@laptop"})
	if err != nil {
		t.Fatal(err)
	}
	list, err := st.Incidents(ctx)
	if err != nil || len(list) != 1 {
		t.Fatalf("incidents: %v %v", list, err)
	}
	in := list[0].ID
	evil := "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07\x1b[2J\x1b]0;pwned\x07\x9b31m bell\x07\r\b\u202eevil"
	f := &storagetest.Forger{Origin: "mallory-store", Author: "mallory" + evil}
	forge := func(kind model.EventKind, p any, edit func(*model.Event)) {
		if err := storagetest.Insert(ctx, st, f.Event(in, kind, p, edit)); err != nil {
			t.Fatal(err)
		}
	}
	forge(model.EventNote, model.NotePayload{Kind: model.NoteKind("decision" + evil), Text: "note " + evil}, nil)
	forge(model.EventRoleAssigned, model.RoleAssignedPayload{Role: model.Role("ops" + evil), Holder: "holder" + evil}, nil)
	forge(model.EventRoleAssigned, model.RoleAssignedPayload{Role: model.RoleScribe, Holder: "scribe" + evil}, nil)
	forge(model.EventRetitled, model.RetitledPayload{Title: "title" + evil}, nil)
	forge(model.EventStatusChanged, model.StatusPayload{Status: model.Status("mitigated" + evil), Reason: "why" + evil}, nil)
	forge(model.EventRunbookAttached, model.RunbookAttachedPayload{Name: "rb" + evil, Title: "Runbook" + evil, Source: "src" + evil, Hash: "h" + evil, Text: "- [ ] step " + evil}, nil)
	forge(model.EventStepChanged, model.StepPayload{Runbook: "rb" + evil, Step: 0, Title: "step" + evil, State: model.StepBlocked, Reason: "why" + evil}, nil)
	forge(model.EventKind("evil"+evil), model.NotePayload{Kind: model.NoteKindNote, Text: "unknown kind"}, nil)
	forge(model.EventNote, model.NotePayload{Kind: model.NoteKindNote, Text: "odd ids"}, func(e *model.Event) { e.ID = "id" + evil })
	forge(model.EventMessageSent, model.MessagePayload{Audience: model.Audience("customers" + evil), Channel: "chan" + evil, Text: "msg " + evil}, nil)
	if err := st.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().ExecContext(ctx, `UPDATE incidents SET kind = ?, status = ?, short = ? WHERE id = ?`, "outage"+evil, "mitigated"+evil, "ab"+evil, in); err != nil {
		t.Fatal(err)
	}
	st.Close()

	show := c.ok("show", "--ids")
	checkHarmless(t, "show", show)
	for _, want := range []string{"title", "mallory^[]52;c;", "holder^[", "note ^[]52", "ops", "decision", "Runbook"} {
		if !strings.Contains(show, want) {
			t.Errorf("show does not draw %q visibly:\n%s", want, show)
		}
	}
	checkHarmless(t, "ls", c.ok("ls"))
	checkHarmless(t, "search", c.ok("search", "note"))
	found := c.ok("search", "note", "--in", in)
	if found == "" {
		t.Error("search --in found no entry to draw")
	}
	checkHarmless(t, "search --in", found)
	md := c.ok("export", "--format", "md")
	checkHarmless(t, "Markdown export", md)
	if !strings.Contains(md, "mallory") || !strings.Contains(md, "Runbook") {
		t.Errorf("Markdown export lacks the forged entries:\n%s", md)
	}
	csv := c.ok("export", "--format", "csv")
	checkHarmless(t, "CSV export", csv)
	if !strings.Contains(csv, "mallory") {
		t.Errorf("CSV export lacks the forged author:\n%s", csv)
	}
	checkHarmless(t, "CSV export of everything", c.ok("export", "--all", "--format", "csv"))
	// JSON carries the bytes exactly, control characters escaped as JSON
	// escapes them.
	js := c.ok("export", "--all", "--format", "json")
	for _, b := range []string{"\x1b", "\x07", "\b", "\r", "\u009b"} {
		if strings.Contains(js, b) {
			t.Errorf("JSON export holds %q raw", b)
		}
	}
	var doc export.Document
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		t.Fatalf("JSON export does not parse: %v", err)
	}
}

// A title is one line of printable text: one holding an escape sequence is
// refused when it is typed, with a message that says so; a note keeps its
// bytes and is drawn in caret notation.
func TestCLIRefusesControlsInNames(t *testing.T) {
	c := newCLI(t)
	c.fails(1, `title "esc \x1b]0;owned\a title" holds the control character U+001B`, "declare", "--title", "esc \x1b]0;owned\x07 title", "--sev", "2")
	id := strings.TrimSpace(c.ok("declare", "--title", "plain", "--sev", "2"))
	c.fails(1, "holds the control or format character U+001B", "assign", id, "ops", "bob\x1b[2J")
	c.fails(1, "may hold only a-z", "assign", id, "ops\x1b[2J", "bob")
}

// SITREP_AUTHOR and the config's author are refused at the source when they
// hold control or format characters: every teammate's screen would draw them.
func TestCLIRefusesHostileAuthor(t *testing.T) {
	c := newCLI(t)
	for _, bad := range []string{"mallory\x1b]0;pwned\x07", "eve\x1b[2J", "\u202eecila", "bob\nfake line"} {
		t.Setenv("SITREP_AUTHOR", bad)
		_, errOut, code := c.run("", "declare", "--title", "x", "--sev", "2")
		if code != 1 || !strings.Contains(errOut, "SITREP_AUTHOR") || !strings.Contains(errOut, "plain name") {
			t.Errorf("SITREP_AUTHOR=%q: exit %d, %q", bad, code, errOut)
		}
		checkHarmless(t, "the refusal", errOut)
	}
	if _, err := os.Stat(c.db); err == nil {
		t.Error("a refused author still created the store")
	}
	t.Setenv("SITREP_AUTHOR", "")
	xdg.Reload() // newCLI pointed XDG_CONFIG_HOME at a temp dir
	t.Cleanup(xdg.Reload)
	dir := filepath.Dir(configPath())
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config"), []byte("author = mallory\x1b]0;pwned\x07\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := c.run("", "ls")
	if code != 1 || !strings.Contains(errOut, "author in") || !strings.Contains(errOut, "plain name") {
		t.Errorf("config author: exit %d, %q", code, errOut)
	}
	checkHarmless(t, "the refusal", errOut)
}

// An event dated outside the years 0-9999 (which JSON cannot hold) is
// refused when it is made; one a store already holds (an older sitrep, or
// sqlite3) no longer fails the export of the whole store: it is left out
// with a warning and every other event is exported.
func TestCLIExportSurvivesAnOutOfRangeYear(t *testing.T) {
	c := newCLI(t)
	c.ok("declare", "--title", "Checkout 500s", "--sev", "1")
	c.ok("note", "before")
	ctx := context.Background()
	st, err := storage.Open(ctx, c.db, storage.Options{Author: "alice@laptop"})
	if err != nil {
		t.Fatal(err)
	}
	list, _ := st.Incidents(ctx)
	in := list[0].ID
	_, err = st.Append(ctx, model.Change{IncidentID: in, Kind: model.EventNote, Occurred: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "far future"}})
	if err == nil || !strings.Contains(err.Error(), "year 10000") {
		t.Fatalf("a note dated in the year 10000 was not refused: %v", err)
	}
	f := &storagetest.Forger{Origin: "old-store", Author: "bob@old", At: time.Date(10000, 3, 1, 0, 0, 0, 0, time.UTC)}
	far := f.Event(in, model.EventNote, model.NotePayload{Kind: model.NoteKindNote, Text: "far future"}, nil)
	if err := storagetest.Insert(ctx, st, far); err != nil {
		t.Fatal(err)
	}
	if err := st.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	st.Close()

	for _, args := range [][]string{{"export", "--all", "--format", "json"}, {"export", "--format", "json"}} {
		out, errOut, code := c.run("", args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		if !strings.Contains(errOut, "warning: left out 1 event") || !strings.Contains(errOut, far.ID+" by bob@old (year 10000)") {
			t.Errorf("%v: no warning naming the event: %q", args, errOut)
		}
		var doc export.Document
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("%v: the export does not parse: %v", args, err)
		}
		if len(doc.Events) != 3 || len(doc.Incidents) != 1 {
			t.Errorf("%v: %d events and %d incidents, want 3 and 1", args, len(doc.Events), len(doc.Incidents))
		}
		if !strings.Contains(out, `"text": "far future"`) || !strings.Contains(out, "9999-12-31T23:59:59.999Z") {
			t.Errorf("%v: the timeline does not show the entry at the last time that fits", args)
		}
	}
	// To a file: written whole, with the same warning.
	path := filepath.Join(t.TempDir(), "all.json")
	if _, errOut, code := c.run("", "export", "--all", "--format", "json", "-o", path); code != 0 || !strings.Contains(errOut, "warning") {
		t.Fatalf("export -o: exit %d %q", code, errOut)
	}
	if b, err := os.ReadFile(path); err != nil || !json.Valid(b) {
		t.Fatalf("export -o wrote no valid file: %v", err)
	}
	c.ok("export", "--all", "--format", "csv")
	c.ok("export", "--format", "md")
}

// Format characters are shown the same way in show, Markdown and CSV as in
// the cockpit: soft hyphens dropped, every other one as a <U+XXXX> marker.
func TestCLIFormatCharactersShownAsMarkers(t *testing.T) {
	c := newCLI(t)
	c.ok("declare", "--title", "Fail\u00adover \u202eevil", "--sev", "2")
	c.ok("note", "Fail\u00adover of pri\u00admary; zero\u200bwidth, \ufeffBOM, \u202eReversed\u202c, tag\U000E0041")
	for _, args := range [][]string{{"show"}, {"export", "--format", "md"}, {"export", "--format", "csv"}, {"ls"}} {
		out := c.ok(args...)
		if args[0] == "export" {
			// Markdown escapes the < (a reader of the rendered file sees it).
			out = strings.ReplaceAll(out, `\<U+`, "<U+")
		}
		for _, want := range []string{"Failover of primary", "zero<U+200B>width", "<U+FEFF>BOM", "<U+202E>Reversed<U+202C>", "tag<U+E0041>"} {
			if args[0] == "ls" {
				want = "Failover <U+202E>evil"
			}
			if !strings.Contains(out, want) {
				t.Errorf("%v lacks %q:\n%s", args, want, out)
			}
		}
		for _, r := range out {
			if unicode.Is(unicode.Cf, r) {
				t.Errorf("%v prints the format character %U", args, r)
				break
			}
		}
	}
	// JSON keeps the exact text: it is data, not a display.
	if js := c.ok("export", "--format", "json"); !strings.Contains(js, "pri\u00admary") {
		t.Error("the JSON export changed the stored text")
	}
}

// A title or role holder an older sitrep allowed (an escape sequence in
// it) can still be replaced: the new event echoes the old value, and that
// echo is not held to the new rules.
func TestCLIFixesOldHostileTitleAndHolder(t *testing.T) {
	c := newCLI(t)
	id := strings.TrimSpace(c.ok("declare", "--title", "plain", "--sev", "2"))
	c.ok("assign", id, "ops", "bob")
	ctx := context.Background()
	st, err := storage.Open(ctx, c.db, storage.Options{Author: "alice@laptop"})
	if err != nil {
		t.Fatal(err)
	}
	list, _ := st.Incidents(ctx)
	f := &storagetest.Forger{Origin: "old-store", Author: "bob@old"}
	for _, e := range []model.Event{
		f.Event(list[0].ID, model.EventRetitled, model.RetitledPayload{Title: "old \x1b]0;pwned\x07 title"}, nil),
		f.Event(list[0].ID, model.EventRoleAssigned, model.RoleAssignedPayload{Role: "ops", Holder: "bob\x1b[2J"}, nil),
	} {
		if err := storagetest.Insert(ctx, st, e); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	st.Close()
	c.ok("assign", id, "ops", "carol")
	c.ok("retitle", id, "Checkout 500s")
	show := c.ok("show")
	checkHarmless(t, "show", show)
	if !strings.Contains(show, "Checkout 500s") || !strings.Contains(show, "carol") {
		t.Errorf("the fixes are not shown:\n%s", show)
	}
}
