package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// cliRun is one run of a child process: its wall and CPU time.
type cliRun struct{ wall, cpu time.Duration }

func runTimed(b *testing.B, env []string, name string, args ...string) cliRun {
	b.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = env
	start := time.Now()
	out, err := cmd.CombinedOutput()
	wall := time.Since(start)
	if err != nil {
		b.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return cliRun{wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
}

// medianMs is the median of a field of runs in milliseconds: on a shared
// machine a few runs land behind someone else's burst, and the median
// ignores them where the mean would not.
func medianMs(runs []cliRun, field func(cliRun) time.Duration) float64 {
	d := make([]time.Duration, len(runs))
	for i, r := range runs {
		d[i] = field(r)
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return float64(d[len(d)/2].Microseconds()) / 1000
}

func wallOf(r cliRun) time.Duration { return r.wall }
func cpuOf(r cliRun) time.Duration  { return r.cpu }

// BenchmarkCLINote times 'sitrep note' from a shell beside the sqlite3
// shell inserting one row durably into the same store (WAL,
// synchronous=FULL, as sitrep writes), run in turns so both see the same
// load. Goal: note within 1.5x of sqlite3 (ratio metric). Both processes
// open the store, parse its schema, commit with an fsync and, as the last
// connection, checkpoint on close; the difference is what sitrep does
// around that. A third program, testdata/sqlitefloor, does the sqlite3
// insert in Go through modernc.org/sqlite (the design card's pure-Go
// SQLite): its time is the floor of any Go program on this stack, and
// floor-ratio is sitrep's own share. Needs the sqlite3 shell (.ci/run
// installs it).
func BenchmarkCLINote(b *testing.B) {
	sqlite3 := needTool(b, "sqlite3", "SITREP_REQUIRE_E2E")
	bin := buildSitrep(b)
	dir := b.TempDir()
	db := filepath.Join(dir, "sitrep.db")
	env := append(os.Environ(), "SITREP_DB="+db, "SITREP_AUTHOR=bench@host", "XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "NO_COLOR=1")
	runTimed(b, env, bin, "declare", "--title", "Checkout 500s", "--sev", "2")
	for i := range 50 {
		runTimed(b, env, bin, "note", fmt.Sprintf("Warm-up note %d: error rate 4%% on web-%d", i, i%7))
		if i == 20 && testing.Short() {
			break
		}
	}
	// The sqlite3 rows go to a table of their own, so sitrep's log and
	// chains stay whole.
	runTimed(b, env, sqlite3, db, "CREATE TABLE bench_notes(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, body TEXT NOT NULL)")

	floorBin := filepath.Join(dir, "sqlitefloor")
	if out, err := exec.Command("go", "build", "-o", floorBin, "./testdata/sqlitefloor").CombinedOutput(); err != nil {
		b.Fatalf("build sqlitefloor: %v\n%s", err, out)
	}

	var note, lite, floor []cliRun
	i := 0
	for b.Loop() {
		i++
		text := fmt.Sprintf("Rolled back deploy %d on web-%d", 4800+i, i%7)
		note = append(note, runTimed(b, env, bin, "note", text))
		lite = append(lite, runTimed(b, env, sqlite3, db,
			fmt.Sprintf("PRAGMA synchronous=FULL; INSERT INTO bench_notes(at, body) VALUES (%d, '%s')", time.Now().UnixMilli(), text)))
		floor = append(floor, runTimed(b, env, floorBin, db, text))
	}
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(medianMs(note, wallOf), "note-ms")
	b.ReportMetric(medianMs(lite, wallOf), "sqlite3-ms")
	b.ReportMetric(medianMs(floor, wallOf), "go-floor-ms")
	b.ReportMetric(medianMs(note, wallOf)/medianMs(lite, wallOf), "ratio")
	b.ReportMetric(medianMs(note, wallOf)/medianMs(floor, wallOf), "floor-ratio")
	b.ReportMetric(medianMs(note, cpuOf), "note-cpu-ms")
	b.ReportMetric(medianMs(lite, cpuOf), "sqlite3-cpu-ms")
}

// BenchmarkCLIHelp times 'sitrep --help': the cost of starting sitrep at
// all (package initialisers, building the command tree) before any work.
func BenchmarkCLIHelp(b *testing.B) {
	bin := buildSitrep(b)
	dir := b.TempDir()
	env := append(os.Environ(), "XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "SITREP_DB="+filepath.Join(dir, "sitrep.db"))
	var runs []cliRun
	for b.Loop() {
		runs = append(runs, runTimed(b, env, bin, "--help"))
	}
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(medianMs(runs, wallOf), "wall-ms")
	b.ReportMetric(medianMs(runs, cpuOf), "cpu-ms")
}
