package export

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// ImportResult says what an import did.
type ImportResult struct {
	Incidents int
	storage.ApplyResult
}

// MaxImport bounds the file an import reads.
const MaxImport = 4 << 30

// Import adds the events of the JSON export at path to the store, in one
// read of the file and one transaction (storage.ApplyBulk): each event is
// checked as it is read (Check's checks) and stored; once the file is read
// whole, its chains are checked within the file and against the store as it
// was before the import (Links, which reads through another connection and
// so does not see the transaction). A file that fails any check stores
// nothing. Events already held are skipped; the incidents part is not
// stored: it is rebuilt from the events.
func Import(ctx context.Context, st *storage.Store, path string) (ImportResult, error) {
	c := newChecked(path)
	// Said as the file's fault, before the store's transaction would
	// wrap it in the store's name.
	if _, err := os.Stat(path); err != nil {
		return ImportResult{}, err
	}
	r, err := st.ApplyBulk(ctx, func(add func(model.Event) error) error {
		incidents, err := scanFileAhead(path, func(e Event, m model.Event, ok bool) error {
			return c.event(e, m, ok, add)
		})
		if err != nil {
			return err
		}
		c.Incidents = incidents
		if err := c.linkChains(); err != nil {
			return err
		}
		return c.Links(ctx, st)
	}, nil)
	if err != nil {
		return ImportResult{Incidents: c.Incidents}, err
	}
	return ImportResult{Incidents: c.Incidents, ApplyResult: r}, nil
}

// Checked is a JSON export whose every event passed the first read: the
// format, version and each event's hash are right, and within the file every
// author's chain links up. What is left to check needs the store: that each
// chain's events missing from the file are there (Links).
type Checked struct {
	path      string
	Incidents int
	Events    int
	chains    map[chainKey][]link
	// needs are the chain positions the file does not hold but links to:
	// the store must hold them, with these hashes.
	needs map[chainKey][]link
}

type chainKey struct{ origin, author string }

// link is what the chain checks need of one event: its place, its hash and
// the hash it links to, 72 bytes however big the event.
type link struct {
	seq        int64
	hash, prev [32]byte
}

// digest packs a hex hash into 32 bytes. Anything else (an empty prev, or
// not hex) is hashed, so equal strings still give equal digests.
func digest(s string) [32]byte {
	if b, err := hex.DecodeString(s); err == nil && len(b) == 32 {
		return [32]byte(b)
	}
	return sha256.Sum256([]byte("not a hash:" + s))
}

// Check reads the JSON export at path without a store: the format, the
// version, every event's hash (payloads re-encoded by jq or another JSON
// tool are put back in the form their hash covers), and every author's
// chain within the file: no two different events at one place, each linking
// to the one before it. Memory holds 72 bytes per event, not the events.
func Check(path string) (*Checked, error) {
	c := newChecked(path)
	incidents, err := scanFileAhead(path, func(e Event, m model.Event, ok bool) error {
		return c.event(e, m, ok, func(m model.Event) error { return storage.CheckIncoming(m) })
	})
	if err != nil {
		return nil, err
	}
	c.Incidents = incidents
	if err := c.linkChains(); err != nil {
		return nil, err
	}
	return c, nil
}

func newChecked(path string) *Checked {
	return &Checked{path: path, chains: map[chainKey][]link{}, needs: map[chainKey][]link{}}
}

// event checks one event as read (m is e as the store holds it, ok whether
// its hash covers it), hands it to add (which checks its fields and hash
// again, as a store does with anything from elsewhere), and notes its place
// in its chain.
func (c *Checked) event(e Event, m model.Event, ok bool, add func(model.Event) error) error {
	c.Events++
	if !ok {
		return model.Invalidf("event %d (%s by %s): its hash does not match its content: the event was edited, or re-encoded in a way that changed its payload",
			c.Events, e.ID, e.Author)
	}
	if err := add(m); err != nil {
		return fmt.Errorf("event %d: %w", c.Events, err)
	}
	if m.ChainSeq < 1 {
		return model.Invalidf("event %d (%s by %s): chain number %d is not a chain position", c.Events, e.ID, e.Author, m.ChainSeq)
	}
	k := chainKey{m.Origin, m.Author}
	c.chains[k] = append(c.chains[k], link{seq: m.ChainSeq, hash: digest(m.Hash), prev: digest(m.Prev)})
	return nil
}

