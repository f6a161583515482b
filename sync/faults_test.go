package sync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	stdsync "sync"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// smallBatches are batches of n events, so a handful of events cross
// several batches and a cut can fall between them.
func smallBatches(n int) Batches { return Batches{Events: n, IDs: n} }

// syncFails runs a sync that must fail and returns its error, checking
// what every failure owes the user: an *Error, on one line, printable.
func syncFails(t testing.TB, st *storage.Store, remote string, opts Options) *Error {
	t.Helper()
	rep, err := Sync(context.Background(), st, remote, opts)
	if err == nil {
		t.Fatalf("sync of %s to %s succeeded (%+v); want an error", st.Author(), remote, rep)
	}
	var se *Error
	if !errors.As(err, &se) {
		t.Fatalf("sync error is %T, not *Error: %v", err, err)
	}
	msg := err.Error()
	if strings.ContainsAny(msg, "\n\r\x1b") {
		t.Errorf("error is not one printable line: %q", msg)
	}
	if strings.Contains(msg, "goroutine") || strings.Contains(msg, "panic") {
		t.Errorf("internal text in the error: %q", msg)
	}
	return se
}

func openHub(t testing.TB, path string) *storage.Store {
	t.Helper()
	st, err := storage.Open(context.Background(), path, storage.Options{Author: "hub-reader"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func sameIDs(t testing.TB, want map[string]bool, stores ...*storage.Store) {
	t.Helper()
	for _, st := range stores {
		got := eventIDs(t, st)
		for id := range want {
			if !got[id] {
				t.Fatalf("%s lacks event %s", st.Path(), id)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("%s holds %d events, want %d", st.Path(), len(got), len(want))
		}
	}
}

// TestCutStreamAnywhere drops the connection at random byte offsets in
// both directions of a sync that pushes and pulls several batches. After
// every cut both stores are whole, and the next sync finishes the job:
// every event everywhere, none twice.
func TestCutStreamAnywhere(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	opts := localOpts()
	opts.Timeout = 5 * time.Second
	opts.Batches = smallBatches(4)

	// Measure a whole exchange once, to cut inside it.
	setup := func(dir string) (a, b *storage.Store, hub string) {
		hub = filepath.Join(dir, "hub.db")
		a = openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
		b = openStore(t, filepath.Join(dir, "b.db"), "bob", nil)
		in := declare(t, b, "shared")
		for i := range 9 {
			note(t, b, in, fmt.Sprintf("bob %d", i))
		}
		mustSync(t, b, hub, opts)
		mustSync(t, a, hub, opts)
		for i := range 11 {
			note(t, a, in, fmt.Sprintf("alice %d", i))
			note(t, b, in, fmt.Sprintf("bob later %d", i))
		}
		mustSync(t, b, hub, opts)
		return a, b, hub
	}
	a, _, _ := setup(t.TempDir())
	full := mustSync(t, a, filepath.Join(filepath.Dir(a.Path()), "hub.db"), opts)
	total := int(full.BytesSent + full.BytesReceived)
	if full.Pushed != 11 || full.Pulled != 11 {
		t.Fatalf("the exchange to cut: %+v", full)
	}

	rounds := 40
	if testing.Short() || raceEnabled {
		rounds = 6
	}
	for i := range rounds {
		budget := rng.IntN(total)
		if i == 0 {
			budget = 0
		}
		dir := t.TempDir()
		a, b, hub := setup(dir)
		se := syncFails(t, a, hub, cutAfter(opts, budget))
		if se.Offline() && se.Kind != KindInterrupted {
			t.Logf("cut at %d: %v", budget, se)
		}
		h := openHub(t, hub)
		checkConsistent(t, a)
		checkConsistent(t, h)
		// Nothing half-applied: each store holds whole batches only.
		again := mustSync(t, a, hub, opts)
		mustSync(t, b, hub, opts)
		want := eventIDs(t, h)
		if len(want) != 2+9+2*11 {
			t.Fatalf("cut at %d of %d: the hub holds %d events after the retry, want %d", budget, total, len(want), 2+9+2*11)
		}
		sameIDs(t, want, a, b)
		if da, dh := dump(t, a), dump(t, h); da != dh {
			t.Fatalf("cut at %d: alice and the hub differ:\n%s", budget, diffLines(da, dh))
		}
		// The retry sent at most what the cut left unsent, and a third
		// sync moves nothing.
		if again.Pushed > 11 || again.Pulled > 11 {
			t.Fatalf("cut at %d: retry moved more than there was: %+v", budget, again)
		}
		if rep := mustSync(t, a, hub, opts); rep.Pushed != 0 || rep.Pulled != 0 {
			t.Fatalf("cut at %d: third sync moved events: %+v", budget, rep)
		}
		if n, _ := Pending(context.Background(), a, hub); n != 0 {
			t.Fatalf("cut at %d: %d events still pending", budget, n)
		}
		h.Close()
	}
}

// bannerDial wraps the in-process server so its output starts with what a
// login shell prints.
func withBanner(opts Options, banner string) Options {
	opts.wrapServer = func(r io.Reader, w io.Writer, abort func()) (io.Reader, io.Writer) {
		return r, &prefixWriter{w: w, prefix: []byte(banner)}
	}
	return opts
}

type prefixWriter struct {
	w      io.Writer
	prefix []byte
	once   stdsync.Once
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	var err error
	p.once.Do(func() { _, err = p.w.Write(p.prefix) })
	if err != nil {
		return 0, err
	}
	return p.w.Write(b)
}

func TestBannerBeforeMarker(t *testing.T) {
	for _, banner := range []string{
		"Welcome to bastion-1\nLast login: Mon Nov 23 09:12 from 10.0.0.4\n",
		"motd without a newline",
		"\x1b[31mred\x1b]0;title\x07 banner\r\n",
	} {
		dir := t.TempDir()
		a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
		in := declare(t, a, "x")
		note(t, a, in, "one")
		rep := mustSync(t, a, filepath.Join(dir, "hub.db"), withBanner(localOpts(), banner))
		if rep.Pushed != 3 {
			t.Fatalf("banner %q: %+v", banner, rep)
		}
		if rep.Banner == "" || strings.ContainsRune(rep.Banner, '\x1b') || strings.ContainsRune(rep.Banner, '\a') {
			t.Fatalf("banner %q reported as %q", banner, rep.Banner)
		}
		for _, w := range strings.Fields(strings.Map(func(r rune) rune {
			if r < ' ' {
				return ' '
			}
			return r
		}, banner)) {
			if strings.HasPrefix(w, "[") || strings.HasPrefix(w, "]") {
				continue
			}
			if !strings.Contains(rep.Banner, w) {
				t.Errorf("banner %q reported as %q, lacking %q", banner, rep.Banner, w)
			}
		}
	}
}

// TestBannerWithoutServer is a login shell that prints and exits without
// ever running sitrep: the text is quoted, not parsed as the protocol.
func TestBannerWithoutServer(t *testing.T) {
	dir := t.TempDir()
	a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
	declare(t, a, "x")
	before := fileState(t, a.Path())
	opts := localOpts()
	opts.dial = scriptedDial([]byte("This account is currently not available.\n"), 1, "")
	se := syncFails(t, a, "ops@bastion:/srv/team.db", opts)
	if se.Kind != KindProtocol || !strings.Contains(se.Reason, "This account is currently not available.") {
		t.Fatalf("got %v (kind %d)", se, se.Kind)
	}
	if fileState(t, a.Path()) != before {
		t.Fatal("the local store changed")
	}
}

func TestRemoteSitrepMissing(t *testing.T) {
	dir := t.TempDir()
	a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
	declare(t, a, "x")
	before := fileState(t, a.Path())
	opts := localOpts()
	opts.dial = scriptedDial(nil, 127, "bash: line 1: sitrep: command not found")
	se := syncFails(t, a, "ops@bastion:/srv/team.db", opts)
	if se.Kind != KindNoSitrep || !strings.Contains(se.Error(), "--remote-sitrep") || !strings.Contains(se.Error(), "127") {
		t.Fatalf("got %v (kind %d)", se, se.Kind)
	}
	if se.Offline() {
		t.Fatal("a missing sitrep is not being offline")
	}
	opts.RemoteBin = "/opt/sitrep/bin/sitrep"
	se = syncFails(t, a, "ops@bastion:/srv/team.db", opts)
	if !strings.Contains(se.Error(), "/opt/sitrep/bin/sitrep") {
		t.Fatalf("the message does not name the binary asked for: %v", se)
	}
	if fileState(t, a.Path()) != before {
		t.Fatal("the local store changed")
	}
}

func TestRemoteFolderMissing(t *testing.T) {
	dir := t.TempDir()
	a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
	declare(t, a, "x")
	before := fileState(t, a.Path())
	missing := filepath.Join(dir, "no-such-folder")
	se := syncFails(t, a, filepath.Join(missing, "team.db"), localOpts())
	if se.Kind != KindRefused || !strings.Contains(se.Error(), missing) || !strings.Contains(se.Error(), "does not exist") {
		t.Fatalf("got %v (kind %d)", se, se.Kind)
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the folder was created: %v", err)
	}
	if fileState(t, a.Path()) != before {
		t.Fatal("the local store changed")
	}
}

func TestSharedFileNotAStore(t *testing.T) {
	dir := t.TempDir()
	a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
	declare(t, a, "x")
	before := fileState(t, a.Path())

	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("shopping list\nmilk\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.db")
	db, err := sql.Open("sqlite", "file:"+other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE accounts(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO accounts(name) VALUES ('x')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	// A sitrep store from a newer sitrep: schema past what this one knows.
	newer := filepath.Join(dir, "newer.db")
	ns := openStore(t, newer, "future", nil)
	if _, err := ns.DB().Exec(`INSERT INTO schema_migrations(version, applied_at) VALUES (99, 0)`); err != nil {
		t.Fatal(err)
	}
	ns.Close()

	for _, c := range []struct{ path, want string }{
		{text, "not a SQLite database"},
		{other, "not a sitrep store"},
		{newer, "newer sitrep"},
		{dir, "directory"},
	} {
		hubBefore := ""
		if c.path != dir {
			hubBefore = fileState(t, c.path)
		}
		se := syncFails(t, a, c.path, localOpts())
		if se.Kind != KindRefused || !strings.Contains(se.Error(), c.want) {
			t.Errorf("%s: got %v (kind %d), want a refusal mentioning %q", filepath.Base(c.path), se, se.Kind, c.want)
		}
		if c.path != dir && fileState(t, c.path) != hubBefore {
			t.Errorf("%s was written to", c.path)
		}
	}
	if fileState(t, a.Path()) != before {
		t.Fatal("the local store changed")
	}
}

func TestIncompatibleOrGarbageHello(t *testing.T) {
	schema := storage.SchemaVersion()
	hello := func(m *message) []byte { return append([]byte(Marker+"\n"), frames(t, m)...) }
	cases := []struct {
		name string
		out  []byte
		kind ErrorKind
		want string
	}{
		{"newer protocol", hello(&message{T: tHello, Proto: []int{ProtoMax + 1, ProtoMax + 3}, Version: "v9", Schema: schema}), KindIncompatible, "upgrade sitrep here"},
		{"older protocol", hello(&message{T: tHello, Proto: []int{0, ProtoMin - 1}, Version: "v0", Schema: schema}), KindIncompatible, "upgrade it on the hub"},
		{"newer schema", hello(&message{T: tHello, Proto: []int{ProtoMin, ProtoMax}, Version: "v9", Schema: schema + 1}), KindIncompatible, "newer than this one"},
		{"newer shared file", append(hello(&message{T: tHello, Proto: []int{ProtoMin, ProtoMax}, Version: "v9", Schema: schema}),
			frames(t, &message{T: tOpened, Store: "hub-1", Seq: 5, Schema: schema + 1})...), KindIncompatible, "upgrade sitrep here"},
		{"no proto", hello(&message{T: tHello, Version: "v1"}), KindProtocol, "protocol range"},
		{"wrong first message", hello(&message{T: tEvents}), KindProtocol, "not sitrep's hello"},
		{"random bytes", []byte("\x00\x17\xff\xfe\x80garbage\x01\x02"), KindProtocol, "ended"},
		{"http", []byte("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"), KindProtocol, "HTTP/1.1 400"},
		{"marker then junk", []byte(Marker + "\nthis is not a frame at all"), KindProtocol, "not sitrep's hello"},
		{"marker then huge length", append([]byte(Marker+"\n"), 0xff, 0xff, 0xff, 0xff), KindProtocol, "not sitrep's hello"},
		{"marker then bad json", append([]byte(Marker+"\n"), 0, 0, 0, 5, '{', '"', 't', '"', ':'), KindProtocol, "not sitrep's hello"},
		{"marker then cut", append([]byte(Marker+"\n"), 0, 0, 1, 0, '{'), KindProtocol, "before sitrep's hello"},
		{"endless line", []byte(strings.Repeat("y", 200<<10)), KindProtocol, "sitrep's hello"},
		{"error hello", hello(&message{T: tError, Msg: "the hub is \x1b[2Jread-only\ntoday"}), KindRefused, "read-only today"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
			declare(t, a, "x")
			before := fileState(t, a.Path())
			opts := localOpts()
			opts.Timeout = 2 * time.Second
			opts.dial = scriptedDial(c.out, 0, "")
			se := syncFails(t, a, "ops@bastion:/srv/team.db", opts)
			if se.Kind != c.kind || !strings.Contains(se.Error(), c.want) {
				t.Fatalf("got %q (kind %d), want kind %d mentioning %q", se, se.Kind, c.kind, c.want)
			}
			if fileState(t, a.Path()) != before {
				t.Fatal("the local store changed")
			}
			if n, _ := Pending(context.Background(), a, "ops@bastion:/srv/team.db"); n != 2 {
				t.Fatalf("pending after a refused sync: %d, want 2", n)
			}
		})
	}
}

// TestRemotePathRunsNothing names a shared file whose folder holds every
// character a shell gives meaning to. The path travels inside the stream,
// so the file is made exactly there and nothing is run.
func TestRemotePathRunsNothing(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	odd := filepath.Join(dir, `we ird 'q' "dq" ; $(touch pwned) `+"`touch pwned2`"+` & | > x ?#%`)
	if err := os.Mkdir(odd, 0o700); err != nil {
		t.Fatal(err)
	}
	hub := filepath.Join(odd, "team $HOME.db")
	a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
	b := openStore(t, filepath.Join(dir, "b.db"), "bob", nil)
	in := declare(t, a, "x")
	note(t, a, in, "from alice")
	if rep := mustSync(t, a, hub, localOpts()); !rep.Created || rep.Pushed != 3 {
		t.Fatalf("%+v", rep)
	}
	if rep := mustSync(t, b, hub, localOpts()); rep.Pulled != 3 {
		t.Fatalf("%+v", rep)
	}
	if _, err := os.Stat(hub); err != nil {
		t.Fatalf("the shared file is not at its odd path: %v", err)
	}
	entries, _ := os.ReadDir(odd)
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "team $HOME.db") {
			t.Errorf("unexpected file %q beside the shared file", e.Name())
		}
	}
	for _, p := range []string{"pwned", "pwned2", "x"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
			t.Errorf("%s exists: something ran", p)
		}
	}
}

// TestTenRespondersAtOnce has ten stores sync the same shared file at the
// same moment, each through its own connection opening the file (as ten
// serve-sync processes would). Every event reaches the hub, and then
// everyone.
func TestTenRespondersAtOnce(t *testing.T) {
	dir := t.TempDir()
	hub := filepath.Join(dir, "hub.db")
	const n = 10
	stores := make([]*storage.Store, n)
	seedStore := openStore(t, filepath.Join(dir, "seed.db"), "seed", nil)
	in := declare(t, seedStore, "shared incident")
	// Half the responders start from the incident already synced, half from
	// nothing, so first syncs race to create the hub.
	for i := range stores {
		stores[i] = openStore(t, filepath.Join(dir, fmt.Sprintf("r%d.db", i)), fmt.Sprintf("responder%d", i), nil)
	}
	if _, err := stores[0].Apply(context.Background(), mustEvents(t, seedStore), nil); err != nil {
		t.Fatal(err)
	}
	for i, st := range stores {
		inc := in
		if i > 0 {
			inc = declare(t, st, fmt.Sprintf("own incident %d", i))
		}
		for j := range 5 {
			note(t, st, inc, fmt.Sprintf("responder %d note %d", i, j))
		}
	}
	for round := range 2 {
		var wg stdsync.WaitGroup
		errs := make([]error, n)
		start := make(chan struct{})
		for i, st := range stores {
			wg.Go(func() {
				<-start
				_, errs[i] = Sync(context.Background(), st, hub, localOpts())
			})
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d, responder %d: %v", round, i, err)
			}
		}
	}
	h := openHub(t, hub)
	want := eventIDs(t, h)
	if len(want) != 2+(n-1)*2+n*5 {
		t.Fatalf("hub holds %d events, want %d", len(want), 2+(n-1)*2+n*5)
	}
	// The last to finish round two may have pushed after others pulled:
	// one more round brings everyone level.
	for _, st := range stores {
		mustSync(t, st, hub, localOpts())
	}
	sameIDs(t, want, stores...)
	hd := dump(t, h)
	for _, st := range stores {
		if d := dump(t, st); d != hd {
			t.Fatalf("%s differs from the hub:\n%s", st.Author(), diffLines(d, hd))
		}
	}
	checkConsistent(t, h)
}

func mustEvents(t testing.TB, st *storage.Store) []model.Event {
	t.Helper()
	page, _, err := st.EventsAfter(context.Background(), 0, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]model.Event, len(page))
	for i, l := range page {
		out[i] = l.Event
	}
	return out
}

