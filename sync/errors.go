package sync

import (
	"errors"
	"io"
	"os"
	"regexp"
	"strings"
	stdsync "sync"
	"syscall"
	"unicode/utf8"

	"github.com/sitrep-dev/sitrep/model"
)

// ErrorKind says what sort of failure a sync met, so the TUI can show
// "offline" for an unreachable hub and a real problem for the rest.
type ErrorKind int

const (
	// KindUsage: the remote or the ssh command as written cannot work.
	KindUsage ErrorKind = iota + 1
	// KindUnreachable: ssh could not connect or log in (offline, wrong
	// host, key refused). Try again later.
	KindUnreachable
	// KindNoSitrep: the remote has no sitrep, or one too old to serve sync.
	KindNoSitrep
	// KindRefused: the hub answered and refused: no such folder, not a
	// sitrep store, an event it will not accept.
	KindRefused
	// KindIncompatible: the two ends speak different protocol or schema
	// versions. Nothing was written.
	KindIncompatible
	// KindProtocol: the other end sent something that is not the protocol.
	KindProtocol
	// KindInterrupted: the connection dropped or stalled mid-sync. What was
	// committed stays; running sync again finishes the job.
	KindInterrupted
	// KindLocal: this machine's own store failed.
	KindLocal
)

// Error is a failed sync, in words a responder can act on. Text that came
// from the other end is neutralised before it is put here.
type Error struct {
	Remote string
	Kind   ErrorKind
	Reason string
	Err    error // the cause, for errors.Is; may be nil
}

// Exit statuses of 'sitrep sync', and of 'sitrep verify --against' when
// it cannot ask the hub: one per kind of failure, so a script can tell
// "try again later" from "someone must fix something". verify's own 2
// (history changed or missing) is not a sync failure and never one of
// these.
const (
	// ExitLocal: the remote or an option as written cannot work, or this
	// machine's own store failed. Fix the command or the local store.
	ExitLocal = 1
	// ExitOffline: the hub could not be reached (no network, wrong host,
	// key refused). Nothing was exchanged; try again later.
	ExitOffline = 3
	// ExitInterrupted: the connection dropped, stalled, or the hub's
	// sitrep stopped (killed, crashed) part way. What was committed is
	// kept; run sync again to finish.
	ExitInterrupted = 4
	// ExitHub: the hub's side needs a person: it refused (no such folder,
	// not a store, an event it will not take), has no sitrep or one that
	// cannot talk to this one, or spoke something else.
	ExitHub = 5
)

// ExitCode is the exit status for this failure (see ExitLocal...).
func (e *Error) ExitCode() int {
	switch e.Kind {
	case KindUnreachable:
		return ExitOffline
	case KindInterrupted:
		return ExitInterrupted
	case KindNoSitrep, KindRefused, KindIncompatible, KindProtocol:
		return ExitHub
	default:
		return ExitLocal
	}
}

func (e *Error) Error() string { return "sync with " + model.Neutralise(e.Remote) + ": " + e.Reason }
func (e *Error) Unwrap() error { return e.Err }

// Offline reports whether the hub simply could not be reached: the normal
// state of a laptop on a train, not a fault.
func (e *Error) Offline() bool { return e.Kind == KindUnreachable }

// maxRemote bounds text from the other end shown on one line.
const maxRemote = 400

// fromRemote makes text the other end sent safe to show on one line. A
// long message is long because of a path, and its cause comes last ("open
// store /a/very/long/path: cause"): long path-like words are cut to their
// last part first, then the middle goes, never the end.
func fromRemote(s string) string {
	s = strings.Join(strings.Fields(plainIO(model.Neutralise(s))), " ")
	if len(s) <= maxRemote {
		return s
	}
	words := strings.Split(s, " ")
	for i, w := range words {
		if len(w) > 48 && strings.Contains(w, "/") {
			words[i] = "…" + tailOf(w, 40)
		}
	}
	s = strings.Join(words, " ")
	if len(s) > maxRemote {
		s = headOf(s, 100) + " … " + tailOf(s, maxRemote-104)
	}
	return s
}

// headOf is at most n bytes from the start of s, never half a character.
func headOf(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// tailOf is at most n bytes from the end of s, never half a character.
func tailOf(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := len(s) - n
	for cut < len(s) && !utf8.RuneStart(s[cut]) {
		cut++
	}
	return s[cut:]
}

// goPipe is how Go names a pipe in an I/O error ("write |1: broken pipe"):
// words for a programmer, not for a responder.
var goPipe = stdsync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\b(read|write) \|[0-9]+: broken pipe|\b(read|write) \|[0-9]+: `)
})

// plainIO rewrites Go's pipe errors in text from either end.
func plainIO(s string) string {
	return goPipe().ReplaceAllStringFunc(s, func(m string) string {
		if strings.HasSuffix(m, "broken pipe") {
			return "the connection dropped"
		}
		return ""
	})
}

// isDrop reports an error that only means the other end, or the pipe to
// it, went away.
func isDrop(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.ErrClosedPipe) ||
		errors.Is(err, os.ErrClosed) || errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET)
}

// lastLine is the last non-empty line of stderr, where ssh and shells put
// the reason they stopped.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" {
			return fromRemote(l)
		}
	}
	return ""
}

// refusedEvent is a pulled event this store's checks refuse (storage's
// CheckIncoming): the protocol was fine, the content was not.
type refusedEvent struct{ err error }

func (r *refusedEvent) Error() string { return r.err.Error() }
func (r *refusedEvent) Unwrap() error { return r.err }