// linkChains checks every author's chain within the file, once it is read
// whole, and notes the places it links to but does not hold.
func (c *Checked) linkChains() error {
	start := digest("")
	for k, links := range c.chains {
		sort.Slice(links, func(i, j int) bool { return links[i].seq < links[j].seq })
		out := links[:0]
		for i, l := range links {
			if i > 0 && links[i-1].seq == l.seq {
				if links[i-1].hash != l.hash {
					return model.Invalidf("the file holds two different events numbered %d in %s's chain: one was rewritten; nothing imported", l.seq, k.author)
				}
				continue // the same event twice
			}
			out = append(out, l)
		}
		links = out
		c.chains[k] = links
		for i, l := range links {
			switch {
			case l.seq == 1 && l.prev != start:
				return model.Invalidf("event 1 of %s's chain links to an event before it: it was rewritten; nothing imported", k.author)
			case l.seq == 1:
			case i > 0 && links[i-1].seq == l.seq-1:
				if links[i-1].hash != l.prev {
					return model.Invalidf("event %d of %s's chain does not link to event %d: one of them was replaced; nothing imported", l.seq, k.author, l.seq-1)
				}
			default:
				// The event before this one is not in the file: the store
				// must hold it.
				c.needs[k] = append(c.needs[k], link{seq: l.seq - 1, hash: l.prev})
			}
		}
	}
	return nil
}

// Complete reports whether the file holds every author's chain whole, from
// its first event: a full export does; one incident's export (or a file
// with events deleted) does not.
func (c *Checked) Complete() bool { return len(c.needs) == 0 }

// Links checks the file against the store (nil: an empty one): every event
// the file's chains link to but do not hold must be in the store with the
// hash linked to, and no event of the file may stand where the store holds
// a different one. Otherwise importing would leave the store failing verify
// for good, so the whole file is refused, naming the author and the missing
// chain positions.
func (c *Checked) Links(ctx context.Context, st *storage.Store) error {
	keys := make([]chainKey, 0, len(c.chains))
	for k := range c.chains {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].author != keys[j].author {
			return keys[i].author < keys[j].author
		}
		return keys[i].origin < keys[j].origin
	})
	var lacking []string // authors whose chains lack events, first one detailed
	var detail string
	for _, k := range keys {
		held := map[int64][32]byte{}
		if st != nil {
			links := c.chains[k]
			from, to := links[0].seq, links[len(links)-1].seq
			if len(c.needs[k]) > 0 {
				from = 1 // to name the whole of each hole
			}
			err := st.ChainHashes(ctx, k.origin, k.author, from, to, func(seq int64, hash string) {
				held[seq] = digest(hash)
			})
			if err != nil {
				return err
			}
			for _, l := range links {
				if h, ok := held[l.seq]; ok && h != l.hash {
					return model.Invalidf("event %d of %s's chain differs from the one this store holds: one of the two was rewritten; nothing imported", l.seq, k.author)
				}
			}
		}
		var missing []span
		links := c.chains[k]
		for _, n := range c.needs[k] {
			h, ok := held[n.seq]
			if ok && h != n.hash {
				return model.Invalidf("event %d of %s's chain in the file does not link to the one this store holds: one of the two was rewritten; nothing imported", n.seq+1, k.author)
			}
			if ok {
				continue
			}
			// The hole runs down to the event before it in the file or
			// in the store.
			j := sort.Search(len(links), func(j int) bool { return links[j].seq >= n.seq }) - 1
			lo := int64(1)
			if j >= 0 {
				lo = links[j].seq + 1
			}
			p := n.seq
			for p > lo {
				if _, ok := held[p-1]; ok {
					break
				}
				p--
			}
			missing = append(missing, span{p, n.seq})
		}
		if len(missing) == 0 {
			continue
		}
		if len(lacking) == 0 {
			detail = fmt.Sprintf("event(s) %s of %s's chain are neither in the file nor in this store", spans(missing), k.author)
		}
		lacking = append(lacking, k.author)
	}
	if len(lacking) == 0 {
		return nil
	}
	others := ""
	if len(lacking) > 1 {
		others = fmt.Sprintf(" (and %d other author(s)' chains)", len(lacking)-1)
	}
	if c.Incidents == 1 {
		// One incident's export lacks its authors' events in other
		// incidents; a file cut by hand lacks what was cut. Both read the
		// same here.
		return model.Invalidf("%s%s: the file holds only part of %s's history (a single-incident export, or events deleted from it); import takes a full export, 'sitrep export --all --format json'; nothing imported",
			detail, others, lacking[0])
	}
	return model.Invalidf("%s (deleted from the file?)%s: nothing imported", detail, others)
}

