package storage_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

func openTemp(t *testing.T) (*storage.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sitrep.db")
	st, err := storage.Open(context.Background(), path, storage.Options{Author: "alice@laptop"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, path
}

func TestOpenCreatesPrivateFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "sitrep")
	path := filepath.Join(dir, "sitrep.db")
	st, err := storage.Open(context.Background(), path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for p, want := range map[string]os.FileMode{path: 0o600, dir: 0o700} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s: mode %o, want %o", p, got, want)
		}
	}
}

// Every pooled connection must carry the pragmas, not just the first one.
func TestPragmasOnEveryConnection(t *testing.T) {
	st, _ := openTemp(t)
	ctx := context.Background()
	var conns []*sql.Conn
	for i := 0; i < 3; i++ {
		c, err := st.DB().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	for i, c := range conns {
		var mode string
		var syncLevel, fk, busy int
		if err := c.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
			t.Fatal(err)
		}
		c.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&syncLevel)
		c.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk)
		c.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy)
		if mode != "wal" || syncLevel != 2 || fk != 1 || busy < 1000 {
			t.Errorf("conn %d: journal_mode=%s synchronous=%d foreign_keys=%d busy_timeout=%d", i, mode, syncLevel, fk, busy)
		}
	}
	for _, c := range conns {
		c.Close()
	}
}

// A bad file is refused with one line naming it and what is wrong, and is
// left byte-for-byte as it was.
func TestOpenRefusesBadFiles(t *testing.T) {
	ctx := context.Background()
	good := func(t *testing.T) []byte {
		st, path := openTemp(t)
		declare(t, st, "real incident")
		st.Close()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	otherDB := func(t *testing.T) []byte {
		path := filepath.Join(t.TempDir(), "other.db")
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup')"); err != nil {
			t.Fatal(err)
		}
		db.Close()
		b, _ := os.ReadFile(path)
		return b
	}
	newer := func(t *testing.T) []byte {
		st, path := openTemp(t)
		if _, err := st.DB().Exec("INSERT INTO schema_migrations(version, applied_at) VALUES (999, 0)"); err != nil {
			t.Fatal(err)
		}
		st.Close()
		b, _ := os.ReadFile(path)
		return b
	}
	cases := []struct {
		name    string
		content func(t *testing.T) []byte
		want    string
	}{
		{"text file", func(*testing.T) []byte { return []byte("meeting notes, not a database\n") }, "not a SQLite database"},
		{"random bytes", func(*testing.T) []byte { return bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef}, 2048) }, "not a SQLite database"},
		{"short header", func(t *testing.T) []byte { return good(t)[:40] }, "truncated"},
		{"truncated", func(t *testing.T) []byte { b := good(t); return b[:len(b)/2] }, "truncated"},
		{"another app's database", otherDB, "not a sitrep store"},
		{"newer schema", newer, "newer sitrep"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bad.db")
			content := c.content(t)
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			st, err := storage.Open(ctx, path, storage.Options{})
			if err == nil {
				st.Close()
				t.Fatal("opened a bad file without error")
			}
			msg := err.Error()
			if !strings.Contains(msg, c.want) || !strings.Contains(msg, path) || strings.Contains(msg, "\n") {
				t.Errorf("error %q: want one line naming %s and saying %q", msg, path, c.want)
			}
			after, _ := os.ReadFile(path)
			if !bytes.Equal(after, content) {
				t.Error("the file was changed")
			}
		})
	}
}

func TestAppendValidation(t *testing.T) {
	st, _ := openTemp(t)
	ctx := context.Background()
	in := declare(t, st, "validation")
	cases := []struct {
		name  string
		draft model.Change
		want  error
		text  string
	}{
		{"empty note", model.Change{IncidentID: in, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "  \n"}}, model.ErrInvalid, "empty"},
		{"unknown incident", model.Change{IncidentID: "nope", Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "x"}}, model.ErrNotFound, "no incident"},
		{"bad status", model.Change{IncidentID: in, Kind: model.EventStatusChanged, Payload: model.StatusPayload{Status: "fixed"}}, model.ErrInvalid, "investigating"},
		{"bad severity", model.Change{IncidentID: in, Kind: model.EventSeverityChanged, Payload: model.SeverityPayload{Severity: 7}}, model.ErrInvalid, "SEV1"},
		{"skip without reason", model.Change{IncidentID: in, Kind: model.EventStepChanged, Payload: model.StepPayload{Runbook: "r", Step: 1, State: model.StepSkipped}}, model.ErrInvalid, "why"},
		{"untitled", model.Change{Kind: model.EventDeclared, Payload: model.DeclaredPayload{Severity: 1}}, model.ErrInvalid, "title"},
	}
	before, _ := st.CountEvents(ctx)
	for _, c := range cases {
		_, err := st.Append(ctx, c.draft)
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.text) {
			t.Errorf("%s: got %v, want %v mentioning %q", c.name, err, c.want, c.text)
		}
	}
	if after, _ := st.CountEvents(ctx); after != before {
		t.Errorf("rejected drafts wrote %d events", after-before)
	}
}

