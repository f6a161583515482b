package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
	ssync "github.com/sitrep-dev/sitrep/sync"
)

func syncCommands(a *session) []*cobra.Command {
	return []*cobra.Command{a.syncCmd(), a.serveSyncCmd()}
}

// syncSettings resolves the remote and options from flags, then the
// environment, then the config. The TUI uses it too, with empty flags.
func (a *session) syncSettings(remote, sshCmd, remoteBin string, timeout time.Duration) (string, ssync.Options) {
	pick := func(vals ...string) string {
		for _, v := range vals {
			if strings.TrimSpace(v) != "" {
				return strings.TrimSpace(v)
			}
		}
		return ""
	}
	remote = pick(remote, os.Getenv("SITREP_REMOTE"), a.cfg.Remote)
	return remote, ssync.Options{
		SSH:       pick(sshCmd, os.Getenv("SITREP_SSH"), a.cfg.SSH, "ssh"),
		RemoteBin: pick(remoteBin, os.Getenv("SITREP_REMOTE_SITREP"), a.cfg.RemoteBin),
		Version:   buildVersion(),
		Timeout:   timeout,
	}
}

func buildVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

func (a *session) syncCmd() *cobra.Command {
	var sshCmd, remoteBin string
	var timeout time.Duration
	var full, watch bool
	cmd := &cobra.Command{
		Use:   "sync [REMOTE]",
		Short: "Share events with the team's shared store: push what is new here, pull what is new there",
		Long: `Push the events made here since the last sync to the team's shared store
(the hub), pull the ones made by everyone else, and print what moved.

REMOTE is [user@]host:path, reached with the system ssh (your ~/.ssh/config,
agent and known_hosts apply), which runs 'sitrep serve-sync' there; or a
local path (no colon, or starting with /, ./ or ~/) for a file on a disk this
machine can lock. Without REMOTE: $SITREP_REMOTE, then 'remote = ...' in the
config. The hub needs sitrep installed; its folder must exist, and the file
is created on the first sync.

If this store holds less of its own history than the hub (it was restored
from a backup, or a damaged file lost its newest events), sync first takes
the missing events back from the hub, then renumbers the events made here
since, which nobody has seen, to follow them, and says so. Nothing the hub
holds is ever changed. --full compares every event with the hub by id.

--watch stays connected after catching up, as the cockpit does: events
saved here (by any sitrep on this store) go to the hub as they are saved,
and the hub's arrive as it receives them. It prints a line per batch and
when the link drops, reconnects by itself (1 s, 2 s, 4 s ... at most a
minute apart), and stops cleanly on Ctrl-C or SIGTERM.

Nothing is lost if the connection drops: run sync again. Exit status:
  0  synced
  1  the remote or an option as written cannot work, or this machine's
     store failed
  3  the hub could not be reached (offline, wrong host, key refused): try
     again later
  4  interrupted: the connection dropped or the hub's sitrep stopped part
     way; what was exchanged is kept, run sync again
  5  the hub's side needs a person: it refused, has no sitrep or one that
     cannot talk to this one, or answered with something else`,
		Example: `  sitrep sync ops@bastion:/srv/sitrep/team.db
  sitrep sync /mnt/team/sitrep.db
  sitrep sync --ssh 'ssh -p 2222 -i ~/.ssh/ops' ops@bastion:team.db
  sitrep sync --remote-sitrep /opt/sitrep/bin/sitrep ops@bastion:/srv/sitrep/team.db`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			remote, opts := a.syncSettings(firstArg(args), sshCmd, remoteBin, timeout)
			if remote == "" {
				return model.Invalidf("no remote: name one (sitrep sync ops@bastion:/srv/sitrep/team.db), set SITREP_REMOTE, or put remote = ... in %s", configPath())
			}
			opts.Full = full
			if watch {
				return a.withStore(cmd, func(ctx context.Context, st *storage.Store) error {
					return a.watchSync(ctx, st, remote, opts)
				})
			}
			return a.withStore(cmd, func(ctx context.Context, st *storage.Store) error {
				rep, err := ssync.Sync(ctx, st, remote, opts)
				if rep.Banner != "" {
					fmt.Fprintf(a.errOut, "note: the hub's login shell printed this before sitrep started (check its shell startup files): %s\n",
						strings.Join(strings.Fields(rep.Banner), " "))
				}
				if err != nil {
					return err // a *sync.Error carries its exit status (sync/errors.go)
				}
				writeSyncReport(a, rep, full)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&sshCmd, "ssh", "", "the ssh command and options, like rsync's -e (default $SITREP_SSH, then the config's ssh, then ssh)")
	cmd.Flags().StringVar(&remoteBin, "remote-sitrep", "", "path of sitrep on the hub, when it is not on the PATH there")
	cmd.Flags().DurationVar(&timeout, "timeout", 60*time.Second, "give up when the hub does not answer for this long")
	cmd.Flags().BoolVar(&full, "full", false, "compare every event with the hub by id, not from where the last sync stopped")
	cmd.Flags().BoolVar(&watch, "watch", false, "stay connected: send and receive events as they are saved, reconnecting when the link drops, until interrupted")
	return cmd
}

// watchSync is sync --watch: the cockpit's live session with no screen,
// for a bastion mirror or a wall display. One line per batch and per
// change of the link; SIGINT or SIGTERM ends it cleanly (exit 0).
func (a *session) watchSync(ctx context.Context, st *storage.Store, remote string, opts ssync.Options) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	name := model.Neutralise(remote)
	stamp := func() string { return time.Now().Format("15:04:05") }
	err := ssync.Live(ctx, st, remote, opts, ssync.LiveOptions{Notify: func(e ssync.LiveEvent) {
		switch e.State {
		case ssync.LiveOn:
			fmt.Fprintf(a.out, "%s live with %s (caught up: sent %d, received %d)\n", stamp(), name, e.Sent, e.Received)
		case ssync.LiveBatch:
			if e.Received > 0 {
				fmt.Fprintf(a.out, "%s received %d event%s\n", stamp(), e.Received, plural(e.Received))
			}
			if e.Sent > 0 {
				fmt.Fprintf(a.out, "%s sent %d event%s\n", stamp(), e.Sent, plural(e.Sent))
			}
		case ssync.LiveRetrying:
			why := e.Err.Error()
			var se *ssync.Error
			if errors.As(e.Err, &se) {
				// The advice to run sync again is for a one-shot sync;
				// this one reconnects by itself.
				why, _, _ = strings.Cut(se.Reason, "; what was exchanged is kept")
			}
			fmt.Fprintf(a.out, "%s link to %s down (%s); reconnecting in %s\n", stamp(), name, model.OneLine(why), time.Until(e.RetryAt).Round(time.Second))
		case ssync.LiveOneShot:
			fmt.Fprintf(a.out, "%s synced with %s: sent %d, received %d; %s\n", stamp(), name, e.Sent, e.Received, e.Err)
		}
	}})
	if err == nil {
		fmt.Fprintf(a.out, "%s stopped\n", stamp())
	}
	return err
}

func writeSyncReport(a *session, rep ssync.Report, full bool) {
	moved := "up to date"
	// Events taken back are received too; the line below says why.
	if received := rep.Pulled + rep.TakenBack; rep.Pushed > 0 || received > 0 {
		moved = fmt.Sprintf("sent %d new event%s, received %d", rep.Pushed, plural(rep.Pushed), received)
	}
	fmt.Fprintf(a.out, "synced with %s in %s: %s\n", model.Neutralise(rep.Remote), rep.Duration.Round(time.Millisecond), moved)
	if rep.Created {
		fmt.Fprintf(a.out, "created the shared store at %s\n", model.Neutralise(rep.Remote))
	}
	if rep.TakenBack > 0 || rep.Renumbered > 0 {
		line := fmt.Sprintf("took back %d event%s the hub holds that this store had lost (restored from a backup, a damaged file, or deleted)", rep.TakenBack, plural(rep.TakenBack))
		if rep.Renumbered > 0 {
			line += fmt.Sprintf(", and renumbered the %d made here since to follow them (same ids and content; nobody had seen them)", rep.Renumbered)
		}
		fmt.Fprintln(a.out, line)
	}
	switch {
	case rep.Reconciled && full:
		fmt.Fprintln(a.out, "compared every event with the hub by id (--full)")
	case rep.Reconciled:
		fmt.Fprintln(a.out, "the hub was replaced or restored from a backup since the last sync: compared every event by id")
	}
	if off := rep.ClockOffset; off > model.ClockTolerance || off < -model.ClockTolerance {
		way := "ahead of"
		if off < 0 {
			way, off = "behind", -off
		}
		fmt.Fprintf(a.out, "this machine's clock is %s %s the hub's: what arrived was judged by the hub's clock; set this clock right (timedatectl set-ntp true, or your system's time settings)\n",
			model.FormatAge(off), way)
	}
	if rep.Flagged > 0 {
		fmt.Fprintf(a.out, "%d received event%s stamped more than %s ahead of the clock: kept, marked [clock ahead]\n", rep.Flagged, plural(rep.Flagged), model.FormatAge(storage.FutureSkew))
	}
	for _, c := range rep.Conflicts {
		fmt.Fprintf(a.out, "conflict: %s\n", model.Neutralise(c))
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func (a *session) serveSyncCmd() *cobra.Command {
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "serve-sync",
		Short: "Serve the sync protocol on stdin and stdout (what 'sitrep sync' runs on the hub over ssh)",
		Long: `Speak the hub's side of the sync protocol on standard input and output.
'sitrep sync' runs it over ssh; people never need to. The shared file's path
arrives inside the stream, so no path is ever on a command line.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			abort := func() {}
			if a.in == os.Stdin {
				// A client that stalls holds the shared file open; on our
				// own stdio the way to let go is to leave.
				abort = func() {
					fmt.Fprintf(a.errOut, "sitrep serve-sync: the client stopped responding for %s; giving up\n", timeout)
					os.Exit(1)
				}
			}
			return ssync.Serve(cmd.Context(), a.in, a.out, ssync.ServeOptions{Version: buildVersion(), Timeout: timeout, Abort: abort})
		},
	}
	cmd.Flags().DurationVar(&timeout, "timeout", 5*time.Minute, "give up when the client does not answer for this long")
	return cmd
}
