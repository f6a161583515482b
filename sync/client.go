// Package sync exchanges events between a local store and a team's shared
// store (the hub): over the system ssh to `sitrep serve-sync` on the hub's
// host, or in this process for a file on a disk this machine can lock.
//
// The protocol is a marker line, then length-prefixed JSON messages: the
// server's hello, the client's open (the shared file's path travels here,
// never on a command line), then push batches, then a pull stream. Each
// batch is one transaction on the receiving side, and each side's cursor
// moves only in the transaction that stored the events (pull) or after the
// other side confirmed its commit (push), so a dropped connection costs at
// most a batch of repeated work and never an event.
package sync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// Options configures a sync.
type Options struct {
	// SSH is the ssh command and its options, split like a shell would
	// ("ssh -p 2222 -i key"); default "ssh".
	SSH string
	// RemoteBin is the sitrep binary on the hub, when not on its PATH.
	RemoteBin string
	// Version is this build's version, for the handshake.
	Version string
	// Timeout is the longest wait for any one answer; default 60 s.
	Timeout time.Duration
	// Full compares every event with the hub by id instead of trusting
	// where the last sync stopped: after a repair, or to take back events
	// deleted here that nothing else points to.
	Full bool
	// Batches bounds the batches this end sends (and, for a local-path
	// hub, the in-process hub's).
	Batches Batches
	// BulkPull is the number of events, from which a pull is stored in one
	// transaction and projected in bulk (a new laptop joining a big hub):
	// 0 is 10,000; below 0, never.
	BulkPull int

	// Test hooks: a transport of the test's own, a wrapper around the
	// in-process server's streams (to cut them), how that server opens the
	// hub, and its clock.
	dial       func(context.Context, Target, Options) (transport, error)
	wrapServer func(r io.Reader, w io.Writer, abort func()) (io.Reader, io.Writer)
	serverOpen func(context.Context, string) (*storage.Store, error)
	serverNow  func() time.Time
	// maxProto and serverProto play an older sitrep at either end.
	maxProto    int
	serverProto int
	// The in-process hub's live polling, from LiveOptions.
	livePoll, liveSafetyPoll time.Duration
}

// Report says what a sync did.
type Report struct {
	Remote        string
	HubID         string
	RemoteVersion string
	Created       bool     // the shared file was created by this sync
	Reconciled    bool     // cursors could not be trusted; logs were compared by id
	Pushed        int      // events the hub stored for the first time
	Pulled        int      // events this store stored for the first time
	Conflicts     []string // same id, different content: each side kept its own
	Flagged       int      // pulled events stamped well ahead of the clock they were judged by (kept, marked)
	// ClockOffset is how far this store's clock is ahead of the hub's
	// (negative: behind), as read from the hub's hello; zero if the hub
	// did not say.
	ClockOffset time.Duration
	// TakenBack: events the hub held and this store had lost (restored
	// from a backup, a damaged WAL, deleted), taken back before pushing.
	TakenBack int
	// Renumbered: events made here that nobody had seen, moved to follow
	// the hub's copy of this store's history (see storage.Rejoin).
	Renumbered    int
	Banner        string // what the hub's login shell printed before sitrep started, made safe
	BytesSent     int64
	BytesReceived int64
	Duration      time.Duration
}

func (o *Options) defaults() {
	if o.SSH == "" {
		o.SSH = "ssh"
	}
	if o.Timeout <= 0 {
		o.Timeout = 60 * time.Second
	}
	if o.Version == "" {
		o.Version = "dev"
	}
	o.Batches = o.Batches.withDefaults()
	if o.BulkPull == 0 {
		o.BulkPull = 10000
	}
}

// Sync pushes this store's new events to the hub named by remote, then
// pulls the hub's new events here. Running it again at once moves nothing.
// Errors are *Error.
func Sync(ctx context.Context, st *storage.Store, remote string, opts Options) (Report, error) {
	return session(ctx, st, remote, opts, (*client).run)
}

// Heads asks the hub named by remote for the head of every chain it holds,
// reading only: a missing shared file is an error, not created. Errors
// are *Error.
func Heads(ctx context.Context, st *storage.Store, remote string, opts Options) ([]storage.ChainHead, Report, error) {
	var heads []storage.ChainHead
	rep, err := session(ctx, st, remote, opts, func(c *client, ctx context.Context) error {
		if _, err := c.handshake(ctx, 2, true); err != nil {
			return err
		}
		if err := c.s.send(&message{T: tHeads}); err != nil {
			return err
		}
		m, err := c.s.expect(ctx, tHeads)
		if err != nil {
			return err
		}
		heads = headsOf(m.Heads)
		return c.bye(ctx)
	})
	return heads, rep, err
}

