package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/clipboard"
	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/runbooks"
	"github.com/sitrep-dev/sitrep/storage"
)

// TestWorkAnIncidentByKeys declares an incident through the form, adds a
// note, completes a step, skips one with a reason, hands a role over,
// changes the status through its picker, and then reads the store to see
// every one of those saved as an event.
func TestWorkAnIncidentByKeys(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	lib := bundled(t)
	d := newDriver(t, Options{Store: st, Library: lib, Respond: service(st, c, lib), Now: c.Now}, 120, 40)
	ctx := context.Background()

	// The declare form: title, then severity 1 (the form offers and ticks
	// major-incident for a SEV1 outage).
	d.press("N")
	if d.app().slot.form() == nil {
		t.Fatal("N did not open the declare form")
	}
	d.typeText("Payments API timing out")
	d.press("tab", "1", "enter")
	a := d.app()
	if a.slot.form() != nil {
		t.Fatalf("form still open after enter: %q", a.slot.form().err)
	}
	if a.screen != screenIncident || !a.loaded {
		t.Fatalf("declaring did not open the incident (screen %d, loaded %v)", a.screen, a.loaded)
	}
	id := a.incID
	in, err := st.Incident(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if in.Title != "Payments API timing out" || in.Severity != model.SEV1 || in.Kind != "outage" {
		t.Errorf("declared %+v", in)
	}
	if cur, err := st.Current(ctx); err != nil || cur.ID != id {
		t.Errorf("the declared incident is not the current one (%s, %v): 'sitrep note' would not go to it", cur.ID, err)
	}
	atts, err := st.Attachments(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, at := range atts {
		names = append(names, at.Name)
	}
	if !slices.Contains(names, "major-incident") {
		t.Fatalf("attachments %v; want major-incident among them", names)
	}
	rb := a.stepper.current()
	if rb == nil || len(a.stepper.runbooks) != len(atts) {
		t.Fatalf("stepper shows %d runbooks, %d attached", len(a.stepper.runbooks), len(atts))
	}
	shown := rb.Name

	// A note: n, text, enter.
	d.press("n")
	d.typeText("Timeouts started at 02:10 after the pool resize")
	d.press("enter")
	if d.app().slot.prompt() != nil {
		t.Fatalf("note input still open: %q", d.app().slot.prompt().err)
	}
	if !strings.Contains(d.view(), "Timeouts started at 02:10") {
		t.Error("the saved note is not on screen")
	}

	// Complete the first step, skip the second with a reason: x moves on
	// to the next step by itself.
	d.press("2", "x", "s")
	if p := d.app().slot.prompt(); p == nil || p.kind != promptSkip {
		t.Fatal("s did not ask why")
	}
	d.typeText("no support queue at night")
	d.press("enter")

	// Hand the scribe role (second row) to bob.
	d.press("3", "j", "r")
	if p := d.app().slot.prompt(); p == nil || p.kind != promptAssign || p.role != model.RoleScribe {
		t.Fatalf("r did not ask who takes the scribe role: %+v", d.app().slot.prompt())
	}
	if v := d.app().slot.prompt().input.Value(); v != "" {
		t.Fatalf("the role input starts with %q; typing would add to it", v)
	}
	d.typeText("bob@desk")
	d.press("enter")

	// Status through the picker: S, then 2 (identified).
	d.press("S", "2")
	if d.app().slot.notice() != nil {
		d.press("esc") // already so: the refusal holds keys until closed
	}

	steps, err := st.Steps(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]model.StepStatus{}
	for _, s := range steps {
		if s.Runbook != shown {
			t.Errorf("a step of %s changed; the stepper shows %s", s.Runbook, shown)
		}
		got[s.Step] = s
	}
	if s := got[0]; s.State != model.StepDone || s.By != "alice@laptop" {
		t.Errorf("step 1: %+v, want done by alice", s)
	}
	if s := got[1]; s.State != model.StepSkipped || s.Reason != "no support queue at night" {
		t.Errorf("step 2: %+v, want skipped with the reason", s)
	}
	roles, err := st.Roles(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	holder := map[model.Role]string{}
	for _, r := range roles {
		holder[r.Role] = r.Holder
	}
	if holder[model.RoleScribe] != "bob@desk" || holder[model.RoleCommander] != "alice@laptop" {
		t.Errorf("roles %v", holder)
	}
	in, _ = st.Incident(ctx, id)
	if in.Status != model.Statuses[1] {
		t.Errorf("status %s, want %s", in.Status, model.Statuses[1])
	}
	entries, err := st.Timeline(ctx, id, storage.TimelinePage{})
	if err != nil {
		t.Fatal(err)
	}
	var note bool
	for _, e := range entries {
		if e.Kind == model.EventNote && e.Text == "Timeouts started at 02:10 after the pool resize" && e.Author == "alice@laptop" {
			note = true
		}
	}
	if !note {
		t.Errorf("the note is not in the timeline: %+v", entries)
	}

	// q goes back to the list, q again quits.
	d.press("q")
	if d.app().screen != screenList {
		t.Error("q did not go back to the list")
	}
	d.press("q")
	if !d.quit {
		t.Error("q on the list did not quit")
	}
}

// failingStore refuses writes while fail is set.
type failingStore struct {
	Store
	fail *bool
}

func (f failingStore) Append(ctx context.Context, d model.Change) (model.Event, error) {
	if *f.fail {
		return model.Event{}, errors.New("disk full")
	}
	return f.Store.Append(ctx, d)
}

// TestNoteKeptWhenSaveFails: a note that cannot be saved stays in the
// input, with the error, until a later enter saves it.
func TestNoteKeptWhenSaveFails(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	fail := true
	d := newDriver(t, Options{Store: failingStore{st, &fail}, Now: c.Now}, 120, 40)
	d.press("enter", "n")
	d.typeText("the one line that matters")
	d.press("enter")
	p := d.app().slot.prompt()
	if p == nil || p.input.Value() != "the one line that matters" || !strings.Contains(p.err, "disk full") {
		t.Fatalf("after a failed save: prompt %+v", p)
	}
	if v := d.view(); !strings.Contains(v, "Not saved") || !strings.Contains(v, "the one line that matters") {
		t.Errorf("the failure or the text is not on screen:\n%s", v)
	}
	fail = false
	d.press("enter")
	if d.app().slot.prompt() != nil {
		t.Fatal("input still open after the retry saved")
	}
	entries, _ := st.Timeline(context.Background(), incA, storage.TimelinePage{})
	if last := entries[len(entries)-1]; last.Text != "the one line that matters" {
		t.Errorf("last entry %q", last.Text)
	}
}

// TestTextTypedWhileSavingStays: keys typed after enter, before the store
// answers, are not dropped when the input closes.
func TestTextTypedWhileSavingStays(t *testing.T) {
	p := newPrompt(promptNote, "Note:", 80, promptAbout{})
	p.input.SetValue("first")
	p.sent = "first"
	if _, kept := p.leftover(); kept {
		t.Error("nothing typed since, yet the input stays")
	}
	p.input.SetValue("first second")
	if rest, kept := p.leftover(); !kept || rest != "second" {
		t.Errorf("leftover %q %v", rest, kept)
	}
}

// TestKeysInHelp: every key the issue fixes is bound, and the help view
// lists it.
func TestKeysInHelp(t *testing.T) {
	k := newKeyMap()
	help := strings.Join(helpView(NewStyles(asciiRenderer()), "all", k.groups(), 200, 80), "\n")
	bound := map[string]bool{}
	for _, g := range k.groups() {
		for _, b := range g.Bindings {
			for _, key := range b.Keys() {
				bound[key] = true
			}
			if !strings.Contains(help, b.Help().Key) {
				t.Errorf("help lacks %q", b.Help().Key)
			}
		}
	}
	for _, key := range []string{"tab", "shift+tab", "1", "2", "3", "j", "k", "up", "down", "n", "d", "a", "p", "x", " ", "s", "b", "u", "y", "N", "?", "esc", "q", "ctrl+c", "S", "V", "r", "/", "enter"} {
		if !bound[key] {
			t.Errorf("key %q is not bound", key)
		}
	}
}

// TestCopyStepCommand: y hands the selected step's command to the
// clipboard function (OSC 52 in the program).
func TestCopyStepCommand(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	var copied string
	d := newDriver(t, Options{Store: st, Now: c.Now, Copy: func(_ context.Context, s string) (clipboard.Result, error) {
		copied = s
		return clipboard.Result{OSC52: true}, nil
	}}, 160, 48)
	d.press("enter", "2", "g", "j", "y")
	if !strings.Contains(copied, "prometheus.example.internal") {
		t.Errorf("copied %q, want step 2's curl command", copied)
	}
}

// TestCopyLink: o offers the links of the step under the cursor, with
// their targets, and copies the one chosen; on a step with none it offers
// the runbook's.
func TestCopyLink(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	mustAppend(t, st, model.Change{IncidentID: incA, Kind: model.EventDeclared, Payload: model.DeclaredPayload{Title: "Checkout latency", Kind: "outage", Severity: model.SEV2, Status: model.StatusInvestigating}})
	rb, _ := runbooks.Parse("latency.md", []byte("# Checkout latency\n\n"+
		"- [ ] Open the [latency dashboard](https://grafana.example.com/d/abc) and [the logs][logs].\n"+
		"- [ ] Decide whether to roll back.\n"+
		"- [ ] Page the DB on-call: https://pagerduty.example.com/schedules/DB.\n\n"+
		"[logs]: https://kibana.example.com/app/discover\n"))
	p, err := rb.Attachment()
	if err != nil {
		t.Fatal(err)
	}
	mustAppend(t, st, model.Change{IncidentID: incA, Kind: model.EventRunbookAttached, Payload: p})
	var copied string
	d := newDriver(t, Options{Store: st, Now: c.Now, Copy: func(_ context.Context, s string) (clipboard.Result, error) {
		copied = s
		return clipboard.Result{OSC52: true}, nil
	}}, 100, 30)
	d.press("enter", "2", "g")
	if v := d.view(); !strings.Contains(v, "o copies one of its 2 links") {
		t.Errorf("the step's line does not say o copies its links:\n%s", v)
	}
	d.press("o")
	pk := d.app().slot.picker()
	if pk == nil || len(pk.options) != 2 || pk.options[0].Label != "latency dashboard" || pk.options[1].Meaning != "https://kibana.example.com/app/discover" {
		t.Fatalf("o on the first step offers %+v", pk)
	}
	if v := d.view(); !strings.Contains(v, "Links in this step") || !strings.Contains(v, "https://grafana.example.com/d/abc") {
		t.Errorf("the picker does not show the links and where they go:\n%s", v)
	}
	d.press("2")
	if copied != "https://kibana.example.com/app/discover" || d.app().slot.picker() != nil {
		t.Errorf("copied %q, want the logs link's target, and the picker closed", copied)
	}
	d.press("j", "o")
	pk = d.app().slot.picker()
	if pk == nil || len(pk.options) != 3 || !strings.Contains(pk.title, "no links") {
		t.Fatalf("o on a step with no links offers %+v", pk)
	}
	d.send(resize(60, 20))
	if v := d.view(); !strings.Contains(v, "3 https://pagerduty") {
		t.Errorf("at 60x20 the picker lost its links:\n%s", v)
	}
	d.press("3")
	if copied != "https://pagerduty.example.com/schedules/DB" {
		t.Errorf("copied %q, want the address written in the third step", copied)
	}
	// On the timeline, the addresses pasted into the selected entry.
	mustAppend(t, st, model.Change{IncidentID: incA, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote,
		Text: "p99 at 4s (https://grafana.example.com/d/abc?from=now-1h). Same on https://grafana.example.com/d/abc?from=now-1h, and see https://status.example.com."}})
	d.send(resize(100, 30))
	d.press("esc", "enter", "1", "G", "o")
	pk = d.app().slot.picker()
	if pk == nil || len(pk.options) != 2 || pk.options[0].Value != "https://grafana.example.com/d/abc?from=now-1h" || pk.options[1].Value != "https://status.example.com" {
		t.Fatalf("o on a note offers %+v", pk)
	}
	d.press("enter")
	if copied != "https://grafana.example.com/d/abc?from=now-1h" {
		t.Errorf("copied %q, want the note's first address", copied)
	}
	d.press("k", "o")
	if d.app().slot.picker() != nil || !strings.Contains(d.view(), "no web address") {
		t.Errorf("o on an entry with no address:\n%s", d.view())
	}
}

// TestBurstOfKeys: keys that arrive in one read ("2x", as tmux or a fast
// typist sends them) act one by one outside text inputs, and stay text
// inside them.
func TestBurstOfKeys(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	d := newDriver(t, Options{Store: st, Now: c.Now}, 160, 48)
	d.press("enter")
	d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("2x")})
	steps, err := st.Steps(context.Background(), incA)
	if err != nil {
		t.Fatal(err)
	}
	var done int
	for _, s := range steps {
		if s.State == model.StepDone {
			done++
		}
	}
	if done != 3 {
		t.Errorf("%d steps done after \"2x\", want 3", done)
	}
	d.press("n")
	d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("sb2x")})
	if p := d.app().slot.prompt(); p == nil || p.input.Value() != "sb2x" {
		t.Errorf("a burst typed into the note input: %+v", p)
	}
}

