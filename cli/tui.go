package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	gosync "sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/respond"
	"github.com/sitrep-dev/sitrep/runbooks"
	"github.com/sitrep-dev/sitrep/storage"
	ssync "github.com/sitrep-dev/sitrep/sync"
	"github.com/sitrep-dev/sitrep/ui"
)

// Environment variables the cockpit reads.
const (
	// frameEnv, set to WxH (e.g. 160x48), prints one frame of the cockpit
	// at that size to standard output and exits: for screenshots, and to
	// time start-up without a terminal. Colours follow termenv: plain when
	// piped or NO_COLOR is set, CLICOLOR_FORCE=1 to keep them.
	frameEnv = "SITREP_FRAME"
	// frameOpenEnv, with frameEnv, names an incident (id or short id) to
	// draw instead of the list.
	frameOpenEnv = "SITREP_FRAME_INCIDENT"
)

// runTUI opens the cockpit on the store and the runbook library.
func (a *session) runTUI(cmd *cobra.Command) error {
	ctx := cmd.Context()
	st, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	// The library is loaded on first use: a frame never needs it, and the
	// cockpit loads it in the background after its first frame.
	library := gosync.OnceValues(a.tuiLibrary)
	opts := ui.Options{
		Store:   st,
		Library: lazyLibrary(library),
		Respond: respond.New(st, respond.Options{Library: library, Now: a.now, Cadence: a.cadencePolicy}),
		Cadence: a.cadencePolicy(),
		Editor:  respond.Editor(),
	}
	// With a hub configured, the cockpit holds one live session to it for
	// as long as it runs (sync --watch's), and ctrl+s syncs once, as
	// 'sitrep sync' would with no arguments.
	if remote, syncOpts := a.syncSettings("", "", "", 60*time.Second); remote != "" {
		opts.Remote = remote
		opts.Sync = func(ctx context.Context) (ssync.Report, error) { return ssync.Sync(ctx, st, remote, syncOpts) }
		opts.Pending = func(ctx context.Context) (int64, error) { return ssync.Pending(ctx, st, remote) }
		opts.Live = func(ctx context.Context, notify func(ssync.LiveEvent)) error {
			return ssync.Live(ctx, st, remote, syncOpts, ssync.LiveOptions{Notify: notify})
		}
	}
	if frame := os.Getenv(frameEnv); frame != "" {
		return a.printFrame(ctx, st, opts, frame)
	}

	// The cockpit reads keys from a terminal; anything else (a pipe,
	// /dev/null, a cron job) gets a sentence instead of an epoll error and
	// a terminal left in the alternate screen.
	in, ok := a.in.(*os.File)
	if !ok || !term.IsTerminal(in.Fd()) {
		return model.Invalidf("the cockpit needs a terminal, and standard input is not one: run sitrep in a terminal, or use the commands ('sitrep --help')")
	}

	renderer := lipgloss.NewRenderer(os.Stdout)
	// Ask the terminal for its background before Bubble Tea owns the input,
	// so the answer is not read as key presses; bubbles' own styles use the
	// default renderer, which is told the same.
	dark := renderer.HasDarkBackground()
	lipgloss.SetHasDarkBackground(dark)
	opts.Renderer = renderer

	p := tea.NewProgram(ui.New(opts), tea.WithAltScreen(), tea.WithMouseCellMotion(), tea.WithContext(ctx), tea.WithInput(ui.NewTerminalInput(in)), tea.WithOutput(a.out))
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		return fmt.Errorf("cockpit: %w", err)
	}
	return nil
}

// lazyLibrary is the runbook library for the cockpit, loaded when first
// asked for.
type lazyLibrary func() (*runbooks.Library, string)

func (l lazyLibrary) RunbooksForKind(kind string) []*model.Runbook {
	if lib, _ := l(); lib != nil {
		return lib.RunbooksForKind(kind)
	}
	return nil
}

// Notice loads the library and says what went wrong loading it, if
// anything (the cockpit shows it as a warning).
func (l lazyLibrary) Notice() string {
	_, notice := l()
	return notice
}

func (l lazyLibrary) Scenarios() []*model.Scenario {
	if lib, _ := l(); lib != nil {
		return lib.Scenarios()
	}
	return nil
}

// tuiLibrary loads the runbooks the declare form offers, from the folders
// every command reads. A missing team folder must not keep a responder out
// of the cockpit: it falls back to the bundled runbooks and says so on
// screen.
func (a *session) tuiLibrary() (*runbooks.Library, string) {
	lib, _, err := a.library()
	if err == nil {
		return lib, ""
	}
	bundled, _, berr := runbooks.Load(nil)
	if berr != nil {
		return nil, "runbooks unavailable: " + err.Error()
	}
	return bundled, "using bundled runbooks only: " + err.Error()
}

func (a *session) printFrame(ctx context.Context, st *storage.Store, opts ui.Options, frame string) error {
	w, h, err := parseFrame(frame)
	if err != nil {
		return err
	}
	if ref := os.Getenv(frameOpenEnv); ref != "" {
		in, err := st.ResolveIncident(ctx, ref)
		if err != nil {
			return err
		}
		opts.Incident = in.ID
	}
	opts.Renderer = lipgloss.NewRenderer(a.out)
	view, err := ui.RenderFrame(ctx, opts, w, h)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(a.out, view)
	return err
}

// parseFrame reads "WxH".
func parseFrame(s string) (int, int, error) {
	ws, hs, ok := strings.Cut(strings.ToLower(strings.TrimSpace(s)), "x")
	w, werr := strconv.Atoi(ws)
	h, herr := strconv.Atoi(hs)
	if !ok || werr != nil || herr != nil || w < 1 || h < 1 || w > 1000 || h > 1000 {
		return 0, 0, model.Invalidf("%s=%q: give the size as WIDTHxHEIGHT, e.g. 160x48", frameEnv, s)
	}
	return w, h, nil
}
