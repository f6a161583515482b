package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
	"github.com/sitrep-dev/sitrep/ui"
)

// TestSearchIndex searches a real store's full-text indexes the way the
// cockpit's list does: by title, by what was said in the timeline, with
// prefixes, and safely with FTS syntax in the words.
func TestSearchIndex(t *testing.T) {
	ctx := context.Background()
	st, err := storage.Open(ctx, filepath.Join(t.TempDir(), "s.db"), storage.Options{Author: "alice@laptop"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	declare := func(title string) string {
		e, err := st.Append(ctx, model.Draft{Kind: model.EventDeclared, Payload: model.DeclaredPayload{Title: title, Kind: "outage", Severity: model.SEV2, Status: model.StatusInvestigating}})
		if err != nil {
			t.Fatal(err)
		}
		return e.IncidentID
	}
	note := func(id, text string) {
		if _, err := st.Append(ctx, model.Draft{IncidentID: id, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: text}}); err != nil {
			t.Fatal(err)
		}
	}
	dns := declare("Stale DNS cache after registrar change")
	pay := declare("Payments API timing out")
	note(pay, "Connection pool exhausted on payments-db; raised max_connections")
	note(dns, "Flushed resolvers in eu-west")

	search := searchIndex(st)
	for _, c := range []struct {
		words []string
		want  map[string]string // incident → where
	}{
		{[]string{"registrar"}, map[string]string{dns: "title"}},
		{[]string{"pool", "exhausted"}, map[string]string{pay: "timeline"}},
		{[]string{"resolv"}, map[string]string{dns: "timeline"}},
		{[]string{"payments"}, map[string]string{pay: "title"}},
		{[]string{"nothing-like-this"}, map[string]string{}},
		{[]string{`"`, "pool", "AND", "OR", "NEAR(", "*"}, map[string]string{}},
	} {
		hits, err := search(ctx, c.words)
		if err != nil {
			t.Errorf("%q: %v", c.words, err)
			continue
		}
		got := map[string]string{}
		for _, h := range hits {
			got[h.IncidentID] = h.Where
			if h.Where == "timeline" && !strings.Contains(h.Snippet, ui.SnippetStart) {
				t.Errorf("%q: snippet %q has no match marked", c.words, h.Snippet)
			}
		}
		if len(got) != len(c.want) {
			t.Errorf("%q: hits %v, want %v", c.words, got, c.want)
			continue
		}
		for id, where := range c.want {
			if got[id] != where {
				t.Errorf("%q: %s found in %q, want %q", c.words, id, got[id], where)
			}
		}
	}
}

// TestFrameColours: SITREP_FRAME prints one full frame; colours follow the
// environment: forced with CLICOLOR_FORCE, and NO_COLOR always wins.
func TestFrameColours(t *testing.T) {
	bin := buildSitrep(t)
	db := filepath.Join(t.TempDir(), "s.db")
	declare := exec.Command(bin, "declare", "--title", "Frame test", "--sev", "1")
	declare.Env = append(os.Environ(), "SITREP_DB="+db, "SITREP_AUTHOR=alice@laptop")
	if out, err := declare.CombinedOutput(); err != nil {
		t.Fatalf("declare: %v %s", err, out)
	}
	run := func(env ...string) string {
		t.Helper()
		cmd := exec.Command(bin)
		cmd.Env = append(append(os.Environ(), "SITREP_DB="+db, "SITREP_AUTHOR=alice@laptop", "SITREP_FRAME=90x20", "NO_COLOR=", "CLICOLOR_FORCE="), env...)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("frame %v: %v", env, err)
		}
		return string(out)
	}
	plain := run()
	if lines := strings.Split(strings.TrimRight(plain, "\n"), "\n"); len(lines) != 20 || !strings.Contains(plain, "Frame test") {
		t.Fatalf("not a 90x20 frame of the list:\n%s", plain)
	}
	if strings.Contains(plain, "\x1b[") {
		t.Error("colours in a frame piped to a file")
	}
	if forced := run("CLICOLOR_FORCE=1"); !strings.Contains(forced, "\x1b[") {
		t.Error("CLICOLOR_FORCE=1 gave no colours")
	}
	if off := run("CLICOLOR_FORCE=1", "NO_COLOR=1"); strings.Contains(off, "\x1b[") {
		t.Error("NO_COLOR=1 did not turn colours off")
	}
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "SITREP_DB="+db, "SITREP_FRAME=wide")
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "WIDTHxHEIGHT") {
		t.Errorf("a bad SITREP_FRAME: %v %s", err, out)
	}
}