// TestWordsThatNameKeysAreText: Bubble Tea hands over a word typed quickly
// (or pasted without bracketed paste) as one message whose name is the
// word, so "ctrl+c" or "esc" typed into an input matched those keys: the
// cockpit quit, or the note line closed mid-sentence.
func TestWordsThatNameKeysAreText(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	d := newDriver(t, Options{Store: st, Now: c.Now}, 160, 48)
	d.press("enter", "n")
	for _, word := range strings.SplitAfter("see ctrl+c then esc and enter, or q", " ") {
		w, sp := strings.CutSuffix(word, " ")
		d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(w)})
		if sp {
			d.press(" ")
		}
	}
	if d.quit {
		t.Fatal("the typed word ctrl+c quit the cockpit")
	}
	if p := d.app().slot.prompt(); p == nil || p.input.Value() != "see ctrl+c then esc and enter, or q" {
		t.Fatalf("note line after typing words that name keys: %+v", p)
	}
	// The list filter takes words as text too.
	d.press("esc", "esc")
	d.press("/")
	d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("ctrl+c")})
	if d.quit || d.app().list.searchText != "ctrl+c" {
		t.Errorf("filter: quit %v, text %q", d.quit, d.app().list.searchText)
	}
}

func TestKeyTable(t *testing.T) {
	table := KeyTable()
	for _, g := range newKeyMap().groups() {
		for _, b := range g.Bindings {
			if !strings.Contains(table, "`"+b.Help().Key+"` | "+b.Help().Desc) {
				t.Errorf("key table lacks %s", b.Help().Key)
			}
		}
	}
}

