package e2e

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/storage"
	"github.com/sitrep-dev/sitrep/storage/storagetest"
)

// BenchmarkStartToFrame times the built binary from exec to its first full
// frame of the biggest incident (100,000 entries) in the million-entry
// store, printed by SITREP_FRAME. Target: 150 ms. The store is built once
// per machine (minutes) and cached; -short skips it.
func BenchmarkStartToFrame(b *testing.B) {
	_, path, big := storagetest.OpenMillion(b)
	bin := buildSitrep(b)
	env := append(os.Environ(), "SITREP_DB="+path, "SITREP_AUTHOR=bench@host", "SITREP_FRAME=160x48", "SITREP_FRAME_INCIDENT="+big, "NO_COLOR=1")
	for _, c := range []struct{ name, incident string }{{"incident", big}, {"list", ""}} {
		b.Run(c.name, func(b *testing.B) {
			env := env
			if c.incident == "" {
				env = append(env, "SITREP_FRAME_INCIDENT=")
			}
			// CPU time of the child too: wall time on a shared machine
			// swings with everyone else's load.
			var cpu time.Duration
			for b.Loop() {
				cmd := exec.Command(bin)
				cmd.Env = env
				out, err := cmd.Output()
				if err != nil {
					b.Fatalf("%v: %s", err, out)
				}
				cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
				lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
				if len(lines) != 48 || (c.incident != "" && !strings.Contains(string(out), "Timeline")) {
					b.Fatalf("not a full frame (%d lines):\n%s", len(lines), out)
				}
			}
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
}

// BenchmarkSearchIndex times the cockpit list's full-text search (the
// store's Search, as the list filter calls it) on the million-entry store:
// a selective word and a common one, at the list's limit of 200.
func BenchmarkSearchIndex(b *testing.B) {
	ctx := context.Background()
	st, _, _ := storagetest.OpenMillion(b)
	for _, c := range []struct{ name, words string }{{"selective", "leaked key"}, {"common", "rollback"}, {"none", "zanzibar"}} {
		b.Run(c.name, func(b *testing.B) {
			var n int
			for b.Loop() {
				hits, err := st.Search(ctx, c.words, storage.SearchFilter{Limit: 200})
				if err != nil {
					b.Fatal(err)
				}
				n = len(hits)
			}
			b.ReportMetric(float64(n), "incidents")
		})
	}
}
