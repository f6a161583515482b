package storage_test

import (
	"context"
	"strings"
	"testing"

	"github.com/sitrep-dev/sitrep/storage"
)

// Whatever a person types, search answers or says there is nothing to
// search for: never an FTS5 syntax error.
func FuzzSearchQuery(f *testing.F) {
	for _, s := range []string{"failover", `"a b`, "NEAR(x y)", "a:b*", "-x", "ünïcode 東京", `""`, "AND"} {
		f.Add(s)
	}
	st, err := storage.Open(context.Background(), f.TempDir()+"/s.db", storage.Options{Author: "fuzz"})
	if err != nil {
		f.Fatal(err)
	}
	defer st.Close()
	declare(f, st, "failover in tokyo 東京")
	f.Fuzz(func(t *testing.T, q string) {
		_, err := st.Search(context.Background(), q, storage.SearchFilter{})
		if err != nil && !strings.Contains(err.Error(), "nothing to search") {
			t.Fatalf("query %q: %v", q, err)
		}
	})
}
