package cli

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sitrep-dev/sitrep/alerts"
	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/runbooks"
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
	lib, diags, err := a.library()
	if err != nil {
		return err
	}
	a.warnLoad(diags)
	return a.withStore(cmd, func(ctx context.Context, st *storage.Store) error {
		res, err := recordAlert(ctx, st, lib, g, commander, extra, a.now())
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

// alertResult says what one notification did.
type alertResult struct {
	Incident model.Incident
	Declared bool   // a new incident; else a note on the group's open one
	Runbook  string // the runbook attached from runbook_url, if any
	Nothing  bool   // resolved, and no open incident has the group: nothing written
}

// recordAlert declares an incident from an alert group, or, when the
// group already has an open incident, notes on it that the alert fired
// again or resolved; a resolved alert never resolves the incident itself.
// Finding the incident and writing are one transaction.
func recordAlert(ctx context.Context, st *storage.Store, lib *runbooks.Library, g alerts.Group, commander string, extra []string, now time.Time) (alertResult, error) {
	var res alertResult
	var declare []model.Change
	if g.Firing {
		d := model.Declaration{Title: g.Title, Kind: g.Kind, Severity: g.Severity, Commander: commander, AlertGroup: g.Key}
		if !g.Detected.IsZero() && !g.Detected.After(now) {
			d.DetectedAt = g.Detected // a clock ahead of ours would put detection after the declaration
		}
		if err := d.Validate(); err != nil {
			return res, err
		}
		var err error
		if declare, res.Runbook, err = alertDeclaration(st, lib, g, d, extra); err != nil {
			return res, err
		}
	}
	in, found, err := st.AppendForAlertGroup(ctx, g.Key, declare, func(in model.Incident) []model.Change {
		text := g.FiredAgainNote(in.Severity, in.Short())
		if !g.Firing {
			text = g.ResolvedNote(string(in.Status), in.Short())
		}
		return []model.Change{alertNote(in.ID, text)}
	})
	if err != nil {
		return res, err
	}
	switch {
	case found:
		res.Runbook = ""
	case len(declare) == 0:
		res.Nothing = true
		return res, nil
	default:
		res.Declared = true
		in.ID = declare[0].IncidentID
		if err := st.SetCurrent(ctx, in.ID); err != nil {
			return res, err
		}
	}
	res.Incident, err = st.Incident(ctx, in.ID)
	return res, err
}

// alertDeclaration is a new incident's events: declared, its commander,
// the runbook runbook_url names when the library has it (and any asked
// for by name), the alert as the first note, and a note naming the
// runbook URL when the library has no runbook by that name. The name is
// only looked up in the library, never read as a path: a payload must
// not make sitrep read a file.
func alertDeclaration(st *storage.Store, lib *runbooks.Library, g alerts.Group, d model.Declaration, extra []string) ([]model.Change, string, error) {
	id := storage.NewID()
	drafts := declarationDrafts(st, id, d, time.Time{})
	names, attached, missing := extra, "", ""
	if g.Runbook != "" {
		if rb, err := lib.Runbook(g.Runbook); err == nil {
			names, attached = append([]string{rb.Name}, extra...), rb.Name
		} else {
			missing = fmt.Sprintf("The alert's runbook_url %s names %q, which is not a runbook in the library (bundled or your team's folders): follow the link, or attach one with 'sitrep runbook attach %s NAME'.",
				g.RunbookURL, g.Runbook, model.ShortID(id))
		}
	}
	attach, err := attachDraftsFrom(lib, id, names)
	if err != nil {
		return nil, "", err
	}
	drafts = append(append(drafts, attach...), alertNote(id, g.FirstNote()))
	if missing != "" {
		drafts = append(drafts, alertNote(id, missing))
	}
	return drafts, attached, nil
}

func alertNote(incidentID, text string) model.Change {
	return model.Change{IncidentID: incidentID, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: text}}
}

// reportAlert prints the incident's short id on standard output, for
// scripts, and what happened on standard error, for the receiver's log.
func (a *session) reportAlert(g alerts.Group, res alertResult) {
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
