package sync

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// The protocol versions this build speaks. A peer whose range does not
// overlap is refused in the handshake, before anything is written.
//
// Protocol 2 adds, all ignored by a peer speaking 1: the heads of the
// client's own chains in the opened answer (so a store restored from a
// backup learns before pushing that the hub holds more of its history),
// the chain request (one chain's events after a place), the heads request
// (every chain's head, for verify --against) and open's no_create.
//
// Protocol 3 adds live mode: after the one-shot exchange the client sends
// live instead of bye; the hub answers live and from then on sends each
// batch of new events as they are committed there (the client answers got
// once the batch and its cursor are stored, and only then does the next
// batch go), while the client pushes its own new batches as before (push,
// pushed). Ping and pong keep a quiet session known to be alive. A client
// that reads 2 in the hub's hello never asks; an old client never sends
// live, so nothing changes for it.
const (
	ProtoMin = 1
	ProtoMax = 3
)

// Marker is the line the server prints before its first message. Anything
// before it came from the remote login shell (a banner, a motd), and is
// reported rather than parsed.
const Marker = "#!sitrep-sync"

const (
	// MaxMessage bounds one message on the wire, so a corrupt length or a
	// hostile peer cannot make the other side allocate without limit.
	MaxMessage = 64 << 20
	// maxBanner is how much a login shell may print before the marker.
	maxBanner = 64 << 10
)

// Batches bounds what one end sends at a time (Options.Batches,
// ServeOptions.Batches); a zero field takes its default. Tests make them
// small enough to cut a stream between batches.
type Batches struct {
	// Events and Bytes bound one batch of events: the unit of one
	// transaction on the receiving side and of what a dropped connection
	// can cost. 0: 1,000 events, 4 MiB.
	Events, Bytes int
	// IDs is how many ids one reconcile round compares, and the most a
	// hub answers about in one question. 0: 5,000.
	IDs int
}

func (b Batches) withDefaults() Batches {
	if b.Events <= 0 {
		b.Events = 1000
	}
	if b.Bytes <= 0 {
		b.Bytes = 4 << 20
	}
	if b.IDs <= 0 {
		b.IDs = 5000
	}
	return b
}

// Message types.
const (
	tHello   = "hello"   // server → client, first
	tOpen    = "open"    // client → server: the shared file's path, the client's view of the hub
	tOpened  = "opened"  // server → client: the hub's id and newest seq
	tCheck   = "check"   // client → server: is the event at seq still this id?
	tChecked = "checked" // server → client
	tPush    = "push"    // client → server: a batch of events
	tPushed  = "pushed"  // server → client: what the batch did, once committed
	tPull    = "pull"    // client → server: send what arrived after seq
	tEvents  = "events"  // server → client: one batch
	tEnd     = "end"     // server → client: no more batches
	tIDs     = "ids"     // reconcile: ids after seq (request and answer)
	tHave    = "have"    // reconcile: which of these ids do you lack?
	tMissing = "missing" // reconcile: these
	tFetch   = "fetch"   // reconcile: send these events
	tChain   = "chain"   // 2: client → server: one chain's events after seq; answered with events, then end
	tHeads   = "heads"   // 2: every chain's head (request and answer)
	tLive    = "live"    // 3: client → server: stay, from this pull cursor; server → client: staying
	tGot     = "got"     // 3: client → server: the live batch ending at seq is stored here
	tPing    = "ping"    // 3: client → server: still there?
	tPong    = "pong"    // 3: server → client
	tBye     = "bye"     // either way: done
	tError   = "error"   // either way: a reason in plain words, then the sender stops
)

