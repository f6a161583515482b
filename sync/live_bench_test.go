package sync

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/storage"
)

// BenchmarkLiveNote: a note saved in one store until it is in another
// store's log, through two live sessions on a local-path hub. The wait is
// the two polls (the sender's store, then the hub for the receiver's
// session), 200 ms each at most, plus the work; p50 and p99 are reported.
func BenchmarkLiveNote(b *testing.B) {
	dir := b.TempDir()
	hub := filepath.Join(dir, "hub.db")
	a := openStore(b, filepath.Join(dir, "a.db"), "alice", nil)
	c := openStore(b, filepath.Join(dir, "c.db"), "carol", nil)
	in := declare(b, a, "bench")
	startLive(b, a, hub, localOpts(), true)
	startLive(b, c, hub, localOpts(), true)
	arrives(b, c, note(b, a, in, "first").ID, 5*time.Second)
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e := note(b, a, in, fmt.Sprintf("note %d", i))
		start := time.Now()
		for {
			missing, err := c.MissingIDs(context.Background(), []string{e.ID})
			if err != nil {
				b.Fatal(err)
			}
			if len(missing) == 0 {
				break
			}
			if time.Since(start) > 5*time.Second {
				b.Fatalf("note %d did not arrive in 5 s", i)
			}
			time.Sleep(time.Millisecond)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Milliseconds()), "p50-ms")
	b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Milliseconds()), "p99-ms")
}

func cpuTime(t testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Fifty idle live sessions on one hub cost (nearly) nothing: no busy
// loops, one data_version pragma per session and side a minute, and a
// ping and its answer every 20 s (here every 5 s: half the tests' 10 s
// timeout). Both
// ends of every session run in this process (the in-process hub of a
// local path), so the figure is the hub's and the clients' together; it
// must stay under 1% of one core.
func TestLiveIdleCost(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("a timing measurement: not under -short or -race")
	}
	dir := t.TempDir()
	hub := filepath.Join(dir, "hub.db")
	const n = 50
	stores := make([]*storage.Store, n)
	for i := range stores {
		stores[i] = openStore(t, filepath.Join(dir, fmt.Sprintf("s%d.db", i)), fmt.Sprintf("r%d", i), nil)
	}
	in := declare(t, stores[0], "idle")
	for _, st := range stores {
		startLive(t, st, hub, localOpts(), true)
	}
	arrives(t, stores[n-1], note(t, stores[0], in, "everyone").ID, 5*time.Second)
	// Let the fan-out and the looks after it settle (lookAfter: about 18 s).
	time.Sleep(20 * time.Second)
	const window = 20 * time.Second // a whole round of pings
	if p := os.Getenv("SITREP_LIVE_PROFILE"); p != "" {
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		pprof.StartCPUProfile(f)
		defer f.Close()
	}
	before, wall := cpuTime(t), time.Now()
	time.Sleep(window)
	used, elapsed := cpuTime(t)-before, time.Since(wall)
	pprof.StopCPUProfile()
	share := float64(used) / float64(elapsed) * 100
	t.Logf("%d idle live sessions (both ends): %s CPU in %s = %.2f%% of one core", n, used, elapsed.Round(time.Millisecond), share)
	if share >= 1 {
		t.Fatalf("%d idle sessions use %.2f%% of a core, want under 1%%", n, share)
	}
	// And a note still reaches every one of them.
	e := note(t, stores[3], in, "after the quiet")
	start := time.Now()
	for _, st := range stores {
		arrives(t, st, e.ID, 5*time.Second)
	}
	t.Logf("a note fanned out to all %d in %s", n, time.Since(start).Round(time.Millisecond))
}

// BenchmarkLiveFanOut: b.N notes saved in one store as fast as it can,
// until every one is in all 20 other stores through their live sessions
// on a local-path hub; reports notes per second fanned out to all.
func BenchmarkLiveFanOut(b *testing.B) {
	dir := b.TempDir()
	hub := filepath.Join(dir, "hub.db")
	const n = 20
	src := openStore(b, filepath.Join(dir, "src.db"), "src", nil)
	in := declare(b, src, "fan-out")
	startLive(b, src, hub, localOpts(), true)
	var stores []*storage.Store
	for i := range n {
		st := openStore(b, filepath.Join(dir, fmt.Sprintf("s%d.db", i)), fmt.Sprintf("r%d", i), nil)
		startLive(b, st, hub, localOpts(), true)
		stores = append(stores, st)
	}
	for _, st := range stores {
		arrives(b, st, note(b, src, in, "warm up").ID, 10*time.Second)
	}
	b.ResetTimer()
	start := time.Now()
	var last string
	for i := 0; i < b.N; i++ {
		last = note(b, src, in, fmt.Sprintf("note %d", i)).ID
	}
	for _, st := range stores {
		arrives(b, st, last, time.Minute)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "notes/s")
}
