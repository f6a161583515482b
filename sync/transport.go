package sync

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	stdsync "sync"
	"time"

	"github.com/sitrep-dev/sitrep/model"
)

// transport is a byte stream to a running server and a way to learn how it
// ended: an ssh process, or Serve in this process for a local file.
type transport interface {
	io.Reader
	io.Writer
	// CloseWrite ends our side, as closing ssh's stdin does.
	CloseWrite() error
	// Abort tears the connection down now, unblocking reads and writes.
	Abort()
	// Wait waits for the server to finish (bounded) and reports its exit
	// code (-1 if unknown) and the tail of what it wrote to stderr.
	Wait(timeout time.Duration) (code int, stderr string)
}

// sshTransport runs the system ssh, so the user's ~/.ssh/config, agent,
// ProxyJump, ControlMaster and known_hosts all apply.
type sshTransport struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	// stdout is our own pipe, not cmd.StdoutPipe: Wait closes that one as
	// soon as ssh exits, and would throw away the hub's last message (its
	// bye) if ssh exited before it was read.
	stdout *os.File
	stderr *tailBuffer
	done   chan struct{}
	code   int
	once   stdsync.Once
}

func sshCommand(t Target, opts Options) ([]string, error) {
	words, err := splitCommand(opts.SSH)
	if err != nil {
		return nil, err
	}
	remote := "sitrep serve-sync"
	if opts.RemoteBin != "" {
		remote = model.ShellQuote(opts.RemoteBin) + " serve-sync"
	}
	// -T: no terminal, so no line-ending translation; -e none: no escape
	// character, since bytes like "~." may occur in the stream; BatchMode:
	// fail instead of prompting on a terminal we do not own.
	return append(words, "-T", "-e", "none", "-o", "BatchMode=yes", t.Host, remote), nil
}

func dialSSH(_ context.Context, t Target, opts Options) (transport, error) {
	argv, err := sshCommand(t, opts)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	st := &sshTransport{cmd: cmd, stderr: &tailBuffer{max: 8 << 10}, done: make(chan struct{})}
	cmd.Stderr = st.stderr
	if st.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("make a pipe for ssh: %w", err)
	}
	st.stdout, cmd.Stdout = pr, pw
	err = cmd.Start()
	pw.Close() // ssh holds its own copy; ours would keep the pipe open after it exits
	if err != nil {
		pr.Close()
		st.stdin.Close()
		if errors.Is(err, exec.ErrNotFound) {
			return nil, fmt.Errorf("cannot run %q: not found (install OpenSSH's client, or pass --ssh)", argv[0])
		}
		return nil, fmt.Errorf("cannot run %q: %w", argv[0], err)
	}
	go func() {
		err := cmd.Wait()
		st.code = 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			st.code = ee.ExitCode()
		} else if err != nil {
			st.code = -1
		}
		close(st.done)
	}()
	return st, nil
}

func (s *sshTransport) Read(p []byte) (int, error)  { return s.stdout.Read(p) }
func (s *sshTransport) Write(p []byte) (int, error) { return s.stdin.Write(p) }
func (s *sshTransport) CloseWrite() error           { return s.stdin.Close() }

func (s *sshTransport) Abort() {
	s.once.Do(func() {
		if s.cmd.Process != nil {
			s.cmd.Process.Kill()
		}
		s.stdin.Close()
		// A ProxyCommand child may outlive ssh and hold the pipe open.
		s.stdout.Close()
	})
}

func (s *sshTransport) Wait(timeout time.Duration) (int, string) {
	select {
	case <-s.done:
	case <-time.After(timeout):
		s.Abort()
		<-s.done
		return -1, s.stderr.String()
	}
	s.stdout.Close()
	return s.code, s.stderr.String()
}

// pipeTransport runs Serve in this process over a pair of pipes, for a
// shared file on a disk this machine can lock: the same protocol, the same
// code, no ssh.
type pipeTransport struct {
	r    *io.PipeReader // from the server
	w    *io.PipeWriter // to the server
	sr   *io.PipeReader
	sw   *io.PipeWriter
	done chan struct{}
	err  error
}

func dialLocal(ctx context.Context, t Target, opts Options) (transport, error) {
	p := &pipeTransport{done: make(chan struct{})}
	p.sr, p.w = io.Pipe()
	p.r, p.sw = io.Pipe()
	var serverIn io.Reader = p.sr
	var serverOut io.Writer = p.sw
	if opts.wrapServer != nil {
		serverIn, serverOut = opts.wrapServer(serverIn, serverOut, p.Abort)
	}
	go func() {
		defer close(p.done)
		p.err = Serve(ctx, serverIn, serverOut, ServeOptions{
			Version: opts.Version, Timeout: opts.Timeout, Abort: p.Abort, Open: opts.serverOpen, Now: opts.serverNow, maxProto: opts.serverProto,
			Batches: opts.Batches, Poll: opts.livePoll, SafetyPoll: opts.liveSafetyPoll,
		})
		p.sw.CloseWithError(io.EOF)
		p.sr.CloseWithError(io.ErrClosedPipe)
	}()
	return p, nil
}

func (p *pipeTransport) Read(b []byte) (int, error)  { return p.r.Read(b) }
func (p *pipeTransport) Write(b []byte) (int, error) { return p.w.Write(b) }
func (p *pipeTransport) CloseWrite() error           { return p.w.Close() }

func (p *pipeTransport) Abort() {
	p.w.CloseWithError(io.ErrClosedPipe)
	p.r.CloseWithError(io.ErrClosedPipe)
	p.sr.CloseWithError(io.ErrClosedPipe)
	p.sw.CloseWithError(io.ErrClosedPipe)
}

func (p *pipeTransport) Wait(timeout time.Duration) (int, string) {
	select {
	case <-p.done:
	case <-time.After(timeout):
		p.Abort()
		<-p.done
	}
	if p.err != nil {
		return 1, p.err.Error()
	}
	return 0, ""
}

// tailBuffer keeps the last max bytes written: ssh's stderr, for errors.
type tailBuffer struct {
	mu  stdsync.Mutex
	max int
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = append([]byte(nil), t.buf[len(t.buf)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(bytes.TrimSpace(t.buf))
}
