package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/model"
)

// The facilitator's controls for a drill (an incident started from a
// scenario): the header shows the exercise clock and when the next inject
// comes; P pauses and resumes the clock, + and - change its speed, I
// releases the next inject now, K skips it (asking why), E ends the drill,
// O shows the facilitator panel (every inject and objective). The keys are
// enabled only on a drill. Injects are not events: they fall due on the
// clock, so the App reloads when one does, and merges them into the
// timeline (commands.go).

// drillState is the drill on screen, if any: its clock, what its
// objectives are judged from, and the facilitator's panel.
type drillState struct {
	x       *model.Exercise // nil: not a drill
	log     model.DrillLog
	injects int  // released injects in the timeline read last
	panel   bool // the O panel is open
}

// drillKeysEnabled turns the facilitator's keys on for a drill.
func (a *App) drillKeysEnabled(on bool) {
	k := a.keys
	for _, b := range []*key.Binding{&k.DrillPause, &k.DrillFaster, &k.DrillSlower, &k.DrillRelease, &k.DrillSkip, &k.DrillEnd, &k.DrillPanel} {
		b.SetEnabled(on)
	}
}

// leaveDrill forgets the drill on screen, if any, and turns its keys off.
func (a *App) leaveDrill() {
	a.drill = drillState{}
	a.drillKeysEnabled(false)
}

// header is the header's drill field: the exercise clock and the
// next inject.
func (d *drillState) header(s *Styles, now time.Time) string {
	x := d.x
	if x == nil {
		return ""
	}
	clock := "drill " + model.TPlus(x.Elapsed(now))
	switch {
	case x.Over(now):
		return s.Exercise.Render(clock + " ENDED")
	case x.Paused(now):
		clock += " PAUSED"
	}
	if sp := x.Speed(now); sp != 1 {
		clock += fmt.Sprintf(" ×%g", sp)
	}
	out := s.Exercise.Render(clock)
	if next, ok := x.NextInject(now); ok {
		if next.Due.IsZero() {
			out += s.Faint.Render(fmt.Sprintf(" · inject %d waits", next.Index+1))
		} else {
			out += s.Faint.Render(fmt.Sprintf(" · inject %d in %s", next.Index+1, model.FormatAge(next.Due.Sub(now))))
		}
	} else {
		out += s.Faint.Render(" · no injects left")
	}
	return out
}

// drillAction records a facilitator's key, through the service: P pauses
// a running clock and resumes a paused one (the service refuses the
// other way round), R releases the next inject, S and E ask why first.
func (a *App) drillAction(kind model.EventKind) tea.Cmd {
	x := a.drill.x
	if x == nil {
		return nil
	}
	now := a.now()
	if a.drillOver(now) {
		return nil
	}
	rs, in := a.rs, a.inc
	in.ID = a.incID
	var change func(ctx context.Context) (model.Event, error)
	switch kind {
	case model.EventExercisePaused:
		clock := rs.PauseDrill
		if x.Paused(now) {
			clock = rs.ResumeDrill
		}
		change = func(ctx context.Context) (model.Event, error) {
			_, e, err := clock(ctx, in, "")
			return e, err
		}
	case model.EventInjectReleased, model.EventInjectSkipped:
		next, ok := x.NextInject(now)
		if !ok {
			a.refuse("No inject left to release or skip.")
			return nil
		}
		if kind == model.EventInjectSkipped {
			a.openPrompt(promptSkipInject, fmt.Sprintf("Why skip inject %d (%s)?", next.Index+1, model.OneLine(next.Title)), promptAbout{inject: next.Index})
			return nil
		}
		change = func(ctx context.Context) (model.Event, error) {
			_, e, err := rs.Inject(ctx, in, next.Index, "")
			return e, err
		}
	case model.EventExerciseEnded:
		a.openPrompt(promptEndDrill, "End the drill? Why (enter ends it, esc keeps it running):", promptAbout{})
		return nil
	default:
		return nil
	}
	a.nextReq++
	return record(a.nextReq, in.ID, change)
}

