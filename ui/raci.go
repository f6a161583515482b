package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/model"
)

// raciPanel shows the incident's roles and who holds each, and who is
// Responsible, Accountable, Consulted and Informed for the selected step.
type raciPanel struct {
	styles *Styles
	keys   *keyMap
	w, h   int

	holders map[model.Role]model.RoleHolder
	roles   []model.Role // rows, in the order shown
	titles  map[model.Role]string
	sel     int
	top     int
}

func newRACIPanel(s *Styles, k *keyMap) raciPanel {
	return raciPanel{styles: s, keys: k, holders: map[model.Role]model.RoleHolder{}, titles: map[model.Role]string{}}
}

func (r *raciPanel) SetSize(w, h int) { r.w, r.h = w, h }

func (r *raciPanel) reset() { *r = newRACIPanel(r.styles, r.keys) }

// setData takes the role holders and the attached runbooks, whose own roles
// join the standard ones.
func (r *raciPanel) setData(holders []model.RoleHolder, runbooks []attachedRunbook) {
	var selRole model.Role
	if role, ok := r.selected(); ok {
		selRole = role
	}
	r.holders = make(map[model.Role]model.RoleHolder, len(holders))
	for _, h := range holders {
		r.holders[h.Role] = h
	}
	r.titles = map[model.Role]string{}
	seen := map[model.Role]bool{}
	r.roles = r.roles[:0]
	add := func(role model.Role) {
		if !seen[role] && role != "" {
			seen[role] = true
			r.roles = append(r.roles, role)
		}
	}
	for _, role := range model.StandardRoles {
		add(role)
	}
	for _, rb := range runbooks {
		if rb.Runbook == nil {
			continue
		}
		for _, role := range rb.Runbook.Roles {
			add(role)
			r.titles[role] = rb.Runbook.RoleTitle(role)
		}
		for _, st := range rb.Runbook.Steps() {
			for _, role := range st.RACI.Roles() {
				add(role)
			}
		}
	}
	for _, h := range holders {
		add(h.Role)
	}
	r.sel = 0
	for i, role := range r.roles {
		if role == selRole {
			r.sel = i
		}
	}
}

func (r *raciPanel) title(role model.Role) string {
	if t, ok := r.titles[role]; ok && t != "" {
		return model.OneLine(t)
	}
	return model.OneLine(role.Title())
}

// selected is the role under the cursor: the one r assigns.
func (r *raciPanel) selected() (model.Role, bool) {
	if r.sel < 0 || r.sel >= len(r.roles) {
		return "", false
	}
	return r.roles[r.sel], true
}

func (r *raciPanel) holder(role model.Role) string {
	return model.OneLine(r.holders[role].Holder)
}

// Update moves through the roles. Its data comes with the incident's
// load (setData); it asks for nothing.
func (r raciPanel) Update(msg tea.Msg) (raciPanel, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		r.key(k)
	}
	return r, nil
}

func (r *raciPanel) key(msg tea.KeyMsg) {
	k := r.keys
	switch {
	case key.Matches(msg, k.Up):
		r.sel--
	case key.Matches(msg, k.Down):
		r.sel++
	case key.Matches(msg, k.Top), key.Matches(msg, k.PageUp):
		r.sel = 0
	case key.Matches(msg, k.Bottom), key.Matches(msg, k.PageDown):
		r.sel = len(r.roles) - 1
	}
	r.sel = min(max(r.sel, 0), max(len(r.roles)-1, 0))
}

func (r raciPanel) ShortHelp() []key.Binding {
	k := r.keys
	return []key.Binding{k.Assign, k.Up, k.Down, k.Status, k.Severity}
}

// listHeight is the rows the role list gets beside a step section of
// stepLines rows.
func (r *raciPanel) listHeight(stepLines int) int {
	h := max(r.h-2, 0)
	return max(h-stepLines-1, min(3, h))
}

// scroll keeps the selected role on screen, given the step section's size
// when it was last drawn.
func (r *raciPanel) scroll(stepLines int) {
	listH := r.listHeight(stepLines)
	if r.sel < r.top {
		r.top = r.sel
	}
	if r.sel >= r.top+listH {
		r.top = r.sel - listH + 1
	}
	r.top = max(min(r.top, len(r.roles)-listH), 0)
}

