package cli

import (
	"context"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/sitrep-dev/sitrep/clipboard"
	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/respond"
	"github.com/sitrep-dev/sitrep/storage"
	"github.com/sitrep-dev/sitrep/ui"
)

// cockpit drives the real cockpit model with keys, running every command
// it returns and feeding the answer back, as Bubble Tea would.
type cockpit struct {
	t *testing.T
	m tea.Model
}

func newCockpit(t *testing.T, st *storage.Store, incident string) *cockpit {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	c := &cockpit{t: t, m: ui.New(ui.Options{
		Store: st, Respond: respond.New(st, respond.Options{}), Incident: incident, Renderer: r, Poll: -1, DraftDelay: -1,
		Copy: func(context.Context, string) (clipboard.Result, error) { return clipboard.Result{}, nil },
	})}
	c.run(c.m.Init())
	c.send(tea.WindowSizeMsg{Width: 140, Height: 40})
	return c
}

func (c *cockpit) send(msg tea.Msg) {
	var cmd tea.Cmd
	c.m, cmd = c.m.Update(msg)
	c.run(cmd)
}

func (c *cockpit) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-ch:
	case <-time.After(30 * time.Second):
		c.t.Fatalf("a cockpit command did not answer in 30 s")
	}
	switch msg := msg.(type) {
	case nil, tea.QuitMsg:
	case tea.BatchMsg:
		for _, cmd := range msg {
			c.run(cmd)
		}
	default:
		c.send(msg)
	}
}

// keys presses keys; "enter" is enter, anything else is typed.
func (c *cockpit) keys(keys ...string) {
	for _, k := range keys {
		if k == "enter" {
			c.send(tea.KeyMsg{Type: tea.KeyEnter})
			continue
		}
		for _, r := range k {
			c.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		}
	}
}

// roleChanges are the role events of an incident as the timeline says
// them, with their authors: what two front ends doing the same must
// leave alike.
func roleChanges(t *testing.T, st *storage.Store, id string) []string {
	t.Helper()
	entries, err := st.Timeline(context.Background(), id, storage.TimelinePage{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.Kind == model.EventRoleAssigned {
			out = append(out, e.Author+": "+e.Text)
		}
	}
	return out
}

// TestReleaseUnheldRoleAlikeInCLIAndCockpit: releasing a role nobody
// holds is refused by both front ends with the same sentence, and taking
// then releasing it records the same events through either. The CLI used
// to record the release of a role nobody held.
func TestReleaseUnheldRoleAlikeInCLIAndCockpit(t *testing.T) {
	viaCLI := newCLI(t)
	cliID := strings.TrimSpace(viaCLI.ok("declare", "--title", "Queue backlog", "--sev", "2", "--kind", "outage"))
	viaCLI.fails(1, "nobody holds Scribe", "assign", cliID, "scribe", "")
	viaCLI.ok("assign", cliID, "scribe", "bob@desk")
	viaCLI.ok("assign", cliID, "scribe", "")

	viaUI := viaCLI.as("cockpit")
	uiShort := strings.TrimSpace(viaUI.ok("declare", "--title", "Queue backlog", "--sev", "2", "--kind", "outage"))
	st, err := (&session{dbPath: viaUI.db, now: time.Now}).openStore(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	in, err := st.ResolveIncident(context.Background(), uiShort)
	if err != nil {
		t.Fatal(err)
	}
	c := newCockpit(t, st, in.ID)
	c.keys("3", "j", "r", "enter") // the RACI panel, Scribe, assign nobody
	if v := c.m.View(); !strings.Contains(v, "nobody holds Scribe") {
		t.Fatalf("the cockpit does not refuse releasing an unheld Scribe:\n%s", v)
	}
	c.send(tea.KeyMsg{Type: tea.KeyEscape})
	c.keys("r", "bob@desk", "enter", "r", "enter")

	cliStore := viaCLI.store()
	cliIn, err := cliStore.ResolveIncident(context.Background(), cliID)
	if err != nil {
		t.Fatal(err)
	}
	cliSide, cockpitSide := roleChanges(t, cliStore, cliIn.ID), roleChanges(t, st, in.ID)
	want := []string{"alice@laptop: Incident Commander taken by alice@laptop", "alice@laptop: Scribe taken by bob@desk", "alice@laptop: Scribe released by bob@desk"}
	if !slices.Equal(cliSide, want) || !slices.Equal(cockpitSide, want) {
		t.Errorf("role events:\nCLI     %q\ncockpit %q\nwant    %q", cliSide, cockpitSide, want)
	}
}

// store opens the CLI's store for a test to read.
func (c *cli) store() *storage.Store {
	c.t.Helper()
	st, err := (&session{dbPath: c.db, now: time.Now}).openStore(context.Background())
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { st.Close() })
	return st
}
