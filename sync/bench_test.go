package sync

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	stdsync "sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
	"github.com/sitrep-dev/sitrep/storage/storagetest"
)

// The million-event benchmarks copy a 900 MB store and, the first time on
// a machine, take minutes to generate it; they run only when asked.
var flagBig = flag.Bool("sync.big", false, "run the benchmarks against a hub of 1,000,000 events")

func hubSpec(events int) storagetest.Spec {
	if events >= 1000000 {
		return storagetest.Million // shared with the other benchmarks
	}
	return storagetest.Spec{Incidents: max(events/100, 2), Entries: events}
}

// cachedHub copies a generated store of about n events to dir/hub.db.
func cachedHub(b *testing.B, dir string, n int) string {
	b.Helper()
	if n >= 1000000 && !*flagBig {
		b.Skip("pass -sync.big to run against a million events")
	}
	src, err := storagetest.Cached(context.Background(), hubSpec(n))
	if err != nil {
		b.Fatal(err)
	}
	dst := filepath.Join(dir, "hub.db")
	copyStore(b, src, dst)
	return dst
}

// copyStore copies a generated store; CopyTo flushes the copy, because its
// dirty pages (900 MB for the million-event store) were otherwise written
// out by the first checkpoint inside a timed sync, making the big hub look
// twice as slow for a cost no real hub pays.
func copyStore(b *testing.B, src, dst string) {
	b.Helper()
	if err := storagetest.CopyTo(src, dst); err != nil {
		b.Fatal(err)
	}
}

