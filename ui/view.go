package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"

	"github.com/sitrep-dev/sitrep/model"
)

// View draws the whole screen: never wider than the terminal, never taller.
func (a App) View() string {
	if a.w <= 0 || a.h <= 0 {
		return ""
	}
	l := computeLayout(a.w, a.h)
	if l.Mode == modeTooSmall {
		return a.tooSmall()
	}
	var lines []string
	if a.screen == screenIncident {
		lines = append(lines, a.incidentHeader(a.w)...)
	} else {
		lines = append(lines, a.listHeader(a.w))
	}
	bodyH := a.h - len(lines) - footerRows
	body, footer := a.slot.view(&a, bodyH)
	switch {
	case a.help:
		body = a.helpBody(bodyH)
	case body != nil:
	case a.screen == screenList:
		body = a.list.View(a.now())
	case a.drill.panel && a.drill.x != nil:
		body = a.drill.view(a.styles, a.w, bodyH, a.viewNow())
	default:
		body = a.panes(l)
	}
	for i := 0; i < bodyH; i++ {
		line := ""
		if i < len(body) {
			line = body[i]
		}
		lines = append(lines, line)
	}
	if footer == nil {
		footer = a.footer(a.w)
	}
	lines = append(lines, footer...)
	for i := range lines {
		lines[i] = fit(lines[i], a.w)
	}
	return strings.Join(lines, "\n")
}

// helpBody is the help view scrolled to helpTop, with a line saying how
// to see the rest when it does not fit.
func (a App) helpBody(h int) []string {
	screen, groups := a.helpGroups()
	all := helpView(a.styles, screen, groups, a.w, h)
	if len(all) <= h {
		return all
	}
	room := max(h-1, 0)
	top := min(max(a.helpTop, 0), len(all)-room)
	shown := append([]string(nil), all[top:top+room]...)
	more := fmt.Sprintf("j/k scroll · %d above · %d below", top, len(all)-room-top)
	return append(shown, a.styles.Faint.Render(clip(more, a.w)))
}

// helpLastTop is the largest helpTop that still fills the help body:
// scrolling stops there, so the first key back moves the page at once.
func (a App) helpLastTop() int {
	h := a.h - footerRows - 1 // under the list's header
	if a.screen == screenIncident {
		h = a.h - footerRows - headerRows
	}
	screen, groups := a.helpGroups()
	return max(len(helpView(a.styles, screen, groups, a.w, h))-max(h-1, 0), 0)
}

func (a App) tooSmall() string {
	msg := []string{
		"Terminal too small",
		fmt.Sprintf("%dx%d; sitrep needs %dx%d", a.w, a.h, minWidth, minHeight),
		"ctrl+c quits",
	}
	var lines []string
	for i := 0; i < a.h; i++ {
		line := ""
		if i < len(msg) {
			line = msg[i]
		}
		lines = append(lines, fit(line, a.w))
	}
	return strings.Join(lines, "\n")
}

// centered draws lines in a box in the middle of a body of height h.
func (a App) centered(lines []string, title string, h, maxW int) []string {
	w := min(a.w, maxW)
	boxH := min(len(lines)+2, h)
	box := a.styles.frame(title, lines, w, boxH, true)
	pad := strings.Repeat(" ", max((a.w-w)/2, 0))
	out := make([]string, 0, h)
	for i := 0; i < (h-boxH)/3; i++ {
		out = append(out, "")
	}
	for _, l := range box {
		out = append(out, pad+l)
	}
	return out
}

// panes draws the three panes as the layout places them.
func (a App) panes(l layout) []string {
	rb, st, hasStep := a.stepper.selected()
	draw := func(p pane) []string {
		focused := a.focus == p
		switch p {
		case paneTimeline:
			return a.timeline.View(focused)
		case paneStepper:
			return a.stepper.View(focused)
		}
		return a.raci.View(focused, rb, st, hasStep)
	}
	switch l.Mode {
	case modeWide:
		return joinColumns(draw(paneTimeline), draw(paneStepper), draw(paneRACI))
	case modeSplit:
		right := append(draw(paneStepper), draw(paneRACI)...)
		return joinColumns(draw(paneTimeline), right)
	}
	out := []string{a.tabs(l.Tabs.W)}
	return append(out, draw(a.focus)...)
}

// joinColumns puts equally tall columns of fixed-width lines side by side.
func joinColumns(cols ...[]string) []string {
	n := 0
	for _, c := range cols {
		n = max(n, len(c))
	}
	out := make([]string, n)
	var b strings.Builder
	for i := range out {
		b.Reset()
		for _, c := range cols {
			if i < len(c) {
				b.WriteString(c[i])
			}
		}
		out[i] = b.String()
	}
	return out
}

func (a App) tabs(w int) string {
	var parts []string
	for p := pane(0); p < paneCount; p++ {
		label := fmt.Sprintf(" %d %s ", p+1, paneNames[p])
		if p == a.focus {
			label = fmt.Sprintf("▶%d %s ", p+1, paneNames[p]) // seen without colour too
			parts = append(parts, a.styles.TabActive.Render(label))
		} else {
			parts = append(parts, a.styles.Tab.Render(label))
		}
	}
	return clip(strings.Join(parts, a.styles.Faint.Render("│")), w)
}

// listHeader is the top line of the list screen.
func (a App) listHeader(w int) string {
	s := a.styles
	left := s.Title.Render("sitrep") + s.Faint.Render(" · incident cockpit")
	return spread(left, a.whoAndSync(w-lineW(left)-1), w)
}

