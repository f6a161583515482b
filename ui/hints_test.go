package ui

import (
	"fmt"
	"strings"
	"testing"
)

// TestHelpStaysInTheFooter: "? help" and "q" end the footer's key line on
// every screen where they work, at every width: they dropped off in the
// runbook pane and the drill screens at 160 columns, and everywhere at 100.
func TestHelpStaysInTheFooter(t *testing.T) {
	store := newSeeded(t)
	setups := []struct {
		name  string
		setup func(d *driver)
	}{
		{"list", func(d *driver) {}},
		{"timeline", func(d *driver) { d.press("enter") }},
		{"runbook", func(d *driver) { d.press("enter", "2") }},
		{"raci", func(d *driver) { d.press("enter", "3") }},
		{"stats", func(d *driver) { d.press("T") }},
		{"review", func(d *driver) { d.press("enter", "R") }},
		{"drill", func(d *driver) { openDrill(d); d.press("2") }},
		{"facilitator", func(d *driver) { openDrill(d); d.press("O") }},
	}
	for _, sc := range setups {
		for _, w := range []int{60, 80, 100, 120, 160, 200} {
			t.Run(fmt.Sprintf("%s-%d", sc.name, w), func(t *testing.T) {
				d := store.driver(t, w, 30)
				sc.setup(d)
				lines := strings.Split(d.view(), "\n")
				last := strings.TrimRight(lines[len(lines)-1], " ")
				if !strings.HasSuffix(last, "? help · q back/quit") {
					t.Errorf("footer %q lacks ? help and q at its end", last)
				}
				if w >= 100 && len([]rune(lines[len(lines)-1])) != w {
					t.Errorf("footer is %d wide, want %d", len([]rune(lines[len(lines)-1])), w)
				}
			})
		}
	}
}

// TestHelpShowsThisScreenFirst: ? inside an incident starts with the keys
// of the focused pane, then the panes', and ends with those that work
// anywhere; the list's keys are not in it. It was one table of every key,
// list keys first.
func TestHelpShowsThisScreenFirst(t *testing.T) {
	store := newSeeded(t)
	d := store.driver(t, 60, 40)
	d.press("enter", "2", "?")
	v := d.view()
	row := func(v, title string) int {
		for i, l := range strings.Split(v, "\n") {
			if strings.TrimSpace(l) == title {
				return i
			}
		}
		return -1
	}
	runbook, panes := row(v, "Runbook"), row(v, "Panes")
	if !strings.Contains(v, "Keys: incident · Runbook") || runbook != 4 || panes < runbook { // header, title, blank line
		t.Errorf("help in the runbook pane does not start with its keys:\n%s", v)
	}
	if strings.Contains(v, "Incident list") || strings.Contains(v, "open incident") {
		t.Errorf("help inside an incident lists the list's keys:\n%s", v)
	}
	d.press("G") // to the end of help
	if v := d.view(); row(v, "Anywhere") < 0 {
		t.Errorf("no keys that work anywhere:\n%s", v)
	}
	d.press("esc", "esc", "?")
	if v := d.view(); !strings.Contains(v, "Keys: incident list") || !strings.Contains(v, "open incident") {
		t.Errorf("help on the list:\n%s", v)
	}
}