// session connects to remote, runs fn over the connection, and turns what
// went wrong into an *Error.
func session(ctx context.Context, st *storage.Store, remote string, opts Options, fn func(*client, context.Context) error) (Report, error) {
	start := time.Now()
	opts.defaults()
	rep := Report{Remote: remote}
	t, err := ParseRemote(remote)
	if err != nil {
		return rep, &Error{Remote: remote, Kind: KindUsage, Reason: err.Error(), Err: err}
	}
	rep.Remote = t.String()
	dial := opts.dial
	if dial == nil {
		dial = dialSSH
		if t.Local {
			dial = dialLocal
		}
	}
	tr, err := dial(ctx, t, opts)
	if err != nil {
		return rep, &Error{Remote: rep.Remote, Kind: KindUsage, Reason: err.Error(), Err: err}
	}
	c := &client{st: st, t: t, opts: opts, tr: tr, rep: &rep, s: newStream(tr, tr, tr.Abort, opts.Timeout, true)}
	err = fn(c, ctx)
	c.s.close()
	tr.CloseWrite()
	wait := opts.Timeout
	if err != nil {
		wait = 3 * time.Second
	}
	code, stderr := tr.Wait(wait)
	rep.BytesSent, rep.BytesReceived = c.s.sent.Load(), c.s.received.Load()
	rep.Duration = time.Since(start)
	if err != nil {
		return rep, c.explain(err, code, stderr)
	}
	return rep, nil
}

// Pending counts the events waiting to go to remote: made or received here
// since the last sync with it confirmed. It needs no connection.
func Pending(ctx context.Context, st *storage.Store, remote string) (int64, error) {
	t, err := ParseRemote(remote)
	if err != nil {
		return 0, err
	}
	cur, _, err := st.SyncCursorForRemote(ctx, t.String())
	if err != nil {
		return 0, err
	}
	return st.CountAfter(ctx, cur.Pushed)
}

type client struct {
	st   *storage.Store
	t    Target
	opts Options
	tr   transport
	s    *stream
	rep  *Report

	helloDone bool
	proto     int
	byName    storage.SyncCursor // the cursor last used under this remote's name
	named     bool
	hub       string
	pushed    int64 // local seq: all here up to it is in the hub
	pulled    int64 // hub seq: all there up to it is here
	pulledID  string
	hubSeq    int64 // the hub's newest seq when the session opened

	// dirty: the cursors above moved past what is saved. A push's cursor
	// is saved before the next batch goes, or with the first pulled batch,
	// or at the end: one durable commit fewer per sync, and a drop in
	// between only means the hub is told again about events it has.
	dirty bool
	saved bool // the cursor was saved at least once in this sync

	// acked: how far the hub is now known to hold each chain, saved with
	// the cursor (storage.RecordAcked).
	acked map[chainKey]storage.ChainHead
}

type chainKey struct{ origin, author string }

// noteAcked records that the hub holds events (it confirmed or sent them).
func (c *client) noteAcked(heads []storage.ChainHead) {
	if c.acked == nil {
		c.acked = map[chainKey]storage.ChainHead{}
	}
	for _, h := range heads {
		k := chainKey{h.Origin, h.Author}
		if old, ok := c.acked[k]; !ok || h.Seq > old.Seq {
			c.acked[k] = h
		}
	}
}

// takeAcked hands the pending marks to a transaction about to save them.
func (c *client) takeAcked() []storage.ChainHead {
	out := make([]storage.ChainHead, 0, len(c.acked))
	for _, h := range c.acked {
		out = append(out, h)
	}
	return out
}

