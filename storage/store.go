// Package storage is sitrep's SQLite store: an append-only event log with a
// per-author hash chain, and the projections the UI reads (incidents,
// timeline, step states, role holders), updated in the same transaction as
// each append and rebuildable from the log.
package storage

import (
	"context"
	"database/sql"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver

	"github.com/sitrep-dev/sitrep/model"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// applicationID marks a SQLite file as a sitrep store ("SITR"), so a shared
// path that points at someone else's database is refused before any write.
const applicationID = 0x53495452

// FutureSkew is how far ahead of this store's clock an event may be stamped
// before the timeline flags it as coming from a clock that runs fast.
const FutureSkew = model.ClockTolerance

// StampedAhead reports whether an event arriving at now was stamped by a
// clock running ahead: its wall time is more than FutureSkew past now, or
// the time its author gave is further ahead than a time for something that
// already happened may be (model.MaxAhead) on top of that.
func StampedAhead(e model.Event, now time.Time) bool {
	return e.At.After(now.Add(FutureSkew)) || e.Occurred.After(now.Add(FutureSkew+model.MaxAhead))
}

// Options configures a store.
type Options struct {
	Author string           // who local events are by
	Now    func() time.Time // the clock; tests fix it
}

// Store is an open sitrep database.
type Store struct {
	db     *sql.DB
	path   string
	author string
	now    func() time.Time
	id     string
	// readOnly says why this process cannot write the store ("" when it
	// can): it is then opened for reading only and every write says so.
	readOnly string
	// snapshot is the private copy a read-only store is read from when
	// SQLite cannot read it in place (see readOnlySnapshot), or "".
	snapshot string

	// stmts caches prepared statements for the life of the store; database/sql
	// prepares each once per connection. Parsing the same SQL for every
	// append was a fifth of a note's cost.
	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt
	// txStmts holds, per open transaction, its own handle on each cached
	// statement. tx.StmtContext makes a new handle on every call and keeps
	// each until the transaction ends, which cost about 1.7 KB per event
	// of a long transaction (a rebuild, a big import batch).
	txStmts map[*sql.Tx]map[string]*sql.Stmt

	// writing admits one write transaction of this process at a time.
	// SQLite has one writer anyway; without this, writers started together
	// (the cockpit's x pressed five times in a row) each held one of the
	// pool's connections waiting for the write lock while the one holding
	// it waited for a connection to prepare a statement on, and all of
	// them ran out of time.
	writing chan struct{}

	// seen holds the statements a transaction has prepared for itself
	// (see txStmt); their next use prepares them store-wide.
	seen map[string]bool
}

// Open opens the store at path, creating it (mode 0600, parent 0700) on first
// use and running any migrations. A file that is not a sitrep store, that
// SQLite cannot read, or that was written by a newer sitrep is refused with
// an error naming it, before anything is written to it. A store this process
// may not write (a read-only file, folder or file system) is opened for
// reading, creating nothing beside it; its writes fail with ErrReadOnly.
func Open(ctx context.Context, path string, opts Options) (_ *Store, err error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Author == "" {
		opts.Author = "unknown"
	}
	fresh, err := prepareFile(path)
	if err != nil {
		return nil, err
	}
	readOnly := readOnlyReason(path)
	if fresh && readOnly != "" {
		return nil, &faultError{ErrReadOnly, fmt.Sprintf("create store %s: %s", path, readOnly), nil}
	}
	// source is what the store is read and written through; probe is what
	// checkExisting reads it through before anything is written.
	source, probe, snapshot := dsn(path, false), dsn(path, true), ""
	if readOnly != "" {
		if snapshot, err = readOnlySnapshot(path); err != nil {
			return nil, err
		}
		if snapshot != "" {
			defer func() {
				if err != nil {
					os.RemoveAll(filepath.Dir(snapshot))
				}
			}()
		}
		source = readOnlyDSN(path, snapshot)
		probe = source
	}
	known := false
	if !fresh {
		if known, err = checkExisting(ctx, path, probe, readOnly == ""); err != nil {
			return nil, err
		}
	}
	if readOnly == "" && !known {
		if err := walMode(ctx, path); err != nil {
			return nil, err
		}
	}
	db, err := sql.Open("sqlite", source)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	// Several connections let readers run while a write is in progress (WAL);
	// writes are serialised by BEGIN IMMEDIATE and the busy timeout.
	db.SetMaxOpenConns(4)
	db.SetConnMaxIdleTime(time.Minute)
	s := &Store{db: db, path: path, author: opts.Author, now: opts.Now, stmts: map[string]*sql.Stmt{}, readOnly: readOnly, snapshot: snapshot,
		writing: make(chan struct{}, 1)}
	if err := s.migrate(ctx, known); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.loadID(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.rebuildIfAsked(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// Events an older sitrep kept without projecting (their kind was new to
	// it) are projected by the first version that knows them, and can
	// write them.
	if readOnly != "" {
		return s, nil
	}
	if _, err := s.ProjectPending(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// dsn puts every pragma in the connection string, so each pooled connection
// gets them (a db.Exec("PRAGMA ...") would reach only one).
func dsn(path string, readOnly bool) string {
	u := "file:" + escapePath(path) + "?" + busyPragma + "&_pragma=foreign_keys(1)"
	if readOnly {
		return u + "&mode=ro"
	}
	// SQLite keeps its write-ahead log at the largest size it reached, for
	// reuse; after a first pull that is the size of the store. The limit
	// cuts it back when the next write starts it again; everyday writes
	// stay well under it (a checkpoint every 1,000 pages, 4 MB).
	return u + "&_pragma=journal_mode(WAL)&_pragma=journal_size_limit(8388608)&_pragma=synchronous(FULL)&_txlock=immediate"
}

// busyTimeout is how long a write waits for another process's: every
// connection's busy_timeout (busyPragma, in milliseconds), and walMode's
// turns.
const (
	busyTimeoutMS = 15000
	busyTimeout   = busyTimeoutMS * time.Millisecond
)

var busyPragma = "_pragma=busy_timeout(" + strconv.Itoa(busyTimeoutMS) + ")"

// walMode switches a store not yet in WAL mode (a new file, or one an old
// sitrep made) before the pool's connections open it. Each connection asks
// for WAL in its DSN, but on a file not yet in WAL mode that is a write
// begun as a read: when two processes create one store at once (the first
// syncs of a team to a new hub), both can read it empty, and SQLite fails
// the second's upgrade at once with SQLITE_BUSY rather than wait, as
// waiting there could deadlock. So the switch is made here and retried
// until the other process has made it; after that, the DSN's pragma finds
// WAL in the header and writes nothing.
func walMode(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", "file:"+escapePath(path)+"?"+busyPragma)
	if err != nil {
		return fmt.Errorf("open store %s: %w", path, err)
	}
	defer db.Close()
	deadline := time.Now().Add(busyTimeout)
	for wait := 2 * time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		// A file system without shared memory keeps its journal mode
		// and says so instead of failing: the store then works as it did.
		var mode string
		err = db.QueryRowContext(ctx, "PRAGMA journal_mode=WAL").Scan(&mode)
		if err == nil || !isBusy(err) || time.Now().After(deadline) {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("open store %s: %w", path, describeSQLiteError(ctx.Err()))
		case <-time.After(wait):
		}
	}
	if err != nil {
		return fmt.Errorf("open store %s: %w", path, describeSQLiteError(err))
	}
	return nil
}

// escapePath percent-encodes the characters a SQLite URI gives meaning to,
// so paths holding ?, # or % open the file they name.
func escapePath(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '%', '?', '#':
			fmt.Fprintf(&b, "%%%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// prepareFile creates a missing store file with private permissions and
// reports whether it is new and empty.
func prepareFile(path string) (bool, error) {
	info, err := os.Stat(path)
	if err == nil {
		if info.IsDir() {
			return false, fmt.Errorf("open store %s: is a directory", path)
		}
		return info.Size() == 0, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return false, fmt.Errorf("open store %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return false, cannotCreate(path, err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil && !errors.Is(err, os.ErrExist) {
		return false, cannotCreate(path, err)
	}
	if f != nil {
		f.Close()
	}
	return true, nil
}

// checkExisting reads the file's header and schema without writing, so a
// wrong or damaged file is refused and left exactly as it was. SQLite reads
// it through source, a read-only DSN.
//
// It reports known when the header alone shows a complete sitrep store in
// WAL mode and the store may be written (fast): then opening it read-write
// writes nothing (the DSN's journal_mode(WAL) is already so), and migrate,
// reading the schema version before it takes any lock, refuses a newer
// schema in the same words. Skipping the read-only connection this way
// halves the SQLite work of a one-shot command such as 'sitrep note' (each
// connection parses the whole schema).
func checkExisting(ctx context.Context, path, source string, fast bool) (known bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return false, fmt.Errorf("open store %s: %w", path, err)
	}
	header := make([]byte, 100)
	n, err := io.ReadFull(f, header)
	info, statErr := f.Stat()
	f.Close()
	if statErr != nil {
		return false, fmt.Errorf("open store %s: %w", path, statErr)
	}
	if !strings.HasPrefix(string(header[:n]), "SQLite format 3\x00") {
		return false, fmt.Errorf("open store %s: not a SQLite database (it does not start with the SQLite header)", path)
	}
	if err != nil {
		return false, fmt.Errorf("open store %s: truncated: only %d bytes, less than a SQLite header", path, n)
	}
	pageSize := int64(binary.BigEndian.Uint16(header[16:18]))
	if pageSize == 1 {
		pageSize = 65536
	}
	if pageSize < 512 || pageSize&(pageSize-1) != 0 {
		return false, fmt.Errorf("open store %s: damaged header: page size %d is not valid", path, pageSize)
	}
	// Bytes 18 and 19 are the read and write format versions, 2 for WAL;
	// bytes 68-71 the application id. The id is set in the transaction that
	// creates the first tables and never cleared, so a header that shows
	// it is a sitrep store whatever a WAL not yet checkpointed holds. A file
	// shorter than its header says (a checkpoint cut short, or a truncated
	// copy) takes the full check below, which tells the two apart.
	pages := int64(binary.BigEndian.Uint32(header[28:32]))
	if fast && header[18] == 2 && header[19] == 2 && binary.BigEndian.Uint32(header[68:72]) == applicationID && info.Size() >= pages*pageSize {
		return true, nil
	}

	// Whether the file is complete is SQLite's to say, not the header's: a
	// process killed (or a disk filled) while SQLite copies its -wal log
	// into the main file leaves the header counting pages the file does
	// not have yet, and SQLite reads them from the log. Only a store SQLite
	// cannot read is refused.
	db, err := sql.Open("sqlite", source)
	if err != nil {
		return false, fmt.Errorf("open store %s: %w", path, err)
	}
	defer db.Close()
	// One statement, one snapshot: read apart, another process creating
	// the store could commit in between, and its tables would be seen
	// without the id that marks them as sitrep's.
	var appID int64
	var tables int
	if err := db.QueryRowContext(ctx, "SELECT (SELECT application_id FROM pragma_application_id), (SELECT count(*) FROM sqlite_master)").Scan(&appID, &tables); err != nil {
		err = describeSQLiteError(err)
		// Said as "truncated" when that is what the header shows, so
		// whoever looks for the missing part knows what to look for.
		counted := binary.BigEndian.Uint32(header[24:28]) == binary.BigEndian.Uint32(header[92:96])
		if errors.Is(err, ErrDamaged) && counted && info.Size() < pages*pageSize {
			return false, &faultError{ErrDamaged, fmt.Sprintf("open store %s: truncated: the header says %d bytes (%d pages of %d) but the file has %d, and SQLite cannot read it: %s",
				path, pages*pageSize, pages, pageSize, info.Size(), RecoverHint), err}
		}
		return false, fmt.Errorf("open store %s: %w", path, err)
	}
	if appID != applicationID {
		if tables == 0 && appID == 0 {
			return false, nil // an empty SQLite file: ours to initialise
		}
		return false, fmt.Errorf("open store %s: a SQLite database, but not a sitrep store", path)
	}
	var version int
	if err := db.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&version); err != nil {
		return false, fmt.Errorf("open store %s: reading schema version: %w", path, describeSQLiteError(err))
	}
	if known := len(migrationNames()); version > known {
		return false, fmt.Errorf("open store %s: written by a newer sitrep (schema %d; this one knows up to %d): upgrade sitrep to use it", path, version, known)
	}
	return false, nil
}

func migrationNames() []string {
	entries, _ := migrationFiles.ReadDir("migrations")
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// migrate applies each numbered migration not yet recorded, each in its own
// transaction, so a failure leaves the store at the last good version.
// known says checkExisting vouched for the file from its header alone, so
// the schema version is read here for the first time.
func (s *Store) migrate(ctx context.Context, known bool) error {
	names := migrationNames()
	for i, name := range names {
		if version, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0]); err != nil || version != i+1 {
			return fmt.Errorf("migration %s: numbering must run 1, 2, 3…", name)
		}
	}
	// The common case, an up-to-date store, is settled by a read, so
	// opening costs no write lock.
	var current int
	err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&current)
	if err == nil && current == len(names) {
		return nil
	}
	if s.readOnly != "" {
		if current > len(names) {
			return fmt.Errorf("open store %s: written by a newer sitrep (schema %d; this one knows up to %d): upgrade sitrep to use it", s.path, current, len(names))
		}
		return &faultError{ErrReadOnly, fmt.Sprintf("open store %s: it needs upgrading to this sitrep's schema (%d to %d), and %s", s.path, current, len(names), s.readOnly), err}
	}
	if known {
		// A sitrep store has its bookkeeping table from its first
		// migration on, so failing to read it is damage, and a version past
		// ours is a newer sitrep's: refuse both before any write lock.
		if err != nil {
			return fmt.Errorf("open store %s: %w", s.path, describeSQLiteError(err))
		}
		if current > len(names) {
			return fmt.Errorf("open store %s: written by a newer sitrep (schema %d; this one knows up to %d): upgrade sitrep to use it", s.path, current, len(names))
		}
	}
	// Otherwise each step reads the version and applies the next migration
	// in one write transaction, with the bookkeeping table and the
	// application id inside it: two processes creating the same store at
	// once (ten responders' first sync to a new hub) take turns, the second
	// finds the work done, and no reader ever sees tables without the id
	// that marks them as sitrep's.
	for {
		done := false
		err := s.write(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
				return err
			}
			if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
				return err
			}
			if current > len(names) {
				return errNewerSchema
			}
			if current == len(names) {
				done = true
				return nil
			}
			name := names[current]
			body, err := migrationFiles.ReadFile("migrations/" + name)
			if err != nil {
				return fmt.Errorf("read migration %s: %w", name, err)
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", name, err)
			}
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations(version, applied_at) VALUES (?, ?)`, current+1, s.now().UnixMilli())
			return err
		})
		if errors.Is(err, errNewerSchema) {
			return fmt.Errorf("open store %s: written by a newer sitrep (schema %d; this one knows up to %d): upgrade sitrep to use it", s.path, current, len(names))
		}
		if err != nil {
			return fmt.Errorf("open store %s: %w", s.path, describeSQLiteError(err))
		}
		if done {
			return nil
		}
	}
}

var errNewerSchema = errors.New("newer schema")

// SchemaVersion is the newest schema this binary knows: what sync tells the
// other end, so a newer store is refused before anything is written.
func SchemaVersion() int { return len(migrationNames()) }

// Schema is the schema version the open file is at.
func (s *Store) Schema(ctx context.Context) (int, error) {
	var v int
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version of %s: %w", s.path, describeSQLiteError(err))
	}
	return v, nil
}

func (s *Store) loadID(ctx context.Context) error {
	// A store has its id from its first open on: read it without taking
	// the write lock, as migrate and ProjectPending do.
	if s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'store_id'`).Scan(&s.id) == nil {
		return nil
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO meta(key, value) VALUES ('store_id', ?)`, uuid.NewString())
		if err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'store_id'`).Scan(&s.id)
	})
	if err != nil {
		return fmt.Errorf("open store %s: %w", s.path, describeSQLiteError(err))
	}
	return nil
}

