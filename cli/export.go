package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sitrep-dev/sitrep/export"
	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/respond"
	"github.com/sitrep-dev/sitrep/storage"
)

func exportCommands(a *session) []*cobra.Command {
	return []*cobra.Command{a.exportCmd(), a.importCmd()}
}

func (a *session) exportCmd() *cobra.Command {
	var format, output string
	var all bool
	cmd := &cobra.Command{
		Use:   "export [ID] --format md|json|csv [-o FILE]",
		Short: "Export an incident (or --all) as a Markdown review, JSON or a CSV timeline",
		Long: `md    the review document: overview, summary, what happened, impact, root
      cause, contributing factors, detection, resolution, responders,
      metrics, how we did (lessons learned), action items, messaging,
      runbooks followed and the full timeline in UTC; drills are marked
      EXERCISE.
json  everything about the incident, and the raw hash-chained events it was
      built from (schema: docs/export-schema.json). 'sitrep import' reads it
      back: export, import into an empty store, export again gives the same
      bytes.
csv   the timeline, one row per entry, for spreadsheets.

--all exports every incident (json or csv): a customer's data-return
request answered in one command.`,
		Example: `  sitrep export 9f3c --format md > review.md
  sitrep export 9f3c --format json -o 9f3c.json
  sitrep export 9f3c --format csv > timeline.csv
  sitrep export --all --format json -o everything.json`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: a.completeArgs(incidentIDs),
		RunE: func(cmd *cobra.Command, args []string) error {
			format = strings.ToLower(strings.TrimSpace(format))
			switch format {
			case "md", "markdown":
				format = "md"
			case "json", "csv":
			default:
				return model.Invalidf("unknown format %q: use md, json or csv", format)
			}
			if all && len(args) > 0 {
				return model.Invalidf("give an incident id or --all, not both")
			}
			if all && format == "md" {
				return model.Invalidf("--all exports json or csv; export reviews one at a time with 'sitrep export ID --format md'")
			}
			return a.withStore(cmd, func(ctx context.Context, st *storage.Store) error {
				var skipped *export.SkippedEvents
				err := a.writeOutput(output, func(w io.Writer) error {
					var err error
					if all {
						err = exportAll(ctx, st, format, w)
					} else {
						var in model.Incident
						if in, err = pickIncident(ctx, st, firstArg(args)); err != nil {
							return err
						}
						err = exportOne(ctx, st, in.ID, format, w)
					}
					// Events JSON cannot hold are a warning, not a failed
					// export: everything else is written.
					if errors.As(err, &skipped) {
						return nil
					}
					return err
				})
				if err == nil && skipped != nil {
					fmt.Fprintln(a.errOut, "sitrep: warning: "+oneLineError(skipped))
				}
				return err
			})
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "md", "md, json or csv")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to FILE (created private) instead of standard output")
	cmd.Flags().BoolVar(&all, "all", false, "every incident in the store (json or csv)")
	a.completeFlags(cmd, map[string]completer{"format": words("md", "json", "csv")})
	return cmd
}

func exportOne(ctx context.Context, st *storage.Store, id, format string, w io.Writer) error {
	if format == "json" {
		doc, err := export.One(ctx, st, id, respond.StepCount)
		var skipped *export.SkippedEvents
		if err != nil && !errors.As(err, &skipped) {
			return err
		}
		if werr := export.WriteJSON(w, doc); werr != nil {
			return werr
		}
		return err
	}
	in, err := export.Load(ctx, st, id, respond.StepCount)
	if err != nil {
		return err
	}
	if format == "md" {
		return export.Markdown(w, in)
	}
	return export.CSV(w, in)
}

func exportAll(ctx context.Context, st *storage.Store, format string, w io.Writer) error {
	if format == "json" {
		return export.WriteAll(ctx, st, w, respond.StepCount)
	}
	return export.WriteAllCSV(ctx, st, w, respond.StepCount)
}

// writeOutput runs fn on standard output, or on FILE written privately
// and renamed into place only when complete.
func (a *session) writeOutput(path string, fn func(io.Writer) error) error {
	if path == "" || path == "-" {
		bw := bufio.NewWriter(a.out)
		if err := fn(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	if err := respond.WriteFile(path, fn); err != nil {
		return err
	}
	fmt.Fprintf(a.errOut, "written to %s\n", path)
	return nil
}

func (a *session) importCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE.json",
		Short: "Import a JSON export: its events are checked and added, nothing is overwritten",
		Long: `Reads a file written by 'sitrep export --format json' and adds its events to
this store through the same path sync uses. Before anything is stored,
every event's hash is checked and every author's hash chain must join up,
with the file's events and this store's, without a hole: a file edited or
cut by hand is refused whole. One incident's export holds only part of
each author's chain, so import takes 'sitrep export --all --format json'
(a one-incident file imports only into a store that already holds the
rest). A file re-indented or re-encoded by jq or another JSON tool still
imports. Events already here are skipped. '-' reads standard input.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := args[0]
			if path == "-" {
				// Import may read its file twice (check, then store), so
				// standard input is kept in a private temporary file.
				tmp, err := spool(a.in)
				if err != nil {
					return fmt.Errorf("import from standard input: %w", err)
				}
				defer os.Remove(tmp)
				path = tmp
			}
			// Where there is no store yet, the file is checked whole before
			// one is made, so a refused import leaves none behind; into a
			// store that exists, the import checks the file as it reads it,
			// once, and a refused file stores nothing.
			if _, err := os.Stat(a.dbPath); errors.Is(err, os.ErrNotExist) {
				checked, err := export.Check(path)
				if err == nil {
					err = checked.Links(cmd.Context(), nil)
				}
				if err != nil {
					return fmt.Errorf("import %s: %w", args[0], err)
				}
			}
			return a.withStore(cmd, func(ctx context.Context, st *storage.Store) error {
				res, err := export.Import(ctx, st, path)
				if err != nil {
					return fmt.Errorf("import %s: %w", args[0], err)
				}
				for _, c := range res.Conflicts {
					fmt.Fprintln(a.errOut, "sitrep: "+model.Neutralise(c))
				}
				fmt.Fprintf(a.out, "imported %d new event(s), %d already here, %d conflict(s); %d incident(s) in the file\n",
					res.Applied, res.Known, len(res.Conflicts), res.Incidents)
				// The events were just projected by the code verify would
				// replay them with: the log's chains are what is left to check.
				rep, err := st.VerifyLog(ctx)
				if err != nil {
					return err
				}
				if len(rep.Problems) > 0 {
					for _, p := range rep.Problems {
						fmt.Fprintln(a.out, model.Neutralise(p.String()))
					}
					return exitError{code: 2, err: fmt.Errorf("verify %s after import: %d problem(s)", st.Path(), len(rep.Problems))}
				}
				return nil
			})
		},
	}
}

// spool copies r to a private temporary file and returns its name.
func spool(r io.Reader) (string, error) {
	f, err := os.CreateTemp("", "sitrep-import-*.json")
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(f, io.LimitReader(r, export.MaxImport+1)); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}