// whoAndSync is the right side of a header line: the time, who you are
// and sync. Where the line is short, the time goes first, then who you are;
// sync, which may carry an error, goes last.
func (a App) whoAndSync(room int) string {
	s := a.styles
	clock := s.Faint.Render(a.now().UTC().Format("15:04:05Z"))
	you := s.Faint.Render("you ") + s.Author.Render(model.OneLine(a.st.Author()))
	sep := s.Faint.Render(" · ")
	sync := a.syncField()
	var tries []string
	if sync != "" {
		tries = []string{clock + sep + you + sep + sync, you + sep + sync, sync}
	} else {
		tries = []string{clock + sep + you, you}
	}
	for _, t := range tries {
		if lineW(t) <= room {
			return t
		}
	}
	if sync != "" && room >= 12 {
		return clip(sync, room) // a long error: as much as fits
	}
	return ""
}

// spread puts left at the start of a w-wide line and right at its end,
// dropping right when both do not fit.
func spread(left, right string, w int) string {
	lw, rw := lineW(left), lineW(right)
	if lw+rw+1 > w {
		return clip(left, w)
	}
	return left + strings.Repeat(" ", w-lw-rw) + right
}

// incidentHeader is the incident view's top two lines: what, how bad, where
// it stands; then who leads, how long it has run, who you are.
func (a App) incidentHeader(w int) []string {
	s := a.styles
	in := a.inc
	if !a.loaded {
		return []string{s.Faint.Render("Loading incident " + model.ShortID(a.incID) + "…"), ""}
	}
	line1 := a.replayBadge() + s.SeverityBadge(in.Severity) + " " + s.Status.Render(strings.ToUpper(model.OneLine(string(in.Status)))) + " "
	if in.Exercise {
		line1 += s.Exercise.Render("EXERCISE") + " "
	}
	line1 += s.Title.Render(model.OneLine(in.Title))
	line1 = spread(line1, s.Faint.Render(model.OneLine(in.Kind)+" · "+in.Short()), w)

	var parts []string
	if in.Commander != "" {
		parts = append(parts, s.Faint.Render("IC ")+s.Author.Render(model.OneLine(in.Commander)))
	} else {
		parts = append(parts, s.Warn.Render("IC: nobody (r in RACI to assign)"))
	}
	// A drill reads in exercise time, like its clock beside it.
	clock := model.ClockOf(in, a.drill.x)
	now := a.viewNow()
	switch {
	case !in.Milestones.Resolved.IsZero():
		parts = append(parts, s.Faint.Render("resolved after ")+s.Bold.Render(model.FormatLength(clock.Length(in.Started(), in.Milestones.Resolved))))
	case a.drill.x == nil:
		parts = append(parts, s.Bold.Render(clock.TPlus(now))+s.Faint.Render(" since detection"))
	}
	if drill := a.drill.header(a.styles, now); drill != "" {
		parts = append(parts, drill)
	}
	if due := a.updateDue(now); due != "" {
		parts = append(parts, due)
	}
	left := strings.Join(parts, s.Faint.Render(" · "))
	return []string{line1, spread(left, a.whoAndSync(w-lineW(left)-1), w)}
}

// footer is the message or input line and the key hints line.
func (a App) footer(w int) []string {
	s := a.styles
	var first, second string
	switch {
	case a.flash != "":
		st := s.OK
		if a.isErr {
			st = s.Error
		}
		first = st.Render(clip(model.OneLine(a.flash), w))
	}
	pinned := a.pinnedHints()
	second = hintLine(s, without(a.hints(), pinned), pinned, w)
	return []string{first, second}
}

// hints are the keys that matter in the current context.
func (a App) hints() []key.Binding {
	k := a.keys
	switch {
	case a.help:
		return []key.Binding{k.Back, k.Up, k.Down}
	}
	if h := a.slot.hints(a.keys); h != nil {
		return h
	}
	if a.screen == screenList {
		return a.list.ShortHelp()
	}
	if a.replay.on {
		return []key.Binding{k.ReplayLive, k.ReplayPrev, k.ReplayNext, k.ReplayBack10, k.ReplayOn10, k.NextPane}
	}
	var pane []key.Binding
	switch a.focus {
	case paneTimeline:
		pane = a.timeline.ShortHelp()
	case paneStepper:
		pane = a.stepper.ShortHelp()
	default:
		pane = a.raci.ShortHelp()
	}
	if a.drill.panel && a.drill.x != nil {
		return []key.Binding{k.DrillPause, k.DrillFaster, k.DrillSlower, k.DrillRelease, k.DrillSkip, k.DrillEnd, k.DrillPanel, k.Back}
	}
	if a.drill.x != nil {
		pane = append(pane, k.DrillPanel, k.DrillPause)
	}
	return append(pane, k.NextPane, k.Help, k.Quit)
}

// updateDue is the cadence timer: when the next message to an audience is
// due, urgent once it is late. Empty without a policy or when nothing is
// due.
func (a App) updateDue(now time.Time) string {
	if a.opts.Cadence == nil {
		return ""
	}
	due, ok := model.NextUpdateDue(a.inc, a.drill.x, a.messages, a.opts.Cadence, now)
	if !ok || due.At.IsZero() {
		return ""
	}
	s := a.styles
	who := model.OneLine(string(due.Audience))
	if due.Late {
		return s.Error.Render(fmt.Sprintf("%s update LATE by %s", who, model.FormatAge(due.LateBy)))
	}
	left := due.At.Sub(now)
	st := s.Faint
	if left < 5*time.Minute {
		st = s.Warn
	}
	return st.Render(fmt.Sprintf("%s update due in %s", who, model.FormatAge(left)))
}
