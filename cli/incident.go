package cli

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
	ssync "github.com/sitrep-dev/sitrep/sync"
)

func incidentCommands(a *session) []*cobra.Command {
	return []*cobra.Command{a.declareCmd(), a.noteCmd(), a.statusCmd(), a.severityCmd(), a.assignCmd(),
		a.useCmd(), a.lsCmd(), a.showCmd(), a.verifyCmd(), a.rebuildCmd()}
}

// withStore opens the store for one command and closes it after.
func (a *session) withStore(cmd *cobra.Command, fn func(context.Context, *storage.Store) error) error {
	ctx := cmd.Context()
	st, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(ctx, st)
}

// withIncident runs fn on the incident ref names, or the current one when
// ref is empty, in the store this command works on.
func (a *session) withIncident(cmd *cobra.Command, ref string, fn func(context.Context, *storage.Store, model.Incident) error) error {
	return a.withStore(cmd, func(ctx context.Context, st *storage.Store) error {
		in, err := pickIncident(ctx, st, ref)
		if err != nil {
			return err
		}
		return fn(ctx, st, in)
	})
}

// pickIncident resolves --incident, or falls back to the current one.
func pickIncident(ctx context.Context, st *storage.Store, ref string) (model.Incident, error) {
	if ref != "" {
		return st.ResolveIncident(ctx, ref)
	}
	return st.Current(ctx)
}

