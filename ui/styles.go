package ui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/sitrep-dev/sitrep/model"
)

// Styles holds every colour and border the cockpit draws with. It is built
// once from a lipgloss renderer, whose colour profile comes from termenv (so
// NO_COLOR and dumb terminals get plain text), and passed to every pane.
// Colours are adaptive: each has a shade for dark and one for light
// backgrounds, chosen for contrast on both.
type Styles struct {
	r *lipgloss.Renderer

	Title      lipgloss.Style
	Faint      lipgloss.Style
	Bold       lipgloss.Style
	Error      lipgloss.Style
	Warn       lipgloss.Style
	OK         lipgloss.Style
	Exercise   lipgloss.Style
	Replay     lipgloss.Style // the header's REPLAY mark: never the colours of a live screen
	Selected   lipgloss.Style // the row under the cursor in a focused pane
	SelectedBg lipgloss.Style // the row under the cursor in an unfocused pane
	Gutter     lipgloss.Style // the bar left of a selected entry

	Border        lipgloss.Style
	BorderFocused lipgloss.Style
	PaneTitle     lipgloss.Style
	PaneFocused   lipgloss.Style

	Tab       lipgloss.Style
	TabActive lipgloss.Style

	Key     lipgloss.Style
	KeyDesc lipgloss.Style

	Severity map[model.Severity]lipgloss.Style
	Status   lipgloss.Style
	Active   lipgloss.Style

	Note     lipgloss.Style
	Decision lipgloss.Style
	Action   lipgloss.Style
	Auto     lipgloss.Style
	Pinned   lipgloss.Style
	Author   lipgloss.Style
	Time     lipgloss.Style

	StepOpen    lipgloss.Style
	StepDone    lipgloss.Style
	StepSkipped lipgloss.Style
	StepBlocked lipgloss.Style
	Code        lipgloss.Style
	Em          lipgloss.Style // *emphasis* in a runbook
	Link        lipgloss.Style // a link's text in a runbook
	Bar         lipgloss.Style
	BarEmpty    lipgloss.Style

	Prompt lipgloss.Style
}

// Palette. Each pair is {Light, Dark}: the light shade is darker so it reads
// on a white terminal, the dark shade brighter for a black one.
var (
	colRed    = lipgloss.AdaptiveColor{Light: "#B00020", Dark: "#FF5F5F"}
	colOrange = lipgloss.AdaptiveColor{Light: "#A84B00", Dark: "#FFA657"}
	colYellow = lipgloss.AdaptiveColor{Light: "#7A6000", Dark: "#E3C46B"}
	colBlue   = lipgloss.AdaptiveColor{Light: "#0B57D0", Dark: "#79B8FF"}
	colGreen  = lipgloss.AdaptiveColor{Light: "#1E7B34", Dark: "#7EE787"}
	colPurple = lipgloss.AdaptiveColor{Light: "#7A3FB0", Dark: "#D2A8FF"}
	colCyan   = lipgloss.AdaptiveColor{Light: "#00677F", Dark: "#56D4DD"}
	colFaint  = lipgloss.AdaptiveColor{Light: "#6A737D", Dark: "#8B949E"}
	colText   = lipgloss.AdaptiveColor{Light: "#1F2328", Dark: "#E6EDF3"}
	colSelBg  = lipgloss.AdaptiveColor{Light: "#DDF4FF", Dark: "#1F3A5F"}
	colDimBg  = lipgloss.AdaptiveColor{Light: "#EAEEF2", Dark: "#262C36"}
	colBorder = lipgloss.AdaptiveColor{Light: "#AFB8C1", Dark: "#484F58"}
	// Badges: a strong background with a contrasting foreground reads the
	// same on any terminal background.
	badgeFg = lipgloss.AdaptiveColor{Light: "#FFFFFF", Dark: "#0D1117"}
)

// NewStyles builds the styles for a renderer.
func NewStyles(r *lipgloss.Renderer) *Styles {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	ns := r.NewStyle
	badge := func(bg lipgloss.TerminalColor) lipgloss.Style {
		return ns().Bold(true).Foreground(badgeFg).Background(bg).Padding(0, 1)
	}
	s := &Styles{
		r:          r,
		Title:      ns().Bold(true).Foreground(colText),
		Faint:      ns().Foreground(colFaint),
		Bold:       ns().Bold(true),
		Error:      ns().Bold(true).Foreground(colRed),
		Warn:       ns().Foreground(colOrange),
		OK:         ns().Foreground(colGreen),
		Exercise:   ns().Bold(true).Foreground(colPurple),
		Replay:     ns().Bold(true).Reverse(true).Foreground(colCyan),
		Selected:   ns().Bold(true).Background(colSelBg),
		SelectedBg: ns().Background(colDimBg),
		Gutter:     ns().Foreground(colBlue),

		Border:        ns().Foreground(colBorder),
		BorderFocused: ns().Foreground(colBlue),
		PaneTitle:     ns().Foreground(colFaint),
		PaneFocused:   ns().Bold(true).Foreground(colBlue),

		Tab:       ns().Foreground(colFaint),
		TabActive: ns().Bold(true).Foreground(colBlue).Underline(true),

		Key:     ns().Bold(true).Foreground(colCyan),
		KeyDesc: ns().Foreground(colFaint),

		Severity: map[model.Severity]lipgloss.Style{
			model.SEV1: badge(colRed),
			model.SEV2: badge(colOrange),
			model.SEV3: badge(colYellow),
			model.SEV4: badge(colBlue),
		},
		Status: ns().Bold(true).Foreground(colCyan),
		Active: ns().Foreground(colGreen),

		Note:     ns().Foreground(colText),
		Decision: ns().Bold(true).Foreground(colPurple),
		Action:   ns().Bold(true).Foreground(colOrange),
		Auto:     ns().Foreground(colFaint),
		Pinned:   ns().Bold(true).Foreground(colYellow),
		Author:   ns().Foreground(colCyan),
		Time:     ns().Foreground(colFaint),

		StepOpen:    ns().Foreground(colText),
		StepDone:    ns().Foreground(colGreen),
		StepSkipped: ns().Foreground(colFaint),
		StepBlocked: ns().Bold(true).Foreground(colRed),
		Code:        ns().Foreground(colGreen),
		Em:          ns().Italic(true),
		Link:        ns().Foreground(colBlue).Underline(true),
		Bar:         ns().Foreground(colGreen),
		BarEmpty:    ns().Foreground(colBorder),

		Prompt: ns().Bold(true).Foreground(colBlue),
	}
	return s
}

// SeverityBadge draws a severity as a coloured label.
func (s *Styles) SeverityBadge(sev model.Severity) string {
	st, ok := s.Severity[sev]
	if !ok {
		st = s.Faint
	}
	return st.Render(sev.String())
}

// noteStyle picks how a timeline entry's kind label is drawn.
func (s *Styles) kindStyle(e model.TimelineEntry) lipgloss.Style {
	if e.Kind == model.EventNote {
		switch e.NoteKind {
		case model.NoteKindDecision:
			return s.Decision
		case model.NoteKindAction:
			return s.Action
		}
		return s.Note
	}
	return s.Auto
}

// stepStyle picks how a step state is drawn.
func (s *Styles) stepStyle(state model.StepState) lipgloss.Style {
	switch state {
	case model.StepDone:
		return s.StepDone
	case model.StepSkipped:
		return s.StepSkipped
	case model.StepBlocked:
		return s.StepBlocked
	}
	return s.StepOpen
}

// focusMark stands before the focused pane's title. Colour and bold are
// gone under NO_COLOR (termenv's Ascii profile drops every attribute), and
// with them any sign of which pane the keys go to.
const focusMark = "▶ "

// box draws a pane, its title marked when it has the focus.
func (s *Styles) box(title string, lines []string, w, h int, focused bool) []string {
	if focused && title != "" {
		title = focusMark + title
	}
	return s.frame(title, lines, w, h, focused)
}

// frame draws a bordered box of exactly w×h cells: the title sits in the
// top border, every content line is cut or padded to the inner width, and
// missing lines are blank. It is the one place borders are drawn, so no
// pane can draw past its rectangle.
func (s *Styles) frame(title string, lines []string, w, h int, focused bool) []string {
	if w <= 0 || h <= 0 {
		return nil
	}
	if w < 2 || h < 2 {
		out := make([]string, h)
		for i := range out {
			out[i] = fit("", w)
		}
		return out
	}
	border, tstyle := s.Border, s.PaneTitle
	if focused {
		border, tstyle = s.BorderFocused, s.PaneFocused
	}
	inner := w - 2
	out := make([]string, 0, h)
	if title != "" && inner >= 5 {
		t := ansi.Truncate(title, inner-3, "…")
		rest := inner - 1 - ansi.StringWidth(t) - 2
		if rest < 0 {
			rest = 0
		}
		out = append(out, border.Render("╭─")+tstyle.Render(" "+t+" ")+border.Render(strings.Repeat("─", rest)+"╮"))
	} else {
		out = append(out, border.Render("╭"+strings.Repeat("─", inner)+"╮"))
	}
	side := border.Render("│")
	for i := 0; i < h-2; i++ {
		line := ""
		if i < len(lines) {
			line = lines[i]
		}
		out = append(out, side+fit(line, inner)+side)
	}
	out = append(out, border.Render("╰"+strings.Repeat("─", inner)+"╯"))
	return out
}

// fit cuts or pads a styled line to exactly w cells.
func fit(line string, w int) string {
	if w <= 0 {
		return ""
	}
	n := ansi.StringWidth(line)
	if n > w {
		line = ansi.Truncate(line, w, "…")
		n = ansi.StringWidth(line)
	}
	if n < w {
		line += strings.Repeat(" ", w-n)
	}
	return line
}

// clip cuts a styled line to at most w cells, without padding.
func clip(line string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(line) > w {
		return ansi.Truncate(line, w, "…")
	}
	return line
}

// wrap word-wraps plain text to w cells, breaking words longer than w.
func wrap(text string, w int) []string {
	if w < 1 {
		w = 1
	}
	text = strings.TrimRight(text, "\n")
	if text == "" {
		return []string{""}
	}
	return strings.Split(ansi.Wrap(text, w, ""), "\n")
}

func lineW(s string) int { return ansi.StringWidth(s) }

// window is the h lines of a screen scrolled to top.
func window(all []string, top, h int) []string {
	if top < len(all) {
		all = all[top:]
	}
	if len(all) > h {
		all = all[:h]
	}
	return all
}
