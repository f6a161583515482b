package cli

import (
	"context"
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

func reviewCommands(a *session) []*cobra.Command {
	return []*cobra.Command{a.reviewCmd()}
}

func (a *session) reviewCmd() *cobra.Command {
	var show bool
	var from string
	cmd := &cobra.Command{
		Use:   "review [ID]",
		Short: "Write the post-incident review in $EDITOR (or print it with --show)",
		Long: `Opens the incident's review in $VISUAL or $EDITOR (vi if neither is set) as a
Markdown document: summary, impact, when impact started, root cause,
contributing factors, detection, resolution, what went well and poorly,
where you got lucky, lessons, and action items (- [ ] what | owner | due |
status). Pinned timeline entries are listed for reference. Saving records
the review as an event, so it syncs and is audited; quitting without a
change records nothing. --from reads the document from a file instead: the
review sitrep writes, or a postmortem written elsewhere (sections such as
Root Causes, What went wrong or Follow-ups are found by their usual names;
text under a heading a review has no section for is kept in the section
before it, and each such place is reported).`,
		Example: `  sitrep review 9f3c
  sitrep review 9f3c --show
  sitrep review 9f3c --from review.md`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: a.completeArgs(incidentIDs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withIncident(cmd, firstArg(args), func(ctx context.Context, st *storage.Store, in model.Incident) error {
				if show {
					cur, info, err := st.Review(ctx, in.ID)
					if err == nil {
						writeReview(a.out, in, cur, info)
					}
					return err
				}
				if from != "" {
					b, err := readInput(a.in, from)
					if err != nil {
						return err
					}
					b, readAs := model.DecodeText(b)
					if readAs != "" {
						fmt.Fprintf(a.errOut, "%s: %s\n", from, readAs)
					}
					r, notes, err := export.ReadPostmortem(string(b), a.now())
					if err != nil {
						return fmt.Errorf("review not saved: %s: %w", from, err)
					}
					for _, n := range notes {
						fmt.Fprintf(a.errOut, "%s: %s\n", from, n)
					}
					saved, err := a.respond(st).SaveReview(ctx, in.ID, r)
					if err == nil {
						a.sayReviewSaved(in, r, saved)
					}
					return err
				}
				rs := a.respond(st)
				cur, _, pinned, err := rs.ReviewToEdit(ctx, in.ID)
				if err != nil {
					return err
				}
				given := export.RenderReviewTemplate(in, cur, pinned)
				edited, path, err := a.editText("sitrep-review-"+in.Short()+"-*.md", given)
				if err != nil {
					return err
				}
				res, err := rs.SaveEditedReview(ctx, in.ID, given, edited, path)
				switch {
				case err != nil:
					return err
				case res.Unchanged:
					fmt.Fprintln(a.out, "no changes: nothing recorded")
				default:
					a.sayReviewSaved(in, res.Review, res.Saved)
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&show, "show", false, "print the current review instead of editing it")
	cmd.Flags().StringVar(&from, "from", "", "read the review document from FILE ('-' for standard input) instead of opening an editor")
	return cmd
}

// sayReviewSaved tells whether review r of in was recorded.
func (a *session) sayReviewSaved(in model.Incident, r model.Review, saved bool) {
	if !saved {
		fmt.Fprintln(a.out, "review unchanged: nothing recorded")
		return
	}
	fmt.Fprintf(a.out, "review of %s saved (%s)\n", in.Short(), model.Count(len(r.ActionItems), "action item"))
}

func firstArg(args []string) string {
	if len(args) > 0 {
		return args[0]
	}
	return ""
}

// readInput reads a file, or standard input for "-".
func readInput(stdin io.Reader, path string) ([]byte, error) {
	if path == "-" {
		b, err := io.ReadAll(io.LimitReader(stdin, storage.MaxNote+1))
		if err != nil {
			return nil, fmt.Errorf("read standard input: %w", err)
		}
		return b, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return b, nil
}

// editText edits text in the responder's editor on this process's
// terminal (see respond.EditText).
func (a *session) editText(pattern, text string) (string, string, error) {
	in := os.Stdin
	if f, ok := a.in.(*os.File); ok {
		in = f
	}
	return respond.EditText(respond.Editor(), pattern, text, in, os.Stdout, os.Stderr)
}

// writeReview prints a review for reading: the sections that have text.
func writeReview(w io.Writer, in model.Incident, r model.Review, info storage.ReviewInfo) {
	n := model.Neutralise
	title := n(model.OneLine(in.Title))
	if in.Exercise {
		title = "EXERCISE — " + title
	}
	fmt.Fprintf(w, "Review of %s: %s\n", in.Short(), title)
	if info.EventID == "" {
		fmt.Fprintf(w, "\nno review yet: write one with 'sitrep review %s'\n", in.Short())
		return
	}
	fmt.Fprintf(w, "saved %s by %s\n", info.At.UTC().Format("2006-01-02 15:04 UTC"), n(info.By))
	for _, s := range model.ReviewSections {
		if t := strings.TrimSpace(s.Get(r)); t != "" {
			fmt.Fprintf(w, "\n## %s\n\n%s\n", s.Heading, n(t))
		}
		if s.Key == "impact" && !r.ImpactStart.IsZero() {
			fmt.Fprintf(w, "\nImpact started %s\n", r.ImpactStart.UTC().Format("2006-01-02 15:04:05 UTC"))
		}
	}
	if len(r.ActionItems) > 0 {
		fmt.Fprintln(w, "\n## Action items")
		fmt.Fprintln(w)
		for _, g := range model.GroupActionItems(r.ActionItems) {
			if g.Category != "" {
				fmt.Fprintf(w, "\n### %s\n\n", n(model.OneLine(g.Category)))
			}
			for _, a := range g.Items {
				fmt.Fprintf(w, "- [%s] %s (owner %s, due %s)\n", a.Status, n(a.Title), orDash(n(a.Owner)), orDash(a.Due))
			}
		}
	}
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}
