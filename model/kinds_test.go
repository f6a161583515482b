package model

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestDescribeWordsStay pins the timeline text of every kind: the text is
// stored when an event is projected and verify compares it with what the
// event projects to now, so a reworded sentence would flag every existing
// store as tampered with.
func TestDescribeWordsStay(t *testing.T) {
	cases := []struct {
		kind    EventKind
		payload string
		want    string
	}{
		{EventDeclared, `{"title":"DB down","kind":"database","severity":1,"status":"investigating","exercise":true}`, "Declared SEV1 database incident (EXERCISE): DB down"},
		{EventDeclared, `{"title":7}`, ""}, // a payload that does not decode shows the error
		{EventRetitled, `{"title":"Primary DB down","from":"DB down"}`, `Title changed to "Primary DB down"`},
		{EventStatusChanged, `{"status":"mitigated","from":"investigating","reason":"failover done"}`, "Status investigating → mitigated — failover done"},
		{EventStatusChanged, `{"status":"resolved","from":"resolved"}`, "Status set to resolved"},
		{EventSeverityChanged, `{"severity":2,"from":1}`, "Severity SEV1 → SEV2"},
		{EventNote, `{"kind":"decision","text":"Fail over to the replica"}`, "Fail over to the replica"},
		{EventPinned, `{"entry":"e1","pinned":true}`, "Pinned an entry"},
		{EventPinned, `{"entry":"e1"}`, "Unpinned an entry"},
		{EventAmended, `{"entry":"e1","text":"Fail over to replica 2"}`, "Amended an entry: Fail over to replica 2"},
		{EventRetracted, `{"entry":"e1","reason":"wrong incident"}`, "Retracted an entry — wrong incident"},
		{EventRoleAssigned, `{"role":"scribe","holder":"","previous":"ann"}`, "Scribe released by ann"},
		{EventRoleAssigned, `{"role":"scribe","holder":"bob"}`, "Scribe taken by bob"},
		{EventRoleAssigned, `{"role":"scribe","holder":"bob","previous":"ann"}`, "Scribe handed from ann to bob"},
		{EventRunbookAttached, `{"name":"db","title":"DB failover","hash":"0123456789abcdef"}`, "Runbook attached: DB failover (db, sha256 0123456789ab)"},
		{EventStepChanged, `{"runbook":"db","step":1,"title":"Promote","state":"blocked","reason":"no access"}`, "Blocked step 2 of db: Promote — no access"},
		{EventReviewSaved, `{"review":{"action_items":[{"title":"a"}]}}`, "Post-incident review saved (1 action item(s))"},
		{EventExerciseStarted, `{"scenario":"s","title":"T","hash":"abc","speed":2,"injects":[{}],"objectives":[{},{}]}`, "EXERCISE started: scenario T (s, sha256 abc), 1 inject(s), 2 objective(s) at 2x speed"},
		{EventExercisePaused, `{"reason":"lunch"}`, "Exercise clock paused — lunch"},
		{EventExerciseResumed, `{"reason":7}`, "Exercise clock resumed"}, // drawn from what decoded
		{EventExerciseSpeed, `{"speed":4}`, "Exercise clock speed set to 4x"},
		{EventExerciseEnded, `{}`, "Exercise ended"},
		{EventInjectReleased, `{"index":0,"title":"Pager storm"}`, "Inject 1 released by the facilitator: Pager storm"},
		{EventInjectSkipped, `{"index":2,"title":"DNS","reason":"no time"}`, "Inject 3 skipped: DNS — no time"},
		{EventMessageSent, `{"audience":"internal","text":" Update \n","channel":"#inc"}`, "Message sent to internal via #inc: Update"},
		{EventEvidence, `{"command":"kubectl get pods","dir":"/srv","host":"db1","duration_ms":2400,"exit":1,"output":"NAME\nweb-1\n","output_bytes":11,"runbook":"db","step":2,"masked":1}`,
			"$ kubectl get pods\nexit 1 · 2.4s · db1:/srv · step 3 of db · 1 secret(s) masked\nNAME\nweb-1"},
		{EventEvidence, `{"command":"yes","duration_ms":61000,"exit":143,"signal":"SIGTERM","no_output":true,"output_bytes":99}`,
			"$ yes\nkilled by SIGTERM (exit 143) · 1m01s · output not kept"},
		{EventEvidence, `{"command":"seq 1 9","host":"h","duration_ms":5,"exit":0,"output":"1\n… 5 bytes omitted …\n9\n","output_bytes":18,"omitted":5}`,
			"$ seq 1 9\nexit 0 · 5ms · h · 5 of 18 bytes of output omitted\n1\n… 5 bytes omitted …\n9"},
		{EventEvidence, `{"command":"true","dir":"/","exit":0}`, "$ true\nexit 0 · 0ms · / · no output"},
		{"future.kind", `{}`, "future.kind"},
	}
	seen := map[EventKind]bool{}
	for _, c := range cases {
		seen[c.kind] = true
		got := Describe(Event{ID: "ev1", Kind: c.kind, Payload: json.RawMessage(c.payload)})
		if c.want == "" {
			if !strings.Contains(got, "bad payload") {
				t.Errorf("%s %s: %q, want the decoding error", c.kind, c.payload, got)
			}
			continue
		}
		if got != c.want {
			t.Errorf("%s %s:\n got %q\nwant %q", c.kind, c.payload, got, c.want)
		}
	}
	for k := range kinds {
		if !seen[k] {
			t.Errorf("kind %s has no pinned timeline text here", k)
		}
	}
}

// TestKindTable checks each entry of the table is whole: the kind is known,
// has a label, decodes an empty payload into a type with rules, and only a
// pin stays off the timeline.
func TestKindTable(t *testing.T) {
	for k, s := range kinds {
		if !k.Known() || k.Valid() != nil {
			t.Errorf("%s: not known or not valid", k)
		}
		if k.MakesEntry() != (k != EventPinned) {
			t.Errorf("%s: MakesEntry = %v", k, k.MakesEntry())
		}
		if k != EventPinned && s.label == "" {
			t.Errorf("%s: no label", k)
		}
		p, err := DecodePayload(Event{ID: "ev1", Kind: k, Payload: json.RawMessage(`{}`)})
		if err != nil || p == nil {
			t.Errorf("%s: decoding {} gave %v, %v", k, p, err)
		}
	}
	if p, err := DecodePayload(Event{Kind: "future.kind", Payload: json.RawMessage(`{}`)}); p != nil || err != nil {
		t.Errorf("unknown kind decoded to %v, %v", p, err)
	}
}

// TestSpeedRuleOnlyForSpeed: the clock payload's speed is checked for a
// speed change, not for a pause that carries none.
func TestSpeedRuleOnlyForSpeed(t *testing.T) {
	if err := ValidatePayload(EventExercisePaused, ExerciseClockPayload{}); err != nil {
		t.Errorf("pause refused: %v", err)
	}
	if err := ValidatePayload(EventExerciseSpeed, ExerciseClockPayload{Speed: -1}); err == nil {
		t.Error("a negative speed passed")
	}
}
