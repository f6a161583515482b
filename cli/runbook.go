package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/respond"
	"github.com/sitrep-dev/sitrep/runbooks"
	"github.com/sitrep-dev/sitrep/storage"
)

func runbookCommands(a *session) []*cobra.Command {
	rb := &cobra.Command{
		Use:   "runbook",
		Short: "List, show and check runbooks: the bundled ones and your team's folders",
		Long: `Runbooks are Markdown files: checklist and numbered items are steps, headings
are phases, a fenced code block under a step is its command to copy.

They come from the bundled library, then $XDG_CONFIG_HOME/sitrep/runbooks,
then every --runbooks DIR (and 'runbooks =' lines in the config file); a later
file replaces an earlier one of the same name.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	rb.AddCommand(a.runbookListCmd(), a.runbookShowCmd(), a.lintCmd("runbook", runbooks.Auto))
	sc := &cobra.Command{
		Use:   "scenario",
		Short: "List, show and check drill scenarios: timed injects and objectives",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	sc.AddCommand(a.scenarioListCmd(), a.scenarioShowCmd(), a.lintCmd("scenario", runbooks.AsScenario))
	return []*cobra.Command{rb, sc, a.attachCmd()}
}

// runbookSources are the folders read after the bundled library, in order:
// the personal folder when it exists, then --runbooks and config folders.
func (a *session) runbookSources() []string {
	var dirs []string
	if info, err := os.Stat(runbooks.UserDir()); err == nil && info.IsDir() {
		dirs = append(dirs, runbooks.UserDir())
	}
	return append(dirs, a.runbookDirs...)
}

// loadedLibrary is the runbook library as loaded once for a command.
type loadedLibrary struct {
	lib   *runbooks.Library
	diags []runbooks.Diagnostic
	err   error
}

// library loads the runbook library every command sees, once per command
// line: a command and the service it calls read the folders once.
func (a *session) library() (*runbooks.Library, []runbooks.Diagnostic, error) {
	if a.lib == nil {
		lib, diags, err := runbooks.Load(a.runbookSources())
		a.lib = &loadedLibrary{lib: lib, diags: diags, err: err}
	}
	return a.lib.lib, a.lib.diags, a.lib.err
}

// libraryOrNotice is the library as the service takes it: nil and the
// sentence saying why when it did not load.
func (a *session) libraryOrNotice() (*runbooks.Library, string) {
	lib, _, err := a.library()
	if err != nil {
		return nil, err.Error()
	}
	return lib, ""
}

// warnLoad tells, in one line, that some files in the team folders have
// problems, without drowning a listing in lint output.
func (a *session) warnLoad(diags []runbooks.Diagnostic) {
	errs, _ := runbooks.Count(diags)
	if errs == 0 {
		return
	}
	files := map[string]bool{}
	for _, d := range diags {
		if d.Severity == runbooks.Error {
			files[d.Path] = true
		}
	}
	fmt.Fprintf(a.errOut, "sitrep: %d error(s) in %d file(s) of your runbook folders; run 'sitrep runbook lint %s' to see them\n",
		errs, len(files), model.Neutralise(strings.Join(a.runbookSources(), " ")))
}

func sourceLabel(source, path string) string {
	if source == runbooks.BundledSource {
		return runbooks.BundledSource
	}
	return path
}

// listedFrom is the FROM column of the list commands: where a runbook or
// scenario came from, and the files of the same name it replaces.
func listedFrom(source, path string, overrides []string) string {
	from := sourceLabel(source, path)
	if len(overrides) > 0 {
		from += " (overrides " + strings.Join(overrides, ", ") + ")"
	}
	return from
}

func (a *session) runbookListCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List every runbook by name, with where it came from",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			lib, diags, err := a.library()
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.out, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tSTEPS\tKIND\tTITLE\tFROM")
			for _, rb := range lib.Runbooks() {
				kind := strings.Join(rb.Kinds, ",")
				if kind == "" {
					kind = "any"
				}
				from := listedFrom(rb.Source, rb.Path, lib.RunbookOverrides(rb.Name))
				fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", model.OneLine(rb.Name), rb.StepCount(), model.OneLine(kind),
					model.OneLine(rb.Title), model.OneLine(from))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			a.warnLoad(diags)
			return nil
		},
	}
}

func (a *session) runbookShowCmd() *cobra.Command {
	var width int
	var format string
	cmd := &cobra.Command{
		Use:   "show NAME|FILE [--width N] [--format json]",
		Short: "Print a runbook as the cockpit's pane shows it, whole, with its step marks; or parsed, as JSON",
		Long: `Prints the runbook as the runbook pane draws it, scrolled whole: every
heading, paragraph, list, table and code block, wrapped at --width columns
(default: the terminal's width, or 100 when not a terminal), each step
marked [ ], then where its links go. --format json prints the parsed runbook
for scripts and checks: its phases and steps with their code, and "code",
every code block the pane lets you copy, in document order, as it would be
copied.`,
		Example: `  sitrep runbook show major-incident
  sitrep runbook show ./docs/runbooks/db-failover.md --width 80
  sitrep runbook show db-failover --format json | jq -r '.code[0]'`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: a.completeNameOrFile(libraryRunbooks),
		RunE: func(cmd *cobra.Command, args []string) error {
			rb, err := a.findRunbook(args[0])
			if err != nil {
				return err
			}
			switch format {
			case "json":
				out, err := runbooks.JSON(rb)
				if err != nil {
					return fmt.Errorf("runbook %s as JSON: %w", rb.Name, err)
				}
				_, err = fmt.Fprintf(a.out, "%s\n", out)
				return err
			case "", "text":
			default:
				return exitError{code: 2, err: fmt.Errorf("--format %q: use text or json", format)}
			}
			if width == 0 {
				width = outputWidth(a.out)
			}
			if width < 20 {
				return exitError{code: 2, err: fmt.Errorf("--width %d: the narrowest is 20", width)}
			}
			writeRunbook(a.out, rb, width, terminalStyles(a.out))
			return nil
		},
	}
	cmd.Flags().IntVar(&width, "width", 0, "wrap at N columns (default: the terminal's width, or 100)")
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	return cmd
}

// outputWidth is the terminal's width when w is one, else 100.
func outputWidth(w io.Writer) int {
	if f, ok := w.(*os.File); ok && term.IsTerminal(f.Fd()) {
		if cols, _, err := term.GetSize(f.Fd()); err == nil && cols > 0 {
			return cols
		}
	}
	return 100
}

// findRunbook is a runbook by library name, or a file named by path so a
// runbook can be previewed before it is put in a folder.
func (a *session) findRunbook(ref string) (*model.Runbook, error) {
	if respond.LooksLikePath(ref) {
		return respond.RunbookByRef(nil, ref)
	}
	lib, _, err := a.library()
	if err != nil {
		return nil, err
	}
	return respond.RunbookByRef(lib, ref)
}

// writeRunbook prints a runbook for reading or piping. Every piece of it
// came from a file someone else wrote, so all of it is neutralised.
func writeRunbook(w io.Writer, rb *model.Runbook, width int, styles map[runbooks.Role]lipgloss.Style) {
	n := model.Neutralise
	fmt.Fprintf(w, "%s\n", n(model.OneLine(rb.Title)))
	fmt.Fprintf(w, "name:    %s\n", n(rb.Name))
	fmt.Fprintf(w, "from:    %s\n", n(sourceLabel(rb.Source, rb.Path)))
	fmt.Fprintf(w, "sha256:  %s\n", rb.Hash)
	if len(rb.Kinds) > 0 {
		fmt.Fprintf(w, "kinds:   %s\n", n(strings.Join(rb.Kinds, ", ")))
	}
	if len(rb.Severities) > 0 {
		var s []string
		for _, sev := range rb.Severities {
			s = append(s, sev.String())
		}
		fmt.Fprintf(w, "applies: %s\n", strings.Join(s, ", "))
	}
	if !rb.DefaultRACI.IsZero() {
		fmt.Fprintf(w, "raci:    %s\n", n(rb.DefaultRACI.String()))
	}
	for _, e := range rb.Escalation {
		line := fmt.Sprintf("after %s: %s", model.FormatLength(e.After), e.Who)
		if e.Via != "" {
			line += " (" + e.Via + ")"
		}
		fmt.Fprintf(w, "escalate: %s\n", n(model.OneLine(line)))
	}
	// the document as the pane draws it, from the same renderer
	fmt.Fprintln(w)
	d := runbooks.Render(rb, width)
	for _, l := range d.Lines {
		if styles == nil {
			fmt.Fprintln(w, strings.TrimRight(n(l.Text()), " "))
			continue
		}
		var b strings.Builder
		for _, sg := range l.Segs {
			if st, ok := styles[sg.Role]; ok {
				b.WriteString(st.Render(n(sg.Text)))
			} else {
				b.WriteString(n(sg.Text))
			}
		}
		fmt.Fprintln(w, b.String())
	}
	writeLinks(w, d)
}

// writeLinks lists where the document's links go, as a text browser's
// dump does: the text shows only their words. Addresses written out in
// the text are there already.
func writeLinks(w io.Writer, d *runbooks.Rendered) {
	var links []runbooks.Link
	for _, l := range d.Links(0, len(d.Lines)) {
		if l.Text != l.Target {
			links = append(links, l)
		}
	}
	if len(links) == 0 {
		return
	}
	fmt.Fprintln(w, "\nLinks")
	for _, l := range links {
		fmt.Fprintf(w, "  %s: %s\n", model.Neutralise(l.Text), model.Neutralise(l.Target))
	}
}

// terminalStyles are the runbook's roles drawn on a terminal as the pane
// draws them (bold headings and marks, faint frames): attributes only, no
// colours, so nothing has to ask the terminal for its background. Nil
// when w is not a terminal or NO_COLOR is set: plain text then.
func terminalStyles(w io.Writer) map[runbooks.Role]lipgloss.Style {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) || os.Getenv("NO_COLOR") != "" {
		return nil
	}
	return roleStyles(lipgloss.NewRenderer(f))
}

func roleStyles(r *lipgloss.Renderer) map[runbooks.Role]lipgloss.Style {
	st := r.NewStyle
	return map[runbooks.Role]lipgloss.Style{
		runbooks.RoleHeading: st().Bold(true),
		runbooks.RoleBold:    st().Bold(true),
		runbooks.RoleEm:      st().Italic(true),
		runbooks.RoleLink:    st().Underline(true),
		runbooks.RoleMark:    st().Bold(true),
		runbooks.RoleMarker:  st().Faint(true),
		runbooks.RoleFrame:   st().Faint(true),
		runbooks.RoleQuote:   st().Faint(true),
		runbooks.RoleTable:   st().Faint(true),
	}
}

// lintCmd is `runbook lint` and `scenario lint`: compiler-style lines on
// standard output, a summary on standard error, exit 1 on any error.
func (a *session) lintCmd(noun string, what runbooks.What) *cobra.Command {
	var quiet bool
	cmd := &cobra.Command{
		Use: "lint PATH...",
		// The group's help says it checks them: "check" is what a first
		// try types.
		Aliases: []string{"check"},
		Short:   fmt.Sprintf("Check %s files or folders: file:line:col: error|warning: message; exit 1 on errors", noun),
		Example: fmt.Sprintf(`  sitrep %s lint ./runbooks
  sitrep %s lint db-failover.md`, noun, noun),
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			diags, files := runbooks.LintPaths(args, what)
			for _, d := range diags {
				if quiet && d.Severity != runbooks.Error {
					continue
				}
				fmt.Fprintln(a.out, model.OneLine(model.Neutralise(d.String())))
			}
			errs, warns := runbooks.Count(diags)
			if errs > 0 {
				return exitError{code: 1, err: fmt.Errorf("%d error(s), %d warning(s) in %d file(s)", errs, warns, files)}
			}
			if files == 0 {
				return exitError{code: 1, err: fmt.Errorf("no %s files found in %s", noun, strings.Join(args, " "))}
			}
			fmt.Fprintf(a.errOut, "%d file(s) checked: no errors, %d warning(s)\n", files, warns)
			return nil
		},
	}
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "print errors only")
	return cmd
}

func (a *session) scenarioListCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List every drill scenario by name, with where it came from",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			lib, diags, err := a.library()
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.out, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tINJECTS\tLENGTH\tTITLE\tFROM")
			for _, sc := range lib.Scenarios() {
				length := "-"
				if sc.Duration > 0 {
					length = model.FormatLength(sc.Duration)
				} else if len(sc.Injects) > 0 {
					length = "≥" + model.FormatLength(sc.Injects[len(sc.Injects)-1].Offset)
				}
				from := listedFrom(sc.Source, sc.Path, lib.ScenarioOverrides(sc.Name))
				fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", model.OneLine(sc.Name), len(sc.Injects), length, model.OneLine(sc.Title), model.OneLine(from))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			a.warnLoad(diags)
			return nil
		},
	}
}

func (a *session) scenarioShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:               "show NAME|FILE",
		Short:             "Print a scenario's objectives and timed injects as plain text",
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: a.completeNameOrFile(libraryScenarios),
		RunE: func(cmd *cobra.Command, args []string) error {
			sc, err := a.findScenario(args[0])
			if err != nil {
				return err
			}
			writeScenario(a.out, sc)
			return nil
		},
	}
}

// findScenario is findRunbook for scenarios.
func (a *session) findScenario(ref string) (*model.Scenario, error) {
	if respond.LooksLikePath(ref) {
		return respond.ScenarioByRef(nil, ref)
	}
	lib, _, err := a.library()
	if err != nil {
		return nil, err
	}
	return respond.ScenarioByRef(lib, ref)
}

func writeScenario(w io.Writer, sc *model.Scenario) {
	n := model.Neutralise
	fmt.Fprintf(w, "%s\n", n(model.OneLine(sc.Title)))
	fmt.Fprintf(w, "name:     %s\n", n(sc.Name))
	fmt.Fprintf(w, "from:     %s\n", n(sourceLabel(sc.Source, sc.Path)))
	fmt.Fprintf(w, "sha256:   %s\n", sc.Hash)
	if sc.Kind != "" {
		fmt.Fprintf(w, "kind:     %s\n", n(sc.Kind))
	}
	if sc.Severity != 0 {
		fmt.Fprintf(w, "severity: %s\n", sc.Severity)
	}
	if sc.Duration > 0 {
		fmt.Fprintf(w, "duration: %s\n", model.FormatLength(sc.Duration))
	}
	if len(sc.Runbooks) > 0 {
		fmt.Fprintf(w, "runbooks: %s\n", n(strings.Join(sc.Runbooks, ", ")))
	}
	if len(sc.Objectives) > 0 {
		fmt.Fprintln(w, "\nObjectives")
		for _, o := range sc.Objectives {
			target := "no time limit"
			if o.Target > 0 {
				target = "within " + model.FormatLength(o.Target)
			}
			fmt.Fprintf(w, "  - [%s] %s (%s)\n", o.Kind, n(model.OneLine(o.Title)), target)
		}
	}
	if sc.Brief != "" {
		fmt.Fprintln(w, "\nBrief")
		fmt.Fprintln(w, indent(n(sc.Brief), "  "))
	}
	fmt.Fprintln(w, "\nInjects")
	for _, in := range sc.Injects {
		fmt.Fprintf(w, "\n  %s  %s\n", model.FormatOffset(in.Offset), n(model.OneLine(in.Title)))
		if in.Text != "" {
			fmt.Fprintln(w, indent(n(in.Text), "        "))
		}
		for _, e := range in.Expected {
			fmt.Fprintf(w, "        expected: %s\n", n(model.OneLine(e)))
		}
	}
}

func (a *session) attachCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "attach ID NAME|FILE...",
		Short: "Attach runbooks to an incident: their exact text and hash go on its timeline",
		Long: `Attach runbooks to an incident. The runbook's exact text and its SHA-256 are
recorded as a timeline event (and travel with sync), so a review later shows
what was actually followed. Attaching the same version twice is refused; a
changed version of the same runbook may be attached and replaces it. A path
to a Markdown file attaches that file as it is, without adding its folder
to the library.`,
		Example: `  sitrep attach 4f2a9c1b security-incident
  sitrep attach 4f2a9c1b data-exposure soc2-evidence
  sitrep attach 4f2a9c1b ./runbooks/db/failover.md`,
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: a.completeArgsThen(libraryRunbooks, incidentIDs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := a.needID(cmd, args, 2); err != nil {
				return err
			}
			return a.withNamedIncident(cmd, args[0], func(ctx context.Context, st *storage.Store, in model.Incident) error {
				return a.attach(ctx, st, in, args[1:])
			})
		},
	}
}

func (a *session) attach(ctx context.Context, st *storage.Store, in model.Incident, names []string) error {
	done, err := a.respond(st).Attach(ctx, in, names)
	if err != nil {
		return err
	}
	for _, d := range done {
		p := d.Payload
		verb := "attached"
		if d.Replaced != "" {
			verb = fmt.Sprintf("attached a new version of (was sha256 %.12s)", d.Replaced)
		}
		fmt.Fprintf(a.out, "%s %s to %s: %s (sha256 %.12s)\n", verb, model.Neutralise(p.Name), in.Short(), model.Neutralise(model.OneLine(p.Title)), p.Hash)
	}
	return nil
}
func indent(text, prefix string) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for i, l := range lines {
		if l == "" {
			lines[i] = strings.TrimRight(prefix, " ")
		} else {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}