func (a *session) declareCmd() *cobra.Command {
	var title, sev, kind, detected, commander, at, fromAlert string
	var exercise, unacknowledged bool
	var runbookNames []string
	cmd := &cobra.Command{
		Use:   "declare TITLE --sev N [--kind KIND] [--at TIME] | --from-alert FILE|-",
		Short: "Declare an incident and print its id",
		Long: `Declare an incident, make you (or --commander) its Incident Commander, and
make it the current incident. Whoever declares has acknowledged it, so it
starts as investigating.

To record an incident after the fact, --at says when it was declared (UTC,
as for 'note --at'; at most a few minutes ahead): the declaration takes
that place in the timeline, acknowledged is that time, and the timeline
also shows when it was written down. --unacknowledged records one nobody
took: it starts as detected, and a later 'status ID resolved --at TIME'
leaves acknowledged empty, so it stays out of time to acknowledge.

--from-alert reads an Alertmanager or Grafana webhook body, the array
Alertmanager's /api/v2/alerts returns, a PagerDuty v3, Opsgenie, Datadog or
New Relic webhook, a CloudWatch alarm (SNS or EventBridge), or a Google
Cloud Monitoring or Azure Monitor alert ('-': standard input), and takes the
title, severity, kind and detection time from it, attaching the runbook its
runbook_url names. Another notification of the same alert group adds a note
to that group's open incident instead.`,
		Example: `  sitrep declare "Checkout 500s" --sev 1 --kind outage
  sitrep declare --title "Suspicious logins" --sev 2 --kind security --runbook security-incident
  sitrep declare --title "Disk full on db-3" --sev 3 --at "2026-11-20 02:05" --detected "2026-11-20 02:00"
  sitrep declare --title "Queue backlog, healed itself" --sev 4 --at -9h --unacknowledged
  curl -s http://alertmanager:9093/api/v2/alerts | sitrep declare --from-alert -`,
		// The title may also be the words after declare, as a note's text
		// is: what a first try types.
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("from-alert") {
				if len(args) > 0 {
					return model.Invalidf("--from-alert takes the title from the alert: leave out %q", strings.Join(args, " "))
				}
				if err := alertFlagsAlone(cmd); err != nil {
					return err
				}
				return a.declareFromAlert(cmd, fromAlert, commander, runbookNames)
			}
			required := []string{"title", "sev"}
			if len(args) > 0 {
				if cmd.Flags().Changed("title") {
					return model.Invalidf("two titles: --title %q and %q; give one", title, strings.Join(args, " "))
				}
				title, required = strings.Join(args, " "), required[1:]
			}
			if err := requireFlags(cmd, required...); err != nil {
				return err
			}
			severity, err := model.ParseSeverity(sev)
			if err != nil {
				return err
			}
			d := model.Declaration{Title: title, Kind: kind, Severity: severity, Exercise: exercise, Commander: commander}
			if unacknowledged {
				d.Status = model.StatusDetected
			}
			if at != "" {
				if d.At, err = a.pastWhen("--at", at); err != nil {
					return err
				}
			}
			if detected != "" {
				if d.DetectedAt, err = a.pastWhen("--detected", detected); err != nil {
					return err
				}
			}
			return a.withStore(cmd, func(ctx context.Context, st *storage.Store) error {
				in, err := a.respond(st).Declare(ctx, d, runbookNames)
				if err != nil {
					return err
				}
				fmt.Fprintln(a.out, in.Short())
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&title, "title", "", "what is wrong, in a few words (or as the words after declare)")
	cmd.Flags().StringVar(&sev, "sev", "", "severity 1-4: "+sevHelp())
	cmd.Flags().StringVar(&kind, "kind", "other", "kind of incident: "+strings.Join(model.IncidentKinds, ", ")+", or your own")
	cmd.Flags().StringVar(&detected, "detected", "", "when it was first detected, if before now: 14:02 (UTC), -10m, 2026-11-23 14:02")
	cmd.Flags().StringVar(&at, "at", "", "when it was declared, to record it after the fact: 14:02 (UTC), -3h, 2026-11-23 14:02")
	cmd.Flags().BoolVar(&unacknowledged, "unacknowledged", false, "nobody acknowledged it: start as detected, with no acknowledged time")
	cmd.Flags().StringVar(&commander, "commander", "", "who takes the Incident Commander role (default: you)")
	cmd.Flags().BoolVar(&exercise, "exercise", false, "a drill: marked EXERCISE everywhere, kept out of real metrics")
	cmd.Flags().StringArrayVar(&runbookNames, "runbook", nil, "attach a runbook by name (repeatable; see 'sitrep runbook list')")
	cmd.Flags().StringVar(&fromAlert, "from-alert", "", "declare from an alert payload in FILE, or '-' for standard input (Alertmanager, Grafana, PagerDuty, Opsgenie, Datadog, New Relic, CloudWatch, Google Cloud, Azure)")
	a.completeFlags(cmd, map[string]completer{"sev": severityNumbers, "kind": kindNames, "runbook": libraryRunbooks})
	return cmd
}

func sevHelp() string {
	var parts []string
	for _, s := range model.Severities {
		parts = append(parts, fmt.Sprintf("%d %s", int(s), strings.SplitN(s.Meaning(), ":", 2)[0]))
	}
	return strings.Join(parts, ", ")
}

func (a *session) noteCmd() *cobra.Command {
	var incident, kind, at string
	cmd := &cobra.Command{
		Use:   "note [--incident ID] [--kind note|decision|action] [--at TIME] TEXT|-",
		Short: "Add a note, decision or action item to an incident's timeline",
		Long: `Add a note to the timeline of the current incident (the one last declared or
opened here, or the only active one), or of --incident ID. '-' reads the note
from standard input. --at says when it happened if not now, in UTC as every
screen shows it (14:02, or 14:02+02:00 for another zone; at most a few
minutes ahead); the timeline is ordered by that time and also shows when
the note was written.`,
		Example: `  sitrep note "Rolled back deploy 4812"
  sitrep note --kind decision "Fail over to eu-west"
  sitrep note --at 14:02 "Paged the DB on-call"
  kubectl get pods | sitrep note -`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			nk, err := model.ParseNoteKind(kind)
			if err != nil {
				return err
			}
			text := strings.Join(args, " ")
			if len(args) == 1 && args[0] == "-" {
				b, err := io.ReadAll(io.LimitReader(a.in, storage.MaxNote+1))
				if err != nil {
					return fmt.Errorf("read note from standard input: %w", err)
				}
				text = string(b)
			}
			var occurred time.Time
			if at != "" {
				if occurred, err = a.pastWhen("--at", at); err != nil {
					return err
				}
			}
			return a.withIncident(cmd, incident, func(ctx context.Context, st *storage.Store, in model.Incident) error {
				e, err := a.respond(st).Note(ctx, in.ID, nk, text, occurred)
				if err != nil {
					return err
				}
				fmt.Fprintln(a.out, e.ID)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&incident, "incident", "", "incident id (default: the current one)")
	cmd.Flags().StringVar(&kind, "kind", "note", "note, decision or action")
	cmd.Flags().StringVar(&at, "at", "", "when it happened, if not now: 14:02 (UTC), -10m, 2026-11-23 14:02")
	a.completeFlags(cmd, map[string]completer{"incident": incidentIDs, "kind": words("note", "decision", "action")})
	return cmd
}

func (a *session) statusCmd() *cobra.Command {
	var reason, at string
	cmd := &cobra.Command{
		Use:   "status ID STATUS",
		Short: "Move an incident through its lifecycle",
		Long:  "Statuses, in order:\n" + statusHelp(),
		Example: `  sitrep status a1b2c3d4 mitigated
  sitrep status a1b2c3d4 resolved --at 15:40`,
		Args:              cobra.RangeArgs(0, 2),
		ValidArgsFunction: a.completeArgs(incidentIDs, statusNames),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := a.needID(cmd, args, 2); err != nil {
				return err
			}
			status, err := model.ParseStatus(args[1])
			if err != nil {
				return err
			}
			var occurred time.Time
			if at != "" {
				if occurred, err = a.pastWhen("--at", at); err != nil {
					return err
				}
			}
			return a.withNamedIncident(cmd, args[0], func(ctx context.Context, st *storage.Store, in model.Incident) error {
				_, err = a.respond(st).SetStatus(ctx, in.ID, status, reason, occurred)
				if err == nil {
					fmt.Fprintf(a.out, "%s: %s → %s\n", in.Short(), in.Status, status)
				}
				return err
			})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why, for the timeline")
	cmd.Flags().StringVar(&at, "at", "", "when it happened, if not now: 15:40 (UTC), -10m")
	return cmd
}

func statusHelp() string {
	var b strings.Builder
	for _, s := range model.Statuses {
		fmt.Fprintf(&b, "  %-14s %s\n", s, s.Meaning())
	}
	return b.String()
}

func (a *session) optionalWhen(text string) (time.Time, error) {
	if text == "" {
		return time.Time{}, nil
	}
	return model.ParseWhen(text, a.now(), time.UTC)
}

// pastWhen reads a flag that says when something happened (note --at,
// declare --detected, status --at): as UTC like everything sitrep shows,
// and no more than model.MaxAhead in the future.
func (a *session) pastWhen(flag, text string) (time.Time, error) {
	return model.ParsePast(flag, text, a.now())
}

func (a *session) severityCmd() *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:               "severity ID SEV",
		Aliases:           []string{"sev"},
		Short:             "Change an incident's severity (1-4)",
		Args:              cobra.RangeArgs(0, 2),
		ValidArgsFunction: a.completeArgs(incidentIDs, severityNumbers),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := a.needID(cmd, args, 2); err != nil {
				return err
			}
			sev, err := model.ParseSeverity(args[1])
			if err != nil {
				return err
			}
			return a.withNamedIncident(cmd, args[0], func(ctx context.Context, st *storage.Store, in model.Incident) error {
				_, err = a.respond(st).SetSeverity(ctx, in.ID, sev, reason)
				if err == nil {
					fmt.Fprintf(a.out, "%s: %s → %s\n", in.Short(), in.Severity, sev)
				}
				return err
			})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why, for the timeline")
	return cmd
}

func (a *session) assignCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "assign ID ROLE [PERSON]",
		Short: "Give a role to someone (default: you); an empty PERSON (\"\") releases it",
		Long: "Roles: " + roleHelp() + `
Aliases: ic, comms, ops, sme, support, legal, exec. Teams may use their own
role names too. Giving a role to who holds it, or releasing one nobody
holds, is refused: it would record a change that changes nothing.`,
		Example: `  sitrep assign a1b2c3d4 ic bob@laptop
  sitrep assign a1b2c3d4 comms`,
		Args:              cobra.RangeArgs(0, 3),
		ValidArgsFunction: a.completeArgs(incidentIDs, roleNames),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := a.needID(cmd, args, 2); err != nil {
				return err
			}
			role, err := model.ParseRole(args[1])
			if err != nil {
				return err
			}
			return a.withNamedIncident(cmd, args[0], func(ctx context.Context, st *storage.Store, in model.Incident) error {
				holder := st.Author()
				if len(args) == 3 {
					holder = args[2]
				}
				e, err := a.respond(st).Assign(ctx, in.ID, role, holder)
				if err == nil {
					fmt.Fprintln(a.out, model.Describe(e))
				}
				return err
			})
		},
	}
	return cmd
}

func roleHelp() string {
	var parts []string
	for _, r := range model.StandardRoles {
		parts = append(parts, string(r))
	}
	return strings.Join(parts, ", ")
}

func (a *session) useCmd() *cobra.Command {
	return &cobra.Command{
		Use:               "use ID",
		Short:             "Make an incident the current one, where notes go by default",
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: a.completeArgs(incidentIDs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(cmd, func(ctx context.Context, st *storage.Store) error {
				in, err := st.ResolveIncident(ctx, args[0])
				if err != nil {
					return err
				}
				if err := st.SetCurrent(ctx, in.ID); err != nil {
					return err
				}
				fmt.Fprintf(a.out, "now on %s: %s\n", in.Short(), model.OneLine(in.Title))
				return nil
			})
		},
	}
}

func (a *session) lsCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "ls",
		Aliases: []string{"list"},
		Short:   "List incidents, active first: id, severity, status, when declared, age, title",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withStore(cmd, func(ctx context.Context, st *storage.Store) error {
				list, err := st.Incidents(ctx)
				if err != nil {
					return err
				}
				if len(list) == 0 {
					fmt.Fprintln(a.out, "no incidents yet: declare one with 'sitrep declare --title TEXT --sev N'")
					return nil
				}
				tw := tabwriter.NewWriter(a.out, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tSEV\tSTATUS\tDECLARED\tAGE\tTITLE")
				now := a.now()
				for _, in := range list {
					title := model.OneLine(in.Title)
					if in.Exercise {
						title = "[EXERCISE] " + title
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", model.Neutralise(in.Short()), in.Severity, model.Neutralise(string(in.Status)), in.DeclaredAt.UTC().Format("2006-01-02 15:04Z"),
						model.FormatAge(max(now.Sub(in.DeclaredAt), 0)), title)
				}
				return tw.Flush()
			})
		},
	}
}