// Notes are stored exactly, however large or hostile.
func TestNotesStoredExactly(t *testing.T) {
	st, _ := openTemp(t)
	ctx := context.Background()
	in := declare(t, st, "exact")
	big := strings.Repeat("0123456789abcdef\n", 1<<20/17+1)
	hostile := "\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x1b[0m\r\x00bell\x07 \u202eevil"
	for _, text := range []string{big, hostile} {
		e, err := st.Append(ctx, model.Change{IncidentID: in, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: text}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := st.TimelineEntry(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Text != text {
			t.Errorf("stored %d bytes, got back %d", len(text), len(got.Text))
		}
	}
}

// The timeline orders by when things happened, not when they were typed,
// and keeps both.
func TestTimelineOrdersByOccurred(t *testing.T) {
	ctx := context.Background()
	clock := time.Date(2026, 11, 23, 14, 30, 0, 0, time.UTC)
	st, err := storage.Open(ctx, filepath.Join(t.TempDir(), "s.db"), storage.Options{Author: "a@b", Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	in := declare(t, st, "ordering")
	late := clock.Add(-20 * time.Minute)
	clock = clock.Add(time.Minute)
	if _, err := st.Append(ctx, model.Change{IncidentID: in, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "typed late"}, Occurred: late}); err != nil {
		t.Fatal(err)
	}
	entries, err := st.Timeline(ctx, in, storage.TimelinePage{})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Text != "typed late" {
		t.Fatalf("want the late note first, got %+v", entries)
	}
	if !entries[0].Occurred.Equal(late) || !entries[0].Typed.Equal(clock) || !entries[0].Late() {
		t.Errorf("occurred %v typed %v: want %v and %v", entries[0].Occurred, entries[0].Typed, late, clock)
	}
}

func TestTimelinePaging(t *testing.T) {
	st, _ := openTemp(t)
	ctx := context.Background()
	in := declare(t, st, "paging")
	var drafts []model.Change
	for i := 0; i < 99; i++ {
		drafts = append(drafts, model.Change{IncidentID: in, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "n"}})
	}
	if _, err := st.AppendAll(ctx, drafts); err != nil {
		t.Fatal(err)
	}
	all, _ := st.Timeline(ctx, in, storage.TimelinePage{})
	newest, _ := st.Timeline(ctx, in, storage.TimelinePage{Limit: 30})
	if len(all) != 100 || len(newest) != 30 || newest[29].EventID != all[99].EventID || newest[0].EventID != all[70].EventID {
		t.Fatalf("newest page wrong: %d of %d", len(newest), len(all))
	}
	key := storage.KeyOf(newest[0])
	older, _ := st.Timeline(ctx, in, storage.TimelinePage{Before: &key, Limit: 30})
	if len(older) != 30 || older[29].EventID != all[69].EventID {
		t.Fatalf("older page wrong")
	}
	k2 := storage.KeyOf(all[95])
	after, _ := st.Timeline(ctx, in, storage.TimelinePage{After: &k2, Limit: 30})
	if len(after) != 4 || after[0].EventID != all[96].EventID {
		t.Fatalf("after page wrong: %d", len(after))
	}
}

func TestResolveIncident(t *testing.T) {
	st, _ := openTemp(t)
	ctx := context.Background()
	in := declare(t, st, "resolve me")
	short := model.ShortID(in)
	for _, ref := range []string{in, short, short[:5], strings.ToUpper(short)} {
		got, err := st.ResolveIncident(ctx, ref)
		if err != nil || got.ID != in {
			t.Errorf("%q: %v", ref, err)
		}
	}
	for ref, want := range map[string]error{"zzzzzzzz": model.ErrNotFound, "ab": model.ErrInvalid, "": model.ErrInvalid} {
		if _, err := st.ResolveIncident(ctx, ref); !errors.Is(err, want) {
			t.Errorf("%q: got %v, want %v", ref, err, want)
		}
	}
}

func TestCurrentIncident(t *testing.T) {
	st, _ := openTemp(t)
	ctx := context.Background()
	if _, err := st.Current(ctx); !errors.Is(err, model.ErrNotFound) || !strings.Contains(err.Error(), "no active incident") {
		t.Fatalf("empty store: %v", err)
	}
	a := declare(t, st, "one")
	if got, err := st.Current(ctx); err != nil || got.ID != a {
		t.Fatalf("single active: %v", err)
	}
	b := declare(t, st, "two")
	if _, err := st.Current(ctx); !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), "--incident") {
		t.Fatalf("two active: %v", err)
	}
	if err := st.SetCurrent(ctx, b); err != nil {
		t.Fatal(err)
	}
	if got, err := st.Current(ctx); err != nil || got.ID != b {
		t.Fatalf("current set: %v", err)
	}
}