// handshake reads the hello, agrees a protocol, names the shared file and
// reads the hub's answer. min is the lowest protocol the caller can work
// with: checked before the shared file is named, so nothing is written.
func (c *client) handshake(ctx context.Context, min int, noCreate bool) (*message, error) {
	hello, err := c.s.recv(ctx)
	select {
	case b := <-c.s.banner:
		c.rep.Banner = strings.TrimSpace(model.Neutralise(b))
	default:
	}
	if err != nil {
		return nil, err
	}
	if hello.T == tError {
		return nil, remoteError{msg: hello.Msg}
	}
	if hello.T != tHello {
		return nil, fmt.Errorf("%w: expected the hello, got a %q message", errGarbage, fromRemote(hello.T))
	}
	c.helloDone = true
	c.rep.RemoteVersion = fromRemote(hello.Version)
	if hello.Now != 0 {
		c.rep.ClockOffset = c.st.Now().Sub(time.UnixMilli(hello.Now))
	}
	proto, err := c.negotiate(hello)
	if err == nil && proto < min {
		err = &Error{Kind: KindIncompatible, Reason: fmt.Sprintf("the remote sitrep (%s) is too old to compare histories (sync protocol %d; this needs %d): upgrade it on the hub; nothing was read or written", c.rep.RemoteVersion, proto, min)}
	}
	if err != nil {
		_ = c.s.send(&message{T: tError, Msg: err.Error()})
		return nil, err
	}
	c.proto = proto

	byName, named, err := c.st.SyncCursorForRemote(ctx, c.t.String())
	if err != nil {
		return nil, localError(err)
	}
	c.byName, c.named = byName, named
	open := &message{T: tOpen, Proto: []int{proto}, Version: c.opts.Version, Schema: storage.SchemaVersion(), Path: c.t.Path, Client: c.st.ID(), NoCreate: noCreate}
	if named {
		open.Hub, open.Seq, open.ID = byName.HubID, byName.Pulled, byName.PulledID
	}
	if err := c.s.send(open); err != nil {
		return nil, err
	}
	opened, err := c.s.expect(ctx, tOpened)
	if err != nil {
		return nil, err
	}
	c.hub, c.hubSeq = opened.Store, opened.Seq
	c.rep.HubID, c.rep.Created = opened.Store, opened.Created
	if c.hub == "" {
		return nil, fmt.Errorf("%w: the hub did not say its id", errGarbage)
	}
	if c.hub == c.st.ID() {
		_ = c.s.send(&message{T: tBye})
		return nil, &Error{Kind: KindUsage, Reason: "that is this store itself: name the team's shared file"}
	}
	if opened.Schema > storage.SchemaVersion() {
		_ = c.s.send(&message{T: tBye})
		return nil, &Error{Kind: KindIncompatible, Reason: fmt.Sprintf("the shared store is at schema %d, newer than this sitrep knows (%d): upgrade sitrep here; nothing was written", opened.Schema, storage.SchemaVersion())}
	}
	return opened, nil
}

// bye ends the conversation politely.
func (c *client) bye(ctx context.Context) error {
	if err := c.s.send(&message{T: tBye}); err != nil {
		return err
	}
	_, err := c.s.expect(ctx, tBye)
	return err
}

func (c *client) run(ctx context.Context) error {
	if err := c.exchange(ctx); err != nil {
		return err
	}
	return c.bye(ctx)
}

// exchange is a one-shot sync up to its goodbye: catch up, push, pull, and
// save the cursor.
func (c *client) exchange(ctx context.Context) error {
	opened, err := c.handshake(ctx, ProtoMin, false)
	if err != nil {
		return err
	}
	reconcile, err := c.loadCursor(ctx, c.byName, c.named, opened)
	if err != nil {
		return err
	}
	if c.proto >= 2 {
		if err := c.catchUp(ctx, headsOf(opened.Heads)); err != nil {
			return err
		}
	}
	if err := c.push(ctx, reconcile); err != nil {
		return err
	}
	if reconcile {
		err = c.pullByID(ctx)
	} else {
		err = c.pull(ctx)
	}
	if err != nil {
		return err
	}
	if c.dirty || !c.saved || len(c.acked) > 0 {
		if err := c.saveCursor(ctx); err != nil {
			return err
		}
	}
	return nil
}

// negotiate picks the protocol both ends speak and refuses a newer schema
// before the shared file is even opened, so nothing is written.
func (c *client) negotiate(hello *message) (int, error) {
	if len(hello.Proto) != 2 {
		return 0, fmt.Errorf("%w: the hello has no protocol range", errGarbage)
	}
	lo, hi := hello.Proto[0], hello.Proto[1]
	version := c.rep.RemoteVersion
	switch {
	case lo > ProtoMax:
		return 0, &Error{Kind: KindIncompatible, Reason: fmt.Sprintf("the remote sitrep (%s) speaks sync protocol %d–%d, newer than this one (%d–%d): upgrade sitrep here; nothing was written", version, lo, hi, ProtoMin, ProtoMax)}
	case hi < ProtoMin:
		return 0, &Error{Kind: KindIncompatible, Reason: fmt.Sprintf("the remote sitrep (%s) speaks sync protocol %d–%d, older than this one needs (%d): upgrade it on the hub; nothing was written", version, lo, hi, ProtoMin)}
	case hello.Schema > storage.SchemaVersion():
		return 0, &Error{Kind: KindIncompatible, Reason: fmt.Sprintf("the remote sitrep (%s) uses store schema %d, newer than this one (%d): upgrade sitrep here; nothing was written", version, hello.Schema, storage.SchemaVersion())}
	}
	top := ProtoMax
	if c.opts.maxProto > 0 {
		top = c.opts.maxProto
	}
	return min(hi, top), nil
}

