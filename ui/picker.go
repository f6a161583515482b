package ui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/model"
)

// pickerKind is what a picker chooses.
type pickerKind int

const (
	pickStatus pickerKind = iota
	pickSeverity
	pickScenario
	pickRunbook
	pickLink
)

type pickerOption struct {
	Label   string
	Meaning string
	Current bool
	Value   string // what choosing it gives, when not Label
}

// picker chooses one of a few values: an incident's status or severity.
// Digits pick directly; j/k and enter work too.
type picker struct {
	kind    pickerKind
	title   string
	options []pickerOption
	sel     int
}

func statusPicker(cur model.Status) *picker {
	p := &picker{kind: pickStatus, title: "Change status"}
	for i, s := range model.Statuses {
		p.options = append(p.options, pickerOption{Label: string(s), Meaning: s.Meaning(), Current: s == cur})
		if s == cur {
			p.sel = min(i+1, len(model.Statuses)-1) // the next stage is the usual choice
		}
	}
	return p
}

func severityPicker(cur model.Severity) *picker {
	p := &picker{kind: pickSeverity, title: "Change severity"}
	for i, s := range model.Severities {
		p.options = append(p.options, pickerOption{Label: s.String(), Meaning: s.Meaning(), Current: s == cur})
		if s == cur {
			p.sel = i
		}
	}
	return p
}

// Update moves or chooses; chosen is the picked index, or -1.
func (p *picker) Update(msg tea.KeyMsg, k *keyMap) (chosen int, cancel bool) {
	switch {
	case key.Matches(msg, k.Cancel), key.Matches(msg, k.Quit):
		return -1, true
	case key.Matches(msg, k.Up):
		p.sel = max(p.sel-1, 0)
	case key.Matches(msg, k.Down):
		p.sel = min(p.sel+1, len(p.options)-1)
	case key.Matches(msg, k.Submit):
		return p.sel, false
	default:
		if n, err := strconv.Atoi(msg.String()); err == nil && n >= 1 && n <= len(p.options) {
			p.sel = n - 1
			return p.sel, false
		}
	}
	return -1, false
}

// view draws the picker in at most h lines (h < 1: no limit). A list too
// long for them shows a window around the selection.
func (p picker) view(s *Styles, w, h int) []string {
	lines := []string{s.Title.Render(p.title), ""}
	first, last := 0, len(p.options)
	if fit := (h - 5) / 2; h > 0 && fit < len(p.options) { // title, blank, blank, hint, box borders
		fit = max(fit, 1)
		first = min(max(p.sel-fit/2, 0), len(p.options)-fit)
		last = first + fit
	}
	for i := first; i < last; i++ {
		o := p.options[i]
		label := fmt.Sprintf("%d %-14s", i+1, model.OneLine(o.Label))
		if o.Current {
			label += " (now)"
		}
		line := "  " + label
		if i == p.sel {
			line = s.Selected.Render("▸ " + label)
		}
		lines = append(lines, clip(line, w))
		lines = append(lines, clip("    "+s.Faint.Render(o.Meaning), w))
	}
	hint := "enter picks · esc cancels"
	if n := min(len(p.options), 9); n > 1 {
		hint = fmt.Sprintf("1-%d or enter picks · esc cancels", n)
	}
	if first > 0 || last < len(p.options) {
		hint = fmt.Sprintf("%d-%d of %d · j/k for more · ", first+1, last, len(p.options)) + hint
	}
	lines = append(lines, "", s.Faint.Render(clip(hint, w)))
	return lines
}

// scenarioPicker offers the library's scenarios for a drill; nil with a
// message when there are none or drills are off.
func (a *App) scenarioPicker() *picker {
	if a.opts.Respond == nil || a.opts.Library == nil {
		a.refuse("Drills are not available here: use 'sitrep drill SCENARIO'.")
		return nil
	}
	scs := a.opts.Library.Scenarios()
	if len(scs) == 0 {
		a.refuse("No scenarios in the runbook library: add one to a team folder.")
		return nil
	}
	p := &picker{kind: pickScenario, title: "Start a drill (an EXERCISE incident)"}
	for _, sc := range scs {
		meaning := model.OneLine(sc.Title)
		if sc.Duration > 0 {
			meaning += " · " + model.FormatLength(sc.Duration)
		}
		meaning += " · " + model.Count(len(sc.Injects), "inject")
		p.options = append(p.options, pickerOption{Label: sc.Name, Meaning: meaning})
	}
	return p
}

// runbookPicker offers the library's runbooks that fit the incident and
// are not attached yet; nil with a message when there are none.
func (a *App) runbookPicker() *picker {
	if a.opts.Respond == nil || a.opts.Library == nil {
		a.refuse("Attaching is not available here: use 'sitrep attach'.")
		return nil
	}
	attached := map[string]bool{}
	for _, r := range a.stepper.runbooks {
		attached[r.Name] = true
	}
	p := &picker{kind: pickRunbook, title: "Attach a runbook"}
	for _, rb := range a.opts.Library.RunbooksForKind(a.inc.Kind) {
		if attached[rb.Name] {
			continue
		}
		p.options = append(p.options, pickerOption{Label: rb.Name,
			Meaning: model.OneLine(rb.Title) + " · " + model.Count(rb.StepCount(), "step")})
	}
	if len(p.options) == 0 {
		a.setFlash("Every runbook for a "+model.OneLine(a.inc.Kind)+" incident is attached already.", false)
		return nil
	}
	return p
}

// linkPicker offers the links of what the cursor is on: the timeline
// entry with the Timeline pane focused (a dashboard pasted into a note),
// else the step under the runbook cursor, or the whole runbook when the
// step has none; nil with a message when there are none. Choosing one
// copies its target: a terminal shows a link's words only, and the
// dashboard or log query behind them is what a responder needs next.
func (a *App) linkPicker() *picker {
	if a.focus == paneTimeline {
		e, ok := a.timeline.selected()
		if !ok {
			return nil
		}
		p := &picker{kind: pickLink, title: "Links in this entry: enter copies one"}
		seen := map[string]bool{}
		for _, w := range model.WebAddresses(model.Printable(e.Text)) {
			if !seen[w.URL] {
				seen[w.URL] = true
				p.options = append(p.options, pickerOption{Label: w.URL, Meaning: "written in the entry", Value: w.URL})
			}
		}
		if len(p.options) == 0 {
			a.refuse("This entry has no web address to copy.")
			return nil
		}
		return p
	}
	rb := a.stepper.current()
	if rb == nil {
		a.refuse("No runbook is attached: attach one with A.")
		return nil
	}
	links, whole := a.stepper.links(rb)
	if len(links) == 0 {
		a.refuse("This runbook has no links.")
		return nil
	}
	title := "Links in this step: enter copies one"
	if whole {
		title = "This step has no links; the runbook's: enter copies one"
	}
	p := &picker{kind: pickLink, title: title}
	for _, l := range links {
		meaning := l.Target
		if l.Text == l.Target && strings.Contains(l.Target, "://") {
			meaning = "written out in the text"
		}
		p.options = append(p.options, pickerOption{Label: l.Text, Meaning: meaning, Value: l.Target})
	}
	return p
}