// cloneSynced copies the hub to dst as a replica that has already synced
// everything: its own store id, and cursors at the hub's end.
func cloneSynced(b *testing.B, hubPath, dst string) *storage.Store {
	b.Helper()
	ctx := context.Background()
	copyStore(b, hubPath, dst)
	db, err := sql.Open("sqlite", "file:"+dst)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE meta SET value = ? WHERE key = 'store_id'`, uuid.NewString()); err != nil {
		b.Fatal(err)
	}
	db.Close()
	st, err := storage.Open(ctx, dst, storage.Options{Author: "bench@laptop"})
	if err != nil {
		b.Fatal(err)
	}
	hub, err := storage.Open(ctx, hubPath, storage.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer hub.Close()
	top, err := hub.MaxSeq(ctx)
	if err != nil {
		b.Fatal(err)
	}
	topID, _ := hub.IDAt(ctx, top)
	if err := st.SaveSyncCursor(ctx, storage.SyncCursor{HubID: hub.ID(), Remote: hubPath, Pushed: top, Pulled: top, PulledID: topID}); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

func jsonSize(events []model.Event) int {
	n := 0
	for _, e := range events {
		j, _ := json.Marshal(e)
		n += len(j)
	}
	return n
}

// BenchmarkIncrementalSync: a replica that last synced a moment ago sends
// 100 new events and receives 100 another responder sent, through the
// in-process transport (the hub opened from its file, as serve-sync does).
// Run with -sync.big for the million-event hub.
func BenchmarkIncrementalSync(b *testing.B) {
	for _, c := range []struct {
		n        int
		openOnce bool
	}{{1000, false}, {1000000, false}, {1000, true}, {1000000, true}} {
		n := c.n
		name := fmt.Sprintf("hub=%d", n)
		if c.openOnce {
			// The hub kept open between syncs, its page cache warm: what
			// the protocol costs apart from opening the file.
			name += "/hub-open-once"
		}
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			dir := b.TempDir()
			hubPath := cachedHub(b, dir, n)
			a := cloneSynced(b, hubPath, filepath.Join(dir, "a.db"))
			other := openStore(b, filepath.Join(dir, "c.db"), "carol@laptop", nil)
			otherIn := declare(b, other, "carol's incident")
			hub, err := storage.Open(ctx, hubPath, storage.Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer hub.Close()
			big, err := a.Meta(ctx, storagetest.BigKey)
			if err != nil || big == "" {
				b.Fatalf("no incident to write to: %v", err)
			}
			// Carol's incident reaches the hub and the replica first.
			first, _, _ := other.EventsAfter(ctx, 0, 10)
			evs := make([]model.Event, len(first))
			for i, l := range first {
				evs[i] = l.Event
			}
			if _, err := hub.Apply(ctx, evs, nil); err != nil {
				b.Fatal(err)
			}
			opts := localOpts()
			if c.openOnce {
				opts.serverOpen = func(context.Context, string) (*storage.Store, error) { return hub, nil }
			}
			mustSync(b, a, hubPath, opts)

			var wire, js int64
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				var moved []model.Event
				var theirs []model.Event
				for j := range 100 {
					moved = append(moved, note(b, a, big, fmt.Sprintf("bench note %d.%d: checked the load balancer", i, j)))
					theirs = append(theirs, note(b, other, otherIn, fmt.Sprintf("carol %d.%d: paged the database on-call", i, j)))
				}
				if _, err := hub.Apply(ctx, theirs, nil); err != nil {
					b.Fatal(err)
				}
				moved = append(moved, theirs...)
				b.StartTimer()
				rep := mustSync(b, a, hubPath, opts)
				b.StopTimer()
				if rep.Pushed != 100 || rep.Pulled != 100 {
					b.Fatalf("moved %d/%d, want 100/100", rep.Pushed, rep.Pulled)
				}
				wire += rep.BytesSent + rep.BytesReceived
				js += int64(jsonSize(moved))
				b.StartTimer()
			}
			b.StopTimer()
			b.ReportMetric(float64(wire)/float64(b.N), "wire-B/op")
			b.ReportMetric(float64(js)/float64(b.N), "json-B/op")
			b.ReportMetric(float64(wire)/float64(js), "wire/json")
		})
	}
}

// BenchmarkFirstSyncPull: an empty store's first sync pulls the whole hub.
// It reports events per second, and the peak heap in use over the first
// tenth of the pull and over all of it: equal peaks mean memory does not
// grow with the number of events.
func BenchmarkFirstSyncPull(b *testing.B) {
	for _, n := range []int{10000, 1000000} {
		b.Run(fmt.Sprintf("hub=%d", n), func(b *testing.B) {
			ctx := context.Background()
			dir := b.TempDir()
			hubPath := cachedHub(b, dir, n)
			hub, err := storage.Open(ctx, hubPath, storage.Options{})
			if err != nil {
				b.Fatal(err)
			}
			total, _ := hub.CountEvents(ctx)
			hub.Close()
			var elapsed time.Duration
			var peakEarly, peakAll uint64
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				st := openStore(b, filepath.Join(dir, fmt.Sprintf("fresh%d.db", i)), "new@laptop", nil)
				runtime.GC()
				debug.FreeOSMemory()
				done := make(chan struct{})
				var wg stdsync.WaitGroup
				var early, all uint64
				wg.Go(func() {
					var ms runtime.MemStats
					tick := time.NewTicker(50 * time.Millisecond)
					defer tick.Stop()
					for {
						select {
						case <-done:
							return
						case <-tick.C:
						}
						runtime.ReadMemStats(&ms)
						all = max(all, ms.HeapInuse)
						if n, _ := st.MaxSeq(ctx); n < total/10 {
							early = max(early, ms.HeapInuse)
						}
					}
				})
				b.StartTimer()
				start := time.Now()
				rep := mustSync(b, st, hubPath, localOpts())
				elapsed += time.Since(start)
				b.StopTimer()
				close(done)
				wg.Wait()
				if int64(rep.Pulled) != total {
					b.Fatalf("pulled %d of %d", rep.Pulled, total)
				}
				peakEarly, peakAll = max(peakEarly, early), max(peakAll, all)
				st.Close()
				os.Remove(st.Path())
				os.Remove(st.Path() + "-wal")
				b.StartTimer()
			}
			b.StopTimer()
			b.ReportMetric(float64(total)*float64(b.N)/elapsed.Seconds(), "events/s")
			b.ReportMetric(float64(peakEarly)/(1<<20), "heap-MB-first-tenth")
			b.ReportMetric(float64(peakAll)/(1<<20), "heap-MB-peak")
		})
	}
}
