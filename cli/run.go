package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sitrep-dev/sitrep/evidence"
	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

func runCommands(a *session) []*cobra.Command { return []*cobra.Command{a.runCmd()} }

func (a *session) runCmd() *cobra.Command {
	var incident string
	var noOutput bool
	cmd := &cobra.Command{
		Use:   "run [--incident ID] [--no-output] -- COMMAND [ARG...]",
		Short: "Run a command and keep what it printed on the incident's timeline",
		Long: `Run a command as if typed at the shell (its input, output and colours pass
through), then add it to the timeline of the current incident, or of
--incident ID, as evidence: the command line, working directory, host, start
time, how long it ran, its exit status, and its combined output without
terminal control sequences. Up to 64 KB of output is kept (the head and the
tail, with the number of bytes left out between); what looks like a secret
(private keys, cloud and chat tokens, passwords in key=value pairs) is masked
before anything is stored, and the entry says how many were. --no-output
keeps only the command and how it ended.

sitrep run exits with the command's exit status (128+N when a signal N
killed it, 127 when it was not found), so it fits in scripts. Everything
after the command's name is the command's, flags included; '--' makes that
plain.`,
		Example: `  sitrep run -- kubectl -n shop get pods
  sitrep run --incident 9f3c -- curl -sS https://shop.example/health
  sitrep run --no-output -- ./rotate-keys.sh`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withIncident(cmd, incident, func(ctx context.Context, st *storage.Store, in model.Incident) error {
				// The incident first: a mistyped id fails before anything runs.
				return a.runEvidence(ctx, st, in, evidence.Command{Args: args, Stdin: a.in, Stdout: a.out, Stderr: a.errOut}, !noOutput)
			})
		},
	}
	// Flags after the command's name are the command's: sitrep run ls -la.
	cmd.Flags().SetInterspersed(false)
	cmd.Flags().StringVar(&incident, "incident", "", "incident id (default: the current one)")
	cmd.Flags().BoolVar(&noOutput, "no-output", false, "keep only the command and its exit status, not what it printed")
	a.completeFlags(cmd, map[string]completer{"incident": incidentIDs})
	return cmd
}

// runEvidence runs c, records it on in, and returns an error carrying the
// command's exit status when it was not 0.
func (a *session) runEvidence(ctx context.Context, st *storage.Store, in model.Incident, c evidence.Command, keep bool) error {
	res, runErr := evidence.Run(ctx, c)
	if res.Started.IsZero() {
		return runErr // nothing ran: no command given
	}
	e, err := a.respond(st).RecordEvidence(context.WithoutCancel(ctx), in.ID, c, res, keep, nil)
	if err != nil {
		err = fmt.Errorf("the command ran (%s) but was not recorded on %s: %w", res.Status(), in.Short(), err)
		return exitError{code: max(res.Exit, 1), err: err}
	}
	note := ""
	if p, err := model.Decode[model.EvidencePayload](e); err == nil && p.Masked > 0 {
		note = fmt.Sprintf(", %s masked", model.Count(p.Masked, "secret"))
	}
	switch {
	case runErr != nil:
		return exitError{code: res.Exit, err: fmt.Errorf("%w (recorded on %s)", runErr, in.Short())}
	case res.Exit != 0:
		return exitError{code: res.Exit, err: fmt.Errorf("%s: %s (recorded on %s%s)", c.Args[0], res.Status(), in.Short(), note)}
	}
	fmt.Fprintf(a.errOut, "sitrep: recorded on %s%s\n", in.Short(), note)
	return nil
}
