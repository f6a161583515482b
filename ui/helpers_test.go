package ui

import (
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	gosync "sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/sitrep-dev/sitrep/clipboard"
	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/respond"
	"github.com/sitrep-dev/sitrep/runbooks"
	"github.com/sitrep-dev/sitrep/storage"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestMain(m *testing.M) {
	// bubbles' inputs draw with lipgloss's default renderer: keep it
	// colourless too, so goldens hold plain text.
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

// t0 is the fixed start of every test's clock.
var t0 = time.Date(2026, 3, 14, 2, 30, 0, 0, time.UTC)

// clock is a test clock that moves only when told.
type clock struct {
	mu gosync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: t0} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// openStore opens a real store in a temp dir, on the test clock.
func openStore(t testing.TB, c *clock, author string) *storage.Store {
	t.Helper()
	st, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "sitrep.db"), storage.Options{Author: author, Now: c.Now})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func asciiRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	r.SetHasDarkBackground(true)
	return r
}

func bundled(t testing.TB) *runbooks.Library {
	t.Helper()
	lib, _, err := runbooks.Load(nil)
	if err != nil {
		t.Fatalf("load bundled runbooks: %v", err)
	}
	return lib
}

// attachDraft is the event that attaches a bundled runbook, as `sitrep
// attach` writes it.
func attachDraft(t testing.TB, lib *runbooks.Library, incident, name string) model.Change {
	t.Helper()
	rb, err := lib.Runbook(name)
	if err != nil {
		t.Fatalf("runbook %s: %v", name, err)
	}
	p, err := rb.Attachment()
	if err != nil {
		t.Fatalf("attachment %s: %v", name, err)
	}
	return model.Change{IncidentID: incident, Kind: model.EventRunbookAttached, Payload: p}
}

// service is what a responder can do on st, with lib as the runbook
// library: the one the CLI builds, not a copy of its rules.
func service(st *storage.Store, c *clock, lib *runbooks.Library) *respond.Service {
	return respond.New(st, respond.Options{Library: func() (*runbooks.Library, string) { return lib, "" }, Now: c.Now})
}

func mustAppend(t testing.TB, st *storage.Store, d model.Change) model.Event {
	t.Helper()
	e, err := st.Append(context.Background(), d)
	if err != nil {
		t.Fatalf("append %s: %v", d.Kind, err)
	}
	return e
}

// Fixed ids, so goldens do not change from run to run.
const (
	incA = "a1b2c3d4-0000-4000-8000-000000000001"
	incB = "b2c3d4e5-0000-4000-8000-000000000002"
	incC = "c3d4e5f6-0000-4000-8000-000000000003"
)

// seed fills a store with a working incident (runbook attached, steps
// done, skipped and blocked, notes of every kind, roles), an exercise and
// a resolved one. The clock moves a minute between events.
func seed(t testing.TB, st *storage.Store, c *clock, lib *runbooks.Library) {
	t.Helper()
	step := func(d model.Change) { c.Add(time.Minute); mustAppend(t, st, d) }
	step(model.Change{IncidentID: incC, Kind: model.EventDeclared, Payload: model.DeclaredPayload{Title: "Stale DNS cache after registrar change", Kind: "outage", Severity: model.SEV3, Status: model.StatusInvestigating}})
	step(model.Change{IncidentID: incC, Kind: model.EventStatusChanged, Payload: model.StatusPayload{Status: model.StatusResolved, From: model.StatusInvestigating}})
	step(model.Change{IncidentID: incB, Kind: model.EventDeclared, Payload: model.DeclaredPayload{Title: "Game day: primary database failover", Kind: "outage", Severity: model.SEV2, Status: model.StatusInvestigating, Exercise: true}})
	step(model.Change{IncidentID: incA, Kind: model.EventDeclared, Payload: model.DeclaredPayload{Title: "Checkout returns 500 for EU customers", Kind: "outage", Severity: model.SEV1, Status: model.StatusInvestigating}})
	step(model.Change{IncidentID: incA, Kind: model.EventRoleAssigned, Payload: model.RoleAssignedPayload{Role: model.RoleCommander, Holder: "alice@laptop"}})
	step(attachDraft(t, lib, incA, "major-incident"))
	step(model.Change{IncidentID: incA, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "Error rate at 38% on the EU edge since 02:14; US looks fine."}})
	step(model.Change{IncidentID: incA, Kind: model.EventStepChanged, Payload: model.StepPayload{Runbook: "major-incident", Step: 0, Title: "Acknowledge the page", State: model.StepDone}})
	step(model.Change{IncidentID: incA, Kind: model.EventStepChanged, Payload: model.StepPayload{Runbook: "major-incident", Step: 1, Title: "Confirm the signal is real", State: model.StepDone}})
	step(model.Change{IncidentID: incA, Kind: model.EventRoleAssigned, Payload: model.RoleAssignedPayload{Role: model.RoleScribe, Holder: "bob@desk"}})
	step(model.Change{IncidentID: incA, Kind: model.EventStepChanged, Payload: model.StepPayload{Runbook: "major-incident", Step: 2, Title: "Collect user reports", State: model.StepSkipped, Reason: "support queue is empty at this hour"}})
	step(model.Change{IncidentID: incA, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindDecision, Text: "Roll back deploy 4812 on checkout-eu."}})
	step(model.Change{IncidentID: incA, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindAction, Text: "Bob: add an alert on EU edge 5xx rate."}})
	step(model.Change{IncidentID: incA, Kind: model.EventStepChanged, Payload: model.StepPayload{Runbook: "major-incident", Step: 3, Title: "Decide whether this is a major incident", State: model.StepBlocked, Reason: "waiting for the EU traffic numbers"}})
	c.Add(7 * time.Minute)
}