// message is every message of the protocol: one flat struct, a type tag
// and the fields that type uses. Unknown fields are ignored, so a newer
// peer may add some within one protocol version.
type message struct {
	T string `json:"t"`

	// hello, open
	Proto   []int  `json:"proto,omitempty"` // hello: [min, max]; open: [chosen]
	Version string `json:"version,omitempty"`
	Schema  int    `json:"schema,omitempty"`
	// hello: the hub's clock (unix ms), so a client whose own clock is off
	// judges what it receives by the hub's instead of blaming every honest
	// clock for running ahead. Older hubs leave it out.
	Now int64 `json:"now,omitempty"`

	// open
	Path   string `json:"path,omitempty"`
	Client string `json:"client,omitempty"` // the client store's id
	Hub    string `json:"hub,omitempty"`    // the hub id the client last saw under this name
	// 2: a missing shared file is an error, not something to create
	// (verify --against reads; it never makes a hub).
	NoCreate bool `json:"no_create,omitempty"`

	// opened
	Store   string `json:"store,omitempty"`
	Created bool   `json:"created,omitempty"`

	// opened, end, checked: the hub's newest seq. check, pull, ids: a seq.
	Seq int64  `json:"seq,omitempty"`
	ID  string `json:"id,omitempty"` // check: the id expected at Seq
	OK  bool   `json:"ok,omitempty"` // checked

	// push, events
	Events []wireEvent `json:"ev,omitempty"`
	Last   int64       `json:"last,omitempty"`    // events, ids: seq of the last one
	LastID string      `json:"last_id,omitempty"` // events, ids: its id

	// push: the client's pull cursor, so the hub can tell it to skip the
	// events it just sent when nothing else arrived in between.
	Pulled int64 `json:"pulled,omitempty"`

	// pushed
	Applied   int      `json:"applied,omitempty"`
	Known     int      `json:"known,omitempty"`
	Conflicts []string `json:"conflicts,omitempty"`
	PullTo    int64    `json:"pull_to,omitempty"`
	PullToID  string   `json:"pull_to_id,omitempty"`

	// ids, have, missing, fetch
	IDs []string `json:"ids,omitempty"`

	// 2: opened: the heads of the chains made in the client's store;
	// heads: every chain's.
	Heads []wireHead `json:"heads,omitempty"`
	// 2: chain: which chain (with Seq: after which place)
	Origin string `json:"origin,omitempty"`
	Author string `json:"author,omitempty"`

	// error
	Msg string `json:"msg,omitempty"`
}

// wireHead is a chain's head on the wire.
type wireHead struct {
	Origin string `json:"o"`
	Author string `json:"a"`
	Seq    int64  `json:"c"`
	Hash   string `json:"x"`
}

func wireHeads(hs []storage.ChainHead) []wireHead {
	out := make([]wireHead, len(hs))
	for i, h := range hs {
		out[i] = wireHead(h)
	}
	return out
}

func headsOf(ws []wireHead) []storage.ChainHead {
	out := make([]storage.ChainHead, len(ws))
	for i, w := range ws {
		out[i] = storage.ChainHead(w)
	}
	return out
}

// wireEvent is an event with short field names: ids and hashes dominate an
// event's size, and the names would otherwise add a third. The payload
// travels as raw JSON, byte for byte what its author wrote (the hash covers
// those bytes); one that is not compact JSON travels as a string instead.
type wireEvent struct {
	ID       string          `json:"i"`
	Incident string          `json:"n"`
	Kind     string          `json:"k"`
	Payload  json.RawMessage `json:"p,omitempty"`
	PayloadS *string         `json:"ps,omitempty"`
	Author   string          `json:"a"`
	Origin   string          `json:"o"`
	At       int64           `json:"t"`
	Occurred int64           `json:"d"`
	HLC      int64           `json:"h"`
	Chain    int64           `json:"c"`
	Prev     string          `json:"v,omitempty"`
	Hash     string          `json:"x"`
}

func toWire(e model.Event) wireEvent {
	w := wireEvent{
		ID: e.ID, Incident: e.IncidentID, Kind: string(e.Kind), Author: e.Author, Origin: e.Origin,
		At: e.At.UnixMilli(), Occurred: e.Occurred.UnixMilli(), HLC: int64(e.HLC), Chain: e.ChainSeq, Prev: e.Prev, Hash: e.Hash,
	}
	if isCompactJSON(e.Payload) {
		w.Payload = e.Payload
	} else {
		s := string(e.Payload)
		w.PayloadS = &s
	}
	return w
}

// isCompactJSON reports whether the encoder would send b unchanged: valid
// JSON with no insignificant whitespace (HTML escaping is turned off).
func isCompactJSON(b []byte) bool {
	if len(b) == 0 || !json.Valid(b) {
		return false
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return false
	}
	return bytes.Equal(buf.Bytes(), b)
}

func (w wireEvent) event() model.Event {
	payload := []byte(w.Payload)
	if w.PayloadS != nil {
		payload = []byte(*w.PayloadS)
	}
	return model.Event{
		ID: w.ID, IncidentID: w.Incident, Kind: model.EventKind(w.Kind), Payload: payload, Author: w.Author, Origin: w.Origin,
		At: time.UnixMilli(w.At).UTC(), Occurred: time.UnixMilli(w.Occurred).UTC(), HLC: model.HLC(w.HLC),
		ChainSeq: w.Chain, Prev: w.Prev, Hash: w.Hash,
	}
}

func eventsOf(ws []wireEvent) []model.Event {
	out := make([]model.Event, len(ws))
	for i, w := range ws {
		out[i] = w.event()
	}
	return out
}