// loadCursor decides whether the cursors can be trusted. They cannot when
// this name used to reach another hub (replaced), when the hub's log is
// shorter than what was pulled from it, or when the event at the cursor is
// not the one pulled (restored from a backup, then written to): then both
// logs are compared by id instead.
func (c *client) loadCursor(ctx context.Context, byName storage.SyncCursor, named bool, opened *message) (bool, error) {
	cur, ok, err := c.st.SyncCursor(ctx, c.hub)
	if err != nil {
		return false, localError(err)
	}
	valid := true
	switch {
	case c.opts.Full:
		valid = false
	case !ok && named:
		valid = false // this name reached another hub before
	case ok && cur.Pulled > opened.Seq:
		valid = false
	case ok && cur.Pulled > 0 && named && byName.HubID == c.hub:
		valid = opened.OK
	case ok && cur.Pulled > 0:
		if err := c.s.send(&message{T: tCheck, Seq: cur.Pulled, ID: cur.PulledID}); err != nil {
			return false, err
		}
		m, err := c.s.expect(ctx, tChecked)
		if err != nil {
			return false, err
		}
		valid = m.OK
	}
	if !valid {
		if err := c.st.ResetSyncCursor(ctx, c.hub, c.t.String()); err != nil {
			return false, localError(err)
		}
		c.rep.Reconciled = true
		return true, nil
	}
	c.pushed, c.pulled, c.pulledID = cur.Pushed, cur.Pulled, cur.PulledID
	return false, nil
}

func (c *client) cursor() storage.SyncCursor {
	return storage.SyncCursor{HubID: c.hub, Remote: c.t.String(), Pushed: c.pushed, Pulled: c.pulled, PulledID: c.pulledID}
}

func (c *client) saveCursor(ctx context.Context) error {
	if err := c.st.SaveSyncState(ctx, c.cursor(), c.takeAcked()); err != nil {
		return localError(err)
	}
	c.dirty, c.saved, c.acked = false, true, nil
	return nil
}

// push sends what the hub has not confirmed. Before a first sync or in a
// reconcile, it asks which ids the hub lacks first, so a store that shares
// most of its history with the hub sends ids, not bodies.
func (c *client) push(ctx context.Context, byID bool) error {
	if c.pushed == 0 && !byID {
		n, err := c.st.CountAfter(ctx, 0)
		if err != nil {
			return localError(err)
		}
		byID = n > int64(c.opts.Batches.Events)
	}
	for {
		page, last, err := c.st.EventsAfter(ctx, c.pushed, c.opts.Batches.Events)
		if err != nil {
			return localError(err)
		}
		if len(page) == 0 {
			return nil
		}
		if byID {
			if page, err = c.missingAtHub(ctx, page); err != nil {
				return err
			}
		}
		parts := c.opts.Batches.split(page)
		for i, part := range parts {
			upTo := part[len(part)-1].Seq
			if i == len(parts)-1 {
				upTo = last
			}
			if err := c.pushBatch(ctx, part, upTo); err != nil {
				return err
			}
		}
		if len(parts) == 0 {
			c.pushed = last
			c.dirty = true
		}
	}
}

func (c *client) missingAtHub(ctx context.Context, page []storage.LoggedEvent) ([]storage.LoggedEvent, error) {
	ids := make([]string, len(page))
	for i, l := range page {
		ids[i] = l.ID
	}
	if err := c.s.send(&message{T: tHave, IDs: ids}); err != nil {
		return nil, err
	}
	m, err := c.s.expect(ctx, tMissing)
	if err != nil {
		return nil, err
	}
	lacks := make(map[string]bool, len(m.IDs))
	for _, id := range m.IDs {
		lacks[id] = true
	}
	out := page[:0]
	var held []model.Event
	for _, l := range page {
		if lacks[l.ID] {
			out = append(out, l)
		} else {
			held = append(held, l.Event)
		}
	}
	c.noteAcked(storage.HeadsOf(held))
	return out, nil
}

