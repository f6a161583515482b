package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/model"
)

// Fields of the declare form, in tab order; runbook rows follow.
const (
	fieldTitle = iota
	fieldSeverity
	fieldKind
	fieldExercise
	fieldWhen     // when it was declared, for one recorded after the fact
	fieldRunbooks // the first runbook row
)

// declareForm declares an incident: title, severity, kind, whether it is an
// exercise, when (empty: now; a time records it after the fact), and the
// runbooks to attach, offered by kind.
type declareForm struct {
	styles *Styles
	keys   *keyMap

	title    textinput.Model
	severity model.Severity
	kind     int // into model.IncidentKinds
	exercise bool
	when     textinput.Model
	library  Library
	offered  []*model.Runbook
	checked  map[string]bool
	field    int
	saving   bool
	err      string
}

func newDeclareForm(s *Styles, k *keyMap, library Library) *declareForm {
	f := &declareForm{styles: s, keys: k, title: newTextInput(), severity: model.SEV2, library: library}
	f.title.Placeholder = "what is wrong, in a few words"
	f.title.CharLimit = model.MaxTitle
	f.title.Width = 60
	f.title.Focus()
	f.when = newTextInput()
	f.when.Placeholder = "now (or 14:02 UTC, -3h, 2026-11-20 14:02)"
	f.when.CharLimit = 40
	f.when.Width = 40
	for i, kind := range model.IncidentKinds {
		if kind == "outage" {
			f.kind = i
		}
	}
	f.offer()
	return f
}

// offer lists the runbooks for the chosen kind, those written for it
// first, and ticks the one that fits best (bestRunbook); space ticks
// others. Ticking every runbook of the kind (four for an outage) attached
// runbooks nobody would work through.
func (f *declareForm) offer() {
	f.offered, f.checked = nil, map[string]bool{}
	if f.library == nil {
		return
	}
	f.offered = f.library.RunbooksForKind(model.IncidentKinds[f.kind])
	if rb := bestRunbook(f.offered, model.IncidentKinds[f.kind], f.severity); rb != nil {
		f.checked[rb.Name] = true
	}
}

// bestRunbook is the runbook that fits an incident of kind and sev best:
// first one written for this severity (over one for every severity), then
// one written for this kind above all (its first kind, or its name) over a
// general process (no kinds), over one that lists the kind among others.
// Ties go to the first offered. Nil when none applies to sev.
func bestRunbook(offered []*model.Runbook, kind string, sev model.Severity) *model.Runbook {
	var best *model.Runbook
	bestScore := -1
	for _, rb := range offered {
		if !rb.AppliesToSeverity(sev) {
			continue
		}
		score := 10
		if len(rb.Severities) > 0 {
			score = 20
		}
		switch {
		case len(rb.Kinds) > 0 && strings.EqualFold(rb.Kinds[0], kind), strings.Contains(rb.Name, kind):
			score += 2
		case len(rb.Kinds) == 0:
			score++
		}
		if score > bestScore {
			best, bestScore = rb, score
		}
	}
	return best
}

func (f *declareForm) lastField() int { return fieldRunbooks + len(f.offered) - 1 }

// Update handles a key; submit reports that enter asked to declare.
func (f *declareForm) Update(msg tea.KeyMsg) (submit, cancel bool, cmd tea.Cmd) {
	k := f.keys
	if f.saving {
		return false, false, nil
	}
	switch {
	case key.Matches(msg, k.Cancel):
		return false, true, nil
	case key.Matches(msg, k.Submit):
		if strings.TrimSpace(f.title.Value()) == "" {
			f.err = "An incident needs a title: say in a few words what is wrong."
			f.setField(fieldTitle)
			return false, false, nil
		}
		return true, false, nil
	case key.Matches(msg, k.FieldNext):
		f.setField(min(f.field+1, max(f.lastField(), fieldWhen)))
		return false, false, nil
	case key.Matches(msg, k.FieldPrev):
		f.setField(max(f.field-1, 0))
		return false, false, nil
	}
	switch f.field {
	case fieldTitle:
		f.title, cmd = f.title.Update(msg)
		f.err = ""
		return false, false, cmd
	case fieldSeverity:
		switch {
		case key.Matches(msg, k.Left):
			f.severity = max(f.severity-1, model.SEV1)
		case key.Matches(msg, k.Right):
			f.severity = min(f.severity+1, model.SEV4)
		default:
			if s, err := model.ParseSeverity(msg.String()); err == nil {
				f.severity = s
			}
		}
		f.offer()
	case fieldKind:
		n := len(model.IncidentKinds)
		switch {
		case key.Matches(msg, k.Left):
			f.kind = (f.kind - 1 + n) % n
			f.offer()
		case key.Matches(msg, k.Right):
			f.kind = (f.kind + 1) % n
			f.offer()
		}
	case fieldExercise:
		if key.Matches(msg, k.Toggle) || msg.String() == "x" {
			f.exercise = !f.exercise
		}
	case fieldWhen:
		f.when, cmd = f.when.Update(msg)
		f.err = ""
		return false, false, cmd
	default:
		if key.Matches(msg, k.Toggle) || msg.String() == "x" {
			if i := f.field - fieldRunbooks; i >= 0 && i < len(f.offered) {
				name := f.offered[i].Name
				f.checked[name] = !f.checked[name]
			}
		}
	}
	return false, false, nil
}