// Milestones come from the earliest status event that reached them, and
// skipping a stage still records it.
func TestMilestones(t *testing.T) {
	ctx := context.Background()
	clock := time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)
	st, err := storage.Open(ctx, filepath.Join(t.TempDir(), "s.db"), storage.Options{Author: "a@b", Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e, err := st.Append(ctx, model.Change{Kind: model.EventDeclared, Payload: model.DeclaredPayload{Title: "m", Kind: "outage", Severity: 1,
		Status: model.StatusInvestigating, DetectedAt: clock.Add(-5 * time.Minute)}})
	if err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(30 * time.Minute)
	if _, err := st.Append(ctx, model.Change{IncidentID: e.IncidentID, Kind: model.EventStatusChanged, Payload: model.StatusPayload{Status: model.StatusResolved}}); err != nil {
		t.Fatal(err)
	}
	in, _ := st.Incident(ctx, e.IncidentID)
	ms := in.Milestones
	if d, _ := ms.Since(model.MilestoneAcknowledged); d != 5*time.Minute {
		t.Errorf("time to acknowledge %v", d)
	}
	if d, _ := ms.Since(model.MilestoneMitigated); d != 35*time.Minute {
		t.Errorf("time to mitigate %v (skipped stage must count)", d)
	}
	if d, _ := ms.Since(model.MilestoneResolved); d != 35*time.Minute {
		t.Errorf("time to resolve %v", d)
	}
	if !ms.Reviewed.IsZero() || in.Status != model.StatusResolved {
		t.Errorf("reviewed %v status %s", ms.Reviewed, in.Status)
	}
}

func TestRoleClash(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	st, err := storage.Open(ctx, path, storage.Options{Author: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	in := declare(t, st, "clash")
	// Two people take the commander role from the same starting point, as
	// two offline laptops would.
	for _, who := range []string{"alice", "bob"} {
		if _, err := st.Append(ctx, model.Change{IncidentID: in, Kind: model.EventRoleAssigned, Payload: model.RoleAssignedPayload{Role: model.RoleCommander, Holder: who}}); err != nil {
			t.Fatal(err)
		}
	}
	roles, _ := st.Roles(ctx, in)
	if len(roles) != 1 || roles[0].Holder != "bob" || len(roles[0].Clash) != 1 || roles[0].Clash[0] != "alice" {
		t.Fatalf("want bob holding with a clash against alice, got %+v", roles)
	}
	inc, _ := st.Incident(ctx, in)
	if inc.Commander != "bob" {
		t.Errorf("commander %q", inc.Commander)
	}
	// Settling: the commander assigns again, replacing the winner.
	holder, ev, _ := st.RoleEvent(ctx, in, model.RoleCommander)
	if _, err := st.Append(ctx, model.Change{IncidentID: in, Kind: model.EventRoleAssigned, Payload: model.RoleAssignedPayload{Role: model.RoleCommander, Holder: "alice", Previous: holder, Replaces: ev}}); err != nil {
		t.Fatal(err)
	}
	roles, _ = st.Roles(ctx, in)
	if roles[0].Holder != "alice" || len(roles[0].Clash) != 0 {
		t.Fatalf("after settling: %+v", roles)
	}
}

// Pages of the incident list put together are the whole list, in order, and
// the counts match it, so a screen holding one page shows true totals.
func TestIncidentsPageAndCounts(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	for i := 0; i < 7; i++ {
		id := declare(t, st, fmt.Sprintf("incident %d", i))
		if i%3 == 0 {
			if _, err := st.Append(ctx, model.Change{IncidentID: id, Kind: model.EventStatusChanged, Payload: model.StatusPayload{Status: model.StatusResolved}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	all, err := st.Incidents(ctx)
	if err != nil || len(all) != 7 {
		t.Fatalf("list: %d incidents, %v", len(all), err)
	}
	var paged []model.Incident
	for off := 0; ; off += 3 {
		page, err := st.IncidentsPage(ctx, off, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		paged = append(paged, page...)
	}
	if fmt.Sprint(paged) != fmt.Sprint(all) {
		t.Fatalf("pages:\n%v\nwhole list:\n%v", paged, all)
	}
	active, past, err := st.IncidentCounts(ctx)
	if err != nil || active != 4 || past != 3 {
		t.Fatalf("counts: %d active, %d past (%v); want 4 and 3", active, past, err)
	}
	for i, in := range all {
		if want := i < 4; in.Status.Active() != want {
			t.Fatalf("entry %d (%s) out of order: active first", i, in.Status)
		}
	}
	resolved, err := st.IncidentsWhere(ctx, storage.SearchFilter{Statuses: []model.Status{model.StatusResolved}})
	if err != nil || fmt.Sprint(resolved) != fmt.Sprint(all[4:]) {
		t.Fatalf("resolved only: %v (%v), want %v", resolved, err, all[4:])
	}
	firstTwo, err := st.IncidentsWhere(ctx, storage.SearchFilter{Active: true, Limit: 2})
	if err != nil || fmt.Sprint(firstTwo) != fmt.Sprint(all[:2]) {
		t.Fatalf("two active: %v (%v), want %v", firstTwo, err, all[:2])
	}
	if none, err := st.IncidentsWhere(ctx, storage.SearchFilter{Severity: model.SEV1}); err != nil || len(none) != 0 {
		t.Fatalf("no SEV1 was declared, got %v (%v)", none, err)
	}
}

// Several processes creating the same new store at once (responders' first
// syncs to a new hub) all get a working store: they take turns migrating,
// and none mistakes the half-made file for someone else's database.
func TestOpenSameNewStoreAtOnce(t *testing.T) {
	ctx := context.Background()
	for round := 0; round < 40; round++ {
		path := filepath.Join(t.TempDir(), "hub.db")
		const n = 8
		errs := make(chan error, n)
		start := make(chan struct{})
		for i := 0; i < n; i++ {
			go func() {
				<-start
				st, err := storage.Open(ctx, path, storage.Options{Author: fmt.Sprintf("r%d", i)})
				if err == nil {
					_, err = st.Append(ctx, model.Change{Kind: model.EventDeclared, Payload: model.DeclaredPayload{
						Title: "race", Kind: "outage", Severity: model.SEV2, Status: model.StatusInvestigating}})
					st.Close()
				}
				errs <- err
			}()
		}
		close(start)
		for i := 0; i < n; i++ {
			if err := <-errs; err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		st, err := storage.Open(ctx, path, storage.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if list, _ := st.Incidents(ctx); len(list) != n {
			t.Fatalf("round %d: %d incidents, want %d", round, len(list), n)
		}
		st.Close()
	}
}

// The race behind a failed first sync to a new hub (seen in CI, one run in
// a few hundred): another process has the new, empty file and is writing
// its first page. Switching the file to WAL is a write that begins as a
// read, and SQLite fails such an upgrade at once with SQLITE_BUSY instead
// of waiting, so Open must wait its turn itself. Here the other process is
// held in its write on purpose, which makes the race certain.
func TestOpenWaitsForAnotherCreatingTheStore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hub.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	other, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	const held = 300 * time.Millisecond
	go func() {
		time.Sleep(held)
		conn.ExecContext(ctx, "COMMIT")
		conn.Close()
	}()
	start := time.Now()
	st, err := storage.Open(ctx, path, storage.Options{Author: "second"})
	if err != nil {
		t.Fatalf("open while another process creates the store: %v", err)
	}
	defer st.Close()
	if waited := time.Since(start); waited < held {
		t.Fatalf("opened after %v, before the other process let go (%v)", waited, held)
	}
	declare(t, st, "first sync")
}

// A call that runs out of time, waiting on a database another program
// holds, says so in words wherever it is shown, and still matches
// context.DeadlineExceeded for code.
func TestTimeoutSaysWhy(t *testing.T) {
	st, _ := openTemp(t)
	in := declare(t, st, "slow disk")
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	_, appendErr := st.Append(ctx, model.Change{IncidentID: in, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "x"}})
	_, readErr := st.Timeline(ctx, in, storage.TimelinePage{})
	for _, err := range []error{appendErr, readErr} {
		if err == nil || strings.Contains(err.Error(), "deadline") || !strings.Contains(err.Error(), "did not answer in time") || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("timed-out call: %v", err)
		}
	}
}
