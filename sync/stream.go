package sync

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"
)

// stream is one end of a protocol conversation. A goroutine reads and
// decodes messages ahead (so decoding overlaps with applying), at most one
// message in hand, so memory stays bounded by the batch size. Every wait
// has a deadline: a stalled peer aborts the transport, which unblocks any
// read or write stuck on it.
type stream struct {
	w       io.Writer
	abort   func()
	timeout time.Duration

	msgs chan frameResult
	done chan struct{}

	banner   chan string // client side: what came before the marker
	sent     atomic.Int64
	received atomic.Int64
	timedOut atomic.Bool
}

type frameResult struct {
	m   *message
	err error
}

// errTimeout is a peer that stopped answering.
var errTimeout = errors.New("no answer")

func newStream(r io.Reader, w io.Writer, abort func(), timeout time.Duration, expectMarker bool) *stream {
	// The reader decodes up to four frames ahead of whoever takes them:
	// with none, a big pull over ssh stalled the link each time the
	// receiver was busy storing (100k events over sshd 5.9 s, 5.0 s with
	// four). A frame is a batch of at most Batches.Bytes.
	s := &stream{w: w, abort: abort, timeout: timeout, msgs: make(chan frameResult, 4), done: make(chan struct{}), banner: make(chan string, 1)}
	go s.readLoop(r, expectMarker)
	return s
}

func (s *stream) readLoop(r io.Reader, expectMarker bool) {
	br := bufio.NewReaderSize(r, maxBanner+1024)
	deliver := func(fr frameResult) bool {
		select {
		case s.msgs <- fr:
			return fr.err == nil
		case <-s.done:
			return false
		}
	}
	if expectMarker {
		banner, n, err := readBanner(br)
		s.received.Add(int64(n))
		s.banner <- banner
		if err != nil {
			deliver(frameResult{err: err})
			return
		}
	}
	for {
		m, n, err := readFrame(br)
		s.received.Add(int64(n))
		if !deliver(frameResult{m: m, err: err}) {
			return
		}
	}
}

// close stops the reader goroutine from waiting to hand over a message.
func (s *stream) close() {
	select {
	case <-s.done:
	default:
		close(s.done)
	}
}

// recv waits for the next message, at most the timeout.
func (s *stream) recv(ctx context.Context) (*message, error) {
	t := time.NewTimer(s.timeout)
	defer t.Stop()
	select {
	case fr := <-s.msgs:
		if fr.err != nil && s.timedOut.Load() {
			return nil, errTimeout
		}
		return fr.m, fr.err
	case <-t.C:
		s.timedOut.Store(true)
		s.abort()
		return nil, fmt.Errorf("%w for %s", errTimeout, s.timeout)
	case <-ctx.Done():
		s.abort()
		return nil, ctx.Err()
	}
}

// send writes one message. A write the peer does not drain within the
// timeout aborts the transport.
func (s *stream) send(m *message) error {
	t := time.AfterFunc(s.timeout, func() { s.timedOut.Store(true); s.abort() })
	n, err := encodeFrame(s.w, m)
	t.Stop()
	s.sent.Add(int64(n))
	if err != nil && s.timedOut.Load() {
		return fmt.Errorf("%w for %s (the other side stopped reading)", errTimeout, s.timeout)
	}
	return err
}

// expect receives a message of one type; an error message from the peer
// becomes a remoteError.
func (s *stream) expect(ctx context.Context, want string) (*message, error) {
	m, err := s.recv(ctx)
	if err != nil {
		return nil, err
	}
	if m.T == tError {
		return nil, remoteError{msg: m.Msg}
	}
	if m.T != want {
		return nil, fmt.Errorf("%w: expected a %q message, got %q", errGarbage, want, m.T)
	}
	return m, nil
}

// remoteError is a reason the other end gave for stopping.
type remoteError struct{ msg string }

func (e remoteError) Error() string { return e.msg }
