package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// watcher is 'sitrep sync --watch' running as one responder.
type watcher struct {
	cmd *exec.Cmd
	out string // its stdout, a file
}

func startWatch(t *testing.T, r *sitrepRun, args ...string) *watcher {
	t.Helper()
	w := &watcher{out: r.db + ".watch"}
	f, err := os.Create(w.out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w.cmd = exec.Command(r.bin, append([]string{"--db", r.db, "sync", "--watch"}, args...)...)
	w.cmd.Env, w.cmd.Stdout, w.cmd.Stderr = r.env, f, f
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if w.cmd.ProcessState == nil {
			w.cmd.Process.Kill()
			w.cmd.Wait()
		}
	})
	return w
}

func (w *watcher) output() string {
	b, _ := os.ReadFile(w.out)
	return string(b)
}

// waitOutput waits until the output holds want n times.
func (w *watcher) waitOutput(t *testing.T, want string, n int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for strings.Count(w.output(), want) < n {
		if time.Now().After(deadline) {
			t.Fatalf("sync --watch did not print %q %d times:\n%s", want, n, w.output())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// children lists the PIDs whose parent is pid.
func children(pid int) []int {
	var out []int
	tasks, _ := filepath.Glob(filepath.Join("/proc", strconv.Itoa(pid), "task", "*", "children"))
	for _, f := range tasks {
		b, _ := os.ReadFile(f)
		for _, s := range strings.Fields(string(b)) {
			if n, err := strconv.Atoi(s); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

// TestE2ELiveOverSSHD: two 'sitrep sync --watch' over real OpenSSH, each
// one ssh process for the whole session. A note made with 'sitrep note'
// in one store is in the other within 2 s; killing one side's ssh cuts the
// link, which comes back by itself with what was written meanwhile; SIGTERM
// ends both cleanly.
func TestE2ELiveOverSSHD(t *testing.T) {
	srv := startSSHD(t)
	bin := buildSitrep(t)
	dir := t.TempDir()
	hub := srv.remote(filepath.Join(dir, "team.db"))
	alice := newResponder(t, bin, dir, "alice@laptop")
	bob := newResponder(t, bin, dir, "bob@laptop")
	id := strings.TrimSpace(alice.ok("declare", "--title", "Disk full on db-3", "--sev", "2", "--kind", "outage"))
	alice.ok("sync", "--ssh", srv.sshOpts, "--remote-sitrep", bin, hub)
	wa := startWatch(t, alice, "--ssh", srv.sshOpts, "--remote-sitrep", bin, hub)
	wb := startWatch(t, bob, "--ssh", srv.sshOpts, "--remote-sitrep", bin, hub)
	wa.waitOutput(t, "live with", 1)
	wb.waitOutput(t, "live with", 1)

	shows := func(who *sitrepRun, text string, within time.Duration) time.Duration {
		t.Helper()
		start := time.Now()
		for {
			if out, _, code := who.run("show", id); code == 0 && strings.Contains(out, text) {
				return time.Since(start)
			}
			if time.Since(start) > within {
				t.Fatalf("%q not in %s's store within %s", text, who.db, within)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	alice.ok("note", "--incident", id, "Freed 40 GB of old WAL segments")
	t.Logf("alice → bob over sshd: %s", shows(bob, "Freed 40 GB", 2*time.Second))
	bob.ok("note", "--incident", id, "Raised the disk alert threshold")
	t.Logf("bob → alice over sshd: %s", shows(alice, "Raised the disk alert", 2*time.Second))

	// Cut alice's link: kill her ssh (the only child of her sync --watch).
	kids := children(wa.cmd.Process.Pid)
	if len(kids) != 1 {
		t.Fatalf("sync --watch runs %d children, want one ssh", len(kids))
	}
	if err := syscall.Kill(kids[0], syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	bob.ok("note", "--incident", id, "Written while alice was cut off")
	wa.waitOutput(t, "reconnecting in", 1)
	wa.waitOutput(t, "live with", 2)
	shows(alice, "Written while alice was cut off", 5*time.Second)

	for _, w := range []*watcher{wa, wb} {
		w.cmd.Process.Signal(syscall.SIGTERM)
		if err := w.cmd.Wait(); err != nil {
			t.Fatalf("sync --watch after SIGTERM: %v\n%s", err, w.output())
		}
		if !strings.Contains(w.output(), "stopped") {
			t.Fatalf("no goodbye:\n%s", w.output())
		}
	}
	t.Logf("alice's watch:\n%s", wa.output())
	alice.ok("verify")
	bob.ok("verify")
}

// serveSyncCPU reads the CPU time (clock ticks, 1/100 s) of every running
// 'bin serve-sync' process (the hub's side of each session) from
// /proc/<pid>/stat.
func serveSyncCPU(bin string) map[string]int64 {
	out := map[string]int64{}
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		cmd, err := os.ReadFile(filepath.Join(d, "cmdline"))
		if err != nil || string(cmd) != bin+"\x00serve-sync\x00" {
			continue
		}
		stat, err := os.ReadFile(filepath.Join(d, "stat"))
		if err != nil {
			continue
		}
		// Fields after the command name, which is in parentheses.
		f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+2:]))
		ut, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		out[d] = ut + st
	}
	return out
}

// TestE2ELiveIdleOverSSHD: 50 idle 'sync --watch' sessions over real
// OpenSSH on one hub, and what their 50 serve-sync processes use together
// over 20 s. The figure is reported (0.7% of one core measured on a quiet
// 2-core machine; the 1% target is held by TestLiveIdleCost in one process,
// where nothing else is counted); this test fails at 10%, where a session
// that polls or wakes in a loop lands (an early build measured 12-14%),
// since on a machine busy with other work the kernel's per-process CPU
// accounting of 50 processes reads several times higher. Slow to set up
// (50 ssh logins): it runs when SITREP_LIVE_IDLE_SSHD=1.
func TestE2ELiveIdleOverSSHD(t *testing.T) {
	if os.Getenv("SITREP_LIVE_IDLE_SSHD") != "1" {
		t.Skip("set SITREP_LIVE_IDLE_SSHD=1 to measure 50 idle live sessions over sshd")
	}
	srv := startSSHD(t)
	bin := buildSitrep(t)
	dir := t.TempDir()
	hub := srv.remote(filepath.Join(dir, "team.db"))
	first := newResponder(t, bin, dir, "r0")
	id := strings.TrimSpace(first.ok("declare", "--title", "Idle hub", "--sev", "3", "--kind", "outage"))
	first.ok("sync", "--ssh", srv.sshOpts, "--remote-sitrep", bin, hub)
	n := 50
	if v, err := strconv.Atoi(os.Getenv("SITREP_LIVE_IDLE_SESSIONS")); err == nil && v > 1 {
		n = v
	}
	var ws []*watcher
	for i := range n {
		r := newResponder(t, bin, dir, fmt.Sprintf("r%d", i))
		w := startWatch(t, r, "--ssh", srv.sshOpts, "--remote-sitrep", bin, hub)
		if i%5 == 4 {
			w.waitOutput(t, "live with", 1) // sshd admits a few logins at a time
		}
		ws = append(ws, w)
	}
	for _, w := range ws {
		w.waitOutput(t, "live with", 1)
	}
	time.Sleep(3 * time.Second)
	before := serveSyncCPU(bin)
	if len(before) != n {
		t.Fatalf("%d serve-sync processes, want %d", len(before), n)
	}
	const window = 20 * time.Second
	time.Sleep(window)
	after := serveSyncCPU(bin)
	var ticks int64
	for pid, v := range before {
		w, ok := after[pid]
		if !ok {
			t.Fatalf("serve-sync %s ended during the quiet window (a session dropped)", pid)
		}
		ticks += w - v
		if os.Getenv("SITREP_LIVE_IDLE_DEBUG") != "" && w > v {
			st, _ := os.ReadFile(filepath.Join(pid, "status"))
			var sw string
			for _, l := range strings.Split(string(st), "\n") {
				if strings.Contains(l, "ctxt_switches") {
					sw += " " + strings.Join(strings.Fields(l), " ")
				}
			}
			t.Logf("%s: %d ticks in the window;%s", pid, w-v, sw)
		}
	}
	used := time.Duration(ticks) * 10 * time.Millisecond
	share := float64(used) / float64(window) * 100
	t.Logf("%d idle live sessions over sshd: their serve-sync processes used %s CPU in %s = %.2f%% of one core", n, used, window, share)
	if share >= 10 {
		t.Fatalf("idle sessions use %.2f%% of a core: something polls or wakes in a loop", share)
	}
	first.ok("note", "--incident", id, "to everyone")
	start := time.Now()
	for _, w := range ws[1:] {
		w.waitOutput(t, "received 1 event", 1)
	}
	t.Logf("one note reached all %d sessions over sshd in %s", n-1, time.Since(start).Round(time.Millisecond))
	for _, w := range ws {
		w.cmd.Process.Signal(syscall.SIGTERM)
		w.cmd.Wait()
	}
}
