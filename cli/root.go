// Package cli is sitrep's command line: cobra commands, one file per noun
// (incident.go, drill.go, runbook.go, ...), each taking flags in, calling
// the packages below and writing text out. root.go builds the command tree
// and holds what every command shares.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"time"

	"github.com/adrg/xdg"
	"github.com/spf13/cobra"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/respond"
	"github.com/sitrep-dev/sitrep/storage"
)

// session carries what every command of one invocation shares: where the
// store is, who is typing, where output goes. Tests build one with their
// own streams and clock.
type session struct {
	dbPath      string
	runbookDirs []string
	cfg         config
	in          io.Reader
	out, errOut io.Writer
	now         func() time.Time
	lib         *loadedLibrary      // the runbook library, once a command asked for it
	cadence     model.CadencePolicy // the update cadence, once a command asked for it
}

// Main executes one command line (without the program name) and returns
// the exit code. It never lets a panic reach the user as a stack trace: the
// message names what failed.
func Main(ctx context.Context, args []string, in io.Reader, out, errOut io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(errOut, "sitrep: internal error: %v (please report this; nothing saved was changed by it)\n", r)
			code = 70
		}
	}()
	a := &session{in: in, out: out, errOut: errOut, now: time.Now}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(in)
	root.SetOut(out)
	root.SetErr(errOut)
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintf(errOut, "sitrep: %s\n", oneLineError(err))
		var ec exitCoder
		if errors.As(err, &ec) {
			return ec.ExitCode()
		}
		return 1
	}
	return 0
}

// exitCoder lets a command pick its exit code (verify uses 2 for a broken
// chain, so scripts can tell tampering from a usage mistake).
type exitCoder interface{ ExitCode() int }

type exitError struct {
	code int
	err  error
}

func (e exitError) Error() string { return e.err.Error() }
func (e exitError) Unwrap() error { return e.err }
func (e exitError) ExitCode() int { return e.code }

func oneLineError(err error) string {
	return strings.Join(strings.Fields(model.Neutralise(err.Error())), " ")
}

func (a *session) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "sitrep",
		Short: "An incident cockpit for the terminal: timeline, runbook stepper and RACI on one screen",
		Long: `sitrep keeps an incident's timeline, the runbook being worked and who holds
which role on one screen. Everything is saved at once to a local SQLite file
and works offline; 'sitrep sync' shares it with the team over SSH.

Run it with no command to open the cockpit.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return a.setup(cmd)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return model.Invalidf("unknown command %q: see 'sitrep --help'", args[0])
			}
			return a.runTUI(cmd)
		},
	}
	root.PersistentFlags().StringVar(&a.dbPath, "db", "", "the store file (default $SITREP_DB, then the config's db, then $XDG_DATA_HOME/sitrep/sitrep.db)")
	root.PersistentFlags().StringArrayVar(&a.runbookDirs, "runbooks", nil, "a folder of team runbooks and scenarios (repeatable; later ones override earlier by name)")
	// --version prints what the build stamped (see version.go); "sitrep
	// version" would read as a command and is not one.
	root.Version = version()
	root.SetVersionTemplate("sitrep {{.Version}}\n")
	for _, add := range commandSets {
		for _, c := range add(a) {
			root.AddCommand(c)
		}
	}
	return root
}

// commandSets lists every group of commands, one file per noun, in
// the order --help has always shown them (cobra sorts them by name). An
// explicit list instead of each file registering itself from init: adding
// a file of commands is one line here, and nothing runs before main.
var commandSets = []func(*session) []*cobra.Command{
	correctionCommands,
	drillCommands,
	exportCommands,
	incidentCommands,
	messageCommands,
	reviewCommands,
	runCommands,
	runbookCommands,
	searchCommands,
	statsCommands,
	syncCommands,
}

func (a *session) setup(cmd *cobra.Command) error {
	cfg, err := loadConfig(configPath())
	if err != nil {
		return err
	}
	a.cfg = cfg
	for _, u := range cfg.Unknown {
		fmt.Fprintln(a.errOut, "sitrep: config "+model.Neutralise(u))
	}
	if a.dbPath == "" {
		a.dbPath = os.Getenv("SITREP_DB")
	}
	if a.dbPath == "" {
		a.dbPath = cfg.DB
	}
	if a.dbPath == "" {
		a.dbPath = filepath.Join(xdg.DataHome, "sitrep", "sitrep.db")
	}
	a.runbookDirs = append(append([]string(nil), cfg.RunbookDirs...), a.runbookDirs...)
	// Every event this process records carries the author name, and every
	// teammate's screen draws it: a name holding an escape sequence is
	// refused here, before it is written anywhere.
	if v := strings.TrimSpace(os.Getenv("SITREP_AUTHOR")); v != "" {
		if err := model.ValidName("SITREP_AUTHOR", v); err != nil {
			return fmt.Errorf("%w: set SITREP_AUTHOR to a plain name like alice@laptop", err)
		}
	} else if cfg.Author != "" {
		if err := model.ValidName("the author in "+cfg.path, cfg.Author); err != nil {
			return fmt.Errorf("%w: set author to a plain name like alice@laptop", err)
		}
	}
	return nil
}

// author is who the events this process records are by.
func (a *session) author() string {
	if v := strings.TrimSpace(os.Getenv("SITREP_AUTHOR")); v != "" {
		return v
	}
	if a.cfg.Author != "" {
		return a.cfg.Author
	}
	name := os.Getenv("USER")
	if name == "" {
		if u, err := user.Current(); err == nil {
			name = u.Username
		}
	}
	if name == "" {
		name = "unknown"
	}
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	return name + "@" + host
}

// respond is what a responder can do, on st: every command that changes
// an incident goes through it, as the cockpit does.
func (a *session) respond(st *storage.Store) *respond.Service {
	return respond.New(st, respond.Options{Library: a.libraryOrNotice, Now: a.now, Cadence: a.cadencePolicy})
}

// openStore opens (creating on first use) the store this command works on.
func (a *session) openStore(ctx context.Context) (*storage.Store, error) {
	return storage.Open(ctx, a.dbPath, storage.Options{Author: a.author(), Now: a.now})
}
