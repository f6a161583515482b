package sync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// ServeOptions configures the hub's side.
type ServeOptions struct {
	Version string        // this build's version, for the hello
	Timeout time.Duration // how long to wait for the client; default 5 minutes
	// Abort tears the transport down when the client stalls, unblocking a
	// read or write stuck on it. serve-sync exits the process; in-process
	// servers close their pipes.
	Abort func()
	// Open opens the shared store; nil means storage.Open. Tests pass an
	// already-open store to run thousands of schedules quickly.
	Open func(ctx context.Context, path string) (*storage.Store, error)
	// Now is the hub's clock (tests skew it).
	Now func() time.Time
	// Batches bounds the batches the hub sends, and the ids it answers
	// about at once.
	Batches Batches
	// Poll and SafetyPoll are how often a live session looks for new
	// commits to the shared store without being woken, where the kernel
	// cannot wake it and where it can: 0 is 200 ms and 60 s.
	Poll, SafetyPoll time.Duration
	// maxProto plays an older hub in tests.
	maxProto int
}

// Serve speaks the hub's side of the protocol on r and w, the stdin and
// stdout of `sitrep serve-sync`. The shared file's path arrives inside the
// stream, never on a command line. It returns when the client says bye or
// goes away; a reason to stop is sent to the client as well as returned.
func Serve(ctx context.Context, r io.Reader, w io.Writer, opts ServeOptions) (err error) {
	if opts.Timeout <= 0 {
		opts.Timeout = 5 * time.Minute
	}
	if opts.Abort == nil {
		opts.Abort = func() {}
	}
	if opts.Version == "" {
		opts.Version = "dev"
	}
	if opts.maxProto == 0 {
		opts.maxProto = ProtoMax
	}
	opts.Batches = opts.Batches.withDefaults()
	opts.Poll, opts.SafetyPoll = pollDefaults(opts.Poll, opts.SafetyPoll)
	if _, err := io.WriteString(w, Marker+"\n"); err != nil {
		return fmt.Errorf("serve-sync: write hello: %w", err)
	}
	s := newStream(r, w, opts.Abort, opts.Timeout, false)
	defer s.close()
	srv := &server{s: s, opts: opts}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	if err := s.send(&message{T: tHello, Proto: []int{ProtoMin, opts.maxProto}, Version: opts.Version, Schema: storage.SchemaVersion(), Now: now().UnixMilli()}); err != nil {
		return fmt.Errorf("serve-sync: write hello: %w", err)
	}
	defer func() {
		if srv.st != nil && srv.closeStore {
			srv.st.Close()
		}
	}()
	err = srv.run(ctx)
	var re remoteError
	if err != nil && !errors.As(err, &re) && !isDisconnect(err) {
		// Tell the client why, in words, then stop. If the client is gone
		// this fails too, and the returned error says enough.
		_ = s.send(&message{T: tError, Msg: err.Error()})
	}
	if err != nil {
		return fmt.Errorf("serve-sync: %w", err)
	}
	return nil
}

type server struct {
	s          *stream
	opts       ServeOptions
	st         *storage.Store
	closeStore bool
}