func (c *client) pushBatch(ctx context.Context, part []storage.LoggedEvent, upTo int64) error {
	if c.dirty {
		if err := c.saveCursor(ctx); err != nil {
			return err
		}
	}
	if err := c.s.send(&message{T: tPush, Events: wireEvents(part), Pulled: c.pulled}); err != nil {
		return err
	}
	m, err := c.s.expect(ctx, tPushed)
	if err != nil {
		return err
	}
	c.rep.Pushed += m.Applied
	for _, x := range m.Conflicts {
		c.rep.Conflicts = append(c.rep.Conflicts, "at the hub: "+fromRemote(x))
	}
	// Only now, with the hub's commit confirmed, does the cursor move.
	c.pushed = upTo
	c.noteAcked(storage.HeadsOf(loggedEvents(part)))
	if m.PullTo > c.pulled {
		c.pulled, c.pulledID = m.PullTo, m.PullToID
	}
	c.dirty = true
	return nil
}

// catchUp takes back from the hub what it holds of a chain beyond what
// this store holds, before anything is pushed: this store's own history
// after a restore from a backup or a damaged WAL (heads: the hub's heads of
// this store's chains, from its opened answer), and any other chain whose
// newest events were deleted here after the hub acknowledged them (the
// marks saved by earlier syncs). Events made here since, which nobody has
// seen, are renumbered to follow the hub's copy (storage.Rejoin), so
// pushing them never forks the author's history; nothing the hub holds is
// changed.
func (c *client) catchUp(ctx context.Context, heads []storage.ChainHead) error {
	var check []storage.ChainHead
	for _, h := range heads {
		if h.Origin == c.st.ID() {
			check = append(check, h)
		}
	}
	marks, err := c.st.AckedHeads(ctx)
	if err != nil {
		return localError(err)
	}
	for _, m := range marks {
		if m.Hub == c.hub && m.Origin != c.st.ID() {
			check = append(check, m.ChainHead)
		}
	}
	for _, h := range check {
		l, ok, err := c.st.ChainEventAt(ctx, h.Origin, h.Author, h.Seq)
		if err != nil {
			return localError(err)
		}
		if ok && l.Hash == h.Hash {
			continue // the hub's head is here, so is all before it
		}
		mine, err := c.st.ChainHead(ctx, h.Origin, h.Author)
		if err != nil {
			return localError(err)
		}
		from := mine.Seq
		var unseen []string
		if h.Origin == c.st.ID() {
			var first int64
			if unseen, first, err = c.unseen(ctx, h); err != nil {
				return err
			}
			if first > 0 {
				from = min(from, first-1)
			}
		}
		if from >= h.Seq {
			continue // the same place holds another event: verify names it, sync cannot mend it
		}
		tail, err := c.fetchChain(ctx, h.Origin, h.Author, from)
		if err != nil {
			return err
		}
		res, err := c.st.Rejoin(ctx, tail, unseen, c.judgeClock(), func(tx *sql.Tx) error {
			return c.st.RecordAcked(ctx, tx, c.hub, storage.HeadsOf(tail))
		})
		if err != nil {
			if errors.Is(err, model.ErrInvalid) {
				return &refusedEvent{err}
			}
			return localError(err)
		}
		c.rep.TakenBack += res.Taken
		c.rep.Renumbered += res.Moved
	}
	return nil
}

// unseen lists the events of this store's own chain that arrived after the
// push cursor and that the hub says it lacks, and the first place of any
// event that arrived after the cursor: from there on this store's numbers
// may not be the hub's (an event renumbered and pushed, then lost to an
// older backup that holds it under its first numbers), so the hub's copy
// is fetched from there.
func (c *client) unseen(ctx context.Context, h storage.ChainHead) ([]string, int64, error) {
	var out []string
	var first int64
	after := int64(0)
	for {
		page, err := c.st.ChainEventsArrivedAfter(ctx, h.Origin, h.Author, c.pushed, after, c.opts.Batches.IDs)
		if err != nil {
			return nil, 0, localError(err)
		}
		if len(page) == 0 {
			return out, first, nil
		}
		ids := make([]string, len(page))
		for i, l := range page {
			ids[i] = l.ID
			if first == 0 || l.ChainSeq < first {
				first = l.ChainSeq
			}
		}
		if err := c.s.send(&message{T: tHave, IDs: ids}); err != nil {
			return nil, 0, err
		}
		m, err := c.s.expect(ctx, tMissing)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, m.IDs...)
		after = page[len(page)-1].ChainSeq
	}
}

