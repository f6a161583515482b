package respond

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/export"
	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/runbooks"
	"github.com/sitrep-dev/sitrep/storage"
)

// newService is the service on a fresh store in a temp dir, with the
// bundled library and a clock the test moves.
func newService(t *testing.T) (*Service, *storage.Store, *time.Time) {
	t.Helper()
	now := time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	st, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "sitrep.db"), storage.Options{Author: "alice@laptop", Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	lib, _, err := runbooks.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	return New(st, Options{Library: func() (*runbooks.Library, string) { return lib, "" }, Now: clock}), st, &now
}

func mustDeclare(t *testing.T, s *Service, runbookNames ...string) model.Incident {
	t.Helper()
	in, err := s.Declare(context.Background(), model.Declaration{Title: "Checkout 500s", Severity: model.SEV1, Kind: "outage"}, runbookNames)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func TestDeclareWritesCommanderAndRunbooksTogether(t *testing.T) {
	s, st, _ := newService(t)
	ctx := context.Background()
	in := mustDeclare(t, s, "major-incident", "major-incident")
	if holder, _, err := st.RoleEvent(ctx, in.ID, model.RoleCommander); err != nil || holder != "alice@laptop" {
		t.Errorf("commander %q (%v)", holder, err)
	}
	atts, err := st.Attachments(ctx, in.ID)
	if err != nil || len(atts) != 1 || atts[0].Name != "major-incident" {
		t.Errorf("attachments %+v (%v): want major-incident once", atts, err)
	}
	cur, err := st.Current(ctx)
	if err != nil || cur.ID != in.ID {
		t.Errorf("current incident %q (%v), want the one declared", cur.ID, err)
	}
	// A typo attaches nothing and declares nothing.
	if _, err := s.Declare(ctx, model.Declaration{Title: "x", Severity: model.SEV2}, []string{"major-incidnet"}); err == nil {
		t.Error("declare with an unknown runbook succeeded")
	}
	if list, _ := st.Incidents(ctx); len(list) != 1 {
		t.Errorf("%d incidents after the refused declaration, want 1", len(list))
	}
}

func TestAssignAndReleaseRules(t *testing.T) {
	s, st, _ := newService(t)
	ctx := context.Background()
	in := mustDeclare(t, s)
	if _, err := s.Release(ctx, in.ID, model.RoleScribe); err == nil || err.Error() != "nobody holds Scribe" {
		t.Errorf("releasing an unheld role: %v", err)
	}
	if _, err := s.Assign(ctx, in.ID, model.RoleCommander, " alice@laptop "); err == nil || !strings.Contains(err.Error(), "already holds Incident Commander") {
		t.Errorf("assigning the holder again: %v", err)
	}
	e, err := s.Assign(ctx, in.ID, model.RoleCommander, "bob@desk")
	if err != nil {
		t.Fatal(err)
	}
	var p model.RoleAssignedPayload
	if err := json.Unmarshal(e.Payload, &p); err != nil {
		t.Fatal(err)
	}
	if p.Previous != "alice@laptop" || p.Replaces == "" {
		t.Errorf("hand-over does not note what was seen: %+v", p)
	}
	if _, err := s.Release(ctx, in.ID, model.RoleCommander); err != nil {
		t.Errorf("releasing a held role: %v", err)
	}
	if holder, _, _ := st.RoleEvent(ctx, in.ID, model.RoleCommander); holder != "" {
		t.Errorf("commander after release: %q", holder)
	}
}

func TestDrillClockRefusals(t *testing.T) {
	s, _, now := newService(t)
	ctx := context.Background()
	lib, _ := s.Library()
	name := lib.Scenarios()[0].Name
	if _, _, err := s.StartDrill(ctx, name, DrillStart{Speed: 0}); err == nil {
		t.Error("a drill at speed 0 started")
	}
	in, _, err := s.StartDrill(ctx, name, DrillStart{Speed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.ResumeDrill(ctx, in, ""); err == nil || !strings.Contains(err.Error(), "is running") {
		t.Errorf("resuming a running clock: %v", err)
	}
	*now = now.Add(time.Minute)
	if _, _, err := s.PauseDrill(ctx, in, "coffee"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.PauseDrill(ctx, in, ""); err == nil || !strings.Contains(err.Error(), "already paused") {
		t.Errorf("pausing a paused clock: %v", err)
	}
	if _, _, err := s.ResumeDrill(ctx, in, ""); err != nil {
		t.Errorf("resuming a paused clock: %v", err)
	}
	if _, _, err := s.EndDrill(ctx, in, "done"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.EndDrill(ctx, in, ""); err == nil || !strings.Contains(err.Error(), "already ended") {
		t.Errorf("ending twice: %v", err)
	}
	if _, err := s.SetDrillSpeed(ctx, in, 2); err == nil || !strings.Contains(err.Error(), "has ended") {
		t.Errorf("speed after the end: %v", err)
	}
}

// The stored text is what the stepper, reports and exports read back: the
// attachment's title wins over the file's, and an empty text is an error
// the stepper shows, not a panic.
func TestAttachedRunbookReadsTheStoredText(t *testing.T) {
	at := model.Attachment{Name: "flush", Title: "Flush the CDN", Text: "# Cache\n\n1. Purge the edge\n2. Check the hit rate\n", Source: "team"}
	rb, err := AttachedRunbook(at)
	if err != nil || rb.Name != "flush" || rb.Title != "Flush the CDN" || rb.StepCount() != 2 || rb.Source != "team" {
		t.Fatalf("AttachedRunbook: %+v %v", rb, err)
	}
	if StepCount(at) != 2 {
		t.Errorf("StepCount %d, want 2", StepCount(at))
	}
	titles, counts := StepTitles([]model.Attachment{at})
	if counts["flush"] != 2 || titles["flush"][1] != "Check the hit rate" {
		t.Errorf("StepTitles %v %v", titles, counts)
	}
}

// The editor runs through the shell, as git runs it: a command with
// arguments and a quoted path with a space both work, and the file is
// passed as an argument, never pasted into the command line.
func TestEditTextRunsEditorThroughShell(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my editors")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "append.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s\\n' \"$1\" >> \"$2\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TMPDIR", t.TempDir())
	got, path, err := EditText(`'`+script+`' edited`, "sitrep-test-*.md; touch pwned", "draft\n", nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer os.Remove(path)
	if got != "draft\nedited\n" {
		t.Errorf("after the editor: %q", got)
	}
	if _, err := os.Stat("pwned"); err == nil {
		os.Remove("pwned")
		t.Error("the file name ran as a command")
	}
	if _, _, err := EditText("false", "sitrep-test-*.md", "x", nil, nil, nil); err == nil || !strings.Contains(err.Error(), "your text is in") {
		t.Errorf("a failing editor: %v", err)
	}
}

// The review document back from the editor: unchanged records nothing and
// removes the file; one that does not read is refused and kept, the error
// naming the file and how to take it up again; a good one is saved and its
// file removed; the same review again is not recorded twice.
func TestSaveEditedReview(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newService(t)
	in := mustDeclare(t, s)
	_, _, pinned, err := s.ReviewToEdit(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	given := export.RenderReviewTemplate(in, model.Review{}, pinned)
	edit := func(text string) string {
		path, err := WriteEditFile("sitrep-review-test-*.md", text)
		if err != nil {
			t.Fatal(err)
		}
		return path
	}
	exists := func(path string) bool { _, err := os.Stat(path); return err == nil }

	path := edit(given)
	if res, err := s.SaveEditedReview(ctx, in.ID, given, given, path); err != nil || !res.Unchanged || res.Saved || exists(path) {
		t.Fatalf("unchanged document: %+v, %v, file kept %v", res, err, exists(path))
	}
	bad := given + "\n## Not a section\nwords\n"
	path = edit(bad)
	if _, err := s.SaveEditedReview(ctx, in.ID, given, bad, path); err == nil || !strings.Contains(err.Error(), "kept in "+path) ||
		!strings.Contains(err.Error(), "sitrep review "+in.Short()+" --from "+path) || !exists(path) {
		t.Fatalf("a document that does not read: %v, file kept %v", err, exists(path))
	}
	os.Remove(path)
	good := strings.Replace(given, "## Summary\n", "## Summary\nThe checkout API returned 500s for 40 minutes.\n", 1)
	if good == given {
		t.Fatalf("the template has no summary section to fill:\n%s", given)
	}
	for i, wantSaved := range []bool{true, false} {
		path = edit(good)
		res, err := s.SaveEditedReview(ctx, in.ID, given, good, path)
		if err != nil || res.Unchanged || res.Saved != wantSaved || exists(path) {
			t.Fatalf("good document, time %d: %+v, %v, file kept %v", i+1, res, err, exists(path))
		}
	}
	r, _, _, err := s.ReviewToEdit(ctx, in.ID)
	if err != nil || !strings.Contains(r.Summary, "500s for 40 minutes") {
		t.Fatalf("saved review: %+v, %v", r, err)
	}
}
