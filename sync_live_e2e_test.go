package main

import (
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
