package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/storage"
	"github.com/sitrep-dev/sitrep/storage/storagetest"
	ssync "github.com/sitrep-dev/sitrep/sync"
)

// BenchmarkSSHDFirstPull: a new store's first sync pulls a 100,000-event
// hub over real sshd on loopback, the built binary serving; beside it, the
// baseline: scp of the hub's file with the same options. Goal: pull-ms
// within 3x scp-ms.
func BenchmarkSSHDFirstPull(b *testing.B) {
	if testing.Short() {
		b.Skip("copies a 100,000-event store")
	}
	srv := startSSHD(b)
	bin := buildSitrep(b)
	ctx := context.Background()
	dir := b.TempDir()
	hub := storagetest.CachedCopy(b, storagetest.Spec{Incidents: 1000, Entries: 100000, Big: 1000, Seed: 7})
	opts := ssync.Options{SSH: srv.sshOpts, RemoteBin: bin, Timeout: 5 * time.Minute}
	// scp takes the same options but names the port -P.
	words := strings.Fields(srv.sshOpts)[1:]
	for i, w := range words {
		if w == "-p" {
			words[i] = "-P"
		}
	}
	// -O: the scp protocol; this sshd serves no sftp subsystem.
	scp := append(words, "-O", "-q", fmt.Sprintf("%s@127.0.0.1:%s", srv.user, hub), filepath.Join(dir, "copy.db"))
	var pulled, copied time.Duration
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		start := time.Now()
		if out, err := exec.Command("scp", scp...).CombinedOutput(); err != nil {
			b.Fatalf("scp: %v\n%s", err, out)
		}
		copied += time.Since(start)
		os.Remove(filepath.Join(dir, "copy.db"))
		st, err := storage.Open(ctx, filepath.Join(dir, fmt.Sprintf("new%d.db", i)), storage.Options{Author: "new@laptop"})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start = time.Now()
		rep, err := ssync.Sync(ctx, st, srv.remote(hub), opts)
		pulled += time.Since(start)
		b.StopTimer()
		if err != nil || rep.Pulled < 100000 {
			b.Fatalf("pulled %d: %v", rep.Pulled, err)
		}
		st.Close()
		os.Remove(st.Path())
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(float64(pulled.Milliseconds())/float64(b.N), "pull-ms")
	b.ReportMetric(float64(copied.Milliseconds())/float64(b.N), "scp-ms")
	b.ReportMetric(pulled.Seconds()/copied.Seconds(), "pull/scp")
}
