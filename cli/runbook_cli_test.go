package cli

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/runbooks"
	"github.com/sitrep-dev/sitrep/storage"
)

const teamRunbook = `---
title: Database failover
kind: outage
raci:
  R: operations-lead
  A: incident-commander
roles:
  dba: Database Administrator
---

# Database failover

## Prepare

- [ ] Tell the channel the failover starts {R: communications-lead, A: incident-commander}
- [ ] Check replication lag on the replica {R: dba}
  ` + "```sh" + `
  psql -c 'select now() - pg_last_xact_replay_timestamp()'
  ` + "```" + `

## Fail over

1. Promote the replica
2. Point the application at it
`

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func attachments(t *testing.T, db, id string) []model.Attachment {
	t.Helper()
	ctx := context.Background()
	st, err := storage.Open(ctx, db, storage.Options{Author: "test@host"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	in, err := st.ResolveIncident(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	list, err := st.Attachments(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestCLIRunbookListShowsSourcesAndOverrides(t *testing.T) {
	c := newCLI(t)
	team := t.TempDir()
	writeFile(t, team, "db-failover.md", teamRunbook)
	override := writeFile(t, team, "ops/major-incident.md", "# Our major incident\n\n- [ ] Page the IC {A: incident-commander}\n")
	writeFile(t, team, "README.md", "# Team runbooks\n\n- [ ] not a runbook\n")

	out := c.ok("runbook", "list")
	for _, want := range []string{"major-incident", "security-incident", "unauthorised-access", "bundled"} {
		if !strings.Contains(out, want) {
			t.Errorf("bundled list lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "db-failover") {
		t.Errorf("team runbook listed without --runbooks:\n%s", out)
	}

	out = c.ok("--runbooks", team, "runbook", "list")
	line := lineWith(out, "db-failover")
	if !strings.Contains(line, filepath.Join(team, "db-failover.md")) || !strings.Contains(line, "Database failover") || !strings.Contains(line, " 4 ") {
		t.Errorf("db-failover line %q lacks its file, title or step count:\n%s", line, out)
	}
	line = lineWith(out, "major-incident")
	if !strings.Contains(line, override) || !strings.Contains(line, "overrides bundled") {
		t.Errorf("override line %q does not say it overrides the bundled one:\n%s", line, out)
	}
	if strings.Contains(out, "readme") {
		t.Errorf("README listed as a runbook:\n%s", out)
	}

	// The personal folder is read without any flag.
	user := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "sitrep", "runbooks")
	writeFile(t, user, "my-own.md", "# Mine\n\n- [ ] Do it {A: ic}\n")
	out = c.ok("runbook", "list")
	if !strings.Contains(out, "my-own") {
		t.Errorf("runbook in %s not listed:\n%s", user, out)
	}

	c.fails(1, "runbook folder", "--runbooks", filepath.Join(team, "missing"), "runbook", "list")
}

func lineWith(out, word string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, word+" ") {
			return l
		}
	}
	return ""
}

func TestCLIRunbookShow(t *testing.T) {
	c := newCLI(t)
	team := t.TempDir()
	writeFile(t, team, "db-failover.md", teamRunbook)
	out := c.ok("--runbooks", team, "runbook", "show", "db-failover")
	for _, want := range []string{
		"Database failover", "name:    db-failover", "sha256:  " + model.TextHash(teamRunbook),
		"\nPrepare\n", "[ ] Tell the channel the failover starts {R: communications-lead, A:",
		"[ ] Check replication lag on the replica {R: dba}",
		"┃ psql -c 'select now() - pg_last_xact_replay_timestamp()'",
		"\nFail over\n", "[ ] 1. Promote the replica", "[ ] 2. Point the application at it",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	for _, l := range strings.Split(out, "\n") {
		if w := len([]rune(l)); w > 100 {
			t.Errorf("a line of %d columns, not a terminal so 100 is the most: %q", w, l)
		}
	}
	// --width wraps the document there; the narrowest is 20.
	for _, l := range strings.Split(c.ok("--runbooks", team, "runbook", "show", "db-failover", "--width", "30"), "\n")[8:] {
		if w := len([]rune(l)); w > 30 {
			t.Errorf("--width 30 printed a line of %d: %q", w, l)
		}
	}
	c.fails(2, "narrowest is 20", "--runbooks", team, "runbook", "show", "db-failover", "--width", "5")
	// --format json: the parsed runbook and every code block as copied.
	var js struct {
		Title  string
		Phases []struct {
			Title string
			Steps []struct {
				Title string
				Code  []string
			}
		}
		Code []string
	}
	if err := json.Unmarshal([]byte(c.ok("--runbooks", team, "runbook", "show", "db-failover", "--format", "json")), &js); err != nil {
		t.Fatal(err)
	}
	if js.Title != "Database failover" || len(js.Code) != 1 || js.Code[0] != "psql -c 'select now() - pg_last_xact_replay_timestamp()'" ||
		len(js.Phases) != 2 || js.Phases[0].Title != "Prepare" || len(js.Phases[0].Steps) != 2 || js.Phases[0].Steps[1].Code[0] != js.Code[0] {
		t.Errorf("json: %+v", js)
	}

	// A file can be shown by path, and what it holds cannot drive the terminal.
	evil := writeFile(t, t.TempDir(), "evil.md", "# Title \x1b]0;pwned\x07\n\n- [ ] Step \x1b[2J clears the screen\n")
	out = c.ok("runbook", "show", evil)
	if strings.ContainsRune(out, 0x1b) || strings.ContainsRune(out, 0x07) {
		t.Errorf("escape sequences reached the output: %q", out)
	}
	if !strings.Contains(out, "[ ] Step") || !strings.Contains(out, "clears the screen") {
		t.Errorf("text around the escapes was lost: %q", out)
	}

	c.fails(1, `did you mean "major-incident"`, "runbook", "show", "major-incidnet")
}

func TestCLIRunbookLint(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	good := writeFile(t, dir, "good.md", teamRunbook)
	out, errOut, code := c.run("", "runbook", "lint", good)
	if code != 0 || strings.Contains(out, "error") {
		t.Fatalf("good runbook: exit %d\n%s%s", code, out, errOut)
	}

	bad := writeFile(t, dir, "bad.md", "---\ntitle: Bad\n---\n# Bad\n\n- [ ] First\n- [ ] Second {A: incident-commander, A: scribe}\n- [ ] Third {R: wizard, A: ic}\n")
	out, errOut, code = c.run("", "runbook", "lint", bad, good)
	if code != 1 {
		t.Fatalf("bad runbook: exit %d, want 1\n%s%s", code, out, errOut)
	}
	wantLines := []*regexp.Regexp{
		regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(bad) + `:7:\d+: error: 2 Accountable roles`),
		regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(bad) + `:8:\d+: error: role "wizard" is not defined`),
	}
	for _, re := range wantLines {
		if !re.MatchString(out) {
			t.Errorf("lint output lacks %s:\n%s", re, out)
		}
	}
	if !strings.Contains(errOut, "error(s)") {
		t.Errorf("no summary on stderr: %q", errOut)
	}

	// A folder is linted like a team folder; the whole bundled library is clean.
	out, errOut, code = c.run("", "runbook", "lint", "../runbooks/library")
	if code != 0 || strings.TrimSpace(out) != "" {
		t.Errorf("bundled library: exit %d\n%s%s", code, out, errOut)
	}
	c.fails(1, "error(s)", "runbook", "lint", filepath.Join(dir, "nope.md"))
	// "check", as the group's help words it, is the same command.
	c.fails(1, "2 error(s)", "runbook", "check", bad)
}

const teamScenario = `---
title: Cache cluster loss
kind: outage
severity: 2
runbooks: [major-incident]
objectives:
  - Status page updated within 20m
---

# Cache cluster loss

The cache cluster in the primary region is gone.

## Injects

### +0m Alerts fire
Latency on every page is ten times normal.

- [ ] Declare an incident

### +10m Support calls
Customers report timeouts.

### +5m Dashboard
The cache hit rate is zero.
`

func TestCLIScenario(t *testing.T) {
	c := newCLI(t)
	team := t.TempDir()
	writeFile(t, team, "drills/cache-loss.md", teamScenario)
	out := c.ok("--runbooks", team, "scenario", "list")
	line := lineWith(out, "cache-loss")
	if !strings.Contains(line, " 3 ") || !strings.Contains(line, "Cache cluster loss") {
		t.Errorf("scenario list line %q:\n%s", line, out)
	}
	out = c.ok("--runbooks", team, "scenario", "show", "cache-loss")
	iAlerts, iDash, iCalls := strings.Index(out, "+0m  Alerts fire"), strings.Index(out, "+5m  Dashboard"), strings.Index(out, "+10m  Support calls")
	if iAlerts < 0 || iDash < iAlerts || iCalls < iDash {
		t.Errorf("injects not shown in time order:\n%s", out)
	}
	for _, want := range []string{"expected: Declare an incident", "Status page updated (within 20m)", "runbooks: major-incident"} {
		if !strings.Contains(out, want) {
			t.Errorf("scenario show lacks %q:\n%s", want, out)
		}
	}

	bad := writeFile(t, t.TempDir(), "bad.md", "---\ntitle: x\nobjectives: [Done within 1h]\n---\n# x\n\n## Injects\n\n### +5x Something\n\nText.\n\n### +10m Other\n\nMore.\n")
	out, _, code := c.run("", "scenario", "lint", bad)
	if code != 1 || !regexp.MustCompile(`(?m)^`+regexp.QuoteMeta(bad)+`:9:\d+: error: `).MatchString(out) {
		t.Errorf("bad inject offset: exit %d\n%s", code, out)
	}
	c.fails(1, "no scenario named", "scenario", "show", "nothing-like-it")
}

func TestCLIAttach(t *testing.T) {
	c := newCLI(t)
	team := t.TempDir()
	writeFile(t, team, "db-failover.md", teamRunbook)

	id := strings.TrimSpace(c.ok("--runbooks", team, "declare", "--title", "DB down", "--sev", "1", "--runbook", "db-failover", "--runbook", "major-incident"))
	got := attachments(t, c.db, id)
	if len(got) != 2 {
		t.Fatalf("declare --runbook x2 attached %d runbooks", len(got))
	}
	var db model.Attachment
	for _, a := range got {
		if a.Name == "db-failover" {
			db = a
		}
	}
	if db.Text != teamRunbook || db.Hash != model.TextHash(teamRunbook) || db.Source != team || db.Title != "Database failover" {
		t.Errorf("attachment does not carry the file's exact text, hash and source: %+v", db)
	}

	out := c.ok("attach", id, "security-incident")
	if !strings.Contains(out, "attached security-incident to "+id) {
		t.Errorf("attach printed %q", out)
	}
	if n := len(attachments(t, c.db, id)); n != 3 {
		t.Errorf("after attach: %d attachments, want 3", n)
	}
	show := c.ok("show", id)
	if !strings.Contains(show, "Runbook attached: Security incident") {
		t.Errorf("attach is not on the timeline:\n%s", show)
	}

	// Same name and text again: refused, nothing appended.
	c.fails(1, "already attached", "--runbooks", team, "attach", id, "db-failover")
	if strings.Count(c.ok("show", id), "Runbook attached") != 3 {
		t.Errorf("refused attach still appended an event")
	}

	// A later version of the same runbook is allowed and replaces the text.
	changed := strings.Replace(teamRunbook, "Promote the replica", "Promote the replica with pg_ctl promote", 1)
	writeFile(t, team, "db-failover.md", changed)
	out = c.ok("--runbooks", team, "attach", id, "db-failover")
	if !strings.Contains(out, "new version") {
		t.Errorf("re-attach of a changed runbook printed %q", out)
	}
	for _, a := range attachments(t, c.db, id) {
		if a.Name == "db-failover" && a.Hash != model.TextHash(changed) {
			t.Errorf("attachment still has the old hash after a new version was attached")
		}
	}

	c.fails(1, `did you mean "security-incident"`, "attach", id, "security-incidnt")
	c.fails(1, "no runbook named", "declare", "--title", "Typo", "--sev", "2", "--runbook", "no-such-runbook")
	if strings.Contains(c.ok("ls"), "Typo") {
		t.Errorf("declare with an unknown runbook still created the incident")
	}
	c.fails(1, "no incident with id ffffffff", "attach", "ffffffff", "major-incident")

	// A runbook file from a checkout is attached by its path, as
	// 'runbook show' takes it, without adding its folder to the library.
	other := t.TempDir()
	writeFile(t, other, "cache-flush.md", "# Flush the CDN cache\n\n1. Purge the edge\n2. Check the hit rate\n")
	out = c.ok("attach", id, filepath.Join(other, "cache-flush.md"))
	if !strings.Contains(out, "attached cache-flush to "+id) {
		t.Errorf("attach by path printed %q", out)
	}
	found := false
	for _, a := range attachments(t, c.db, id) {
		found = found || a.Name == "cache-flush" && a.Title == "Flush the CDN cache"
	}
	if !found {
		t.Errorf("attach by path stored no cache-flush attachment")
	}
}

// TestRunbookShowStyles: on a terminal, headings and step marks are bold
// and frames faint, as the pane draws them; the text is the same.
func TestRunbookShowStyles(t *testing.T) {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI)
	rb, _ := runbooks.Parse("t.md", []byte("# Title\n\n- [ ] do it\n\n```sh\nls\n```\n"))
	var styled, plain strings.Builder
	writeRunbook(&styled, rb, 80, roleStyles(r))
	writeRunbook(&plain, rb, 80, nil)
	if !strings.Contains(styled.String(), "\x1b[1mTitle") || !strings.Contains(styled.String(), "\x1b[1m[ ] ") {
		t.Errorf("no bold heading or mark: %q", styled.String())
	}
	if got := ansi.Strip(styled.String()); strings.ReplaceAll(got, " \n", "\n") != strings.ReplaceAll(plain.String(), " \n", "\n") {
		t.Errorf("styled text differs from plain:\n%q\n%q", got, plain.String())
	}
}

// TestCLIRunbookShowLinks: runbook show ends with where the document's
// links go, which the text shows only as words.
func TestCLIRunbookShowLinks(t *testing.T) {
	c := newCLI(t)
	path := writeFile(t, t.TempDir(), "latency.md", "# Latency\n\n- [ ] Open the [dashboard](https://grafana.example.com/d/abc \"Grafana\").\n- [ ] Read https://status.example.com first.\n")
	out := c.ok("runbook", "show", path, "--width", "60")
	if !strings.HasSuffix(out, "\nLinks\n  dashboard: https://grafana.example.com/d/abc\n") {
		t.Errorf("show does not end with the links:\n%s", out)
	}
}
