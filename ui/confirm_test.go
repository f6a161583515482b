package ui

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/model"
)

func holders(t *testing.T, d *driver, id string) map[model.Role]string {
	t.Helper()
	roles, err := d.app().st.Roles(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	out := map[model.Role]string{}
	for _, r := range roles {
		out[r.Role] = r.Holder
	}
	return out
}

// TestRefusalHoldsTypedText: X on an entry that cannot be retracted
// refuses; the reason typed straight after it must not run as keys. It
// did: the r of "wrong incident" opened the role input and made
// "alice@laptopong incident" the Incident Commander.
func TestRefusalHoldsTypedText(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	d := newDriver(t, Options{Store: st, Now: c.Now, Incident: incA}, 160, 48)
	before := holders(t, d, incA)
	d.press("g", "X") // the declaration: not a note
	if d.app().slot.notice() == nil || d.app().slot.prompt() != nil {
		t.Fatalf("X on the declaration: notice %v, prompt %v", d.app().slot.notice(), d.app().slot.prompt())
	}
	// Typed one key at a time, and as tmux delivers it: in one burst.
	d.typeText("wrong ")
	d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("incident")})
	if v := d.view(); !strings.Contains(v, `Not run as keys: "wrong incident"`) {
		t.Errorf("the held text is not shown:\n%s", v)
	}
	d.press("enter")
	if a := d.app(); a.slot.notice() != nil || a.slot.prompt() != nil {
		t.Fatalf("after enter: notice %v, prompt %+v", a.slot.notice(), a.slot.prompt())
	}
	if after := holders(t, d, incA); !maps.Equal(before, after) {
		t.Errorf("roles changed: %v, were %v", after, before)
	}
	// Left alone, a notice goes by itself.
	d.press("g", "X")
	c.Add(5 * noticeLife)
	d.send(tickMsg{})
	if d.app().slot.notice() != nil {
		t.Error("an untouched notice stayed")
	}
}

// TestRoleInputStartsEmpty: r asks with the holder and you as hints, not
// as text typed already; ctrl+o fills you in. Taking command from someone
// else asks first; n goes back to the input with the name kept.
func TestRoleInputStartsEmpty(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "carol@ops")
	seed(t, st, c, bundled(t))
	d := newDriver(t, Options{Store: st, Now: c.Now, Incident: incA}, 160, 48)
	d.press("3", "j", "r") // the scribe, held by bob
	p := d.app().slot.prompt()
	if p == nil || p.kind != promptAssign || p.role != model.RoleScribe {
		t.Fatalf("r: prompt %+v", p)
	}
	if p.input.Value() != "" || !strings.Contains(p.input.Placeholder, "now bob@desk") || !strings.Contains(p.input.Placeholder, "carol@ops") {
		t.Errorf("role input starts %q, hints %q", p.input.Value(), p.input.Placeholder)
	}
	d.press("ctrl+o")
	if v := d.app().slot.prompt().input.Value(); v != "carol@ops" {
		t.Errorf("ctrl+o filled in %q", v)
	}
	d.press("enter")
	if h := holders(t, d, incA)[model.RoleScribe]; h != "carol@ops" {
		t.Errorf("scribe %q after ctrl+o enter", h)
	}

	// Command, held by alice: typing bob and enter asks.
	d.press("g", "r")
	d.typeText("bob@desk")
	d.press("enter")
	if d.app().slot.confirm() == nil || !strings.Contains(d.view(), "Hand Incident Commander from alice@laptop over to bob@desk?") {
		t.Fatalf("no question before taking command:\n%s", d.view())
	}
	d.press("n")
	if p := d.app().slot.prompt(); p == nil || p.input.Value() != "bob@desk" || p.saving {
		t.Fatalf("n: prompt %+v", p)
	}
	if h := holders(t, d, incA)[model.RoleCommander]; h != "alice@laptop" {
		t.Fatalf("commander %q after n", h)
	}
	d.press("enter", "y")
	if h := holders(t, d, incA)[model.RoleCommander]; h != "bob@desk" {
		t.Errorf("commander %q after y", h)
	}
}

// TestResolveAndSeverityAsk: resolving with steps open or blocked, and any
// change of severity, take a y; n or esc leaves the incident as it was,
// and other keys run nothing.
func TestResolveAndSeverityAsk(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	d := newDriver(t, Options{Store: st, Now: c.Now, Incident: incA}, 160, 48)
	ctx := context.Background()
	resolved := strconv.Itoa(slices.Index(model.Statuses, model.StatusResolved) + 1)
	d.press("S", resolved)
	if v := d.view(); d.app().slot.confirm() == nil || !strings.Contains(v, "Resolve with") || !strings.Contains(v, "1 blocked?") {
		t.Fatalf("no question before resolving:\n%s", v)
	}
	d.typeText("q") // held: does not leave the incident
	d.press("esc")
	if in, _ := st.Incident(ctx, incA); in.Status == model.StatusResolved || d.app().screen != screenIncident {
		t.Fatalf("status %s, screen %d after esc", in.Status, d.app().screen)
	}
	d.press("V", "3")
	if !strings.Contains(d.view(), "Change severity from SEV1 to SEV3?") {
		t.Fatalf("no question before the severity change:\n%s", d.view())
	}
	d.press("enter")
	d.press("S", resolved, "y")
	in, _ := st.Incident(ctx, incA)
	if in.Severity != model.SEV3 || in.Status != model.StatusResolved {
		t.Errorf("after confirming: %s %s", in.Severity, in.Status)
	}
}
