package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sitrep-dev/sitrep/export"
	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/respond"
	"github.com/sitrep-dev/sitrep/storage"
)

func drillCommands(a *session) []*cobra.Command {
	return []*cobra.Command{a.drillCmd()}
}

func (a *session) drillCmd() *cobra.Command {
	var speed float64
	var commander, title string
	cmd := &cobra.Command{
		Use:   "drill SCENARIO|FILE",
		Short: "Run a tabletop exercise: start a scenario, drive its clock, write the after-action report",
		Long: `'sitrep drill SCENARIO' declares an EXERCISE incident from a bundled or team
scenario ('sitrep scenario list'), or from a run-sheet file (Markdown, or
a spreadsheet saved as CSV), attaches its runbooks and starts the
exercise clock. Injects appear at their offsets on that clock, on every
laptop that syncs the drill; the facilitator can pause, resume, change the
speed, release an inject early or skip it. Objectives are judged live:

  rto        met when the incident reaches 'mitigated' within the target
  rpo        a note tagged #rpo with the data lost ("#rpo 4m of orders")
  milestone  a note containing #ID (see 'drill status'), or a message sent
             to the audience it names (customers, executives, internal);
             "Incident declared and commander named" by the declaration
             and the Incident Commander role being taken
  runbook    every step of the runbook done or skipped

Tag notes #finding, #recommendation or #plan to put them in the report's
findings, recommendations and improvements to the plan.`,
		Example: `  sitrep drill region-outage-dr
  sitrep drill ./gameday-2026-q4.csv
  sitrep drill region-outage-dr --speed 2
  sitrep drill status
  sitrep drill pause; sitrep drill resume
  sitrep drill release 3
  sitrep drill skip 4 --reason "out of time"
  sitrep drill end
  sitrep drill report 9f3c > after-action.md`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: a.completeArgs(libraryScenarios),
		RunE: func(cmd *cobra.Command, args []string) error {
			lib, diags, err := a.library()
			if err != nil {
				return err
			}
			a.warnLoad(diags)
			sc, err := respond.ScenarioByRef(lib, args[0])
			if err != nil {
				return err
			}
			return a.withStore(cmd, func(ctx context.Context, st *storage.Store) error {
				in, warnings, err := a.respond(st).StartDrill(ctx, args[0], respond.DrillStart{Speed: speed, Title: title, Commander: commander})
				if err != nil {
					return err
				}
				for _, w := range warnings {
					fmt.Fprintf(a.errOut, "sitrep: %s\n", w)
				}
				fmt.Fprintf(a.out, "%s\n", in.Short())
				fmt.Fprintf(a.errOut, "EXERCISE %s started: %s (%s, %s); 'sitrep drill status' shows the clock and what comes next\n",
					in.Short(), model.Neutralise(model.OneLine(sc.Title)), model.Count(len(sc.Injects), "inject"), model.Count(len(sc.Objectives), "objective"))
				return nil
			})
		},
	}
	cmd.Flags().Float64Var(&speed, "speed", 1, "exercise clock speed: 2 runs the injects twice as fast")
	cmd.Flags().StringVar(&commander, "commander", "", "who takes the Incident Commander role (default: you)")
	cmd.Flags().StringVar(&title, "title", "", "title of the exercise incident (default: the scenario's)")
	cmd.AddCommand(
		a.drillClockCmd("pause", "Pause the exercise clock", model.EventExercisePaused),
		a.drillClockCmd("resume", "Resume the exercise clock", model.EventExerciseResumed),
		a.drillSpeedCmd(), a.drillInjectCmd("release", model.EventInjectReleased), a.drillInjectCmd("skip", model.EventInjectSkipped),
		a.drillEndCmd(), a.drillStatusCmd(), a.drillReportCmd())
	return cmd
}

// withDrill opens the store and runs fn on the drill a subcommand acts on:
// the incident ref names, or the current one.
func (a *session) withDrill(cmd *cobra.Command, ref string, fn func(context.Context, *storage.Store, model.Incident, model.Exercise) error) error {
	return a.withIncident(cmd, ref, func(ctx context.Context, st *storage.Store, in model.Incident) error {
		x, err := a.respond(st).Drill(ctx, in)
		if err != nil {
			return err
		}
		return fn(ctx, st, in, x)
	})
}

