package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/respond"
	"github.com/sitrep-dev/sitrep/storage"
)

// showAsOf prints an incident as it stood at a moment: show's layout
// folded from the events placed by then (model.Replay, the fold the
// cockpit's replay shows), with each attached runbook's steps, and later
// events absent.
func (a *session) showAsOf(ctx context.Context, st *storage.Store, in model.Incident, text string, ids bool) error {
	at, err := a.pastWhen("--as-of", text)
	if err != nil {
		return err
	}
	r, err := st.Replay(ctx, in.ID)
	if err != nil {
		return err
	}
	snap := r.At(at)
	if !snap.Exists {
		first, _ := r.First()
		return model.Invalidf("incident %s did not exist yet at %s: its first event is at %s",
			in.Short(), at.UTC().Format("2006-01-02 15:04:05Z"), first.UTC().Format("2006-01-02 15:04:05Z"))
	}
	writeAsOf(a.out, snap, ids)
	return nil
}

// writeAsOf is show's layout for a snapshot: a line saying which moment
// it is (and, for a drill, its exercise clock then), the header, the
// runbooks' steps, and the timeline up to that moment.
func writeAsOf(w io.Writer, snap model.Snapshot, ids bool) {
	in := snap.Incident
	clock := model.ClockOf(in, snap.Exercise)
	line := "As of " + snap.At.UTC().Format("2006-01-02 15:04:05 UTC")
	if d, ok := model.ClockOf(in, nil).Offset(snap.At); ok {
		line += " (T+" + model.FormatAge(max(d, 0)) + ")"
	}
	if x := snap.Exercise; x != nil {
		line += " · exercise clock " + model.TPlus(x.Elapsed(snap.At))
		switch {
		case x.Over(snap.At):
			line += " (ended)"
		case x.Paused(snap.At):
			line += " (paused)"
		}
	}
	fmt.Fprintln(w, line+" — later events are not shown")
	writeShowHead(w, in, snap.Roles, clock)
	writeSteps(w, snap)
	fmt.Fprintln(w)
	writeShowEntries(w, model.CoalesceSpeedChanges(snap.Timeline()), clock, ids)
}

// writeSteps prints each runbook attached by then with where its steps
// stood: a count, then every step not open, in order.
func writeSteps(w io.Writer, snap model.Snapshot) {
	n := model.Neutralise
	for _, att := range snap.Attachments {
		titles := map[int]string{}
		total := 0
		if rb, err := respond.AttachedRunbook(att); err == nil {
			for _, s := range rb.Steps() {
				titles[s.Index] = s.Title
			}
			total = rb.StepCount()
		}
		counts := map[model.StepState]int{}
		var lines []string
		for _, s := range snap.Steps {
			if s.Runbook != att.Name || s.State == model.StepOpen {
				continue
			}
			counts[s.State]++
			l := fmt.Sprintf("  %-7s %d. %s (%s %s)", s.State, s.Step+1, n(model.OneLine(titles[s.Step])), n(s.By), s.At.UTC().Format("15:04:05Z"))
			if s.Reason != "" {
				l += " — " + n(model.OneLine(s.Reason))
			}
			lines = append(lines, l)
		}
		head := fmt.Sprintf("Runbook %s (%s): %d done, %d skipped, %d blocked", n(model.OneLine(att.Title)), n(model.OneLine(att.Name)),
			counts[model.StepDone], counts[model.StepSkipped], counts[model.StepBlocked])
		if total > 0 {
			head += fmt.Sprintf(" of %d steps", total)
		}
		fmt.Fprintln(w, head)
		fmt.Fprint(w, strings.Join(lines, "\n"))
		if len(lines) > 0 {
			fmt.Fprintln(w)
		}
	}
}