func (srv *server) run(ctx context.Context) error {
	proto, err := srv.handshake(ctx)
	if err != nil {
		return err
	}
	for {
		m, err := srv.s.recv(ctx)
		if err != nil {
			return err
		}
		switch m.T {
		case tBye:
			return srv.s.send(&message{T: tBye})
		case tError:
			return remoteError{msg: m.Msg}
		case tCheck:
			id, err := srv.st.IDAt(ctx, m.Seq)
			if err != nil {
				return err
			}
			err = srv.s.send(&message{T: tChecked, OK: id == m.ID && id != ""})
			if err != nil {
				return err
			}
		case tPush:
			if err := srv.push(ctx, m); err != nil {
				return err
			}
		case tPull:
			if err := srv.pull(ctx, m.Seq); err != nil {
				return err
			}
		case tIDs:
			ids, last, err := srv.st.IDsAfter(ctx, m.Seq, srv.opts.Batches.IDs)
			if err != nil {
				return err
			}
			if err := srv.s.send(&message{T: tIDs, IDs: ids, Last: last}); err != nil {
				return err
			}
		case tHave:
			if len(m.IDs) > srv.opts.Batches.IDs {
				return fmt.Errorf("%w: %d ids in one question (the limit is %d)", errGarbage, len(m.IDs), srv.opts.Batches.IDs)
			}
			missing, err := srv.st.MissingIDs(ctx, m.IDs)
			if err != nil {
				return err
			}
			if err := srv.s.send(&message{T: tMissing, IDs: missing}); err != nil {
				return err
			}
		case tFetch:
			if len(m.IDs) > srv.opts.Batches.IDs {
				return fmt.Errorf("%w: %d ids in one request (the limit is %d)", errGarbage, len(m.IDs), srv.opts.Batches.IDs)
			}
			events, err := srv.st.EventsByID(ctx, m.IDs)
			if err != nil {
				return err
			}
			if err := srv.sendEvents(events); err != nil {
				return err
			}
			if err := srv.s.send(&message{T: tEnd}); err != nil {
				return err
			}
		case tChain:
			if err := srv.chain(ctx, m.Origin, m.Author, m.Seq); err != nil {
				return err
			}
		case tLive:
			if proto < 3 {
				return fmt.Errorf("%w: a live request under protocol %d", errGarbage, proto)
			}
			return srv.live(ctx, m.Seq)
		case tHeads:
			hs, err := srv.st.ChainHeads(ctx)
			if err != nil {
				return err
			}
			if err := srv.s.send(&message{T: tHeads, Heads: wireHeads(hs)}); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%w: unknown request %q", errGarbage, model.OneLine(m.T))
		}
	}
}

// handshake answers the client's open: the protocol both speak, the shared
// file opened (or created), and where its log stands, with the client's
// cursor checked and, from protocol 2, this store's heads of the client's
// histories.
func (srv *server) handshake(ctx context.Context) (proto int, err error) {
	m, err := srv.s.expect(ctx, tOpen)
	if err != nil {
		return 0, err
	}
	if len(m.Proto) != 1 || m.Proto[0] < ProtoMin || m.Proto[0] > srv.opts.maxProto {
		return 0, fmt.Errorf("the client asked for protocol %v; this sitrep (%s) speaks %d to %d", m.Proto, srv.opts.Version, ProtoMin, srv.opts.maxProto)
	}
	proto = m.Proto[0]
	created, err := srv.open(ctx, m.Path, proto >= 2 && m.NoCreate)
	if err != nil {
		return 0, err
	}
	seq, err := srv.st.MaxSeq(ctx)
	if err != nil {
		return 0, err
	}
	schema, err := srv.st.Schema(ctx)
	if err != nil {
		return 0, err
	}
	// Check the client's cursor here, saving it a round trip: is the event
	// it last pulled still at the same place in this log?
	matches := false
	if m.Hub == srv.st.ID() && m.Seq > 0 {
		id, err := srv.st.IDAt(ctx, m.Seq)
		if err != nil {
			return 0, err
		}
		matches = id == m.ID
	}
	var heads []wireHead
	if proto >= 2 && m.Client != "" {
		hs, err := srv.st.OriginHeads(ctx, m.Client)
		if err != nil {
			return 0, err
		}
		heads = wireHeads(hs)
	}
	return proto, srv.s.send(&message{T: tOpened, Store: srv.st.ID(), Seq: seq, Schema: schema, Created: created, Version: srv.opts.Version, OK: matches, Heads: heads})
}

