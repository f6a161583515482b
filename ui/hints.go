package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
)

// Key hints: the footer's line of keys, and which sections help shows
// first. Both follow the screen on view, from the one keymap.

// hintLine draws bindings from the left and pinned at the right edge. Where
// the line is short the left hints go, last first, whole; the pinned ones
// (? help, q) stay at every width, so a newcomer can always find help and
// the way out.
func hintLine(s *Styles, left, pinned []key.Binding, w int) string {
	render := func(kb key.Binding) string {
		h := kb.Help()
		return s.Key.Render(h.Key) + " " + s.KeyDesc.Render(h.Desc)
	}
	sep := s.Faint.Render(" · ")
	sepW := lineW(sep)
	var right []string
	for _, kb := range pinned {
		if kb.Enabled() {
			right = append(right, render(kb))
		}
	}
	r := strings.Join(right, sep)
	rw := lineW(r)
	if rw >= w {
		return clip(r, w)
	}
	room := w - rw
	if rw > 0 {
		room -= sepW + 1 // keep a gap before the pinned keys
	}
	var parts []string
	used := 0
	for _, kb := range left {
		if !kb.Enabled() {
			continue
		}
		p := render(kb)
		pw := lineW(p)
		if len(parts) > 0 {
			pw += sepW
		}
		if used+pw > room {
			break
		}
		parts = append(parts, p)
		used += pw
	}
	l := strings.Join(parts, sep)
	if rw == 0 {
		return l
	}
	return l + strings.Repeat(" ", max(w-lineW(l)-rw, 0)) + r
}

// pinnedHints are the keys kept at the footer's right edge: help and the
// way back, wherever both work (not in inputs, pickers or the form, whose
// esc is in their own hints).
func (a App) pinnedHints() []key.Binding {
	k := a.keys
	switch {
	case a.help, a.slot.form() != nil, a.slot.picker() != nil, a.slot.comms() != nil:
		return nil
	case a.slot.review() != nil && a.slot.review().editing:
		return nil
	case a.screen == screenList && a.list.filtering:
		return nil
	}
	return []key.Binding{k.Help, k.Quit}
}

// without drops the bindings pinned from a pane's own list, so none shows
// twice.
func without(bs []key.Binding, drop []key.Binding) []key.Binding {
	out := bs[:0:0]
	for _, b := range bs {
		dup := false
		for _, d := range drop {
			if b.Help() == d.Help() {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, b)
		}
	}
	return out
}

// helpGroups are the help sections for the screen on view: its own keys
// first, then the ones that work anywhere, then those of inputs and
// pickers. The other screens' keys are on theirs (and in the README).
func (a App) helpGroups() (screen string, groups []helpGroup) {
	k := a.keys
	all := k.groups()
	byTitle := func(titles ...string) []helpGroup {
		var out []helpGroup
		for _, t := range titles {
			for _, g := range all {
				if g.Title == t {
					out = append(out, g)
				}
			}
		}
		return out
	}
	var titles []string
	switch {
	case a.slot.stats() != nil:
		screen, titles = "stats", []string{"Stats"}
	case a.screen == screenList:
		screen, titles = "incident list", []string{"Incident list"}
	case a.slot.review() != nil:
		screen, titles = "review", []string{"Review"}
	case a.slot.comms() != nil:
		screen, titles = "message", []string{"Message"}
	case a.drill.panel && a.drill.x != nil:
		screen, titles = "drill facilitator", []string{"Drill (facilitator)", "Panes"}
	default:
		panes := map[pane]string{paneTimeline: "Timeline", paneStepper: "Runbook", paneRACI: "RACI and incident"}
		screen = "incident · " + paneNames[a.focus]
		titles = []string{panes[a.focus], "Panes"}
		for p := pane(0); p < paneCount; p++ {
			if p != a.focus {
				titles = append(titles, panes[p])
			}
		}
		if a.drill.x != nil {
			titles = append(titles, "Drill (facilitator)")
		}
		if a.replay.on {
			titles = append([]string{"Replay (read-only)"}, titles...)
		} else {
			titles = append(titles, "Replay (read-only)")
		}
	}
	titles = append(titles, "Anywhere", "Inputs and pickers")
	return screen, byTitle(titles...)
}