// fetchChain reads the hub's copy of one chain after a place, whole: it is
// applied in one transaction with the renumbering it may call for.
func (c *client) fetchChain(ctx context.Context, origin, author string, after int64) ([]model.Event, error) {
	if err := c.s.send(&message{T: tChain, Origin: origin, Author: author, Seq: after}); err != nil {
		return nil, err
	}
	var out []model.Event
	for {
		m, err := c.s.recv(ctx)
		if err != nil {
			return nil, err
		}
		switch m.T {
		case tEnd:
			return out, nil
		case tError:
			return nil, remoteError{msg: m.Msg}
		case tEvents:
			out = append(out, eventsOf(m.Events)...)
		default:
			return nil, fmt.Errorf("%w: expected events, got a %q message", errGarbage, fromRemote(m.T))
		}
	}
}

func loggedEvents(ls []storage.LoggedEvent) []model.Event {
	out := make([]model.Event, len(ls))
	for i, l := range ls {
		out[i] = l.Event
	}
	return out
}

// pull applies the hub's stream batch by batch, each with its cursor in
// one transaction.
func (c *client) pull(ctx context.Context) error {
	if err := c.s.send(&message{T: tPull, Seq: c.pulled}); err != nil {
		return err
	}
	if c.opts.BulkPull > 0 && c.hubSeq-c.pulled >= int64(c.opts.BulkPull) {
		return c.receiveBulk(ctx)
	}
	return c.receive(ctx, true)
}

// receiveBulk stores a whole pull stream in one transaction, projected in
// bulk (storage.ApplyBulkAt): a new laptop's first pull of a big hub, or
// one far behind. Every event is checked as in any pull; the cursors move
// in the same transaction, so a cut midway leaves this store as it was,
// and the next sync pulls again from where this one started. The stream is
// the same as for a pull a batch at a time: any hub serves it.
func (c *client) receiveBulk(ctx context.Context) error {
	judge := c.judgeClock()
	var last int64
	var lastID string
	var streamErr error // the stream's own failure, not the store's
	flagged := 0
	each := func(add func(model.Event) error) error {
		for {
			m, err := c.s.recv(ctx)
			if err == nil {
				err = c.checkPulled(m, max(c.pulled, last))
			}
			if err != nil {
				streamErr = err
				return err
			}
			if m.T == tEnd {
				return nil
			}
			events := eventsOf(m.Events)
			for _, e := range events {
				if err := add(e); err != nil {
					return err
				}
				if storage.StampedAhead(e, judge) {
					flagged++
				}
			}
			c.noteAcked(storage.HeadsOf(events))
			last, lastID = m.Last, m.LastID
		}
	}
	pushed := c.pushed
	res, err := c.st.ApplyBulkAt(ctx, judge, each, func(tx *sql.Tx, before int64) error {
		if err := c.st.RecordAcked(ctx, tx, c.hub, c.takeAcked()); err != nil {
			return err
		}
		// Everything after before came in this pull: when all that was
		// here before it has gone to the hub, so has all that is here now.
		if c.pushed >= before {
			top, _, err := c.st.NewestIn(ctx, tx)
			if err != nil {
				return err
			}
			pushed = max(pushed, top)
		}
		cur := c.cursor()
		cur.Pushed = pushed
		if last > 0 {
			cur.Pulled, cur.PulledID = last, lastID
		}
		return c.st.AdvanceSyncCursor(ctx, tx, cur, c.st.Now())
	})
	switch {
	case streamErr != nil:
		return streamErr
	case errors.Is(err, model.ErrInvalid):
		return &refusedEvent{err}
	case err != nil:
		return localError(err)
	}
	c.pushed = pushed
	if last > 0 {
		c.pulled, c.pulledID = last, lastID
	}
	c.dirty, c.saved, c.acked = false, true, nil
	c.rep.Pulled += res.Applied
	for _, x := range res.Conflicts {
		c.rep.Conflicts = append(c.rep.Conflicts, "here: "+x)
	}
	c.rep.Flagged += min(flagged, res.Applied)
	return nil
}

// checkPulled checks one message of a pull stream: a batch ending past
// after, or its end.
func (c *client) checkPulled(m *message, after int64) error {
	switch m.T {
	case tEnd:
		return nil
	case tError:
		return remoteError{msg: m.Msg}
	case tEvents:
		if m.Last <= after || m.LastID == "" || len(m.Events) == 0 {
			return fmt.Errorf("%w: a batch ending at %d after %d", errGarbage, m.Last, after)
		}
		return nil
	}
	return fmt.Errorf("%w: expected events, got a %q message", errGarbage, fromRemote(m.T))
}

