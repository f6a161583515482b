package export_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/export"
	"github.com/sitrep-dev/sitrep/storage"
	"github.com/sitrep-dev/sitrep/storage/storagetest"
)

// BenchmarkExportAll writes the JSON export of whole stores ten times apart
// in size, whose largest incident is the same size. It reports the output
// rate and the peak heap in use: equal peaks mean memory follows the
// largest incident, not the store.
func BenchmarkExportAll(b *testing.B) {
	if testing.Short() {
		b.Skip("builds stores of up to 100,000 entries")
	}
	for _, spec := range []storagetest.Spec{
		{Incidents: 100, Entries: 10000, Big: 1000, Seed: 7},
		{Incidents: 1000, Entries: 100000, Big: 1000, Seed: 7},
	} {
		b.Run(fmt.Sprintf("entries=%d", spec.Entries), func(b *testing.B) {
			ctx := context.Background()
			path, err := storagetest.Cached(ctx, spec)
			if err != nil {
				b.Fatal(err)
			}
			st, err := storage.Open(ctx, path, storage.Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			var written int64
			var peak uint64
			b.ResetTimer()
			for range b.N {
				n := &countingWriter{}
				peak = max(peak, peakHeap(b, func() {
					if err := export.WriteAll(ctx, st, n, nil); err != nil {
						b.Fatal(err)
					}
				}))
				written += n.n
			}
			b.StopTimer()
			b.ReportMetric(float64(written)/(1<<20)/b.Elapsed().Seconds(), "MB/s")
			b.ReportMetric(float64(written)/float64(b.N)/(1<<20), "MB-out")
			b.ReportMetric(float64(peak)/(1<<20), "heap-MB-peak")
		})
	}
}

// BenchmarkImport imports the JSON exports of the same two stores into an
// empty one, reporting events per second and the peak heap in use.
func BenchmarkImport(b *testing.B) {
	if testing.Short() {
		b.Skip("builds stores of up to 100,000 entries")
	}
	for _, spec := range []storagetest.Spec{
		{Incidents: 100, Entries: 10000, Big: 1000, Seed: 7},
		{Incidents: 1000, Entries: 100000, Big: 1000, Seed: 7},
	} {
		b.Run(fmt.Sprintf("entries=%d", spec.Entries), func(b *testing.B) {
			ctx := context.Background()
			path, err := storagetest.Cached(ctx, spec)
			if err != nil {
				b.Fatal(err)
			}
			src, err := storage.Open(ctx, path, storage.Options{})
			if err != nil {
				b.Fatal(err)
			}
			file := filepath.Join(b.TempDir(), "all.json")
			f, err := os.Create(file)
			if err != nil {
				b.Fatal(err)
			}
			if err := export.WriteAll(ctx, src, f, nil); err != nil {
				b.Fatal(err)
			}
			f.Close()
			src.Close()
			var events int
			var peak uint64
			var cpu time.Duration
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				dst, err := storage.Open(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("dst%d.db", i)), storage.Options{})
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				peak = max(peak, peakHeap(b, func() {
					start := cpuTime()
					res, err := export.Import(ctx, dst, file)
					if err != nil {
						b.Fatal(err)
					}
					cpu += cpuTime() - start
					events += res.Applied
				}))
				b.StopTimer()
				dst.Close()
				b.StartTimer()
			}
			b.StopTimer()
			b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(float64(peak)/(1<<20), "heap-MB-peak")
			// On a shared machine the wall clock counts other people's
			// work too: events per second of this process's CPU.
			b.ReportMetric(float64(events)/cpu.Seconds(), "events/cpu-s")
		})
	}
}

// cpuTime is the CPU this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakHeap runs fn, sampling the heap in use every 20 ms, and returns the
// highest sample. The collection before starts it from what is live.
func peakHeap(b *testing.B, fn func()) uint64 {
	b.StopTimer()
	runtime.GC()
	debug.FreeOSMemory()
	done := make(chan struct{})
	var wg sync.WaitGroup
	var high uint64
	wg.Go(func() {
		var ms runtime.MemStats
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			high = max(high, ms.HeapInuse)
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	b.StartTimer()
	fn()
	b.StopTimer()
	close(done)
	wg.Wait()
	b.StartTimer()
	return high
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

var _ io.Writer = (*countingWriter)(nil)
