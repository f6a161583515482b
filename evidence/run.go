// Package evidence runs a command for a responder, with the terminal
// attached as if it had been run directly, and keeps what it printed as
// evidence for the incident's timeline: cleaned of terminal control, with
// secrets masked, its head and tail when it is long.
package evidence

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/creack/pty"
	"github.com/muesli/cancelreader"
	"golang.org/x/sys/unix"

	"github.com/sitrep-dev/sitrep/model"
)

// Command is what to run.
type Command struct {
	Args []string // the program and its arguments
	Line string   // the command as a person reads it: what the entry records
	Dir  string   // "" is the current directory
	Env  []string // nil inherits sitrep's

	Stdin          io.Reader // nil: os.Stdin
	Stdout, Stderr io.Writer // nil: os.Stdout, os.Stderr
}

// Shell runs a snippet (a runbook's code block, a typed command) with the
// user's shell, as a terminal would.
func Shell(snippet string) Command {
	sh := os.Getenv("SHELL")
	if sh == "" {
		sh = "/bin/sh"
	}
	return Command{Args: []string{sh, "-c", snippet}, Line: snippet}
}

// Result is how a command ended and what it printed.
type Result struct {
	Started  time.Time
	Duration time.Duration
	Exit     int    // 0-255; 128+n when killed by signal n; 126/127 when it could not start
	Signal   string // the signal that killed it
	Output   Kept
}

// Run runs c and waits for it. At a terminal the command gets a
// pseudo-terminal of its own (colours, line editing, full-screen programs
// and ctrl+c behave as when run directly) while every byte it writes is
// also captured; otherwise its stdin, stdout and stderr are sitrep's, and
// stdout and stderr are captured together as written. A command that
// cannot start still has a result (exit 127 or 126, the reason as its
// output) with the error, so the attempt can be recorded.
func Run(ctx context.Context, c Command) (Result, error) {
	if len(c.Args) == 0 {
		return Result{}, model.Invalidf("no command to run")
	}
	if c.Stdin == nil {
		c.Stdin = os.Stdin
	}
	if c.Stdout == nil {
		c.Stdout = os.Stdout
	}
	if c.Stderr == nil {
		c.Stderr = os.Stderr
	}
	cmd := exec.CommandContext(ctx, c.Args[0], c.Args[1:]...)
	cmd.Dir, cmd.Env = c.Dir, c.Env
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 5 * time.Second
	buf := &capture{}
	res := Result{Started: time.Now()}
	var err error
	if in, ok := onTerminal(c); ok {
		err = runPTY(cmd, in, c.Stdout, buf)
	} else {
		err = runPipes(cmd, c, buf)
	}
	res.Duration = time.Since(res.Started)
	return finish(res, cmd, buf, err)
}

// onTerminal reports whether c runs at a terminal: stdin is one, and so is
// stdout unless it is not a file at all (the cockpit's writer). Output
// redirected to a file or a pipe gets plain pipes, as it would without
// sitrep: no terminal line endings in the file, and the command sees it is
// not writing to a terminal.
func onTerminal(c Command) (*os.File, bool) {
	in, ok := c.Stdin.(*os.File)
	if !ok || !term.IsTerminal(in.Fd()) {
		return nil, false
	}
	if out, ok := c.Stdout.(*os.File); ok && !term.IsTerminal(out.Fd()) {
		return nil, false
	}
	return in, true
}

// finish reads how the command ended.
func finish(res Result, cmd *exec.Cmd, buf *capture, err error) (Result, error) {
	if cmd.ProcessState == nil {
		// It never started: say why, as a shell would, with its statuses.
		res.Exit = 127
		if errors.Is(err, os.ErrPermission) || errors.Is(err, syscall.EACCES) {
			res.Exit = 126
		}
		fmt.Fprintf(buf, "sitrep: %v\n", err)
		res.Output = buf.kept()
		return res, fmt.Errorf("run %s: %w", cmd.Args[0], err)
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		res.Exit, res.Signal = 128+int(ws.Signal()), unix.SignalName(ws.Signal())
	} else {
		res.Exit = cmd.ProcessState.ExitCode()
	}
	res.Output = buf.kept()
	return res, nil
}

// runPipes runs cmd on sitrep's own stdin, copying its output to sitrep's
// and to the capture. Stdout and stderr stay apart, so redirecting either
// works as it would without sitrep; the capture interleaves them as each
// write arrives, which is the order written for all but writes a few
// microseconds apart.
func runPipes(cmd *exec.Cmd, c Command, buf *capture) error {
	cmd.Stdin = c.Stdin
	cmd.Stdout = io.MultiWriter(c.Stdout, buf)
	cmd.Stderr = io.MultiWriter(c.Stderr, buf)
	if err := cmd.Start(); err != nil {
		return err
	}
	stop := forwardSignals(cmd.Process)
	defer stop()
	err := cmd.Wait()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return nil // the status is read from ProcessState
	}
	return err
}

// runPTY runs cmd on a pseudo-terminal the size of in, with in in raw mode
// so every key goes to the command; the terminal is put back as it was
// before returning. Reading in stops when the command ends, so no key
// typed afterwards is lost to a reader left behind.
func runPTY(cmd *exec.Cmd, in *os.File, out io.Writer, buf *capture) error {
	size, err := pty.GetsizeFull(in)
	if err != nil {
		size = nil
	}
	ptmx, err := pty.StartWithSize(cmd, size)
	if errors.Is(err, pty.ErrUnsupported) {
		return runPipes(cmd, Command{Stdin: in, Stdout: out, Stderr: out}, buf)
	}
	if err != nil {
		return err
	}
	defer ptmx.Close()
	stop := forwardSignals(cmd.Process)
	defer stop()
	resize := make(chan os.Signal, 1)
	signal.Notify(resize, syscall.SIGWINCH)
	defer signal.Stop(resize)
	go func() {
		for range resize {
			_ = pty.InheritSize(in, ptmx)
		}
	}()
	if state, err := term.MakeRaw(in.Fd()); err == nil {
		defer term.Restore(in.Fd(), state)
	}
	keys, err := cancelreader.NewReader(in)
	if err != nil {
		return err
	}
	defer keys.Close()
	keysDone := make(chan struct{})
	go func() {
		_, _ = io.Copy(ptmx, keys)
		close(keysDone)
	}()
	copied := make(chan struct{})
	go func() {
		// Ends with EIO once the command and everything it started have
		// closed the terminal.
		_, _ = io.Copy(io.MultiWriter(out, buf), ptmx)
		close(copied)
	}()
	err = cmd.Wait()
	// Cancel only asks the reader to stop; until it has, it may still take
	// the next key typed (the cockpit's, or the shell's after sitrep run).
	if keys.Cancel() {
		select {
		case <-keysDone:
		case <-time.After(time.Second):
		}
	}
	select {
	case <-copied:
	case <-time.After(500 * time.Millisecond):
		// Something it started in the background still holds the
		// terminal: keep what arrived, stop waiting.
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return nil
	}
	return err
}

// forwardSignals passes a hangup or termination sent to sitrep on to the
// command, and keeps sitrep alive through an interrupt or quit from the
// keyboard (the terminal sends those to the command itself), so the result
// is recorded however the command ends. stop undoes it.
func forwardSignals(p *os.Process) (stop func()) {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-sigs:
				if s == syscall.SIGTERM || s == syscall.SIGHUP {
					_ = p.Signal(s)
				}
			case <-done:
				return
			}
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}

// Status is how the command ended, as the timeline says it.
func (r Result) Status() string {
	return model.EvidencePayload{Exit: r.Exit, Signal: r.Signal}.Status()
}