// receive applies the batches of one events stream until its end. With
// cursor, each batch must end past the pull cursor and moves it (a pull);
// without, the caller moves it (a reconcile's fetch).
func (c *client) receive(ctx context.Context, cursor bool) error {
	for {
		m, err := c.s.recv(ctx)
		if err == nil && cursor {
			err = c.checkPulled(m, c.pulled)
		}
		if err != nil {
			return err
		}
		switch m.T {
		case tEnd:
			return nil
		case tError:
			return remoteError{msg: m.Msg}
		case tEvents:
			last, lastID := int64(0), ""
			if cursor {
				last, lastID = m.Last, m.LastID
			}
			if err := c.apply(ctx, m.Events, last, lastID); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%w: expected events, got a %q message", errGarbage, fromRemote(m.T))
		}
	}
}

// apply stores one pulled batch. With last > 0 the pull cursor moves in the
// same transaction; and when every local event past the push cursor is in
// this batch, the push cursor moves too, so what came from the hub is never
// sent back to it.
func (c *client) apply(ctx context.Context, ws []wireEvent, last int64, lastID string) error {
	events := eventsOf(ws)
	ids := idsOf(events)
	pushed := c.pushed
	judge := c.judgeClock()
	c.noteAcked(storage.HeadsOf(events))
	res, err := c.st.ApplyWithClock(ctx, events, judge, func(tx *sql.Tx) error {
		if err := c.st.RecordAcked(ctx, tx, c.hub, c.takeAcked()); err != nil {
			return err
		}
		top, _, ok, err := c.st.CoveredThrough(ctx, tx, c.pushed, ids)
		if err != nil {
			return err
		}
		if ok {
			pushed = top
		}
		cur := c.cursor()
		cur.Pushed = pushed
		if last > 0 {
			cur.Pulled, cur.PulledID = last, lastID
		}
		return c.st.AdvanceSyncCursor(ctx, tx, cur, c.st.Now())
	})
	if err != nil {
		if errors.Is(err, model.ErrInvalid) {
			return &refusedEvent{err}
		}
		return localError(err)
	}
	c.pushed = pushed
	if last > 0 {
		c.pulled, c.pulledID = last, lastID
	}
	c.dirty, c.saved, c.acked = false, true, nil // the transaction saved the whole cursor and the marks
	c.rep.Pulled += res.Applied
	for _, x := range res.Conflicts {
		c.rep.Conflicts = append(c.rep.Conflicts, "here: "+x)
	}
	if res.Applied > 0 {
		flagged := 0
		for _, e := range events {
			if storage.StampedAhead(e, judge) {
				flagged++
			}
		}
		c.rep.Flagged += min(flagged, res.Applied)
	}
	return nil
}

// judgeClock is the time arriving events are judged by: this store's clock,
// or the hub's when the two disagree by more than model.ClockTolerance. A
// laptop an hour slow would otherwise mark every honest teammate's entry
// [clock ahead]; judged by the hub's clock, only a clock that really runs
// ahead is.
func (c *client) judgeClock() time.Time {
	now := c.st.Now()
	if off := c.rep.ClockOffset; off > model.ClockTolerance || off < -model.ClockTolerance {
		return now.Add(-off)
	}
	return now
}

// pullByID walks the hub's ids and fetches only the events missing here.
func (c *client) pullByID(ctx context.Context) error {
	for {
		if err := c.s.send(&message{T: tIDs, Seq: c.pulled}); err != nil {
			return err
		}
		m, err := c.s.expect(ctx, tIDs)
		if err != nil {
			return err
		}
		if len(m.IDs) == 0 {
			return nil
		}
		if m.Last <= c.pulled {
			return fmt.Errorf("%w: ids ending at %d after %d", errGarbage, m.Last, c.pulled)
		}
		missing, err := c.st.MissingIDs(ctx, m.IDs)
		if err != nil {
			return localError(err)
		}
		if len(missing) > 0 {
			if err := c.s.send(&message{T: tFetch, IDs: missing}); err != nil {
				return err
			}
			if err := c.receive(ctx, false); err != nil {
				return err
			}
		}
		c.pulled, c.pulledID = m.Last, m.IDs[len(m.IDs)-1]
		if err := c.saveCursor(ctx); err != nil {
			return err
		}
	}
}

type localFailure struct{ err error }

func (l localFailure) Error() string { return l.err.Error() }
func (l localFailure) Unwrap() error { return l.err }

func localError(err error) error { return localFailure{err} }