// write runs fn in one BEGIN IMMEDIATE transaction and commits it, durable
// on return (synchronous=FULL).
func (s *Store) write(ctx context.Context, fn func(*sql.Tx) error) error {
	if s.readOnly != "" {
		return s.readOnlyError()
	}
	if s.writing != nil {
		select {
		case s.writing <- struct{}{}:
			defer func() { <-s.writing }()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		s.stmtMu.Lock()
		delete(s.txStmts, tx)
		s.stmtMu.Unlock()
	}()
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// txStmt is tx's handle on the cached statement for query, made once per
// transaction.
func (s *Store) txStmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	s.stmtMu.Lock()
	if ts, ok := s.txStmts[tx][query]; ok {
		s.stmtMu.Unlock()
		return ts, nil
	}
	_, cached := s.stmts[query]
	first := !cached && !s.seen[query]
	if first {
		if s.seen == nil {
			s.seen = map[string]bool{}
		}
		s.seen[query] = true
	}
	s.stmtMu.Unlock()

	var ts *sql.Stmt
	if first {
		// The first transaction to use a statement prepares it on its own
		// connection. A store-wide one would need a second connection (the
		// transaction holds the first), which opens the file again and
		// parses the whole schema: a fifth of a one-shot 'sitrep note'. A
		// process that uses it again gets it prepared store-wide then.
		var err error
		if ts, err = tx.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
	} else {
		st, err := s.stmt(ctx, query)
		if err != nil {
			return nil, err
		}
		ts = tx.StmtContext(ctx, st)
	}
	s.stmtMu.Lock()
	defer s.stmtMu.Unlock()
	if s.txStmts == nil {
		s.txStmts = map[*sql.Tx]map[string]*sql.Stmt{}
	}
	byQuery := s.txStmts[tx]
	if byQuery == nil {
		byQuery = map[string]*sql.Stmt{}
		s.txStmts[tx] = byQuery
	}
	byQuery[query] = ts
	return ts, nil
}

// stmt returns the store-wide prepared statement for query.
func (s *Store) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	s.stmtMu.Lock()
	defer s.stmtMu.Unlock()
	if st, ok := s.stmts[query]; ok {
		return st, nil
	}
	st, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	s.stmts[query] = st
	return st, nil
}

