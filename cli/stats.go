package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

func statsCommands(a *session) []*cobra.Command {
	return []*cobra.Command{a.statsCmd()}
}

func (a *session) statsCmd() *cobra.Command {
	var since, until, kind, sev string
	var exercises bool
	cmd := &cobra.Command{
		Use:   "stats [--since DATE] [--until DATE] [--kind KIND] [--sev N] [--exercises]",
		Short: "Response times over a period: median and p90 by severity and kind",
		Long: `Prints time to detect (impact start, from the review, to detection), to
acknowledge, to mitigate and to resolve (from detection), as the median and
90th percentile over the incidents declared in the period, for all of them,
per severity and per kind. Drills are never mixed with real incidents:
--exercises shows the drills alone.`,
		Example: `  sitrep stats
  sitrep stats --since 2026-01-01 --until 2026-07-01 --sev 1
  sitrep stats --since -720h --kind security
  sitrep stats --exercises`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := storage.StatsFilter{Kind: strings.ToLower(strings.TrimSpace(kind)), Exercises: exercises}
			var err error
			if f.Since, err = a.optionalWhen(since); err != nil {
				return err
			}
			if f.Until, err = a.optionalWhen(until); err != nil {
				return err
			}
			if sev != "" {
				if f.Severity, err = model.ParseSeverity(sev); err != nil {
					return err
				}
			}
			return a.withStore(cmd, func(ctx context.Context, st *storage.Store) error {
				times, err := st.IncidentTimes(ctx, f)
				if err != nil {
					return err
				}
				writeStats(a.out, f, model.ComputeStats(times, f.Exercises))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&since, "since", "", "declared at or after: 2026-01-01, -720h, 14:00")
	cmd.Flags().StringVar(&until, "until", "", "declared before")
	cmd.Flags().StringVar(&kind, "kind", "", "only incidents of this kind")
	cmd.Flags().StringVar(&sev, "sev", "", "only this severity")
	cmd.Flags().BoolVar(&exercises, "exercises", false, "drills instead of real incidents (never mixed)")
	a.completeFlags(cmd, map[string]completer{"sev": severityNumbers, "kind": kindNames})
	return cmd
}

func writeStats(w io.Writer, f storage.StatsFilter, st model.Stats) {
	what := "Real incidents"
	if st.Exercises {
		what = "EXERCISES (drills; never counted with real incidents)"
	}
	period := "all time"
	switch {
	case !f.Since.IsZero() && !f.Until.IsZero():
		period = fmt.Sprintf("declared %s to %s", f.Since.UTC().Format("2006-01-02 15:04"), f.Until.UTC().Format("2006-01-02 15:04 UTC"))
	case !f.Since.IsZero():
		period = "declared since " + f.Since.UTC().Format("2006-01-02 15:04 UTC")
	case !f.Until.IsZero():
		period = "declared before " + f.Until.UTC().Format("2006-01-02 15:04 UTC")
	}
	var filters []string
	if f.Kind != "" {
		filters = append(filters, "kind "+model.Neutralise(f.Kind))
	}
	if f.Severity != 0 {
		filters = append(filters, f.Severity.String())
	}
	if len(filters) > 0 {
		period += ", " + strings.Join(filters, ", ")
	}
	fmt.Fprintf(w, "%s, %s: %s\n", what, period, model.Count(st.All.Count, "incident"))
	if st.All.Count == 0 {
		return
	}
	fmt.Fprintln(w, "median / p90 (n = incidents with the milestones); detect needs the review's impact start")
	fmt.Fprintln(w)
	var table strings.Builder
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', tabwriter.AlignRight)
	header := "\tincidents\t"
	for _, m := range model.Metrics {
		header += "to " + string(m) + "\t"
	}
	fmt.Fprintln(tw, header)
	row := func(g model.StatsGroup) {
		line := model.Neutralise(g.Key) + "\t" + fmt.Sprint(g.Count) + "\t"
		for _, m := range model.Metrics {
			s := g.Get(m)
			if s.N == 0 {
				line += "—\t"
				continue
			}
			line += fmt.Sprintf("%s / %s (n=%d)\t", model.FormatMetric(s.Median), model.FormatMetric(s.P90), s.N)
		}
		fmt.Fprintln(tw, line)
	}
	row(st.All)
	fmt.Fprintln(tw, "\t\t\t\t\t\t")
	for _, g := range st.BySeverity {
		row(g)
	}
	fmt.Fprintln(tw, "\t\t\t\t\t\t")
	for _, g := range st.ByKind {
		row(g)
	}
	tw.Flush()
	for _, l := range strings.Split(strings.TrimRight(table.String(), "\n"), "\n") {
		fmt.Fprintln(w, strings.TrimRight(l, " "))
	}
}
