package ui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"
)

// The mouse: the wheel scrolls what is under the pointer (a pane of the
// incident view, the list, help), a click focuses the pane under it and
// selects the step, role or incident clicked; a click on the incident
// already selected opens it. Terminals select text with shift held while
// the program takes the mouse (option in iTerm2).

// wheelLines is how far one notch of the wheel moves.
const wheelLines = 3

func (a App) onMouse(msg tea.MouseMsg) (App, tea.Cmd) {
	if a.slot.confirm() != nil || a.slot.notice() != nil || a.slot.form() != nil || a.slot.picker() != nil || a.slot.comms() != nil {
		return a, nil
	}
	wheel := 0
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		wheel = -1
	case tea.MouseButtonWheelDown:
		wheel = 1
	case tea.MouseButtonLeft:
		if msg.Action != tea.MouseActionPress {
			return a, nil
		}
	default:
		return a, nil
	}
	onPanes := a.screen == screenIncident && !a.help && a.slot.review() == nil && a.slot.stats() == nil && !(a.drill.panel && a.drill.x != nil)
	if wheel != 0 && !onPanes {
		// Elsewhere the wheel is the arrow keys, for whatever is on screen
		// (help, the list, the review's sections, the stats).
		k := tea.KeyMsg{Type: tea.KeyDown}
		if wheel < 0 {
			k = tea.KeyMsg{Type: tea.KeyUp}
		}
		var cmds []tea.Cmd
		for range wheelLines {
			var c tea.Cmd
			a, c = a.handleKey(k)
			cmds = append(cmds, c)
		}
		return a, tea.Batch(cmds...)
	}
	if wheel == 0 && a.screen == screenList && !a.help && a.slot.stats() == nil {
		return a.clickList(msg.Y)
	}
	if !onPanes || a.slot.prompt() != nil && wheel == 0 {
		return a, nil
	}
	p, r, ok := a.paneAt(msg.X, msg.Y)
	if !ok {
		return a, nil
	}
	if wheel != 0 {
		k := tea.KeyMsg{Type: tea.KeyDown}
		if wheel < 0 {
			k = tea.KeyMsg{Type: tea.KeyUp}
		}
		var cmd tea.Cmd
		for range wheelLines {
			cmd = a.paneKey(p, k)
		}
		return a, cmd
	}
	a.focus = p
	row := msg.Y - r.Y - 1 // the box's inner rows
	switch p {
	case paneStepper:
		a.stepper.clickRow(row)
	case paneRACI:
		rb, st, has := a.stepper.selected()
		a.raci.clickRow(row, len(a.raci.stepSection(rb, st, has, max(a.raci.w-2, 0))))
	}
	return a, nil
}

// paneAt is the pane drawn at x, y, and its rectangle. In tab mode a click
// on the tabs line picks the tab.
func (a *App) paneAt(x, y int) (pane, rect, bool) {
	l := computeLayout(a.w, a.h)
	in := func(r rect) bool { return x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H }
	switch l.Mode {
	case modeWide, modeSplit:
		for p, r := range map[pane]rect{paneTimeline: l.Timeline, paneStepper: l.Stepper, paneRACI: l.RACI} {
			if in(r) {
				return p, r, true
			}
		}
	case modeTabs:
		if y == l.Body.Y {
			at := 0
			for p := pane(0); p < paneCount; p++ {
				w := lineW(fmt.Sprintf(" %d %s ", p+1, paneNames[p])) + 1 // and the bar
				if x >= at && x < at+w {
					return p, l.Timeline, true
				}
				at += w
			}
			return 0, rect{}, false
		}
		if in(l.Timeline) {
			return a.focus, l.Timeline, true
		}
	}
	return 0, rect{}, false
}

// paneKey gives a key to pane p, focused or not, as the focused pane
// would take it.
func (a *App) paneKey(p pane, msg tea.KeyMsg) tea.Cmd {
	switch p {
	case paneTimeline:
		var cmd tea.Cmd
		a.timeline, cmd = a.timeline.Update(msg)
		return cmd
	case paneStepper:
		var cmd tea.Cmd
		a.stepper, cmd = a.stepper.Update(msg)
		return cmd
	case paneRACI:
		var cmd tea.Cmd
		a.raci, cmd = a.raci.Update(msg)
		return cmd
	}
	return nil
}

// clickList selects the incident on screen row y; a click on the one
// selected already opens it.
func (a App) clickList(y int) (App, tea.Cmd) {
	const above = 3 // the app's header, the list's title and filter lines
	r := a.list.top + y - above
	if y < above || r < a.list.top || r >= a.list.top+a.list.bodyHeight() {
		return a, nil
	}
	active, past := a.list.counts()
	if r >= a.list.rowCount(active, past) {
		return a, nil
	}
	row := a.list.rowAt(r, active, past)
	if row.idx < 0 {
		return a, nil
	}
	if row.idx == a.list.sel {
		return a, a.open(a.list.items()[row.idx].ID)
	}
	a.list.selectRow(row.idx)
	return a, nil
}