func (s *Store) execTx(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	st, err := s.txStmt(ctx, tx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (s *Store) queryRowTx(ctx context.Context, tx *sql.Tx, query string, args ...any) *sql.Row {
	st, err := s.txStmt(ctx, tx, query)
	if err != nil {
		return tx.QueryRowContext(ctx, query, args...) // reports the same error
	}
	return st.QueryRowContext(ctx, args...)
}

// cachedQueryRow and cachedQuery run a query through the store's prepared
// statement cache: sync asks the same few questions on every exchange, and
// parsing them each time cost more than answering them.
func (s *Store) cachedQueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := s.stmt(ctx, query)
	if err != nil {
		return s.db.QueryRowContext(ctx, query, args...) // reports the same error
	}
	return st.QueryRowContext(ctx, args...)
}

func (s *Store) cachedQuery(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := s.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// Close closes the database.
func (s *Store) Close() error {
	s.stmtMu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts = map[string]*sql.Stmt{}
	s.stmtMu.Unlock()
	err := s.db.Close()
	if s.snapshot != "" {
		os.RemoveAll(filepath.Dir(s.snapshot))
	}
	return err
}

// Path is the file the store lives in.
func (s *Store) Path() string { return s.path }

// ID is the store's own random id, the origin of the events made here.
func (s *Store) ID() string { return s.id }

// Author is who local events are recorded as.
func (s *Store) Author() string { return s.author }

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

// DB exposes the handle to packages that extend the store with their own
// tables (sync keeps its cursors here) and to tests.
func (s *Store) DB() *sql.DB { return s.db }

// Meta reads a store-local setting; it is never synced.
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, err)
	}
	return v, nil
}

// SetMeta writes a store-local setting.
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
		if err != nil {
			return fmt.Errorf("save setting %s: %w", key, err)
		}
		return nil
	})
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

func nullMS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return fromMS(v.Int64)
}
