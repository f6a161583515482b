package storagetest

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// Forger makes events by hand, with correct hashes and a correct chain, as a
// hostile teammate's modified sitrep would: only a check of the fields
// themselves can tell them from real ones. Insert writes them to a store's
// log past every check, as sqlite3 would.
type Forger struct {
	Origin, Author string
	At             time.Time // the events' time; zero means now
	seq            int64
	prev           string
	hlc            model.HLC
}

// Event makes the next event of the forger's chain. payload is marshalled
// unless it is already a json.RawMessage. edit, when not nil, changes any
// field before the hash is computed.
func (f *Forger) Event(incident string, kind model.EventKind, payload any, edit func(*model.Event)) model.Event {
	raw, ok := payload.(json.RawMessage)
	if !ok {
		b, err := json.Marshal(payload)
		if err != nil {
			panic(fmt.Sprintf("forge %s payload: %v", kind, err))
		}
		raw = b
	}
	at := f.At
	if at.IsZero() {
		at = time.Now()
	}
	at = at.UTC().Truncate(time.Millisecond)
	f.hlc = f.hlc.Next(at)
	e := model.Event{ID: storage.NewID(), IncidentID: incident, Kind: kind, Payload: raw, Author: f.Author, Origin: f.Origin,
		At: at, Occurred: at, HLC: f.hlc, ChainSeq: f.seq + 1, Prev: f.prev}
	if kind == model.EventDeclared && incident == "" {
		e.IncidentID = e.ID
	}
	if edit != nil {
		edit(&e)
	}
	e.Hash = e.ComputeHash()
	f.seq, f.prev = e.ChainSeq, e.Hash
	return e
}

// Insert writes events into the store's log with plain SQL, as sqlite3 or
// a modified sitrep would, skipping every check; the projections are not
// touched (st.Rebuild projects them).
func Insert(ctx context.Context, st *storage.Store, events ...model.Event) error {
	for _, e := range events {
		_, err := st.DB().ExecContext(ctx, `INSERT INTO events (id, incident_id, kind, payload, author, origin, at, occurred, hlc, chain_seq, prev, hash, received)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.ID, e.IncidentID, string(e.Kind), string(e.Payload), e.Author, e.Origin, e.At.UnixMilli(), e.Occurred.UnixMilli(),
			int64(e.HLC), e.ChainSeq, e.Prev, e.Hash, time.Now().UnixMilli())
		if err != nil {
			return fmt.Errorf("insert forged event %s: %w", e.ID, err)
		}
	}
	return nil
}