// wireEvents is one batch as it travels, for a push or a pulled batch.
func wireEvents(part []storage.LoggedEvent) []wireEvent {
	ws := make([]wireEvent, len(part))
	for i, l := range part {
		ws[i] = toWire(l.Event)
	}
	return ws
}

// idsOf lists a received batch's ids, for CoveredThrough.
func idsOf(events []model.Event) []string {
	ids := make([]string, len(events))
	for i, e := range events {
		ids[i] = e.ID
	}
	return ids
}

// wireSize estimates an event's encoded size, for cutting batches.
func wireSize(l storage.LoggedEvent) int {
	return len(l.Payload) + len(l.ID) + len(l.IncidentID) + len(l.Kind) + len(l.Author) + len(l.Origin) + len(l.Prev) + len(l.Hash) + 120
}

// split cuts events into runs that fit in one message each.
func (b Batches) split(events []storage.LoggedEvent) [][]storage.LoggedEvent {
	var out [][]storage.LoggedEvent
	start, size := 0, 0
	for i, l := range events {
		n := wireSize(l)
		if i > start && (size+n > b.Bytes || i-start >= b.Events) {
			out = append(out, events[start:i])
			start, size = i, 0
		}
		size += n
	}
	if start < len(events) {
		out = append(out, events[start:])
	}
	return out
}

// encodeFrame writes one message: a 4-byte big-endian length, then JSON.
func encodeFrame(w io.Writer, m *message) (int, error) {
	var buf bytes.Buffer
	buf.Write([]byte{0, 0, 0, 0})
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // would rewrite payload bytes and break their hashes
	if err := enc.Encode(m); err != nil {
		return 0, fmt.Errorf("encode %s message: %w", m.T, err)
	}
	b := buf.Bytes()
	b = b[:len(b)-1] // the encoder's newline
	n := len(b) - 4
	if n > MaxMessage {
		return 0, fmt.Errorf("a %s message of %d bytes is over the %d-byte limit (an event too big to sync?)", m.T, n, MaxMessage)
	}
	binary.BigEndian.PutUint32(b[:4], uint32(n))
	return w.Write(b)
}

// errGarbage marks bytes that are not the protocol, as opposed to a
// connection that ended.
var errGarbage = errors.New("not the sitrep sync protocol")

// readFrame reads one message. It never allocates more than the length
// allows, and says what was wrong in words.
func readFrame(r io.Reader) (*message, int, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, 0, io.ErrUnexpectedEOF
		}
		return nil, 0, err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n == 0 || n > MaxMessage {
		return nil, 4, fmt.Errorf("%w: a message length of %d bytes (bytes %q)", errGarbage, n, hdr[:])
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(r, body); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, 4, err
	}
	m, err := decodeMessage(body)
	return m, 4 + int(n), err
}

// decodeMessage parses one message body and checks what every type needs.
func decodeMessage(body []byte) (*message, error) {
	var m message
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("%w: bad message (%v)", errGarbage, err)
	}
	if m.T == "" {
		return nil, fmt.Errorf("%w: a message with no type", errGarbage)
	}
	for i, e := range m.Events {
		if e.ID == "" || e.Hash == "" || (len(e.Payload) == 0 && e.PayloadS == nil) {
			return nil, fmt.Errorf("%w: event %d of a %s message lacks an id, hash or payload", errGarbage, i+1, m.T)
		}
	}
	return &m, nil
}

// readBanner reads up to and including the marker line, returning what
// came before it. Lines are cut at maxBanner bytes in all, so a peer that
// sends megabytes without a newline is refused, not buffered.
func readBanner(r *bufio.Reader) (string, int, error) {
	var banner strings.Builder
	total := 0
	for {
		line, err := r.ReadSlice('\n')
		total += len(line)
		// A login script that prints without a final newline leaves its
		// text on the marker's line: the marker ends the line either way.
		if text, ok := strings.CutSuffix(strings.TrimRight(string(line), "\r\n"), Marker); err == nil && ok {
			if banner.Len()+len(text) > maxBanner {
				return banner.String(), total, fmt.Errorf("%w: %d bytes with no sitrep hello", errGarbage, total)
			}
			banner.WriteString(text)
			return banner.String(), total, nil
		}
		if banner.Len()+len(line) > maxBanner || errors.Is(err, bufio.ErrBufferFull) {
			banner.Write(line[:min(len(line), maxBanner-min(banner.Len(), maxBanner))])
			return banner.String(), total, fmt.Errorf("%w: %d bytes with no sitrep hello", errGarbage, total)
		}
		banner.Write(line)
		if err != nil {
			if errors.Is(err, io.EOF) && total > 0 {
				err = io.ErrUnexpectedEOF
			}
			return banner.String(), total, err
		}
	}
}