func (a *session) showCmd() *cobra.Command {
	var ids bool
	var asOf string
	cmd := &cobra.Command{
		Use:               "show [ID] [--ids] [--as-of TIME]",
		Short:             "Print an incident's header and full timeline as plain text",
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: a.completeArgs(incidentIDs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(cmd, func(ctx context.Context, st *storage.Store) error {
				ref := ""
				if len(args) == 1 {
					ref = args[0]
				}
				in, err := pickIncident(ctx, st, ref)
				if err != nil {
					return err
				}
				if asOf != "" {
					return a.showAsOf(ctx, st, in, asOf, ids)
				}
				entries, err := st.TimelineAt(ctx, in.ID, a.now())
				if err != nil {
					return err
				}
				roles, err := st.Roles(ctx, in.ID)
				if err != nil {
					return err
				}
				x, isDrill, err := st.Exercise(ctx, in.ID)
				if err != nil {
					return err
				}
				var drill *model.Exercise
				if isDrill {
					drill = &x
				}
				writeShow(a.out, in, roles, model.CoalesceSpeedChanges(entries), model.ClockOf(in, drill), ids)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&ids, "ids", false, "start each entry with its id, for 'sitrep amend' and 'sitrep retract'")
	cmd.Flags().StringVar(&asOf, "as-of", "", "print the incident as it stood then, with its runbooks' steps: 09:30 (UTC), -2h, 2026-11-23 09:30")
	return cmd
}

// writeShow prints an incident for reading or piping. Every piece of text
// that came from a person or another store is neutralised: control
// characters show in caret notation instead of acting on the terminal.
//
// Entries show their time of day under a date line where the day changes,
// their T+ on clock (the exercise clock for a drill), and, when the clock
// that stamped them disagreed with the others, what it stamped.
func writeShow(w io.Writer, in model.Incident, roles []model.RoleHolder, entries []model.TimelineEntry, clock model.IncidentClock, ids bool) {
	writeShowHead(w, in, roles, clock)
	fmt.Fprintln(w)
	writeShowEntries(w, entries, clock, ids)
}

// writeShowHead is show's header: title, status, milestones, roles.
func writeShowHead(w io.Writer, in model.Incident, roles []model.RoleHolder, clock model.IncidentClock) {
	n := model.Neutralise
	title := n(model.OneLine(in.Title))
	if in.Exercise {
		title = "EXERCISE — " + title
	}
	fmt.Fprintln(w, title)
	fmt.Fprintf(w, "id %s (%s) · %s · %s · %s\n", n(in.Short()), n(in.ID), in.Severity, n(in.Kind), n(string(in.Status)))
	fmt.Fprintf(w, "declared %s by %s\n", in.DeclaredAt.UTC().Format("2006-01-02 15:04:05 UTC"), n(in.DeclaredBy))
	var ms []string
	for _, m := range model.Milestones {
		t := in.Milestones.Get(m)
		v := "—"
		if !t.IsZero() {
			v = t.UTC().Format("2006-01-02 15:04:05")
			if _, ok := in.Milestones.Since(m); ok && m != model.MilestoneDetected {
				v += " (" + model.FormatAge(clock.Length(in.Milestones.Detected, t)) + ")"
			}
		}
		ms = append(ms, fmt.Sprintf("%s %s", m, v))
	}
	fmt.Fprintln(w, strings.Join(ms, " · "))
	for _, r := range roles {
		holder := n(r.Holder)
		if holder == "" {
			holder = "(nobody)"
		}
		line := fmt.Sprintf("%s: %s", n(model.OneLine(r.Role.Title())), holder)
		if len(r.Clash) > 0 {
			line += fmt.Sprintf("  [CLASH: also taken by %s — assign it again to settle]", n(strings.Join(r.Clash, ", ")))
		}
		fmt.Fprintln(w, line)
	}
}

// writeShowEntries is show's timeline.
func writeShowEntries(w io.Writer, entries []model.TimelineEntry, clock model.IncidentClock, ids bool) {
	n := model.Neutralise
	for i, e := range entries {
		if i == 0 || !model.SameDay(e.Placed(), entries[i-1].Placed()) {
			if i > 0 {
				fmt.Fprintln(w)
			}
			fmt.Fprintln(w, model.DayLine(e.Placed()))
		}
		marks := ""
		if e.Pinned {
			marks += " [pinned]"
		}
		if e.Retracted {
			marks += " [retracted]"
		}
		if e.AmendedBy != "" {
			marks += " [amended]"
		}
		if e.Late() {
			logged := e.Logged().UTC().Format("15:04:05Z")
			if !model.SameDay(e.Logged(), e.Placed()) {
				logged = e.Logged().UTC().Format("2006-01-02 15:04:05Z")
			}
			marks += " (logged " + logged + ")"
		}
		if note := e.ClockNote(); note != "" {
			marks += " [" + note + "]"
		}
		offset := clock.TPlus(e.Placed())
		text := strings.ReplaceAll(n(strings.TrimRight(e.Text, "\n")), "\n", "\n    ")
		if ids {
			fmt.Fprintf(w, "%-8s  ", n(model.ShortID(e.EventID)))
		}
		fmt.Fprintf(w, "%s  %-9s %s  %-8s %s%s\n", e.Placed().UTC().Format("15:04:05Z"), offset, n(e.Author), e.Label(), text, marks)
	}
}

func (a *session) verifyCmd() *cobra.Command {
	var against, sshCmd, remoteBin string
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "verify [--against REMOTE]",
		Short: "Check every author's hash chain and every table against it; exit 2 if history was changed or deleted",
		Long: `Checks that every event still hashes to its recorded hash and links to the
one before it in its author's chain (an event edited or deleted shows), and
that the tables show, the cockpit and exports read (incidents, timeline,
steps, roles, reviews, messages) say what replaying the log says (a line
edited in the database shows, naming the table, the event or incident, and
the columns). It also checks each chain against how far the hub last
acknowledged holding it, so a chain's newest events deleted here show.
Exits 2 if anything is wrong.

Alone, verify cannot see a chain's newest events deleted together with
the sync records, a whole store restored from an older copy, or events
lost before they were ever synced. --against REMOTE (a hub, named as for
sync) also asks the hub for the head of every history it holds and names
every one this store lacks in part or in full (exit 2); 'sitrep sync --full'
takes them back. It only reads: a missing shared file is not created.`,
		Example: `  sitrep verify
  sitrep verify --against ops@bastion:/srv/sitrep/team.db`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withStore(cmd, func(ctx context.Context, st *storage.Store) error {
				var hubHeads []storage.ChainHead
				var remote, hubID string
				if cmd.Flags().Changed("against") {
					var opts ssync.Options
					remote, opts = a.syncSettings(against, sshCmd, remoteBin, timeout)
					if remote == "" {
						return model.Invalidf("--against needs a hub, like ops@bastion:/srv/sitrep/team.db")
					}
					heads, rep, err := ssync.Heads(ctx, st, remote, opts)
					if err != nil {
						return err
					}
					hubHeads, remote, hubID = heads, rep.Remote, rep.HubID
				}
				rep, err := st.Verify(ctx)
				if err != nil {
					return err
				}
				if hubID != "" {
					// The hub's answer says all its own marks say, and more.
					rep.Problems = slices.DeleteFunc(rep.Problems, func(p storage.Problem) bool { return p.Hub == hubID })
				}
				ahead := 0
				if remote != "" {
					problems, n, err := st.CompareHeads(ctx, hubHeads, "the hub "+remote, "sitrep sync --full")
					if err != nil {
						return err
					}
					rep.Problems, ahead = append(rep.Problems, problems...), n
				}
				tables := 0
				for _, p := range rep.Problems {
					fmt.Fprintln(a.out, model.Neutralise(p.String()))
					if p.Table != "" {
						tables++
					}
				}
				if tables > 0 {
					fmt.Fprintln(a.out, "The log is what was recorded; the tables are built from it. Once the change is understood, 'sitrep rebuild' rebuilds them from the log.")
				}
				if len(rep.Problems) > 0 {
					return exitError{code: 2, err: fmt.Errorf("verify %s: %d problem(s) in %d events", st.Path(), len(rep.Problems), rep.Events)}
				}
				fmt.Fprintf(a.out, "ok: %d event%s in %d chain%s, every hash and link checks out, and every table agrees with the log\n",
					rep.Events, plural(rep.Events), rep.Chains, plural(rep.Chains))
				if remote != "" {
					fmt.Fprintf(a.out, "ok: every history the hub %s holds (%d chain%s) is here in full", model.Neutralise(remote), len(hubHeads), plural(len(hubHeads)))
					if ahead > 0 {
						verb := "run"
						if ahead == 1 {
							verb = "runs"
						}
						fmt.Fprintf(a.out, "; %d chain%s here %s past the hub's copy (events not synced yet)", ahead, plural(ahead), verb)
					}
					fmt.Fprintln(a.out)
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&against, "against", "", "also compare every history with the hub's, REMOTE named as for sync ([user@]host:path or a local path)")
	cmd.Flags().StringVar(&sshCmd, "ssh", "", "the ssh command and options for --against (as for sync)")
	cmd.Flags().StringVar(&remoteBin, "remote-sitrep", "", "path of sitrep on the hub, when it is not on the PATH there")
	cmd.Flags().DurationVar(&timeout, "timeout", 60*time.Second, "give up when the hub does not answer for this long")
	return cmd
}

func (a *session) rebuildCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "rebuild",
		Short: "Recreate every view (incidents, timeline, steps, roles) from the event log",
		Long: `Rebuilds the tables that show, the cockpit and exports read (incidents,
timeline, steps, roles, reviews, messages) by replaying the event log, which
is what was recorded. Use it after 'sitrep verify' reports a table that
differs from the log, once the change is understood. The log itself is not
touched.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withStore(cmd, func(ctx context.Context, st *storage.Store) error {
				return st.Rebuild(ctx)
			})
		},
	}
}