func (a *session) drillClockCmd(name, short string, kind model.EventKind) *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:               name + " [ID]",
		Short:             short,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: a.completeArgs(exerciseIDs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withDrill(cmd, firstArg(args), func(ctx context.Context, st *storage.Store, in model.Incident, _ model.Exercise) error {
				change := a.respond(st).PauseDrill
				if kind == model.EventExerciseResumed {
					change = a.respond(st).ResumeDrill
				}
				x, _, err := change(ctx, in, reason)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.out, "%s: exercise clock %sd at %s\n", in.Short(), name, model.TPlus(x.Elapsed(a.now())))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why, for the timeline")
	return cmd
}

func (a *session) drillSpeedCmd() *cobra.Command {
	return &cobra.Command{
		Use:               "speed N [ID]",
		Short:             "Set the exercise clock's speed factor (2 = twice as fast, 0.5 = half)",
		Args:              cobra.RangeArgs(1, 2),
		ValidArgsFunction: a.completeArgs(nil, exerciseIDs),
		RunE: func(cmd *cobra.Command, args []string) error {
			sp, err := strconv.ParseFloat(strings.TrimSuffix(args[0], "x"), 64)
			if err != nil {
				return model.Invalidf("invalid speed %q: give a factor, like 2 or 0.5", args[0])
			}
			return a.withDrill(cmd, argAt(args, 1), func(ctx context.Context, st *storage.Store, in model.Incident, _ model.Exercise) error {
				if _, err := a.respond(st).SetDrillSpeed(ctx, in, sp); err != nil {
					return err
				}
				fmt.Fprintf(a.out, "%s: exercise clock runs at %gx\n", in.Short(), sp)
				return nil
			})
		},
	}
}

func (a *session) drillInjectCmd(name string, kind model.EventKind) *cobra.Command {
	var reason string
	short := "Release inject N now, ahead of its time"
	if kind == model.EventInjectSkipped {
		short = "Skip inject N: it will not be released"
	}
	cmd := &cobra.Command{
		Use:               name + " N [ID]",
		Short:             short,
		Args:              cobra.RangeArgs(1, 2),
		ValidArgsFunction: a.completeArgs(nil, exerciseIDs),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := strconv.Atoi(args[0])
			if err != nil || n < 1 {
				return model.Invalidf("inject number %q: give the number 'sitrep drill status' shows (1, 2, …)", args[0])
			}
			return a.withDrill(cmd, argAt(args, 1), func(ctx context.Context, st *storage.Store, in model.Incident, _ model.Exercise) error {
				change := a.respond(st).Inject
				if kind == model.EventInjectSkipped {
					change = a.respond(st).SkipInject
				}
				cur, _, err := change(ctx, in, n-1, reason)
				if err != nil {
					return err
				}
				verb := "released"
				if kind == model.EventInjectSkipped {
					verb = "skipped"
				}
				fmt.Fprintf(a.out, "%s: inject %d %s: %s\n", in.Short(), n, verb, model.Neutralise(model.OneLine(cur.Title)))
				if kind == model.EventInjectReleased && strings.TrimSpace(cur.Text) != "" {
					fmt.Fprintf(a.out, "\n%s\n", model.Neutralise(strings.TrimSpace(cur.Text)))
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why, for the timeline and the report")
	return cmd
}

func (a *session) drillEndCmd() *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:               "end [ID]",
		Short:             "End the drill: the clock stops, objectives still open are missed, the incident is resolved",
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: a.completeArgs(exerciseIDs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withDrill(cmd, firstArg(args), func(ctx context.Context, st *storage.Store, in model.Incident, x model.Exercise) error {
				now := a.now().UTC().Truncate(time.Millisecond)
				if _, _, err := a.respond(st).EndDrill(ctx, in, reason); err != nil {
					return err
				}
				resolved := ""
				if in.Status.Active() {
					resolved = " and the exercise incident resolved"
				}
				fmt.Fprintf(a.out, "%s: drill ended at %s%s; 'sitrep drill report %s' writes the after-action report\n", in.Short(), model.TPlus(x.Elapsed(now)), resolved, in.Short())
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why, for the timeline")
	return cmd
}

func (a *session) drillStatusCmd() *cobra.Command {
	return &cobra.Command{
		Use:               "status [ID]",
		Short:             "The facilitator's view: clock, injects released and next, objectives, updates due",
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: a.completeArgs(exerciseIDs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withDrill(cmd, firstArg(args), func(ctx context.Context, st *storage.Store, in model.Incident, x model.Exercise) error {
				aa, err := a.respond(st).AfterAction(ctx, in, x)
				if err != nil {
					return err
				}
				writeDrillStatus(a.out, aa)
				return nil
			})
		},
	}
}

func (a *session) drillReportCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:               "report [ID]",
		Short:             "Print the after-action report (Markdown)",
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: a.completeArgs(exerciseIDs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withDrill(cmd, firstArg(args), func(ctx context.Context, st *storage.Store, in model.Incident, x model.Exercise) error {
				aa, err := a.respond(st).AfterAction(ctx, in, x)
				if err != nil {
					return err
				}
				return a.writeOutput(out, func(w io.Writer) error {
					_, err := io.WriteString(w, model.Neutralise(export.AfterActionReport(aa)))
					return err
				})
			})
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to FILE instead of standard output")
	return cmd
}

func argAt(args []string, i int) string {
	if i < len(args) {
		return args[i]
	}
	return ""
}

func writeDrillStatus(w io.Writer, aa model.AfterAction) {
	n := model.Neutralise
	x, now := aa.Exercise, aa.Now
	fmt.Fprintf(w, "EXERCISE %s: %s (scenario %s)\n", aa.Incident.Short(), n(model.OneLine(aa.Incident.Title)), n(x.Started.Scenario))
	state := fmt.Sprintf("running at %gx", x.Speed(now))
	switch {
	case x.Over(now):
		state = "ENDED " + x.Ended.UTC().Format("15:04:05Z")
	case x.Paused(now):
		state = "PAUSED"
	}
	fmt.Fprintf(w, "clock %s, %s (started %s)\n\n", model.TPlus(x.Elapsed(now)), state, x.Started.Start.UTC().Format("2006-01-02 15:04:05Z"))
	fmt.Fprintln(w, "Injects:")
	responses := aa.InjectResponses()
	for _, r := range responses {
		mark, detail := "·", "pending"
		switch r.State {
		case model.InjectReleased:
			mark = "✓"
			detail = "released " + r.ReleasedAt.UTC().Format("15:04:05Z")
			if r.Early {
				detail += " (early)"
			}
			if r.Responded {
				detail += ", first response after " + model.FormatAge(r.ResponseIn)
			} else {
				detail += ", no response yet"
			}
		case model.InjectSkipped:
			mark, detail = "✗", "skipped"
		default:
			if !r.Due.IsZero() {
				detail = fmt.Sprintf("due %s (in %s)", r.Due.UTC().Format("15:04:05Z"), model.FormatAge(r.Due.Sub(now)))
			} else {
				detail = "waits for the clock"
			}
		}
		fmt.Fprintf(w, "  %s %2d %-7s %s — %s\n", mark, r.Index+1, model.FormatOffset(r.Offset), n(model.OneLine(r.Title)), detail)
		for _, e := range r.Expected {
			if e.Answered {
				fmt.Fprintf(w, "         ✓ #%-4s %s (seen at %s)\n", e.Tag, n(model.OneLine(e.Text)), model.TPlus(x.Elapsed(e.At)))
			} else {
				fmt.Fprintf(w, "         · #%-4s look for: %s\n", e.Tag, n(model.OneLine(e.Text)))
			}
		}
	}
	var latest *model.InjectResponse
	for _, r := range responses {
		if r.State == model.InjectReleased && (latest == nil || !r.ReleasedAt.Before(latest.ReleasedAt)) {
			latest = &r
		}
	}
	if latest != nil && strings.TrimSpace(latest.Text) != "" {
		fmt.Fprintf(w, "\nLatest, inject %d (read it out): %s\n", latest.Index+1, n(model.OneLine(latest.Title)))
		for _, l := range strings.Split(n(strings.TrimSpace(latest.Text)), "\n") {
			fmt.Fprintf(w, "  %s\n", l)
		}
	}
	if next, ok := x.NextInject(now); ok {
		fmt.Fprintf(w, "\nNext: inject %d at %s — %s\n", next.Index+1, model.FormatOffset(next.Offset), n(model.OneLine(next.Title)))
		for i, e := range next.Expected {
			fmt.Fprintf(w, "  look for: %s (note it with #%s)\n", n(model.OneLine(e)), model.ExpectedTag(next.Index, i))
		}
	}
	fmt.Fprintln(w, "\nObjectives:")
	for _, o := range x.Objectives(aa.Log(), now) {
		target := ""
		switch {
		case o.Target > 0 && o.Kind == model.ObjectiveRPO:
			target = " (at most " + model.FormatLength(o.Target) + " lost; note it with #rpo)"
		case o.Target > 0:
			target = " within " + model.FormatLength(o.Target)
		}
		at := ""
		if !o.At.IsZero() {
			at = " at " + model.TPlus(o.Took)
		}
		fmt.Fprintf(w, "  %-6s #%s %s%s%s\n", strings.ToUpper(string(o.State)), o.ID, n(model.OneLine(o.Title)), target, at)
	}
	if dues := model.UpdatesDue(aa.Incident, &x, aa.Messages, aa.Cadence, now); len(dues) > 0 && !x.Over(now) {
		fmt.Fprintln(w, "\nUpdates due:")
		for _, d := range dues {
			late := ""
			if d.Late {
				late = " LATE"
			}
			fmt.Fprintf(w, "  %-9s by %s%s\n", d.Audience, d.At.UTC().Format("15:04:05Z"), late)
		}
	}
}
