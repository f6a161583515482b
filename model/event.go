package model

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// Event is one change anyone made, as it sits in the append-only log. The
// payload is kept as the exact bytes its author wrote, because the hash
// covers those bytes and sync carries them unchanged.
type Event struct {
	ID         string
	IncidentID string
	Kind       EventKind
	Payload    json.RawMessage
	Author     string
	Origin     string    // id of the store the event was made in
	At         time.Time // author's wall clock when it was recorded (typed)
	Occurred   time.Time // when it happened, as the author says; usually At
	HLC        HLC
	ChainSeq   int64  // 1, 2, 3… per (origin, author)
	Prev       string // hash of the previous event in that chain; "" for the first
	Hash       string
}

// ComputeHash is the SHA-256 over every field but the hash itself, each
// length-prefixed so no two different events can encode the same.
func (e Event) ComputeHash() string {
	h := sha256.New()
	var n [8]byte
	field := func(b []byte) {
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	num := func(v int64) {
		binary.BigEndian.PutUint64(n[:], uint64(v))
		h.Write(n[:])
	}
	field([]byte("sitrep-event-v1"))
	field([]byte(e.ID))
	field([]byte(e.IncidentID))
	field([]byte(e.Kind))
	field(e.Payload)
	field([]byte(e.Author))
	field([]byte(e.Origin))
	num(e.At.UnixMilli())
	num(e.Occurred.UnixMilli())
	num(int64(e.HLC))
	num(e.ChainSeq)
	field([]byte(e.Prev))
	return hex.EncodeToString(h.Sum(nil))
}

// Version orders concurrent changes to one value: the later HLC wins, and the
// id breaks ties, so every store picks the same winner whatever order events
// arrived in. The result compares correctly as a plain string.
func (e Event) Version() string { return fmt.Sprintf("%016x:%s", uint64(e.HLC), e.ID) }

// Change is an event before the store stamps its id, clock and hash: what
// a responder's action asks the store to record.
type Change struct {
	IncidentID string
	Kind       EventKind
	Payload    any       // one of the payload structs; marshalled to JSON
	Occurred   time.Time // zero means now
}

// Decode unmarshals an event's payload into the struct for its kind.
func Decode[T any](e Event) (T, error) {
	var v T
	if err := json.Unmarshal(e.Payload, &v); err != nil {
		return v, fmt.Errorf("event %s (%s): bad payload: %w", e.ID, e.Kind, err)
	}
	return v, nil
}
