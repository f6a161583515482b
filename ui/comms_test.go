package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/sitrep-dev/sitrep/clipboard"
	"github.com/sitrep-dev/sitrep/model"
)

// TestMessageFlow: m offers the templates; the one picked is filled from
// the incident into an editor; ctrl+y copies it; ctrl+s logs it as
// message.sent with the edits, and the header's cadence timer for that
// audience (the late internal update) starts again.
func TestMessageFlow(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	var copied []string
	d := newDriver(t, Options{Store: st, Now: c.Now, Cadence: model.DefaultCadence(),
		Copy: func(_ context.Context, s string) (clipboard.Result, error) {
			copied = append(copied, s)
			return clipboard.Result{OSC52: true}, nil
		}}, 120, 40)
	d.press("enter")
	header := func() string { return ansi.Strip(strings.Split(d.view(), "\n")[1]) }
	if h := header(); !strings.Contains(h, "internal update LATE") {
		t.Fatalf("the seeded SEV1 should be late for its first update: %q", h)
	}
	d.press("m")
	v := ansi.Strip(d.view())
	for _, tm := range model.MessageTemplates {
		if !strings.Contains(v, tm.Title) {
			t.Errorf("template %s not offered:\n%s", tm.Name, v)
		}
	}
	d.press("enter") // the internal update
	cs := d.app().slot.comms()
	if cs == nil || !cs.editing || cs.tmpl.Audience != model.AudienceInternal {
		t.Fatalf("enter did not open the internal update for editing: %+v", cs)
	}
	if !strings.Contains(cs.area.Value(), "Checkout returns 500 for EU customers") {
		t.Errorf("the notice is not filled from the incident:\n%s", cs.area.Value())
	}
	d.press("ctrl+y")
	if len(copied) != 1 || copied[0] != cs.area.Value() {
		t.Errorf("ctrl+y copied %q", copied)
	}
	d.typeText("Posted on the status page.")
	d.press("ctrl+s")
	msgs, err := st.Messages(context.Background(), incA)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || msgs[0].Audience != model.AudienceInternal || msgs[0].Template != "internal" ||
		!strings.Contains(msgs[0].Text, "Posted on the status page.") || !strings.Contains(msgs[0].Text, "Checkout returns 500") {
		t.Fatalf("logged %+v", msgs)
	}
	if d.app().slot.comms() != nil {
		t.Error("the message screen stayed open after logging")
	}
	for _, due := range model.UpdatesDue(d.app().inc, nil, msgs, model.DefaultCadence(), c.Now()) {
		if due.Audience == model.AudienceInternal && due.Late {
			t.Errorf("internal still late after the message: %+v", due)
		}
	}
	if h := header(); strings.Contains(h, "internal update LATE") {
		t.Errorf("header still says the internal update is late: %q", h)
	}
}
