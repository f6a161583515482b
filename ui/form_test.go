package ui

import (
	"context"
	"strings"
	"testing"
	"time"
)

// The declare form's "when" records an incident after the fact: empty is
// now; a time in the past dates the declaration (and so acknowledged);
// one ahead of now is refused on the field, by the rule 'declare --at'
// follows, and nothing is declared until it is put right.
func TestDeclareFormWhen(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	lib := bundled(t)
	d := newDriver(t, Options{Store: st, Library: lib, Respond: service(st, c, lib), Now: c.Now}, 120, 40)
	ctx := context.Background()

	d.press("N")
	d.typeText("Disk full on db-3")
	d.press("tab", "tab", "tab", "tab") // severity, kind, exercise, when
	if f := d.app().slot.form(); f == nil || f.field != fieldWhen {
		t.Fatalf("four tabs did not reach the when field")
	}
	if v := d.view(); !strings.Contains(v, "When") || !strings.Contains(v, "now (or 14:02 UTC") {
		t.Errorf("the form does not show its when field:\n%s", v)
	}
	d.typeText("2026-03-16 09:00")
	d.press("enter")
	f := d.app().slot.form()
	if f == nil {
		t.Fatal("a declaration two days ahead was accepted")
	}
	if !strings.Contains(f.err, "in the future") || f.field != fieldWhen {
		t.Errorf("error %q on field %d; want it refused as in the future, on the when field", f.err, f.field)
	}
	if list, _ := st.Incidents(ctx); len(list) != 0 {
		t.Fatalf("declared %d incidents from a refused form", len(list))
	}

	for range "2026-03-16 09:00" {
		d.press("backspace")
	}
	d.typeText("2026-03-13 22:15")
	d.press("enter")
	a := d.app()
	if a.slot.form() != nil {
		t.Fatalf("form still open: %q", a.slot.form().err)
	}
	in, err := st.Incident(ctx, a.incID)
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 3, 13, 22, 15, 0, 0, time.UTC)
	if !in.DeclaredAt.Equal(want) || !in.Milestones.Acknowledged.Equal(want) || !in.Milestones.Detected.Equal(want) {
		t.Errorf("declared %v, acknowledged %v, detected %v; want all %v", in.DeclaredAt, in.Milestones.Acknowledged, in.Milestones.Detected, want)
	}
	tl := a.timeline.entries
	if len(tl) == 0 || !tl[0].Occurred.Equal(want) || !tl[0].Late() {
		t.Errorf("the declaration is not first at 22:15 with its logged time: %+v", tl)
	}
}
