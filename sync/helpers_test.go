package sync

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	stdsync "sync"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// A migrated empty store, made once and copied for every replica: opening a
// fresh file runs the migrations, which would dominate thousands of
// schedules.
var template struct {
	once stdsync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if template.dir != "" {
		os.RemoveAll(template.dir)
	}
	os.Exit(code)
}

func templatePath(t testing.TB) string {
	t.Helper()
	template.once.Do(func() {
		template.dir, template.err = os.MkdirTemp("", "sitrep-sync-template")
		if template.err != nil {
			return
		}
		template.path = filepath.Join(template.dir, "template.db")
		st, err := storage.Open(context.Background(), template.path, storage.Options{})
		if err != nil {
			template.err = err
			return
		}
		template.err = st.Close()
	})
	if template.err != nil {
		t.Fatalf("template store: %v", template.err)
	}
	return template.path
}

// openStore makes a new store at path by copying the template and giving
// the copy its own id. now may be nil.
func openStore(t testing.TB, path, author string, now func() time.Time) *storage.Store {
	t.Helper()
	b, err := os.ReadFile(templatePath(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := storage.Open(context.Background(), path, storage.Options{Author: author, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Reidentify(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func declare(t testing.TB, st *storage.Store, title string) string {
	t.Helper()
	id := storage.NewID()
	_, err := st.AppendAll(context.Background(), []model.Change{
		{IncidentID: id, Kind: model.EventDeclared, Payload: model.DeclaredPayload{Title: title, Kind: "outage", Severity: model.SEV2, Status: model.StatusInvestigating}},
		{IncidentID: id, Kind: model.EventRoleAssigned, Payload: model.RoleAssignedPayload{Role: model.RoleCommander, Holder: st.Author()}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func note(t testing.TB, st *storage.Store, incident, text string) model.Event {
	t.Helper()
	e, err := st.Append(context.Background(), model.Change{IncidentID: incident, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: text}})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func mustSync(t testing.TB, st *storage.Store, remote string, opts Options) Report {
	t.Helper()
	rep, err := Sync(context.Background(), st, remote, opts)
	if err != nil {
		t.Fatalf("sync %s: %v", st.Author(), err)
	}
	return rep
}

func dump(t testing.TB, st *storage.Store) string {
	t.Helper()
	d, err := st.ProjectionDump(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// eventIDs is the set of ids in a store's log.
func eventIDs(t testing.TB, st *storage.Store) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	after := int64(0)
	for {
		ids, last, err := st.IDsAfter(context.Background(), after, 10000)
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) == 0 {
			return out
		}
		for _, id := range ids {
			if out[id] {
				t.Fatalf("%s holds event %s twice", st.Path(), id)
			}
			out[id] = true
		}
		after = last
	}
}

// checkConsistent asserts a store is whole: every chain verifies, and the
// projections equal a rebuild from the log.
func checkConsistent(t testing.TB, st *storage.Store) {
	t.Helper()
	ctx := context.Background()
	rep, err := st.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) > 0 {
		t.Fatalf("%s: verify: %v", st.Path(), rep.Problems)
	}
	before := dump(t, st)
	if err := st.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	if after := dump(t, st); after != before {
		t.Fatalf("%s: projections differ from a rebuild:\n%s", st.Path(), diffLines(before, after))
	}
}

// diffLines shows the first lines where two dumps part.
func diffLines(a, b string) string {
	al, bl := bytes.Split([]byte(a), []byte("\n")), bytes.Split([]byte(b), []byte("\n"))
	var out bytes.Buffer
	for i := 0; i < max(len(al), len(bl)) && out.Len() < 2000; i++ {
		var x, y []byte
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if !bytes.Equal(x, y) {
			fmt.Fprintf(&out, "line %d:\n  - %s\n  + %s\n", i+1, x, y)
		}
	}
	return out.String()
}

// fileState is what "nothing was written" compares: the bytes of a file
// and its WAL, or their absence.
func fileState(t testing.TB, path string) string {
	t.Helper()
	var out bytes.Buffer
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if os.IsNotExist(err) || (err == nil && len(b) == 0 && p != path) {
			// An empty WAL holds nothing: opening a WAL-mode file read-only
			// to check it creates one.
			fmt.Fprintf(&out, "%s: absent\n", filepath.Base(p))
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&out, "%s: %x\n", filepath.Base(p), b)
	}
	return out.String()
}

// scripted is a remote that prints fixed bytes and exits with a code: a
// login shell with a banner, a host with no sitrep, a peer sending garbage.
type scripted struct {
	out    io.Reader
	code   int
	stderr string
}

func (s *scripted) Read(p []byte) (int, error)       { return s.out.Read(p) }
func (s *scripted) Write(p []byte) (int, error)      { return len(p), nil }
func (s *scripted) CloseWrite() error                { return nil }
func (s *scripted) Abort()                           {}
func (s *scripted) Wait(time.Duration) (int, string) { return s.code, s.stderr }

func scriptedDial(out []byte, code int, stderr string) func(context.Context, Target, Options) (transport, error) {
	return func(context.Context, Target, Options) (transport, error) {
		return &scripted{out: bytes.NewReader(out), code: code, stderr: stderr}, nil
	}
}

// frame encodes messages as a server would send them.
func frames(t testing.TB, ms ...*message) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, m := range ms {
		if _, err := encodeFrame(&b, m); err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()
}

// cutter passes bytes through until a budget runs out, then breaks the
// connection: a network that drops mid-batch.
type cutter struct {
	mu     stdsync.Mutex
	budget int
	abort  func()
}

func (c *cutter) take(n int) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.budget <= 0 {
		return 0, false
	}
	if n > c.budget {
		n = c.budget
	}
	c.budget -= n
	return n, true
}

type cutReader struct {
	c *cutter
	r io.Reader
}

func (r cutReader) Read(p []byte) (int, error) {
	n, ok := r.c.take(len(p))
	if !ok {
		r.c.abort()
		return 0, io.ErrClosedPipe
	}
	m, err := r.r.Read(p[:n])
	r.c.refund(n - m) // a read may return less than it asked for
	return m, err
}

func (c *cutter) refund(n int) {
	c.mu.Lock()
	c.budget += n
	c.mu.Unlock()
}

type cutWriter struct {
	c *cutter
	w io.Writer
}

func (w cutWriter) Write(p []byte) (int, error) {
	n, ok := w.c.take(len(p))
	if !ok {
		w.c.abort()
		return 0, io.ErrClosedPipe
	}
	m, err := w.w.Write(p[:n])
	if err == nil && m < len(p) {
		w.c.abort()
		return m, io.ErrClosedPipe
	}
	return m, err
}

// cutAfter makes Options whose in-process server's streams, both ways
// together, break after budget bytes.
func cutAfter(opts Options, budget int) Options {
	opts.wrapServer = func(r io.Reader, w io.Writer, abort func()) (io.Reader, io.Writer) {
		c := &cutter{budget: budget, abort: abort}
		return cutReader{c, r}, cutWriter{c, w}
	}
	return opts
}
