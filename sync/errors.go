package sync

import (
	"strings"
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

func (e *Error) Error() string { return "sync with " + model.Neutralise(e.Remote) + ": " + e.Reason }
func (e *Error) Unwrap() error { return e.Err }

// Offline reports whether the hub simply could not be reached: the normal
// state of a laptop on a train, not a fault.
func (e *Error) Offline() bool { return e.Kind == KindUnreachable }

// fromRemote makes text the other end sent safe to show on one line.
func fromRemote(s string) string {
	s = strings.Join(strings.Fields(model.Neutralise(s)), " ")
	if len(s) > 400 {
		cut := 400
		for cut > 0 && !utf8.RuneStart(s[cut]) { // never half a character
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
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