// View draws the pane; step is the stepper's selected step, if any.
func (r raciPanel) View(focused bool, rb *attachedRunbook, step model.Step, hasStep bool) []string {
	s := r.styles
	w, h := max(r.w-2, 0), max(r.h-2, 0)
	stepLines := r.stepSection(rb, step, hasStep, w)

	listH := r.listHeight(len(stepLines))
	r.scroll(len(stepLines)) // on View's copy: the step section may have changed
	top := r.top

	titleW := 0
	for _, role := range r.roles {
		titleW = max(titleW, len([]rune(r.title(role))))
	}
	// Role names take what they need, leaving a name's worth (13 cells,
	// "alice@laptop") for the holder: half the pane cut "Subject Matter
	// Expert" at 160 columns.
	titleW = min(titleW, max(w-13, w/2, 8))
	var lines []string
	for i := top; i < len(r.roles) && len(lines) < listH; i++ {
		role := r.roles[i]
		hd := r.holders[role]
		name := fit(clip(r.title(role), titleW), titleW)
		who := s.Author.Render(r.holder(role))
		if hd.Holder == "" {
			who = s.Faint.Render("—")
		}
		if len(hd.Clash) > 0 {
			who += " " + s.Error.Render("⚠ clash: also "+model.OneLine(strings.Join(hd.Clash, ", "))+" — r to settle")
		}
		line := " " + name + " " + who
		if i == r.sel {
			marker := "▸"
			if focused {
				line = s.Selected.Render(clip(marker+name, titleW+1)) + " " + who
			} else {
				line = marker + name + " " + who
			}
		}
		lines = append(lines, clip(line, w))
	}
	if len(lines) < h && len(stepLines) > 0 {
		lines = append(lines, s.Border.Render(strings.Repeat("─", w)))
		lines = append(lines, stepLines...)
	}
	return s.box("Roles · RACI", lines, r.w, r.h, focused)
}

// stepSection shows the selected step's RACI with who holds each role, and
// warns where the step breaks the one-Accountable rule or a role it needs
// has nobody.
func (r *raciPanel) stepSection(rb *attachedRunbook, step model.Step, ok bool, w int) []string {
	s := r.styles
	if !ok || rb == nil {
		if r.holders[model.RoleCommander].Holder == "" {
			return []string{s.Warn.Render(clip("⚠ nobody is Incident Commander: r to assign", w))}
		}
		return nil
	}
	raci := step.RACI
	lines := []string{s.Faint.Render(clip(fmt.Sprintf("Step %d RACI", step.Index+1), w))}
	// A runbook written without RACI annotations (most runbooks teams
	// bring) is not a mistake to flag on every step: four empty letters
	// and a warning would push the roles off a small screen.
	if raci.IsZero() {
		return append(lines, wrapStyled(s.Faint, "The runbook names no roles for this step.", w)...)
	}
	var nobody []model.Role
	seen := map[model.Role]bool{}
	for _, part := range []struct {
		letter string
		roles  []model.Role
	}{{"R", raci.Responsible}, {"A", raci.Accountable}, {"C", raci.Consulted}, {"I", raci.Informed}} {
		if len(part.roles) == 0 {
			lines = append(lines, s.Bold.Render(part.letter)+" "+s.Faint.Render("—"))
			continue
		}
		var names []string
		for _, role := range part.roles {
			t := r.title(role)
			if rb.Runbook != nil {
				t = model.OneLine(rb.Runbook.RoleTitle(role))
			}
			if hd := r.holder(role); hd != "" {
				names = append(names, t+" ("+s.Author.Render(hd)+")")
			} else {
				names = append(names, t+" "+s.Warn.Render("(nobody)"))
				if !seen[role] {
					seen[role] = true
					nobody = append(nobody, role)
				}
			}
		}
		lines = append(lines, clip(s.Bold.Render(part.letter)+" "+strings.Join(names, ", "), w))
	}
	if err := raci.Check(); err != nil {
		lines = append(lines, wrapStyled(s.Warn, "⚠ "+err.Error(), w)...)
	}
	for _, role := range nobody {
		lines = append(lines, s.Warn.Render(clip("⚠ nobody holds "+r.title(role), w)))
	}
	return lines
}

// clickRow selects the role drawn on the pane's inner row, under a step
// section stepLines tall.
func (r *raciPanel) clickRow(row, stepLines int) {
	if row >= 0 && row < r.listHeight(stepLines) && r.top+row < len(r.roles) {
		r.sel = r.top + row
	}
}
