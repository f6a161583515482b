package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/respond"
	"github.com/sitrep-dev/sitrep/storage"
)

// Corrections are new events that point at the entry they correct: the
// log is never edited, and verify still passes.

func correctionCommands(a *session) []*cobra.Command {
	return []*cobra.Command{a.amendCmd(), a.retractCmd(), a.retitleCmd()}
}

func (a *session) amendCmd() *cobra.Command {
	var incident string
	cmd := &cobra.Command{
		Use:   "amend [--incident ID] ENTRY TEXT|-",
		Short: "Correct a note, decision or action item: the new text shows, the old stays in the log",
		Long: `Replace what a note, decision or action item says. ENTRY is the entry's id
as 'sitrep show --ids' prints it (or the whole event id). The timeline shows
the new text marked [amended]; the original stays in the log, and the
amendment is an entry of its own, so the history of what was said is kept.
'-' reads the new text from standard input.`,
		Example: `  sitrep show --ids
  sitrep amend 7c41d2e9 "Rolled back deploy 4812 (not 4821)"`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			text := strings.Join(args[1:], " ")
			if len(args) == 2 && args[1] == "-" {
				b, err := readInput(a.in, "-")
				if err != nil {
					return err
				}
				text = string(b)
			}
			return a.correct(cmd, incident, args[0], func(ctx context.Context, s *respond.Service, e model.TimelineEntry) (model.Event, error) {
				return s.Amend(ctx, e.IncidentID, e.EventID, text)
			})
		},
	}
	cmd.Flags().StringVar(&incident, "incident", "", "incident id (default: the current one)")
	a.completeFlags(cmd, map[string]completer{"incident": incidentIDs})
	return cmd
}

func (a *session) retractCmd() *cobra.Command {
	var incident, reason string
	cmd := &cobra.Command{
		Use:   "retract [--incident ID] ENTRY [--reason WHY]",
		Short: "Withdraw a note, decision or action item that was wrong (or a secret pasted by mistake)",
		Long: `Mark a note, decision or action item as retracted: it stays in the timeline,
struck out as [retracted], and counts for nothing in reports, tags and
objectives. ENTRY is the entry's id as 'sitrep show --ids' prints it.
A retraction cannot be undone; add a new note instead.`,
		Example: `  sitrep retract 7c41d2e9 --reason "wrong incident"`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.correct(cmd, incident, args[0], func(ctx context.Context, s *respond.Service, e model.TimelineEntry) (model.Event, error) {
				return s.Retract(ctx, e.IncidentID, e.EventID, reason)
			})
		},
	}
	cmd.Flags().StringVar(&incident, "incident", "", "incident id (default: the current one)")
	cmd.Flags().StringVar(&reason, "reason", "", "why it is withdrawn")
	a.completeFlags(cmd, map[string]completer{"incident": incidentIDs})
	return cmd
}

// correct finds ENTRY in the incident and records the correction fix
// makes to it.
func (a *session) correct(cmd *cobra.Command, incident, ref string, fix func(context.Context, *respond.Service, model.TimelineEntry) (model.Event, error)) error {
	return a.withIncident(cmd, incident, func(ctx context.Context, st *storage.Store, in model.Incident) error {
		entry, err := st.ResolveEntry(ctx, in.ID, ref)
		if err != nil {
			return err
		}
		e, err := fix(ctx, a.respond(st), entry)
		if err != nil {
			return err
		}
		fmt.Fprintln(a.out, model.Neutralise(model.Describe(e)))
		return nil
	})
}

func (a *session) retitleCmd() *cobra.Command {
	return &cobra.Command{
		Use:               "retitle ID TITLE",
		Short:             "Change an incident's title (the change is a timeline entry)",
		Example:           `  sitrep retitle 9f3c "Checkout 500s for EU card payments"`,
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: a.completeArgs(incidentIDs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := a.needID(cmd, args, 2); err != nil {
				return err
			}
			return a.withNamedIncident(cmd, args[0], func(ctx context.Context, st *storage.Store, in model.Incident) error {
				e, err := a.respond(st).Retitle(ctx, in.ID, strings.Join(args[1:], " "))
				if err != nil {
					return err
				}
				fmt.Fprintln(a.out, model.Neutralise(model.Describe(e)))
				return nil
			})
		},
	}
}
