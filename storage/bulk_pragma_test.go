package storage

import (
	"context"
	"database/sql"
	"testing"

	"github.com/sitrep-dev/sitrep/model"
)

// A bulk apply widens its connection's page cache and sorter threads; the
// connection goes back to the pool, where an everyday note must not keep
// them.
func TestApplyBulkPutsConnectionSettingsBack(t *testing.T) {
	ctx := context.Background()
	src := openSyncTestStore(t, "src.db")
	_, events := appendNotes(t, src, 20)
	dst := openSyncTestStore(t, "dst.db")
	settings := func() map[[2]int64]int {
		// Every connection the pool holds, each asked once.
		seen := map[[2]int64]int{}
		var conns []*sql.Conn
		for range 4 {
			c, err := dst.db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
			var v [2]int64
			if err := c.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&v[0]); err != nil {
				t.Fatal(err)
			}
			if err := c.QueryRowContext(ctx, `PRAGMA threads`).Scan(&v[1]); err != nil {
				t.Fatal(err)
			}
			seen[v]++
		}
		for _, c := range conns {
			c.Close()
		}
		return seen
	}
	before := settings()
	if len(before) != 1 {
		t.Fatalf("connections differ before any bulk apply: %v", before)
	}
	res, err := dst.ApplyBulk(ctx, func(add func(model.Event) error) error {
		for _, e := range events {
			if err := add(e); err != nil {
				return err
			}
		}
		return nil
	}, nil)
	if err != nil || res.Applied != len(events) {
		t.Fatalf("bulk apply: %+v, %v", res, err)
	}
	after := settings()
	if len(after) != 1 {
		t.Fatalf("after a bulk apply the connections differ: %v (before: %v)", after, before)
	}
	for v := range after {
		if before[v] == 0 {
			t.Fatalf("after a bulk apply the connections have (cache_size, threads) %v, before %v", after, before)
		}
	}
}
