package cli

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sitrep-dev/sitrep/alerts"
	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/respond"
	"github.com/sitrep-dev/sitrep/storage"
)

// declareFromAlert is 'declare --from-alert FILE|-': it reads the payload
// whole and checks it before the store is opened, so bad input writes
// nothing.
func (a *session) declareFromAlert(cmd *cobra.Command, file, commander string, extra []string) error {
	g, err := a.readAlert(file)
	if err != nil {
		return err
	}
	return a.withStore(cmd, func(ctx context.Context, st *storage.Store) error {
		res, err := a.respond(st).DeclareFromAlert(ctx, g, commander, extra)
		if err != nil {
			return err
		}
		a.reportAlert(g, res)
		return nil
	})
}

// readAlert decodes the payload in file ("-": standard input) with the
// config's severity map and kind label. A file over alerts.MaxBody is
// refused from its size, before a byte of it is read.
func (a *session) readAlert(file string) (alerts.Group, error) {
	opts := alerts.Options{Severities: a.cfg.SeverityMap, KindLabel: a.cfg.AlertKindLabel}
	if file == "-" {
		g, err := alerts.Decode(a.in, opts)
		if err != nil {
			return g, fmt.Errorf("standard input: %w", err)
		}
		return g, nil
	}
	f, err := os.Open(file)
	if err != nil {
		return alerts.Group{}, fmt.Errorf("read alert payload: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return alerts.Group{}, fmt.Errorf("read alert payload %s: %w", file, err)
	}
	if info.IsDir() {
		return alerts.Group{}, model.Invalidf("%s is a folder: %s", file, alerts.Expected)
	}
	if info.Mode().IsRegular() && info.Size() > alerts.MaxBody {
		return alerts.Group{}, fmt.Errorf("%s: %w", file, alerts.TooBig())
	}
	g, err := alerts.Decode(f, opts)
	if err != nil {
		return g, fmt.Errorf("%s: %w", file, err)
	}
	return g, nil
}

// reportAlert prints the incident's short id on standard output, for
// scripts, and what happened on standard error, for the receiver's log.
func (a *session) reportAlert(g alerts.Group, res respond.AlertOutcome) {
	n := model.Neutralise
	if res.Nothing {
		fmt.Fprintf(a.errOut, "sitrep: alert group %s resolved and no open incident has it: nothing written\n", n(g.Key))
		return
	}
	in := res.Incident
	fmt.Fprintln(a.out, in.Short())
	switch {
	case res.Declared && res.Runbook != "":
		fmt.Fprintf(a.errOut, "sitrep: declared %s %s %s from %s, runbook %s attached\n", in.Short(), in.Severity, n(in.Kind), g.Source, n(res.Runbook))
	case res.Declared:
		fmt.Fprintf(a.errOut, "sitrep: declared %s %s %s from %s\n", in.Short(), in.Severity, n(in.Kind), g.Source)
	case g.Firing:
		fmt.Fprintf(a.errOut, "sitrep: %s is open for this alert group: noted that it fired again\n", in.Short())
	default:
		fmt.Fprintf(a.errOut, "sitrep: %s: noted that the alert resolved; the incident stays %s until someone resolves it\n", in.Short(), n(string(in.Status)))
	}
}

// alertFlagsAlone refuses the flags --from-alert takes from the alert.
func alertFlagsAlone(cmd *cobra.Command) error {
	for _, f := range []string{"title", "sev", "kind", "at", "detected", "unacknowledged", "exercise"} {
		if cmd.Flags().Changed(f) {
			return model.Invalidf("--from-alert takes the title, severity, kind and detection time from the alert: leave out --%s (change them after with 'sitrep severity', 'sitrep note')", f)
		}
	}
	return nil
}

// requireFlags is cobra's required-flag check for the flags declare needs
// only without --from-alert, in cobra's words.
func requireFlags(cmd *cobra.Command, names ...string) error {
	var missing []string
	for _, n := range names {
		if !cmd.Flags().Changed(n) {
			missing = append(missing, fmt.Sprintf("%q", n))
		}
	}
	if len(missing) > 0 {
		return model.Invalidf("required flag(s) %s not set (or declare from an alert with --from-alert FILE)", strings.Join(missing, ", "))
	}
	return nil
}