// open opens the shared file. A missing folder is an error, not something
// to create: it is far more likely a typo than a wish.
func (srv *server) open(ctx context.Context, path string, noCreate bool) (bool, error) {
	if strings.TrimSpace(path) == "" {
		return false, errors.New("no shared file was named")
	}
	if strings.ContainsRune(path, 0) {
		return false, errors.New("the shared file's name holds a NUL byte")
	}
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		home, err := os.UserHomeDir()
		if err != nil {
			return false, fmt.Errorf("cannot expand ~ in %s: %w", path, err)
		}
		path = filepath.Join(home, rest)
	}
	dir := filepath.Dir(path)
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return false, fmt.Errorf("the folder %s does not exist on the hub: create it there first", dir)
	case err != nil:
		return false, fmt.Errorf("cannot reach the folder %s on the hub: %w", dir, err)
	case !info.IsDir():
		return false, fmt.Errorf("%s is not a folder on the hub", dir)
	}
	// An empty main file may still hold a store in its WAL (another sync
	// has it open and has not checkpointed yet).
	created := false
	if fi, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		created = true
	} else if err == nil && fi.Size() == 0 {
		wal, err := os.Stat(path + "-wal")
		created = err != nil || wal.Size() == 0
	}
	if created && noCreate {
		return false, fmt.Errorf("there is no shared store at %s on the hub", path)
	}
	if srv.opts.Open != nil {
		srv.st, err = srv.opts.Open(ctx, path)
	} else {
		// Several first syncs may race to create one hub: storage.Open
		// lets them take turns (TestTenRespondersAtOnce).
		srv.st, err = storage.Open(ctx, path, storage.Options{Author: "sitrep-hub", Now: srv.opts.Now})
		srv.closeStore = err == nil
	}
	if err != nil || !created {
		return false, err
	}
	// Every sync that raced to a missing file saw it missing; the one
	// whose claim lands first says it created the store, the others not.
	created, err = srv.st.Claim(ctx, "created_by_sync", time.Now().UTC().Format(time.RFC3339Nano))
	return created, err
}

// chain streams one chain's events placed after seq, then the end: how a
// store takes back its own history, or a deleted one, from the hub.
func (srv *server) chain(ctx context.Context, origin, author string, after int64) error {
	for {
		page, err := srv.st.ChainEventsAfter(ctx, origin, author, after, srv.opts.Batches.Events)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			return srv.s.send(&message{T: tEnd})
		}
		if err := srv.sendEvents(page); err != nil {
			return err
		}
		after = page[len(page)-1].ChainSeq
	}
}

// push applies one batch in one transaction. The answer goes out only
// after the commit, and the client moves its cursor only on the answer.
func (srv *server) push(ctx context.Context, m *message) error {
	_, err := srv.pushTo(ctx, m)
	return err
}

// pushTo is push, also saying how far the client's pull cursor may jump
// (0 if not at all).
func (srv *server) pushTo(ctx context.Context, m *message) (int64, error) {
	events := eventsOf(m.Events)
	ids := idsOf(events)
	var pullTo int64
	var pullToID string
	res, err := srv.st.ApplyNoFork(ctx, events, func(tx *sql.Tx) error {
		top, topID, ok, err := srv.st.CoveredThrough(ctx, tx, m.Pulled, ids)
		if ok {
			pullTo, pullToID = top, topID
		}
		return err
	})
	if err != nil {
		if errors.Is(err, storage.ErrFork) {
			// Written for the person at the other end, whatever their
			// version: an older sitrep pushes such events blindly.
			return 0, fmt.Errorf("%w; nothing was stored. Upgrade sitrep there and sync again: it takes the hub's copy back first and renumbers the events made since", err)
		}
		if errors.Is(err, model.ErrInvalid) {
			return 0, fmt.Errorf("the hub refused a batch: %w", err)
		}
		return 0, err
	}
	return pullTo, srv.s.send(&message{T: tPushed, Applied: res.Applied, Known: res.Known, Conflicts: res.Conflicts, PullTo: pullTo, PullToID: pullToID})
}

// pull streams everything after seq in batches, then the end. The client
// commits each batch with its cursor, so a drop loses at most one batch of
// work and none of the data.
func (srv *server) pull(ctx context.Context, after int64) error {
	for {
		page, last, err := srv.st.EventsAfter(ctx, after, srv.opts.Batches.Events)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			return srv.s.send(&message{T: tEnd, Seq: last})
		}
		if err := srv.sendEvents(page); err != nil {
			return err
		}
		after = last
	}
}

func (srv *server) sendEvents(events []storage.LoggedEvent) error {
	for _, part := range srv.opts.Batches.split(events) {
		tail := part[len(part)-1]
		if err := srv.s.send(&message{T: tEvents, Events: wireEvents(part), Last: tail.Seq, LastID: tail.ID}); err != nil {
			return err
		}
	}
	return nil
}

// isDisconnect is the client going away: nobody left to tell.
func isDisconnect(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.ErrClosedPipe) ||
		errors.Is(err, os.ErrClosed) || errors.Is(err, errTimeout)
}
