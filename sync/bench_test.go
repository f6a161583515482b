package sync

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
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

// flagBatches adds the pull a batch at a time beside the bulk one to
// BenchmarkFirstSyncPull, for the figure before bulk pulls.
var flagBatches = flag.Bool("sync.batches", false, "BenchmarkFirstSyncPull: also pull a batch at a time")

func hubSpec(events int) storagetest.Spec {
	if events >= 1000000 {
		return storagetest.Million // shared with the other benchmarks
	}
	if events == 100000 {
		return storagetest.Spec{Incidents: 1000, Entries: 100000, Big: 1000, Seed: 7} // verify's and import's
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

// BenchmarkFirstSyncPull: an empty store's first sync pulls the whole hub
// (in bulk: one transaction, projected in bulk). Beside it, the baseline:
// copying the hub's file (read and written whole, as cp does). It reports
// events per second, both times and their ratio, and the peak heap in use
// over the first tenth of the pull and over all of it: equal peaks mean
// memory does not grow with the number of events. It also reports the
// floor under any pull that checks what it takes: reading every event from
// the hub and checking its fields and hash, storing nothing (check-ms,
// check/copy). -sync.batches adds the pull a batch at a time; -sync.big the
// million-event hub.
func BenchmarkFirstSyncPull(b *testing.B) {
	modes := []string{"bulk"}
	if *flagBatches {
		modes = append(modes, "batches")
	}
	for _, n := range []int{100000, 1000000} {
		for _, mode := range modes {
			b.Run(fmt.Sprintf("hub=%d/%s", n, mode), func(b *testing.B) {
				opts := localOpts()
				opts.Timeout = time.Minute
				if mode == "batches" {
					opts.BulkPull = -1
				}
				benchFirstPull(b, n, opts)
			})
		}
	}
}

func benchFirstPull(b *testing.B, n int, opts Options) {
	ctx := context.Background()
	dir := b.TempDir()
	hubPath := cachedHub(b, dir, n)
	hub, err := storage.Open(ctx, hubPath, storage.Options{})
	if err != nil {
		b.Fatal(err)
	}
	total, _ := hub.CountEvents(ctx)
	hub.Close()
	var elapsed, copied, checked time.Duration
	var peakEarly, peakAll uint64
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		copied += copyFile(b, hubPath, filepath.Join(dir, "copy.db"))
		checked += readAndCheck(b, hubPath, total)
		st := openStore(b, filepath.Join(dir, fmt.Sprintf("fresh%d.db", i)), "new@laptop", nil)
		runtime.GC()
		debug.FreeOSMemory()
		done := make(chan struct{})
		var wg stdsync.WaitGroup
		type sample struct {
			at   time.Duration
			heap uint64
		}
		var samples []sample
		start := time.Now()
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
				samples = append(samples, sample{time.Since(start), ms.HeapInuse})
			}
		})
		b.StartTimer()
		rep := mustSync(b, st, hubPath, opts)
		took := time.Since(start)
		elapsed += took
		b.StopTimer()
		close(done)
		wg.Wait()
		if int64(rep.Pulled) != total {
			b.Fatalf("pulled %d of %d", rep.Pulled, total)
		}
		// The pull is one transaction: its first tenth is told by time.
		var early, all uint64
		for _, s := range samples {
			all = max(all, s.heap)
			if s.at < took/10 {
				early = max(early, s.heap)
			}
		}
		peakEarly, peakAll = max(peakEarly, early), max(peakAll, all)
		st.Close()
		os.Remove(st.Path())
		os.Remove(st.Path() + "-wal")
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(float64(total)*float64(b.N)/elapsed.Seconds(), "events/s")
	b.ReportMetric(float64(elapsed.Milliseconds())/float64(b.N), "pull-ms")
	b.ReportMetric(float64(copied.Milliseconds())/float64(b.N), "copy-ms")
	b.ReportMetric(elapsed.Seconds()/copied.Seconds(), "pull/copy")
	b.ReportMetric(float64(checked.Milliseconds())/float64(b.N), "check-ms")
	b.ReportMetric(checked.Seconds()/copied.Seconds(), "check/copy")
	b.ReportMetric(float64(peakEarly)/(1<<20), "heap-MB-first-tenth")
	b.ReportMetric(float64(peakAll)/(1<<20), "heap-MB-peak")
}

// readAndCheck reads every event of the store at path, as serve-sync does,
// and checks each as a pull does (its fields and hash), storing nothing:
// the floor under a pull that checks what it takes. It says how long that
// took.
func readAndCheck(b *testing.B, path string, total int64) time.Duration {
	b.Helper()
	ctx := context.Background()
	st, err := storage.Open(ctx, path, storage.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	start := time.Now()
	n := int64(0)
	for after := int64(0); ; {
		page, last, err := st.EventsAfter(ctx, after, 5000)
		if err != nil {
			b.Fatal(err)
		}
		if last == after {
			break
		}
		for _, l := range page {
			if err := storage.CheckIncoming(l.Event); err != nil {
				b.Fatal(err)
			}
		}
		n += int64(len(page))
		after = last
	}
	took := time.Since(start)
	if n != total {
		b.Fatalf("checked %d of %d events", n, total)
	}
	return took
}

// copyFile copies src to dst as cp does (no flush), and says how long it
// took.
func copyFile(b *testing.B, src, dst string) time.Duration {
	b.Helper()
	start := time.Now()
	in, err := os.Open(src)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
	took := time.Since(start)
	os.Remove(dst)
	return took
}
