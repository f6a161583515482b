package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/muesli/termenv"
	"github.com/spf13/cobra"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

func searchCommands(a *session) []*cobra.Command {
	return []*cobra.Command{a.searchCmd()}
}

func (a *session) searchCmd() *cobra.Command {
	var statuses []string
	var sev, kind, since, until string
	var exercises, real, active bool
	var limit int
	var in string
	cmd := &cobra.Command{
		Use:   "search QUERY... [filters]",
		Short: "Search past incidents offline: titles, timelines and reviews",
		Long: `Finds incidents whose title, timeline or review contains every word of
QUERY (words match as prefixes: "fail" finds "failover"; "quoted words"
match as a phrase), newest first within titles, reviews and timelines,
one line per incident with the matching text highlighted. A single word that
reads as an incident id (a219f8cc) finds that incident first.

--in ID lists instead the entries of one incident's timeline that match,
newest first, one a line: what / finds in the cockpit.`,
		Example: `  sitrep search failover
  sitrep search "replica lag" --sev 1 --since 2026-01-01
  sitrep search dns --status resolved,reviewed --kind outage
  sitrep search token --exercises
  sitrep search "restart primary" --in 9f3c`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if in != "" {
				for _, name := range []string{"status", "active", "sev", "kind", "since", "until", "exercises", "real"} {
					if cmd.Flags().Changed(name) {
						return model.Invalidf("--%s filters incidents; --in searches one incident's timeline: give one or the other", name)
					}
				}
				return a.withStore(cmd, func(ctx context.Context, st *storage.Store) error {
					return a.searchTimeline(ctx, st, in, strings.Join(args, " "), limit)
				})
			}
			f := storage.SearchFilter{Kind: strings.ToLower(strings.TrimSpace(kind)), Active: active, Limit: limit}
			for _, s := range statuses { // --status a,b is split by the flag itself
				if strings.TrimSpace(s) == "" {
					continue
				}
				st, err := model.ParseStatus(s)
				if err != nil {
					return err
				}
				f.Statuses = append(f.Statuses, st)
			}
			var err error
			if sev != "" {
				if f.Severity, err = model.ParseSeverity(sev); err != nil {
					return err
				}
			}
			if f.From, err = a.optionalWhen(since); err != nil {
				return err
			}
			if f.To, err = a.optionalWhen(until); err != nil {
				return err
			}
			switch {
			case exercises && real:
				return model.Invalidf("--exercises and --real exclude each other; give neither for both")
			case exercises:
				f.Exercise = &exercises
			case real:
				no := false
				f.Exercise = &no
			}
			return a.withStore(cmd, func(ctx context.Context, st *storage.Store) error {
				query := strings.Join(args, " ")
				hits, err := st.Search(ctx, query, f)
				if err != nil {
					return err
				}
				if len(hits) == 0 {
					fmt.Fprintln(a.errOut, "no incident matches")
					return nil
				}
				writeHits(a.out, hits)
				return nil
			})
		},
	}
	cmd.Flags().StringSliceVar(&statuses, "status", nil, "only these statuses (comma-separated)")
	cmd.Flags().BoolVar(&active, "active", false, "only incidents still active")
	cmd.Flags().StringVar(&sev, "sev", "", "only this severity")
	cmd.Flags().StringVar(&kind, "kind", "", "only this kind")
	cmd.Flags().StringVar(&since, "since", "", "declared at or after: 2026-01-01, -720h")
	cmd.Flags().StringVar(&until, "until", "", "declared before")
	cmd.Flags().BoolVar(&exercises, "exercises", false, "drills only")
	cmd.Flags().BoolVar(&real, "real", false, "real incidents only, no drills")
	cmd.Flags().IntVar(&limit, "limit", 50, "at most this many incidents (with --in, entries)")
	cmd.Flags().StringVar(&in, "in", "", "search one incident's timeline: its entries that match")
	a.completeFlags(cmd, map[string]completer{"sev": severityNumbers, "kind": kindNames})
	return cmd
}

// matchMarks are what a search's matches are put between on w: bold
// reverse on a terminal, [brackets] otherwise.
func matchMarks(w io.Writer) (open, closeMark string) {
	if termenv.NewOutput(w).EnvColorProfile() != termenv.Ascii {
		return "\x1b[1;7m", "\x1b[0m"
	}
	return "[", "]"
}

// writeHits prints one result per incident and its snippet, its matches
// marked (matchMarks).
func writeHits(w io.Writer, hits []storage.SearchHit) {
	open, closeMark := matchMarks(w)
	for _, h := range hits {
		in := h.Incident
		title := model.Neutralise(model.OneLine(in.Title))
		if in.Exercise {
			title = "[EXERCISE] " + title
		}
		fmt.Fprintf(w, "%s  %s  %-13s %s  %s\n", model.Neutralise(in.Short()), in.Severity, model.Neutralise(string(in.Status)), in.DeclaredAt.UTC().Format("2006-01-02"), title)
		more := ""
		if h.Hits > 1 {
			more = fmt.Sprintf(" (+%d more)", h.Hits-1)
		}
		fmt.Fprintf(w, "    %s: %s%s\n", h.Where, marked(h.Snippet, h.Matches, open, closeMark), more)
	}
}

// searchTimeline prints the entries of incident ref that match query,
// newest first: when, who, what kind, and the words around the matches.
func (a *session) searchTimeline(ctx context.Context, st *storage.Store, ref, query string, limit int) error {
	in, err := st.ResolveIncident(ctx, ref)
	if err != nil {
		return err
	}
	hits, err := st.SearchTimeline(ctx, in.ID, query, limit)
	if err != nil {
		return err
	}
	if len(hits) == 0 {
		fmt.Fprintf(a.errOut, "no entry of %s matches\n", in.Short())
		return nil
	}
	open, closeMark := matchMarks(a.out)
	for _, h := range hits {
		e := h.Entry
		fmt.Fprintf(a.out, "%s  %-14s %-9s %s\n", e.Occurred.UTC().Format("2006-01-02 15:04Z"), model.Neutralise(model.OneLine(e.Author)),
			model.Neutralise(e.Label()), marked(h.Snippet, h.Matches, open, closeMark))
	}
	return nil
}

// marked is a search snippet made harmless, its matches between open and
// closeMark.
func marked(snippet string, matches [][2]int, open, closeMark string) string {
	var b strings.Builder
	last := 0
	for _, m := range matches {
		b.WriteString(model.Neutralise(snippet[last:m[0]]))
		b.WriteString(open + model.Neutralise(snippet[m[0]:m[1]]) + closeMark)
		last = m[1]
	}
	b.WriteString(model.Neutralise(snippet[last:]))
	return b.String()
}
