package ui

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"
)

// RenderFrame draws one full frame at w×h without a terminal: the list, or
// the incident in opts.Incident, loaded as the program would load it. It is
// what `SITREP_FRAME=WxH sitrep` prints, for screenshots and for timing
// start-up.
func RenderFrame(ctx context.Context, opts Options, w, h int) (string, error) {
	opts.Poll = -1
	a := New(opts)
	var m tea.Model = a
	m, _ = m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	if opts.Incident != "" {
		a = m.(App)
		msg := readIncident(ctx, a.st, opts.Incident, a.timeline.request(), nil, a.now(), true)
		if msg.Err != nil {
			return "", msg.Err
		}
		m, _ = a.Update(msg)
		return m.View(), nil
	}
	msg := readIncidents(ctx, opts.Store, listPage)
	if msg.Err != nil {
		return "", msg.Err
	}
	m, _ = m.Update(msg)
	return m.View(), nil
}