// speed changes the clock's speed by factor, within the bounds
// model.CheckSpeed sets for the command line too.
func (a *App) speed(factor float64) tea.Cmd {
	if a.drill.x == nil {
		return nil
	}
	next := a.drill.x.Speed(a.now()) * factor
	if model.CheckSpeed(next) != nil {
		a.refuse(fmt.Sprintf("The exercise clock stays between ×%g and ×%g (now ×%g).", float64(model.MinSpeed), float64(model.MaxSpeed), a.drill.x.Speed(a.now())))
		return nil
	}
	if a.drillOver(a.now()) {
		return nil
	}
	a.nextReq++
	rs, in := a.rs, a.inc
	in.ID = a.incID
	return record(a.nextReq, in.ID, func(ctx context.Context) (model.Event, error) {
		return rs.SetDrillSpeed(ctx, in, next)
	})
}

// drillOver says, on screen, when a facilitator's key comes after the end.
func (a *App) drillOver(now time.Time) bool {
	if a.drill.x.Over(now) {
		a.refuse("This drill has ended.")
		return true
	}
	return false
}

// due reports whether the clock has released an inject (or taken
// one back, after a pause) since the timeline was read.
func (d *drillState) due(now time.Time) bool {
	return d.x != nil && len(d.x.InjectEntries(now)) != d.injects
}

// view is the O panel: the clock, every inject and every
// objective.
func (d *drillState) view(s *Styles, w, h int, now time.Time) []string {
	x := d.x
	if x == nil {
		return []string{s.Faint.Render("Not a drill.")}
	}
	var objectives []string
	for _, o := range x.Objectives(d.log, now) {
		st := s.Faint
		switch o.State {
		case model.ObjectiveMet:
			st = s.OK
		case model.ObjectiveMissed:
			st = s.Error
		}
		line := "  " + st.Render(fmt.Sprintf("%-6s", strings.ToUpper(string(o.State)))) + " " + model.OneLine(o.Title) + s.Faint.Render(" #"+model.OneLine(o.ID))
		if o.Target > 0 {
			line += s.Faint.Render(" within " + model.FormatLength(o.Target))
		}
		if !o.At.IsZero() {
			line += s.Faint.Render(" at " + model.TPlus(o.Took))
		}
		objectives = append(objectives, clip(line, w))
	}
	injects := x.Injects(now)
	// What to look for stays in view once an inject is read out, ticked
	// when a note tagged #2a (and so on) shows it was done. When the panel
	// is short, the newest injects' lists come first and the objectives
	// keep their place.
	expected := make([][]string, len(injects))
	room := h - (4 + len(injects) + 1 + len(objectives))
	for i := len(injects) - 1; i >= 0; i-- {
		var lines []string
		for _, e := range x.ExpectedActions(injects[i], d.log.Entries, now) {
			mark, st, seen := "·", s.Faint, ""
			if e.Answered {
				mark, st, seen = "✓", s.OK, " seen at "+model.TPlus(x.Elapsed(e.At))
			}
			lines = append(lines, clip(fmt.Sprintf("             %s %s ", st.Render(mark), s.Faint.Render(fmt.Sprintf("#%-4s", e.Tag)))+model.OneLine(e.Text)+s.Faint.Render(seen), w))
		}
		if len(lines) > room {
			break
		}
		expected[i], room = lines, room-len(lines)
	}
	out := []string{clip(s.PaneFocused.Render("Facilitator · "+model.OneLine(x.Started.Title))+"  "+d.header(s, now), w), ""}
	title := s.Title.Render("Injects")
	for _, l := range expected {
		if len(l) > 0 {
			title += s.Faint.Render("  · a note tagged #2a ticks inject 2's first thing to look for")
			break
		}
	}
	out = append(out, clip(title, w))
	for i, in := range injects {
		state := strings.ToUpper(string(in.State))
		st := s.Faint
		switch in.State {
		case model.InjectReleased:
			st = s.OK
			if in.Early {
				state += " early"
			}
		case model.InjectSkipped:
			st = s.Warn
		}
		line := fmt.Sprintf("  %2d %-7s ", in.Index+1, model.FormatOffset(in.Offset)) + st.Render(fmt.Sprintf("%-14s", state)) + " " + model.OneLine(in.Title)
		if in.Reason != "" {
			line += s.Faint.Render(" (" + model.OneLine(in.Reason) + ")")
		}
		out = append(out, clip(line, w))
		out = append(out, expected[i]...)
	}
	out = append(out, "", s.Title.Render("Objectives"))
	out = append(out, objectives...)
	if len(out) > h {
		out = out[:h]
	}
	return out
}
