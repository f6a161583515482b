package storage

import (
	"context"
	"database/sql"
	"fmt"
)

// Watcher notices commits to a store by any connection of any process:
// SQLite's data_version, read on a connection of the watcher's own, moves
// whenever another connection commits. One read is one cheap pragma (9 to
// 35 µs), and on Linux the kernel says when to read it (Wake), so an idle
// live session need not poll often.
type Watcher struct {
	db   *sql.DB
	conn *sql.Conn
	last int64
	n    *notifier // nil: poll only
}

// Watch starts watching the store for commits. The watcher holds its own
// connection, outside the store's pool, so a session that stays open all
// day never takes a connection the cockpit's readers need.
func (s *Store) Watch(ctx context.Context) (*Watcher, error) {
	path := s.path
	if s.snapshot != "" {
		path = s.snapshot
	}
	db, err := sql.Open("sqlite", "file:"+escapePath(path)+"?"+busyPragma)
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", s.path, err)
	}
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("watch %s: %w", s.path, describeSQLiteError(err))
	}
	w := &Watcher{db: db, conn: conn, n: newNotifier(path)}
	if w.last, err = w.version(ctx); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

func (w *Watcher) version(ctx context.Context) (int64, error) {
	var v int64
	if err := w.conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("watch for changes: %w", describeSQLiteError(err))
	}
	return v, nil
}

// Changed reports whether anything was committed since the last call (or
// since Watch).
func (w *Watcher) Changed(ctx context.Context) (bool, error) {
	v, err := w.version(ctx)
	if err != nil {
		return false, err
	}
	changed := v != w.last
	w.last = v
	return changed, nil
}

// Wake fires when the store's files were written on this machine (Linux's
// inotify), a hint to call Changed at once; nil, never firing, where the
// kernel cannot tell.
func (w *Watcher) Wake() <-chan struct{} {
	if w.n == nil {
		return nil
	}
	return w.n.wake
}

// Notified says whether Wake works here, so a caller may poll Changed
// rarely, as a safety net (a network mount written from elsewhere),
// instead of often.
func (w *Watcher) Notified() bool { return w.n != nil }

// Close lets go of the watcher's connection.
func (w *Watcher) Close() error {
	if w.n != nil {
		w.n.close()
	}
	w.conn.Close()
	return w.db.Close()
}