// driver runs an App the way Bubble Tea would, but synchronously: every
// command a message returns is run and its message fed back, so a test
// sees the state after all the I/O a key started.
type driver struct {
	t    testing.TB
	m    tea.Model
	quit bool
}

func newDriver(t testing.TB, opts Options, w, h int) *driver {
	t.Helper()
	if opts.Renderer == nil {
		opts.Renderer = asciiRenderer()
	}
	opts.Poll = -1
	if opts.DraftDelay == 0 {
		opts.DraftDelay = -1 // drafts written at every key: no timers in tests
	}
	if opts.Copy == nil {
		opts.Copy = func(context.Context, string) (clipboard.Result, error) { return clipboard.Result{OSC52: true}, nil }
	}
	d := &driver{t: t, m: New(opts)}
	d.run(d.m.Init())
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	return d
}

func (d *driver) app() *App { a := d.m.(App); return &a }

func (d *driver) send(msg tea.Msg) {
	d.t.Helper()
	var cmd tea.Cmd
	d.m, cmd = d.m.Update(msg)
	d.run(cmd)
}

// run executes a command and feeds its messages back in. Tests run with
// polling off and no typing delay, so no command is a timer: one that does
// not answer in time is a hang, and fails the test.
func (d *driver) run(cmd tea.Cmd) {
	d.t.Helper()
	if cmd == nil {
		return
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-ch:
	case <-time.After(30 * time.Second):
		d.t.Fatalf("a command did not answer in 30 s")
	}
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			d.run(c)
		}
	case tea.QuitMsg:
		d.quit = true
	default:
		d.send(msg)
	}
}

// keyMsg turns a key name as the keymap spells it into a key press.
func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEscape}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "ctrl+s":
		return tea.KeyMsg{Type: tea.KeyCtrlS}
	case "ctrl+y":
		return tea.KeyMsg{Type: tea.KeyCtrlY}
	case "ctrl+u":
		return tea.KeyMsg{Type: tea.KeyCtrlU}
	case "ctrl+o":
		return tea.KeyMsg{Type: tea.KeyCtrlO}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "pgup":
		return tea.KeyMsg{Type: tea.KeyPgUp}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "space", " ":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// press sends keys, each by its name.
func (d *driver) press(keys ...string) {
	d.t.Helper()
	for _, k := range keys {
		d.send(keyMsg(k))
	}
}

// typeText types text one rune at a time.
func (d *driver) typeText(text string) {
	d.t.Helper()
	for _, r := range text {
		if r == ' ' {
			d.send(keyMsg(" "))
			continue
		}
		d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

func (d *driver) view() string { return d.m.View() }

func resize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }
