package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/model"
)

// The stats view (T on the list): median and 90th percentile of the time
// to detect, acknowledge, mitigate and resolve, for all incidents, by
// severity and by kind, each with a bar (median solid, p90 light) and a
// sparkline of how the values spread. Real incidents and exercises are
// never mixed: tab switches between them. The figures are
// model.ComputeStats over storage's IncidentTimes, as `sitrep stats`
// prints them.

type statsScreen struct {
	styles *Styles
	keys   *keyMap
	w, h   int
	loaded bool
	real   model.Stats
	drills model.Stats
	shows  bool // exercises on screen
	top    int
	err    string
}

func newStatsScreen(s *Styles, k *keyMap) *statsScreen { return &statsScreen{styles: s, keys: k} }

func (v *statsScreen) SetSize(w, h int) { v.w, v.h = w, h; v.clamp() }

func (v *statsScreen) clamp() {
	v.top = max(min(v.top, len(v.lines())-v.h), 0)
}

// Update handles a key; close reports esc/q.
func (v *statsScreen) Update(msg tea.KeyMsg) (close bool) {
	k := v.keys
	page := max(v.h-1, 1)
	switch {
	case key.Matches(msg, k.Back, k.Quit):
		return true
	case key.Matches(msg, k.NextPane, k.PrevPane):
		v.shows, v.top = !v.shows, 0
	default:
		if d, ok := k.move(msg, page); ok {
			v.top += d
		}
	}
	v.clamp()
	return false
}

func (v *statsScreen) ShortHelp() []key.Binding {
	k := v.keys
	return []key.Binding{k.StatsSwitch, k.Down, k.Up, k.Back}
}

func (v *statsScreen) View() []string { return window(v.lines(), v.top, v.h) }

// metricCol is the width of the metric name column.
const metricCol = 12

func (v *statsScreen) lines() []string {
	s := v.styles
	w := max(v.w, 1)
	if v.err != "" {
		return []string{s.Error.Render(clip("Stats not loaded: "+model.OneLine(v.err), w))}
	}
	if !v.loaded {
		return []string{s.Faint.Render("Counting…")}
	}
	st := v.real
	tabs := s.TabActive.Render(" Real incidents ") + s.Faint.Render("│") + s.Tab.Render(" Exercises ")
	if v.shows {
		st = v.drills
		tabs = s.Tab.Render(" Real incidents ") + s.Faint.Render("│") + s.TabActive.Render(" Exercises ")
	}
	out := []string{clip(tabs+s.Faint.Render("  tab switches; exercises never count with real incidents"), w)}
	if st.All.Count == 0 {
		what := "real incidents"
		if v.shows {
			what = "exercises"
		}
		return append(out, "", s.Faint.Render(clip("No "+what+" yet.", w)))
	}
	// One scale for every bar on screen: the longest p90.
	var scale time.Duration
	for _, g := range v.groups(st) {
		for _, m := range g.Metrics {
			scale = max(scale, m.P90)
		}
	}
	for _, g := range v.groups(st) {
		name := g.Key
		if name == "all" {
			name = "All"
		}
		out = append(out, "", clip(s.Title.Render(model.OneLine(name))+s.Faint.Render(fmt.Sprintf(" · %d incident(s)", g.Count)), w))
		head := fmt.Sprintf("  %-*s %5s %8s %8s  ", metricCol, "time to", "n", "median", "p90")
		barW := max(w-lineW(head)-1, 0)
		sparkW := 0
		if barW >= 30 {
			sparkW = min(16, barW/3)
			barW -= sparkW + 2
		}
		out = append(out, clip(s.Faint.Render(head), w))
		for _, m := range g.Metrics {
			row := fmt.Sprintf("  %-*s %5d ", metricCol, string(m.Metric), m.N)
			if m.N == 0 {
				out = append(out, clip(row+s.Faint.Render(fmt.Sprintf("%8s %8s", "–", "–")), w))
				continue
			}
			row += s.Bold.Render(fmt.Sprintf("%8s", model.FormatMetric(m.Median))) + " " +
				fmt.Sprintf("%8s", model.FormatMetric(m.P90)) + "  "
			row += v.bar(m, scale, barW)
			if sparkW > 0 {
				row += "  " + s.Faint.Render(sparkline(m.Values, sparkW))
			}
			out = append(out, clip(row, w))
		}
	}
	return out
}

func (v *statsScreen) groups(st model.Stats) []model.StatsGroup {
	out := []model.StatsGroup{st.All}
	out = append(out, st.BySeverity...)
	return append(out, st.ByKind...)
}

// bar draws the median solid and the rest up to the p90 light, on a scale
// where the longest p90 fills w.
func (v *statsScreen) bar(m model.MetricSummary, scale time.Duration, w int) string {
	if w <= 0 || scale <= 0 {
		return ""
	}
	med := int(float64(w) * float64(m.Median) / float64(scale))
	p90 := int(float64(w) * float64(m.P90) / float64(scale))
	if m.Median > 0 {
		med = max(med, 1)
	}
	p90 = max(p90, med)
	return v.styles.Bar.Render(strings.Repeat("█", med)) + v.styles.BarEmpty.Render(strings.Repeat("░", p90-med)) + strings.Repeat(" ", w-p90)
}

// sparkline is a histogram of sorted values in w buckets from 0 to the
// largest.
func sparkline(vals []time.Duration, w int) string {
	if len(vals) == 0 || w <= 0 {
		return ""
	}
	top := vals[len(vals)-1]
	counts := make([]int, w)
	peak := 0
	for _, d := range vals {
		i := w - 1
		if top > 0 {
			i = min(int(float64(d)/float64(top)*float64(w)), w-1)
		}
		counts[i]++
		peak = max(peak, counts[i])
	}
	const ticks = "▁▂▃▄▅▆▇█"
	r := []rune(ticks)
	var b strings.Builder
	for _, c := range counts {
		if c == 0 {
			b.WriteRune(' ')
			continue
		}
		b.WriteRune(r[min((c*len(r)-1)/peak, len(r)-1)])
	}
	return b.String()
}

// take takes the figures counted by the store.
func (v *statsScreen) take(msg statsMsg) {
	v.loaded, v.real, v.drills = true, msg.Real, msg.Drills
	if msg.Err != nil {
		v.err = msg.Err.Error()
	}
	v.clamp()
}