// TestClockSkew: one laptop an hour behind, one a day ahead. Everyone
// converges; the day-ahead events are kept and flagged, and a change made
// after seeing them still wins, because the hybrid clock moved past them.
func TestClockSkew(t *testing.T) {
	dir := t.TempDir()
	hub := filepath.Join(dir, "hub.db")
	behind := func() time.Time { return time.Now().Add(-time.Hour) }
	ahead := func() time.Time { return time.Now().Add(24 * time.Hour) }
	a := openStore(t, filepath.Join(dir, "a.db"), "alice", behind)
	b := openStore(t, filepath.Join(dir, "b.db"), "bob", ahead)
	c := openStore(t, filepath.Join(dir, "c.db"), "carol", nil)

	in := declare(t, b, "declared by the fast clock")
	note(t, b, in, "from tomorrow")
	setStatus(t, b, in, model.StatusMitigated)
	mustSync(t, b, hub, localOpts())
	rep := mustSync(t, a, hub, localOpts())
	if rep.Pulled != 4 || rep.Flagged != 4 {
		t.Fatalf("alice pulled %d events, flagged %d; want 4 and 4", rep.Pulled, rep.Flagged)
	}
	// Alice, an hour behind, acts after seeing bob's change: hers wins.
	setStatus(t, a, in, model.StatusResolved)
	note(t, a, in, "from an hour ago")
	mustSync(t, a, hub, localOpts())
	mustSync(t, c, hub, localOpts())
	mustSync(t, b, hub, localOpts())

	h := openHub(t, hub)
	want := eventIDs(t, h)
	if len(want) != 6 {
		t.Fatalf("hub holds %d events, want 6", len(want))
	}
	sameIDs(t, want, a, b, c)
	for _, st := range []*storage.Store{a, b, c, h} {
		inc, err := st.Incident(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		if inc.Status != model.StatusResolved {
			t.Errorf("%s: status %s, want resolved (the change made after seeing the other)", st.Path(), inc.Status)
		}
		if d := dump(t, st); d != dump(t, h) {
			t.Fatalf("%s differs from the hub:\n%s", st.Path(), diffLines(d, dump(t, h)))
		}
	}
	// Flagged, not dropped: on the stores with honest or slow clocks,
	// bob's events are marked as from the future; bob's own are not.
	for _, st := range []*storage.Store{a, c, h} {
		entries, err := st.Timeline(context.Background(), in, storage.TimelinePage{})
		if err != nil {
			t.Fatal(err)
		}
		future := 0
		for _, e := range entries {
			if e.Author == "bob" && !e.Future {
				t.Errorf("%s: bob's %q not flagged", st.Path(), e.Text)
			}
			if e.Future {
				future++
			}
			if e.Author != "bob" && e.Future {
				t.Errorf("%s: %s's %q flagged", st.Path(), e.Author, e.Text)
			}
		}
		if future == 0 {
			t.Errorf("%s: nothing flagged", st.Path())
		}
		page, _, _ := st.EventsAfter(context.Background(), 0, 100)
		for _, l := range page {
			if l.Author == "bob" && !l.Future() {
				t.Errorf("%s: logged event %s by bob not Future()", st.Path(), l.ID)
			}
		}
	}
	entries, _ := b.Timeline(context.Background(), in, storage.TimelinePage{})
	for _, e := range entries {
		if e.Future {
			t.Errorf("bob's store flags %q", e.Text)
		}
	}
}

func setStatus(t testing.TB, st *storage.Store, in string, s model.Status) {
	t.Helper()
	if _, err := st.Append(context.Background(), model.Change{IncidentID: in, Kind: model.EventStatusChanged, Payload: model.StatusPayload{Status: s}}); err != nil {
		t.Fatal(err)
	}
}

func takeRole(t testing.TB, st *storage.Store, in string, role model.Role, holder string) {
	t.Helper()
	prev, replaces, err := st.RoleEvent(context.Background(), in, role)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Append(context.Background(), model.Change{IncidentID: in, Kind: model.EventRoleAssigned,
		Payload: model.RoleAssignedPayload{Role: role, Holder: holder, Previous: prev, Replaces: replaces}}); err != nil {
		t.Fatal(err)
	}
}

// TestOfflineConflicts: two responders set different statuses and both
// take the commander role while offline. After sync everyone shows the
// same winner, the losing change stays in the timeline, and the clash is
// visible on every store.
func TestOfflineConflicts(t *testing.T) {
	dir := t.TempDir()
	hub := filepath.Join(dir, "hub.db")
	a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
	b := openStore(t, filepath.Join(dir, "b.db"), "bob", nil)
	in := declare(t, a, "shared")
	mustSync(t, a, hub, localOpts())
	mustSync(t, b, hub, localOpts())

	setStatus(t, a, in, model.StatusMitigated)
	setStatus(t, b, in, model.StatusContaining)
	takeRole(t, a, in, model.RoleCommander, "alice-ic")
	takeRole(t, b, in, model.RoleCommander, "bob-ic")
	mustSync(t, a, hub, localOpts())
	mustSync(t, b, hub, localOpts())
	mustSync(t, a, hub, localOpts())
	h := openHub(t, hub)

	var status model.Status
	var holder string
	for i, st := range []*storage.Store{a, b, h} {
		inc, err := st.Incident(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		roles, err := st.Roles(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		var ic model.RoleHolder
		for _, r := range roles {
			if r.Role == model.RoleCommander {
				ic = r
			}
		}
		if i == 0 {
			status, holder = inc.Status, ic.Holder
		}
		if inc.Status != status || ic.Holder != holder {
			t.Errorf("%s: status %s, commander %s; others have %s, %s", st.Path(), inc.Status, ic.Holder, status, holder)
		}
		if len(ic.Clash) != 1 || ic.Clash[0] == ic.Holder || (ic.Clash[0] != "alice-ic" && ic.Clash[0] != "bob-ic") {
			t.Errorf("%s: commander %s, clash %v; want the other taker shown", st.Path(), ic.Holder, ic.Clash)
		}
		entries, err := st.Timeline(context.Background(), in, storage.TimelinePage{})
		if err != nil {
			t.Fatal(err)
		}
		var text strings.Builder
		for _, e := range entries {
			text.WriteString(e.Text + "\n")
		}
		for _, w := range []string{"mitigated", "containing", "alice-ic", "bob-ic"} {
			if !strings.Contains(text.String(), w) {
				t.Errorf("%s: timeline lacks %q:\n%s", st.Path(), w, text.String())
			}
		}
	}
	if status != model.StatusMitigated && status != model.StatusContaining {
		t.Fatalf("status %s", status)
	}
	// The commander settles the clash; it clears everywhere.
	takeRole(t, a, in, model.RoleCommander, "alice-ic")
	mustSync(t, a, hub, localOpts())
	mustSync(t, b, hub, localOpts())
	for _, st := range []*storage.Store{a, b, h} {
		roles, _ := st.Roles(context.Background(), in)
		for _, r := range roles {
			if r.Role == model.RoleCommander && (r.Holder != "alice-ic" || len(r.Clash) != 0) {
				t.Errorf("%s after settling: %+v", st.Path(), r)
			}
		}
	}
}

// TestHubRestoredFromBackup: the hub goes back to an older copy. Either
// its sequence went backwards (alice syncs first), or it took new events
// first, so its sequence numbers now name other events (bob writes first).
// The next sync notices and compares by id; nothing is lost either way.
func TestHubRestoredFromBackup(t *testing.T) {
	for _, bobFirst := range []bool{false, true} {
		t.Run(fmt.Sprintf("bobFirst=%v", bobFirst), func(t *testing.T) {
			dir := t.TempDir()
			hub := filepath.Join(dir, "hub.db")
			a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
			b := openStore(t, filepath.Join(dir, "b.db"), "bob", nil)
			in := declare(t, a, "shared")
			mustSync(t, a, hub, localOpts())
			mustSync(t, b, hub, localOpts())
			backup, err := os.ReadFile(hub)
			if err != nil {
				t.Fatal(err)
			}
			for i := range 3 {
				note(t, a, in, fmt.Sprintf("lost with the disk %d", i))
			}
			mustSync(t, a, hub, localOpts())
			// The disk dies; the backup comes back.
			os.Remove(hub + "-wal")
			os.Remove(hub + "-shm")
			if err := os.WriteFile(hub, backup, 0o600); err != nil {
				t.Fatal(err)
			}
			for i := range 4 {
				note(t, b, in, fmt.Sprintf("after the restore %d", i))
			}
			if bobFirst {
				// Bob's cursor still holds: all he pulled is there.
				if rep := mustSync(t, b, hub, localOpts()); rep.Reconciled || rep.Pushed != 4 {
					t.Errorf("bob's sync after the restore: %+v", rep)
				}
			}
			rep := mustSync(t, a, hub, localOpts())
			if !rep.Reconciled || rep.Pushed != 3 {
				t.Errorf("alice's sync after the restore: %+v", rep)
			}
			mustSync(t, b, hub, localOpts())
			mustSync(t, a, hub, localOpts())
			h := openHub(t, hub)
			want := eventIDs(t, h)
			if len(want) != 2+3+4 {
				t.Fatalf("hub holds %d events, want 9", len(want))
			}
			sameIDs(t, want, a, b)
			for _, st := range []*storage.Store{a, b} {
				if rep := mustSync(t, st, hub, localOpts()); rep.Reconciled || rep.Pushed+rep.Pulled != 0 {
					t.Errorf("%s: sync after reconciling: %+v", st.Author(), rep)
				}
				if d, dh := dump(t, st), dump(t, h); d != dh {
					t.Fatalf("%s differs from the hub:\n%s", st.Author(), diffLines(d, dh))
				}
			}
		})
	}
}

// TestSyncWithItself refuses to use a store as its own hub.
func TestSyncWithItself(t *testing.T) {
	dir := t.TempDir()
	a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
	declare(t, a, "x")
	se := syncFails(t, a, a.Path(), localOpts())
	if se.Kind != KindUsage || !strings.Contains(se.Error(), "this store itself") {
		t.Fatalf("%v", se)
	}
}