// TestStartDrillFromList: D on the list offers the library's scenarios and
// starts the one picked as an EXERCISE incident, marked so on screen.
func TestStartDrillFromList(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	// A team scenario whose runbook is not in the library: the drill
	// starts, and says what it could not attach.
	team := t.TempDir()
	src, err := os.ReadFile(filepath.Join("..", "testdata", "drill", "scenarios", "golden-drill.md"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(team, "scenarios"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(team, "scenarios", "golden-drill.md"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	lib, _, err := runbooks.Load([]string{team})
	if err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Options{Store: st, Library: lib, Respond: service(st, c, lib), Now: c.Now}, 120, 40)
	d.press("D")
	p := d.app().slot.picker()
	if p == nil || p.kind != pickScenario || len(p.options) != len(lib.Scenarios()) {
		t.Fatalf("D did not offer the %d scenarios: %+v", len(lib.Scenarios()), p)
	}
	if v := d.view(); !strings.Contains(v, lib.Scenarios()[0].Name) {
		t.Errorf("the picker does not show the first scenario:\n%s", v)
	}
	for p.options[p.sel].Label != "golden-drill" {
		d.press("down")
	}
	d.press("enter")
	a := d.app()
	if a.screen != screenIncident || !a.inc.Exercise || a.inc.Title != "Region outage tabletop" {
		t.Fatalf("the drill not opened as an exercise (screen %d, %+v)", a.screen, a.inc)
	}
	if x, ok, err := st.Exercise(context.Background(), a.incID); err != nil || !ok || x.Started.Scenario != "golden-drill" {
		t.Fatalf("no golden-drill exercise recorded: %v %v %+v", ok, err, x.Started)
	}
	if head := strings.SplitN(d.view(), "\n", 2)[0]; !strings.Contains(head, "EXERCISE") {
		t.Errorf("header lacks EXERCISE: %q", head)
	}
	if a.flash == "" || !strings.Contains(a.flash, "scenario runbook failover not attached") || !a.isErr {
		t.Errorf("the drill's warning is not shown: %q", a.flash)
	}
	d.press("q")
	if !strings.Contains(d.view(), "[EXERCISE]") {
		t.Errorf("the list does not mark the drill:\n%s", d.view())
	}
}

// TestMoreIncidentKeys: d and a log a decision and an action item, p pins
// the selected entry, b blocks a step with a reason, u reopens it, V
// changes the severity through its picker; each is an event in the store.
func TestMoreIncidentKeys(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	ctx := context.Background()
	d := newDriver(t, Options{Store: st, Now: c.Now}, 160, 48)
	d.press("enter", "d")
	d.typeText("Fail over to eu-central")
	d.press("enter", "a")
	d.typeText("Check the replica lag")
	d.press("enter", "p")
	if v := d.view(); !strings.Contains(v, "★ pinned") {
		t.Error("p did not mark the entry pinned on screen")
	}
	d.press("2", "b")
	d.typeText("waiting for DBA")
	d.press("enter")
	// b moved on to the next step; k goes back to the blocked one.
	d.press("k")
	rb, step, _ := func() (*attachedRunbook, model.Step, bool) { a := d.app(); return a.stepper.selected() }()
	d.press("u")
	d.press("V", "2")
	if in, _ := st.Incident(ctx, incA); in.Severity != model.SEV1 {
		t.Fatalf("severity changed to %s before it was confirmed", in.Severity)
	}
	d.press("y")

	entries, err := st.Timeline(ctx, incA, storage.TimelinePage{})
	if err != nil {
		t.Fatal(err)
	}
	var decision, action, pinned bool
	for _, e := range entries {
		switch {
		case e.NoteKind == model.NoteKindDecision && e.Text == "Fail over to eu-central":
			decision = true
		case e.NoteKind == model.NoteKindAction && e.Text == "Check the replica lag":
			action = true
			pinned = e.Pinned
		}
	}
	if !decision || !action || !pinned {
		t.Errorf("decision %v, action %v, action pinned %v", decision, action, pinned)
	}
	var blockedThenOpen bool
	for i, e := range entries {
		if e.Kind == model.EventStepChanged && strings.Contains(e.Text, "waiting for DBA") {
			for _, later := range entries[i+1:] {
				if later.Kind == model.EventStepChanged && strings.Contains(strings.ToLower(later.Text), "reopen") {
					blockedThenOpen = true
				}
			}
		}
	}
	steps, _ := st.Steps(ctx, incA)
	for _, s := range steps {
		if s.Runbook == rb.Name && s.Step == step.Index && s.State != model.StepOpen {
			t.Errorf("step %d is %s after u, want open", s.Step+1, s.State)
		}
	}
	if !blockedThenOpen {
		t.Errorf("no blocked-then-reopened entries for step %d in the timeline", step.Index+1)
	}
	in, _ := st.Incident(ctx, incA)
	if in.Severity != model.SEV2 {
		t.Errorf("severity %s after V 2, want SEV2", in.Severity)
	}
}

// TestHelpScrollStopsAtEnds: the help page stops at either end, so after
// G one k shows a line above at once, and k past the top is not owed back.
func TestHelpScrollStopsAtEnds(t *testing.T) {
	c := newClock()
	d := newDriver(t, Options{Store: openStore(t, c, "alice@laptop"), Now: c.Now}, 60, 20)
	d.press("?", "k", "k", "j")
	if v := d.view(); !strings.Contains(v, "· 1 above ·") {
		t.Fatalf("k at the top then j: want 1 above, got\n%s", v)
	}
	d.press("G")
	last := d.app().helpTop
	if v := d.view(); !strings.Contains(v, "· 0 below") {
		t.Fatalf("G: want 0 below, got\n%s", v)
	}
	d.press("k")
	if v := d.view(); !strings.Contains(v, "· 1 below") || d.app().helpTop != last-1 {
		t.Fatalf("G then k: want 1 below, got\n%s", v)
	}
}

// q on a filtered list clears the filter first; only then does it quit.
func TestQuitFromFilteredList(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	d := newDriver(t, Options{Store: st, Now: c.Now, SearchDelay: -1}, 120, 40)
	d.press("/")
	d.typeText("checkout")
	d.press("enter", "q")
	if l := d.app().list; d.quit || l.filtered() {
		t.Fatalf("q on a filtered list: quit %v, filter %q", d.quit, d.app().list.searchText)
	}
	d.press("q")
	if !d.quit {
		t.Error("q on the unfiltered list did not quit")
	}
}

// TestAmendAndRetractKeys: e corrects the selected note, X withdraws it;
// entries that are not notes are refused with a word why.
func TestAmendAndRetractKeys(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	note := mustAppend(t, st, model.Change{IncidentID: incA, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "Rolled back 4821"}})
	d := newDriver(t, Options{Store: st, Now: c.Now, Incident: incA}, 120, 40)
	d.press("G", "e")
	p := d.app().slot.prompt()
	if p == nil || p.input.Value() != "Rolled back 4821" {
		t.Fatalf("e on a note: prompt %+v", p)
	}
	d.press("backspace", "backspace", "backspace", "backspace")
	d.typeText("4812")
	d.press("enter")
	entries, err := st.Timeline(context.Background(), incA, storage.TimelinePage{})
	if err != nil {
		t.Fatal(err)
	}
	var amended model.TimelineEntry
	for _, e := range entries {
		if e.EventID == note.ID {
			amended = e
		}
	}
	if amended.Text != "Rolled back 4812" || amended.AmendedBy == "" {
		t.Fatalf("after amending: %+v", amended)
	}
	// The amendment is an entry of its own, now the newest: not a note.
	d.press("G", "e")
	if d.app().slot.prompt() != nil || !strings.Contains(d.view(), "Only notes") {
		t.Errorf("e on the amendment entry opened %+v", d.app().slot.prompt())
	}
	d.press("esc", "k", "X")
	d.typeText("wrong incident")
	d.press("enter")
	if r, err := st.ResolveEntry(context.Background(), incA, note.ID); err != nil || !r.Retracted {
		t.Errorf("after X: %+v %v", r, err)
	}
}

// TestAttachRunbookMidIncident: A offers the library's runbooks for the
// incident's kind that are not attached yet, and attaches the one picked.
func TestAttachRunbookMidIncident(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	lib := bundled(t)
	seed(t, st, c, lib)
	d := newDriver(t, Options{Store: st, Library: lib, Respond: service(st, c, lib), Now: c.Now, Incident: incA}, 120, 40)
	before, _ := st.Attachments(context.Background(), incA)
	d.press("A")
	p := d.app().slot.picker()
	if p == nil || p.kind != pickRunbook || len(p.options) == 0 {
		t.Fatalf("A opened %+v", p)
	}
	for _, o := range p.options {
		for _, b := range before {
			if o.Label == b.Name {
				t.Errorf("%s is offered but attached already", o.Label)
			}
		}
	}
	name := p.options[0].Label
	d.press("enter")
	after, err := st.Attachments(context.Background(), incA)
	if err != nil || len(after) != len(before)+1 {
		t.Fatalf("attachments %d -> %d (%v)", len(before), len(after), err)
	}
	if v := d.view(); !strings.Contains(v, "Attached the "+name+" runbook") || strings.Contains(v, "2 shows its steps") {
		t.Errorf("no word of the attachment, or a wrong one:\n%s", v)
	}
	// The message said "2 shows its steps", but 2 showed the first runbook
	// still: the one attached is shown now.
	if a := d.app(); a.focus != paneStepper || a.stepper.current() == nil || a.stepper.current().Name != name {
		t.Errorf("after attaching %s: focus %d, stepper on %+v", name, a.focus, a.stepper.current())
	}
	// A list longer than the screen shows a window around the selection.
	long := &picker{title: "Attach a runbook"}
	for i := 1; i <= 20; i++ {
		long.options = append(long.options, pickerOption{Label: "runbook-" + strconv.Itoa(100 + i)[1:], Meaning: "m"})
	}
	long.sel = 15
	v := strings.Join(long.view(NewStyles(asciiRenderer()), 60, 9), "\n")
	if !strings.Contains(v, "runbook-16") || strings.Contains(v, "runbook-01") || !strings.Contains(v, "of 20") {
		t.Errorf("a 20-item picker in 9 rows, 16th selected:\n%s", v)
	}
}

// A pasted block keeps its lines in the note saved; the one-line input
// shows them as ↵.
func TestPastedLinesKept(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	d := newDriver(t, Options{Store: st, Now: c.Now, Incident: incA}, 120, 40)
	d.press("n")
	d.typeText("pods:")
	d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("\r\napi-7f9 CrashLoopBackOff\r\napi-2c1 Running\r\n"), Paste: true})
	if v := d.app().slot.prompt().input.Value(); v != "pods:↵api-7f9 CrashLoopBackOff↵api-2c1 Running↵" {
		t.Fatalf("note line %q", v)
	}
	d.press("enter")
	entries, err := st.Timeline(context.Background(), incA, storage.TimelinePage{})
	if err != nil {
		t.Fatal(err)
	}
	if last := entries[len(entries)-1].Text; last != "pods:\napi-7f9 CrashLoopBackOff\napi-2c1 Running" {
		t.Errorf("saved %q", last)
	}
}