// explain turns what went wrong into an *Error a responder can act on,
// using how the remote command ended and the tail of ssh's stderr.
func (c *client) explain(err error, code int, stderr string) error {
	e := &Error{Remote: c.rep.Remote, Err: err}
	var se *Error
	if errors.As(err, &se) {
		se.Remote = c.rep.Remote
		return se
	}
	var re remoteError
	var lf localFailure
	tail := lastLine(stderr)
	withTail := func(s string) string {
		if tail != "" {
			return s + ": " + tail
		}
		return s
	}
	switch {
	case errors.As(err, &lf):
		e.Kind, e.Reason = KindLocal, "this machine's store: "+lf.err.Error()
	case errors.As(err, &re):
		e.Kind, e.Reason = KindRefused, "the hub says: "+fromRemote(re.msg)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		e.Kind, e.Reason = KindInterrupted, "stopped before it finished; what was exchanged is kept, run sync again to finish"
	case !c.helloDone && code == 127:
		bin := "sitrep"
		if c.opts.RemoteBin != "" {
			bin = c.opts.RemoteBin
		}
		e.Kind, e.Reason = KindNoSitrep, fmt.Sprintf("the remote has no %s (exit 127): install it there or pass --remote-sitrep PATH", fromRemote(bin))
	case !c.helloDone && code == 126:
		e.Kind, e.Reason = KindNoSitrep, withTail("the remote sitrep cannot be run (exit 126)")
	case !c.helloDone && code == 255 && !c.t.Local && tail != "":
		e.Kind, e.Reason = KindUnreachable, withTail("ssh could not connect (exit 255)")
	case !c.helloDone && code == 255 && !c.t.Local:
		// ssh says why it could not connect (unless its LogLevel is
		// QUIET); a remote command killed before its first word leaves it
		// nothing to say.
		e.Kind, e.Reason = KindInterrupted, "the hub's sitrep stopped before its hello (killed or crashed; ssh gave no reason): nothing was exchanged; run sync again, and look at the hub if it happens again"
	case !c.helloDone && strings.Contains(stderr, "unknown command"):
		e.Kind, e.Reason = KindNoSitrep, withTail(fmt.Sprintf("the remote sitrep does not know serve-sync (exit %d): upgrade it there", code))
	case !c.helloDone && errors.Is(err, errGarbage) && c.rep.Banner != "":
		e.Kind, e.Reason = KindProtocol, fmt.Sprintf("the remote printed text instead of sitrep's hello (a login script writing to stdout, or not sitrep?): %q", fromRemote(c.rep.Banner))
	case !c.helloDone && errors.Is(err, errGarbage):
		e.Kind, e.Reason = KindProtocol, "the remote sent something that is not sitrep's hello ("+fromRemote(err.Error())+"): is the remote sitrep a different program, or a wrapper printing to stdout?"
	case !c.helloDone && errors.Is(err, errTimeout):
		e.Kind, e.Reason = KindUnreachable, fmt.Sprintf("no hello from the remote sitrep within %s", c.opts.Timeout)
	case !c.helloDone && c.rep.Banner != "":
		e.Kind, e.Reason = KindProtocol, withTail(fmt.Sprintf("the remote ended (exit %d) without sitrep's hello; it printed %q", code, fromRemote(c.rep.Banner)))
	case !c.helloDone:
		e.Kind, e.Reason = KindProtocol, withTail(fmt.Sprintf("the remote ended (exit %d) before sitrep's hello", code))
	case errors.As(err, new(*refusedEvent)):
		e.Kind, e.Reason = KindRefused, "the hub holds an event this store refuses: "+fromRemote(err.Error())
	case errors.Is(err, errGarbage):
		e.Kind, e.Reason = KindProtocol, "the other end sent something that is not the sitrep sync protocol: "+fromRemote(err.Error())+"; nothing half-done was kept"
	case errors.Is(err, errTimeout):
		e.Kind, e.Reason = KindInterrupted, fmt.Sprintf("the hub stopped answering (%s); what was exchanged is kept, run sync again to finish", c.opts.Timeout)
	case code == 255 && !c.t.Local && tail != "":
		e.Kind, e.Reason = KindUnreachable, "the connection to the hub dropped ("+tail+"); what was exchanged is kept, run sync again to finish"
	case code == 255 && !c.t.Local:
		e.Kind, e.Reason = KindInterrupted, "the hub's sitrep stopped part way (killed or crashed; ssh gave no reason); what was exchanged is kept, run sync again to finish"
	case isDrop(err):
		e.Kind, e.Reason = KindInterrupted, withTail("the connection to the hub dropped")+"; what was exchanged is kept, run sync again to finish"
	default:
		e.Kind, e.Reason = KindInterrupted, withTail("the sync stopped part way ("+fromRemote(err.Error())+")")+"; what was exchanged is kept, run sync again to finish"
	}
	return e
}
