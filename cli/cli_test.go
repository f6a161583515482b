package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// cli runs sitrep in-process against a store in a temp dir.
type cli struct {
	t   *testing.T
	db  string
	env map[string]string
}

func newCLI(t *testing.T) *cli {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("SITREP_AUTHOR", "alice@laptop")
	t.Setenv("SITREP_DB", "")
	return &cli{t: t, db: filepath.Join(t.TempDir(), "sitrep.db")}
}

func (c *cli) run(stdin string, args ...string) (stdout, stderr string, code int) {
	var out, errOut bytes.Buffer
	code = Main(context.Background(), append([]string{"--db", c.db}, args...), strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

func (c *cli) ok(args ...string) string {
	c.t.Helper()
	out, errOut, code := c.run("", args...)
	if code != 0 {
		c.t.Fatalf("sitrep %s: exit %d: %s", strings.Join(args, " "), code, errOut)
	}
	return out
}

func (c *cli) fails(wantCode int, wantErr string, args ...string) {
	c.t.Helper()
	out, errOut, code := c.run("", args...)
	if code != wantCode || !strings.Contains(errOut, wantErr) {
		c.t.Fatalf("sitrep %s: exit %d, stderr %q (stdout %q); want exit %d mentioning %q", strings.Join(args, " "), code, errOut, out, wantCode, wantErr)
	}
	if strings.Count(strings.TrimRight(errOut, "\n"), "\n") > 0 {
		c.t.Errorf("error is not one line: %q", errOut)
	}
	if strings.Contains(errOut, "goroutine") || strings.Contains(errOut, "panic") {
		c.t.Errorf("panic text reached the user: %q", errOut)
	}
}

func TestCLIIncidentFlow(t *testing.T) {
	c := newCLI(t)
	id := strings.TrimSpace(c.ok("declare", "--title", "Checkout 500s", "--sev", "1", "--kind", "outage"))
	if !regexp.MustCompile(`^[0-9a-f]{8}$`).MatchString(id) {
		t.Fatalf("declare printed %q, want a short id", id)
	}
	c.ok("note", "Rolled back deploy 4812")
	c.ok("note", "--incident", id, "--kind", "decision", "Fail over to eu-west")
	c.ok("note", "--at", "-10m", "Paged the DB on-call")
	if out, errOut, code := c.run("kubectl says: CrashLoopBackOff\n", "note", "-"); code != 0 {
		t.Fatalf("note from stdin: %s %s", out, errOut)
	}
	c.ok("status", id, "mitigated")
	c.ok("assign", id, "comms", "bob@laptop")
	ls := c.ok("ls")
	if !strings.Contains(ls, id) || !strings.Contains(ls, "SEV1") || !strings.Contains(ls, "mitigated") || !strings.Contains(ls, "Checkout 500s") {
		t.Errorf("ls:\n%s", ls)
	}
	show := c.ok("show", id)
	for _, want := range []string{"Checkout 500s", "SEV1", "Rolled back deploy 4812", "decision Fail over to eu-west",
		"Paged the DB on-call", "(logged ", "CrashLoopBackOff", "Status investigating → mitigated",
		"Communications Lead taken by bob@laptop", "Incident Commander: alice@laptop"} {
		if !strings.Contains(show, want) {
			t.Errorf("show lacks %q:\n%s", want, show)
		}
	}
	// The late note sorts before the declaration it preceded.
	if strings.Index(show, "Paged the DB") > strings.Index(show, "Declared SEV1") {
		t.Errorf("late note not ordered by when it happened:\n%s", show)
	}
	if out := c.ok("verify"); !strings.Contains(out, "ok: 8 events") {
		t.Errorf("verify: %s", out)
	}
}

func TestCLIErrors(t *testing.T) {
	c := newCLI(t)
	c.fails(1, "no active incident", "note", "hello")
	id := strings.TrimSpace(c.ok("declare", "--title", "x", "--sev", "2"))
	c.fails(1, "note is empty", "note", "  ")
	c.fails(1, "no incident with id zzzzzzzz", "note", "--incident", "zzzzzzzz", "hello")
	c.fails(1, "invalid severity \"9\": use one of SEV1, SEV2, SEV3, SEV4", "declare", "--title", "y", "--sev", "9")
	c.fails(1, "use one of detected, investigating, containing, mitigated, resolved, reviewed", "status", id, "fixed")
	c.fails(1, "already investigating", "status", id, "investigating")
	c.fails(1, "invalid note kind", "note", "--kind", "rant", "x")
	c.fails(1, "invalid time", "note", "--at", "teatime", "x")
	c.fails(1, "required flag", "declare", "--sev", "1")
	c.fails(1, "unknown command", "frobnicate")
	c.ok("declare", "--title", "second", "--sev", "3")
	// Two active incidents, and the second is current: notes go there, and
	// naming another works.
	c.ok("note", "--incident", id, "on the first")
}

// TestCLIIDFirst: a command that changes an incident needs its id first
// and never takes the current one; left out, the error gives the command
// to type with the current incident's id, and nothing changes.
func TestCLIIDFirst(t *testing.T) {
	c := newCLI(t)
	c.fails(1, "sitrep status ID resolved; 'sitrep ls' lists the ids", "status", "resolved")
	id := strings.TrimSpace(c.ok("declare", "Checkout 500s", "--sev", "2"))
	current := " (" + id + " is the current incident, \"Checkout 500s\")"
	c.fails(1, "status takes the incident's id first, so a change never lands on the wrong incident: sitrep status "+id+" resolved"+current, "status", "resolved")
	c.fails(1, "sitrep severity "+id+" 1"+current, "severity", "1")
	c.fails(1, "sitrep assign "+id+" comms bob@laptop"+current, "assign", "comms", "bob@laptop")
	c.fails(1, "sitrep assign "+id+" ROLE"+current, "assign")
	c.fails(1, "sitrep retitle "+id+" 'Checkout 500s in the EU'"+current, "retitle", "Checkout 500s in the EU")
	c.fails(1, "sitrep attach "+id+" major-incident"+current, "attach", "major-incident")
	// The id given, what follows it left out.
	c.fails(1, "STATUS missing: sitrep status "+id+" STATUS", "status", id)
	c.fails(1, "NAME|FILE... missing: sitrep attach "+id+" NAME|FILE...", "attach", id)
	show := c.ok("show")
	for _, changed := range []string{"→ resolved", "SEV1", "bob@laptop", "in the EU", "Runbook attached"} {
		if strings.Contains(show, changed) {
			t.Errorf("a command without its id changed the incident (%q):\n%s", changed, show)
		}
	}
	c.fails(1, "two titles", "declare", "Checkout", "--title", "Checkout 500s", "--sev", "2")
	c.fails(1, "required flag(s) \"sev\"", "declare", "Checkout 500s")
}

// Hostile text in a note is stored exactly but printed neutralised. (A
// title is a name and refuses control characters: TestCLIRefusesControlsInNames.)
func TestCLIShowNeutralisesControls(t *testing.T) {
	c := newCLI(t)
	c.ok("declare", "--title", "plain title", "--sev", "2")
	c.ok("note", "\x1b[2J\x1b[31mred\x1b[0m and a bell\x07")
	show := c.ok("show")
	if strings.ContainsAny(show, "\x1b\x07") {
		t.Fatalf("show printed raw control characters: %q", show)
	}
	if !strings.Contains(show, "^[[31mred") || !strings.Contains(show, "bell^G") {
		t.Errorf("controls not shown in caret notation:\n%s", show)
	}
}

func TestCLIRefusesBadStore(t *testing.T) {
	c := newCLI(t)
	content := []byte("this is my shopping list\n")
	if err := os.WriteFile(c.db, content, 0o600); err != nil {
		t.Fatal(err)
	}
	// Every command that opens the store refuses it the same way, writers
	// included, and none of them touches it.
	for _, args := range [][]string{{"ls"}, {"show"}, {"verify"}, {"note", "x"},
		{"declare", "--title", "t", "--sev", "2"}, {"search", "x"}, {"export", "--all", "--format", "json"}, {"stats"}} {
		c.fails(1, c.db+": not a SQLite database", args...)
		after, _ := os.ReadFile(c.db)
		if !bytes.Equal(after, content) {
			t.Fatalf("sitrep %s changed the file", strings.Join(args, " "))
		}
	}
}

func TestCLIVerifyTampering(t *testing.T) {
	c := newCLI(t)
	c.ok("declare", "--title", "tamper", "--sev", "2")
	c.ok("note", "the truth")
	c.ok("note", "more truth")
	// Edit history behind sitrep's back.
	st, err := (&session{dbPath: c.db, now: time.Now}).openStore(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().Exec(`UPDATE events SET payload = replace(payload, 'the truth', 'a lie')`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	out, errOut, code := c.run("", "verify")
	if code != 2 || !strings.Contains(out, "by alice@laptop: content does not match its hash") || !strings.Contains(errOut, "1 problem") {
		t.Fatalf("verify: exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestCLIHelpForEveryCommand(t *testing.T) {
	c := newCLI(t)
	for _, cmd := range []string{"declare", "note", "status", "severity", "assign", "ls", "show", "verify", "use"} {
		out := c.ok(cmd, "--help")
		if !strings.Contains(out, "Usage:") {
			t.Errorf("%s --help: %s", cmd, out)
		}
	}
}

// A command whose ID argument is required refuses an empty one (a
// script's unset variable) instead of acting on the current incident.
func TestEmptyIncidentIDIsRefused(t *testing.T) {
	c := newCLI(t)
	c.ok("declare", "--title", "Checkout 500s", "--sev", "2")
	c.fails(1, "no incident id given", "status", "", "resolved")
	c.fails(1, "no incident id given", "severity", "", "1")
	c.fails(1, "no incident id given", "assign", "", "comms", "bob@laptop")
	c.fails(1, "no incident id given", "use", "")
	if show := c.ok("show"); !strings.Contains(show, "SEV2 · other · investigating") || strings.Contains(show, "bob@laptop") {
		t.Errorf("an empty id changed the current incident:\n%s", show)
	}
}