// span is a run of chain positions, lo to hi.
type span struct{ lo, hi int64 }

// spans writes runs of positions as "3, 7-9", at most about 200 bytes.
func spans(runs []span) string {
	var b strings.Builder
	for i, r := range runs {
		if b.Len() > 200 {
			fmt.Fprintf(&b, " and %d more", len(runs)-i)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		if r.lo == r.hi {
			fmt.Fprintf(&b, "%d", r.lo)
		} else {
			fmt.Fprintf(&b, "%d-%d", r.lo, r.hi)
		}
	}
	return b.String()
}

// scanFileAhead scans the JSON export at path as scanFile does, decoding
// and hashing ahead in a goroutine of its own while each works on what came
// before (for an import, storing it): the two halves of the work take about
// as long as each other. Each is handed an event, what the store would
// hold of it, and whether its hash covers it (Event.toModel).
func scanFileAhead(path string, each func(e Event, m model.Event, ok bool) error) (int, error) {
	type item struct {
		e  Event
		m  model.Event
		ok bool
	}
	const chunk = 256
	ch := make(chan []item, 4)
	stop := make(chan struct{})
	var incidents int
	var scanErr error
	go func() {
		defer close(ch)
		buf := make([]item, 0, chunk)
		send := func() bool {
			select {
			case ch <- buf:
				buf = make([]item, 0, chunk)
				return true
			case <-stop:
				return false
			}
		}
		incidents, scanErr = scanFile(path, func(e Event) error {
			m, ok := e.toModel()
			buf = append(buf, item{e, m, ok})
			if len(buf) == chunk && !send() {
				return errStopped
			}
			return nil
		})
		if scanErr == nil && len(buf) > 0 {
			send()
		}
	}()
	var err error
	for items := range ch {
		for _, it := range items {
			if err == nil {
				err = each(it.e, it.m, it.ok)
			}
		}
		if err != nil {
			close(stop)
			for range ch { // the scanner stops at its next send
			}
			return 0, err
		}
	}
	close(stop)
	return incidents, scanErr
}

// errStopped ends a scan whose reader stopped reading.
var errStopped = errors.New("stopped")

// scanFile opens path and scans it as a JSON export.
func scanFile(path string, each func(Event) error) (incidents int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return scan(bufio.NewReader(f), each)
}

// scan reads a JSON export an element at a time: it checks the format and
// version, counts the incidents and hands each event to each, in order.
func scan(r io.Reader, each func(Event) error) (incidents int, err error) {
	dec := json.NewDecoder(io.LimitReader(r, MaxImport))
	bad := func(err error) error { return model.Invalidf("not a sitrep JSON export: %v", err) }
	if t, err := dec.Token(); err != nil {
		return 0, bad(err)
	} else if t != json.Delim('{') {
		return 0, model.Invalidf("not a sitrep JSON export: it does not start with an object")
	}
	var format string
	var version int
	var eachErr error
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return 0, bad(err)
		}
		switch t {
		case "format":
			err = dec.Decode(&format)
		case "version":
			err = dec.Decode(&version)
		case "incidents", "events":
			// Keys may come in any order (jq -S sorts "events" first): the
			// format and version are checked at the end, and Import stores
			// nothing until a first scan has passed whole.
			err = scanArray(dec, func() error {
				if t == "incidents" {
					incidents++
					var skip json.RawMessage
					return dec.Decode(&skip)
				}
				var e Event
				if err := dec.Decode(&e); err != nil {
					return err
				}
				eachErr = each(e)
				return eachErr
			})
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		switch {
		case eachErr != nil:
			return 0, eachErr // the caller's own error, as it is
		case err != nil:
			return 0, bad(err)
		}
	}
	if _, err := dec.Token(); err != nil {
		return 0, bad(err)
	}
	return incidents, checkHeader(format, version)
}

func checkHeader(format string, version int) error {
	if format != FormatName {
		return model.Invalidf("not a sitrep JSON export (format %q, want %q)", format, FormatName)
	}
	if version < 1 || version > Version {
		return model.Invalidf("export version %d is not one this sitrep reads (1 to %d): upgrade sitrep", version, Version)
	}
	return nil
}

// scanArray calls elem for each element of the array the decoder is at;
// elem decodes it.
func scanArray(dec *json.Decoder, elem func() error) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if t != json.Delim('[') {
		return fmt.Errorf("want an array, found %v", t)
	}
	for dec.More() {
		if err := elem(); err != nil {
			return err
		}
	}
	_, err = dec.Token()
	return err
}
