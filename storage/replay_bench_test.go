package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/storage/storagetest"
)

// BenchmarkReplayLoad reads the 100,000-entry incident's whole log and
// folds it as it stood halfway through: what `show --as-of` costs on it.
// The cockpit reads the log without its notes instead (ReplayEvents).
func BenchmarkReplayLoad(b *testing.B) {
	ctx := context.Background()
	st, _, big := storagetest.OpenMillion(b)
	for b.Loop() {
		r, err := st.Replay(ctx, big)
		if err != nil {
			b.Fatal(err)
		}
		first, _ := r.First()
		last, _ := r.Last()
		s := r.At(first.Add(last.Sub(first) / 2))
		if s.Len() == 0 {
			b.Fatal("empty")
		}
	}
}

// BenchmarkReplayAt folds the 100,000-entry incident at a moment: one
// step of the replay, once the log is read.
func BenchmarkReplayAt(b *testing.B) {
	ctx := context.Background()
	st, _, big := storagetest.OpenMillion(b)
	r, err := st.Replay(ctx, big)
	if err != nil {
		b.Fatal(err)
	}
	last, _ := r.Last()
	i := 0
	for b.Loop() {
		i++
		s := r.At(last.Add(-time.Duration(i%100) * time.Minute))
		_ = s.Entry(s.Len() - 1)
	}
}
