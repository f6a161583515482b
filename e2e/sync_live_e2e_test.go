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

// hubCPU reads the CPU time, in nanoseconds, of every running
// 'bin serve-sync' process (the hub's side of each session) and of the sshd
// processes that carry each one (its ancestors that an sshd started, so
// not the listening sshd itself).
func hubCPU(bin string) (serve, carry map[string]int64) {
	serve, carry = map[string]int64{}, map[string]int64{}
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		cmd, err := os.ReadFile(filepath.Join(d, "cmdline"))
		if err != nil || string(cmd) != bin+"\x00serve-sync\x00" {
			continue
		}
		serve[d] = procCPU(d)
		for p := parentProc(d); isSSHD(p) && isSSHD(parentProc(p)); p = parentProc(p) {
			carry[p] = procCPU(p)
		}
	}
	return serve, carry
}

// procCPU is the scheduler's own count of nanoseconds a process has run,
// summed over its threads: exact, where utime and stime are sampled at the
// clock tick, and a process woken by a timer tends to be running just when
// the tick lands, so a few short wakes can read as whole 10 ms ticks.
func procCPU(dir string) int64 {
	tasks, _ := filepath.Glob(filepath.Join(dir, "task", "[0-9]*", "schedstat"))
	var ns int64
	for _, task := range tasks {
		st, err := os.ReadFile(task)
		if err != nil {
			continue
		}
		if f := strings.Fields(string(st)); len(f) > 0 {
			v, _ := strconv.ParseInt(f[0], 10, 64)
			ns += v
		}
	}
	return ns
}

// parentProc is the /proc directory of dir's parent process ("" if gone).
func parentProc(dir string) string {
	stat, err := os.ReadFile(filepath.Join(dir, "stat"))
	if err != nil {
		return ""
	}
	// Fields after the command name, which is in parentheses.
	f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+2:]))
	if len(f) < 2 {
		return ""
	}
	return "/proc/" + f[1]
}

// isSSHD: sshd, or OpenSSH 9.8's sshd-session and sshd-auth.
func isSSHD(dir string) bool {
	comm, err := os.ReadFile(filepath.Join(dir, "comm"))
	return err == nil && strings.HasPrefix(string(comm), "sshd")
}

// windowCPU is what the processes in before and after used between the
// two readings; a process in before and gone from after fails the test.
func windowCPU(t *testing.T, what string, before, after map[string]int64) time.Duration {
	var ns int64
	for pid, v := range before {
		w, ok := after[pid]
		if !ok {
			t.Fatalf("%s %s ended during the quiet window (a session dropped)", what, pid)
		}
		ns += w - v
		if os.Getenv("SITREP_LIVE_IDLE_DEBUG") != "" && w > v {
			t.Logf("%s %s: %s in the window", what, pid, time.Duration(w-v))
		}
	}
	return time.Duration(ns)
}

// TestE2ELiveIdleOverSSHD: 50 idle 'sync --watch' sessions over real
// OpenSSH on one hub, and what their 50 serve-sync processes, and the sshd
// processes carrying them, use together over 20 s. The figures are
// reported (0.3% of one core for the serve-syncs on a quiet 2-core
// machine; the 1% target is held by TestLiveIdleCost in one process,
// where nothing else is counted); this test fails at 10%, where a session
// that polls or wakes in a loop lands (an early build measured 12-14%),
// since a machine busy with other work slows every wake. Slow to set up
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
	// Every login wrote the hub (its sync cursors), and each write sets
	// every session looking for about 18 s (lookAfter); idle is after.
	time.Sleep(20 * time.Second)
	before, carryBefore := hubCPU(bin)
	if len(before) != n {
		t.Fatalf("%d serve-sync processes, want %d", len(before), n)
	}
	const window = 20 * time.Second
	time.Sleep(window)
	after, carryAfter := hubCPU(bin)
	used := windowCPU(t, "serve-sync", before, after)
	sshd := windowCPU(t, "sshd", carryBefore, carryAfter)
	share := float64(used) / float64(window) * 100
	t.Logf("%d idle live sessions over sshd: their serve-sync processes used %s CPU in %s = %.2f%% of one core; with their %d sshd processes, %s = %.2f%%",
		n, used.Round(time.Microsecond), window, share, len(carryBefore), (used + sshd).Round(time.Microsecond), float64(used+sshd)/float64(window)*100)
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
