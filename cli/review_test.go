package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeEditor makes an EDITOR that runs script with the file as $1.
func fakeEditor(t *testing.T, script string) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "editor.sh")
	if err := os.WriteFile(p, []byte("#!/bin/sh\nset -e\n"+script+"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", p)
	t.Setenv("TMPDIR", t.TempDir())
}

func TestCLIReviewFlow(t *testing.T) {
	c := newCLI(t)
	id := strings.TrimSpace(c.ok("declare", "--title", "DB failover", "--sev", "2", "--kind", "outage"))
	c.ok("note", "--kind", "decision", "Fail over to the replica")

	// Quitting without a change records nothing.
	fakeEditor(t, "true")
	if out := c.ok("review", id); !strings.Contains(out, "no changes") {
		t.Fatalf("unchanged review: %q", out)
	}

	// The editor fills two sections and an action item.
	fakeEditor(t, `sed -i -e 's/^## Root cause$/## Root cause\n\nReplica lag hid a full disk./' -e 's/^## Action items$/## Action items\n- [ ] Alert on disk | bob | 2026-12-01 | open/' "$1"`)
	if out := c.ok("review", id); !strings.Contains(out, "saved (1 action item)") {
		t.Fatalf("save: %q", out)
	}
	show := c.ok("review", id, "--show")
	for _, want := range []string{"Replica lag hid a full disk.", "Alert on disk", "owner bob", "2026-12-01"} {
		if !strings.Contains(show, want) {
			t.Errorf("--show lacks %q:\n%s", want, show)
		}
	}
	// Opening it again shows the saved text; saving it unchanged appends nothing.
	fakeEditor(t, `grep -q 'Replica lag hid a full disk.' "$1" && echo "" >> "$1"`)
	if out := c.ok("review", id); !strings.Contains(out, "unchanged") {
		t.Fatalf("re-save: %q", out)
	}
	if n := strings.Count(c.ok("show", id), "Post-incident review saved"); n != 1 {
		t.Errorf("%d review events in the timeline, want 1", n)
	}

	// A document that does not parse is kept, and the error says where.
	fakeEditor(t, `echo "## Root cuase" >> "$1"`)
	_, errOut, code := c.run("", "review", id)
	if code == 0 || !strings.Contains(errOut, "unknown section") || !strings.Contains(errOut, "kept in ") {
		t.Fatalf("bad document: exit %d %q", code, errOut)
	}
	kept := strings.Fields(errOut[strings.Index(errOut, "kept in ")+len("kept in "):])[0]
	if _, err := os.Stat(kept); err != nil {
		t.Fatalf("the edited text was not kept: %v", err)
	}
}

// Action items grouped under ### headings in $EDITOR survive the save and
// the next edit, and the export groups them the same way.
func TestCLIReviewActionCategories(t *testing.T) {
	c := newCLI(t)
	id := strings.TrimSpace(c.ok("declare", "--title", "DB failover", "--sev", "2", "--kind", "outage"))
	fakeEditor(t, `sed -i -e 's/^## Action items$/## Action items\n\n### Process\n\n- [ ] Add a canary stage | bob | 2026-12-01 | open\n\n### Monitoring\n- [ ] Alert on disk | cy/' "$1"`)
	if out := c.ok("review", id); !strings.Contains(out, "saved (2 action items)") {
		t.Fatalf("save: %q", out)
	}
	// The next edit starts from the same headings and, untouched, saves
	// nothing new.
	fakeEditor(t, `grep -q '^### Process$' "$1" && grep -q '^### Monitoring$' "$1"`)
	if out := c.ok("review", id); !strings.Contains(out, "no changes") {
		t.Fatalf("re-open: %q", out)
	}
	md := c.ok("export", id, "--format", "md")
	p, m := strings.Index(md, "### Process\n\n| Action"), strings.Index(md, "### Monitoring\n\n| Action")
	if p < 0 || m < p || !strings.Contains(md[p:m], "Add a canary stage") || !strings.Contains(md[m:], "Alert on disk") {
		t.Errorf("export does not group the action items:\n%s", md)
	}
	if show := c.ok("review", id, "--show"); !strings.Contains(show, "### Process") {
		t.Errorf("--show lacks the category:\n%s", show)
	}
}

// A postmortem written elsewhere comes in with --from: its sections found
// by their usual names, a section the review has none for kept and
// reported on stderr by line, and the export holds it all.
func TestCLIReviewFromPostmortem(t *testing.T) {
	c := newCLI(t)
	id := strings.TrimSpace(c.ok("declare", "--title", "Queue backlog", "--sev", "2", "--kind", "outage"))
	doc := filepath.Join(t.TempDir(), "postmortem.md")
	if err := os.WriteFile(doc, []byte("# Queue backlog postmortem\n\n## Overview\nConsumers crashed.\n\n## Root Causes\nA bad release.\n\n"+
		"## Timeline\n- 09:02 backlog alert\n\n## Follow-ups\n- Add a canary (owner: dee)\n- [x] Page on backlog age\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := c.run("", "review", id, "--from", doc)
	if code != 0 || !strings.Contains(out, "saved (2 action items)") {
		t.Fatalf("exit %d: %q %q", code, out, errOut)
	}
	if !strings.Contains(errOut, `postmortem.md: line 9: "Timeline" is not a section a review has: kept under Root cause`) {
		t.Errorf("stderr does not say where the timeline went: %q", errOut)
	}
	md := c.ok("export", id, "--format", "md")
	for _, want := range []string{"Consumers crashed.", "A bad release.", "09:02 backlog alert", "| Add a canary | dee |", "Page on backlog age"} {
		if !strings.Contains(md, want) {
			t.Errorf("the export lacks %q", want)
		}
	}
}

// TestCLIReviewFromOtherEncodings: a postmortem saved as UTF-16 (Word's
// and Notepad's "Unicode") or as Windows-1252 is read as its text, and
// says how; saved as UTF-8 the same document changes nothing.
func TestCLIReviewFromOtherEncodings(t *testing.T) {
	c := newCLI(t)
	id := strings.TrimSpace(c.ok("declare", "Checkout outage", "--sev", "2"))
	text := "# Postmortem\r\n\r\n## Summary\r\n\r\nLe paiement a été indisponible.\r\n\r\n## Action items\r\n\r\n- Ajouter une alerte (owner: zoé)\r\n"
	dir := t.TempDir()
	utf16 := []byte{0xff, 0xfe}
	var cp1252 []byte
	for _, r := range text {
		utf16 = append(utf16, byte(r), byte(r>>8))
		cp1252 = append(cp1252, byte(r)) // é: the same code point in Windows-1252
	}
	for _, f := range []struct {
		name, says string
		raw        []byte
	}{
		{"utf16.md", "read as UTF-16", utf16},
		{"cp1252.md", "not UTF-8, so read as Windows-1252", cp1252},
	} {
		path := writeFile(t, dir, f.name, string(f.raw))
		out, errOut, code := c.run("", "review", id, "--from", path)
		if code != 0 || !strings.Contains(errOut, f.name+": "+f.says) {
			t.Fatalf("%s: exit %d: %q %q", f.name, code, out, errOut)
		}
		show := c.ok("review", id, "--show")
		if !strings.Contains(show, "Le paiement a été indisponible.") || !strings.Contains(show, "Ajouter une alerte (owner zoé") {
			t.Errorf("%s read as:\n%s", f.name, show)
		}
	}
	path := writeFile(t, dir, "utf8.md", text)
	if out := c.ok("review", id, "--from", path); !strings.Contains(out, "unchanged") {
		t.Errorf("the same review saved as UTF-8 changed it: %q", out)
	}
}