func (f *declareForm) setField(n int) {
	f.field = n
	f.title.Blur()
	f.when.Blur()
	switch n {
	case fieldTitle:
		f.title.Focus()
	case fieldWhen:
		f.when.Focus()
	}
}

// declaration is what the form says to declare. A "when" that does not
// read as a time, or lies ahead of now, is refused by the rule the
// command line's --at follows, and the cursor goes to it.
func (f *declareForm) declaration(now time.Time) (model.Declaration, []string, error) {
	d := model.Declaration{
		Title:    strings.TrimSpace(f.title.Value()),
		Kind:     model.IncidentKinds[f.kind],
		Severity: f.severity,
		Exercise: f.exercise,
	}
	if w := strings.TrimSpace(f.when.Value()); w != "" {
		at, err := model.ParsePast("when", w, now)
		if err != nil {
			f.err = err.Error()
			f.setField(fieldWhen)
			return d, nil, err
		}
		d.At = at
	}
	var names []string
	for _, rb := range f.offered {
		if f.checked[rb.Name] {
			names = append(names, rb.Name)
		}
	}
	return d, names, nil
}

func (f *declareForm) ShortHelp() []key.Binding {
	k := f.keys
	return []key.Binding{k.FieldNext, k.FieldPrev, k.Left, k.Right, k.Toggle, k.Submit, k.Cancel}
}

// view draws the form inside a w-wide box.
func (f *declareForm) view(w, h int) []string {
	s := f.styles
	label := func(n int, text string) string {
		if f.field == n {
			return s.Prompt.Render("▸ " + fmt.Sprintf("%-10s", text))
		}
		return s.Faint.Render("  " + fmt.Sprintf("%-10s", text))
	}
	choice := func(n int, text string) string {
		if f.field == n {
			return s.Selected.Render("◂ " + text + " ▸")
		}
		return "  " + text
	}
	f.title.Width = max(w-16, 1)
	var lines []string
	lines = append(lines, s.Title.Render("Declare an incident"), "")
	lines = append(lines, label(fieldTitle, "Title")+" "+f.title.View())
	lines = append(lines, label(fieldSeverity, "Severity")+" "+choice(fieldSeverity, s.SeverityBadge(f.severity))+" "+s.Faint.Render(clip(f.severity.Meaning(), max(w-30, 0))))
	lines = append(lines, label(fieldKind, "Kind")+" "+choice(fieldKind, model.IncidentKinds[f.kind]))
	ex := "[ ] no"
	if f.exercise {
		ex = "[x] " + s.Exercise.Render("EXERCISE")
	}
	lines = append(lines, label(fieldExercise, "Exercise")+"   "+ex)
	f.when.Width = max(w-16, 1)
	lines = append(lines, label(fieldWhen, "When")+" "+f.when.View())
	lines = append(lines, "", s.Bold.Render("Runbooks to attach")+s.Faint.Render(" (offered for "+model.IncidentKinds[f.kind]+"; space toggles)"))
	if len(f.offered) == 0 {
		lines = append(lines, s.Faint.Render("  none in the library for this kind"))
	}
	// Runbook rows scroll to keep the cursor row in view.
	room := max(h-len(lines)-3, 1)
	first := 0
	if i := f.field - fieldRunbooks; i >= room {
		first = i - room + 1
	}
	for i := first; i < len(f.offered) && i < first+room; i++ {
		rb := f.offered[i]
		box := "[ ]"
		if f.checked[rb.Name] {
			box = "[x]"
		}
		line := box + " " + model.OneLine(rb.Title) + s.Faint.Render(" ("+rb.Name+")")
		if f.field == fieldRunbooks+i {
			line = s.Prompt.Render("▸ ") + line
		} else {
			line = "  " + line
		}
		lines = append(lines, clip(line, w))
	}
	lines = append(lines, "")
	switch {
	case f.saving:
		lines = append(lines, s.Faint.Render("Declaring…"))
	case f.err != "":
		lines = append(lines, wrapStyled(s.Error, model.Printable(f.err), w)...)
	default:
		lines = append(lines, s.Faint.Render(clip("enter declares · tab/↑↓ move · ←→ change · space toggles · esc cancels", w)))
	}
	for i := range lines {
		lines[i] = clip(lines[i], w)
	}
	return lines
}

// sending marks the declaration as on its way: keys wait for the answer.
func (f *declareForm) sending() { f.saving = true }

// declared takes the answer; ok is false when it failed, and the form
// stays with the error on it.
func (f *declareForm) declared(err error) (ok bool) {
	f.saving = false
	if err != nil {
		f.err = err.Error()
		return false
	}
	return true
}
