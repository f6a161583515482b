package storagetest

import (
	"context"
	"testing"

	"github.com/sitrep-dev/sitrep/storage"
)

// Million is the store the speed targets are set against: 10,000
// incidents and 1,000,000 timeline entries, the biggest incident holding
// 100,000 of them.
var Million = Spec{Incidents: 10000, Entries: 1000000}

// OpenMillion opens the cached Million store for a benchmark (building it
// the first time takes minutes; -short skips the benchmark instead) and
// returns it with its file and the id of its biggest incident. The store
// is closed when the benchmark ends.
func OpenMillion(b *testing.B) (st *storage.Store, path, big string) {
	b.Helper()
	if testing.Short() {
		b.Skip("needs the million-entry store")
	}
	ctx := context.Background()
	path, err := Cached(ctx, Million)
	if err != nil {
		b.Fatal(err)
	}
	st, err = storage.Open(ctx, path, storage.Options{Author: "bench@host"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if big, err = st.Meta(ctx, BigKey); err != nil {
		b.Fatal(err)
	}
	return st, path, big
}
