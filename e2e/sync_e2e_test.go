package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
	ssync "github.com/sitrep-dev/sitrep/sync"
)

// sitrepRun runs the built binary as one responder with their own store.
type sitrepRun struct {
	t   testing.TB
	bin string
	db  string
	env []string
}

func newResponder(t testing.TB, bin, dir, author string) *sitrepRun {
	return &sitrepRun{t: t, bin: bin, db: filepath.Join(dir, author+".db"), env: append(os.Environ(),
		"SITREP_AUTHOR="+author, "SITREP_DB=", "SITREP_REMOTE=", "SITREP_SSH=", "XDG_CONFIG_HOME="+filepath.Join(dir, "config-"+author))}
}

func (r *sitrepRun) run(args ...string) (string, string, int) {
	cmd := exec.Command(r.bin, append([]string{"--db", r.db}, args...)...)
	cmd.Env = r.env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		r.t.Fatalf("run %s: %v", r.bin, err)
	}
	return out.String(), errOut.String(), code
}

func (r *sitrepRun) ok(args ...string) string {
	r.t.Helper()
	out, errOut, code := r.run(args...)
	if code != 0 {
		r.t.Fatalf("sitrep %s: exit %d: %s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// sshd is OpenSSH's server on loopback with a config, keys and
// authorized_keys of its own, stopped by its own PID.
type sshd struct {
	port    int
	user    string
	sshOpts string // the --ssh value that reaches it
	log     *bytes.Buffer
}

func startSSHD(t testing.TB) *sshd {
	t.Helper()
	needTool(t, "/usr/sbin/sshd", "SITREP_REQUIRE_SSHD")
	needTool(t, "ssh", "SITREP_REQUIRE_SSH")
	needTool(t, "ssh-keygen", "SITREP_REQUIRE_SSHD")
	if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
		if os.Getenv("SITREP_REQUIRE_SSHD") == "1" {
			t.Fatalf("sshd needs /run/sshd: %v", err)
		}
		t.Skipf("sshd needs /run/sshd: %v", err)
	}
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, k := range []string{"host_key", "id_ed25519"} {
		if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "sitrep-test", "-f", filepath.Join(dir, k)).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v\n%s", err, out)
		}
	}
	pub, err := os.ReadFile(filepath.Join(dir, "id_ed25519.pub"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "authorized_keys"), pub, 0o600); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	hostPub, err := os.ReadFile(filepath.Join(dir, "host_key.pub"))
	if err != nil {
		t.Fatal(err)
	}
	known := filepath.Join(dir, "known_hosts")
	if err := os.WriteFile(known, fmt.Appendf(nil, "[127.0.0.1]:%d %s", port, hostPub), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "sshd_config")
	conf := fmt.Sprintf(`Port %d
ListenAddress 127.0.0.1
HostKey %s
PidFile %s
AuthorizedKeysFile %s
UsePAM no
StrictModes no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin yes
AllowUsers %s
PrintMotd no
LogLevel VERBOSE
`, port, filepath.Join(dir, "host_key"), filepath.Join(dir, "sshd.pid"), filepath.Join(dir, "authorized_keys"), u.Username)
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	s := &sshd{port: port, user: u.Username, log: &bytes.Buffer{}}
	cmd := exec.Command("/usr/sbin/sshd", "-D", "-e", "-f", cfg)
	cmd.Stdout, cmd.Stderr = s.log, s.log
	if err := cmd.Start(); err != nil {
		t.Fatalf("start sshd: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill() // its own PID, nothing else
		cmd.Wait()
		if t.Failed() {
			t.Logf("sshd log:\n%s", s.log.String())
		}
	})
	s.sshOpts = fmt.Sprintf("ssh -F /dev/null -p %d -i %s -o IdentitiesOnly=yes -o UserKnownHostsFile=%s -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o LogLevel=ERROR",
		port, filepath.Join(dir, "id_ed25519"), known)
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("sshd did not listen on %d: %v\n%s", port, err, s.log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return s
}

func (s *sshd) remote(path string) string { return fmt.Sprintf("%s@127.0.0.1:%s", s.user, path) }

// TestE2ESyncOverSSHD: two responders with the real binary at both ends
// of real OpenSSH. They write notes while apart, sync, and then show the
// same incident the same way.
func TestE2ESyncOverSSHD(t *testing.T) {
	srv := startSSHD(t)
	bin := buildSitrep(t)
	dir := t.TempDir()
	hubDir := filepath.Join(dir, `hub dir 'q' ; $(touch pwned)`)
	if err := os.Mkdir(hubDir, 0o700); err != nil {
		t.Fatal(err)
	}
	hub := srv.remote(filepath.Join(hubDir, "team.db"))
	alice := newResponder(t, bin, dir, "alice@laptop")
	bob := newResponder(t, bin, dir, "bob@laptop")
	syncArgs := func(who *sitrepRun) string {
		return who.ok("sync", "--ssh", srv.sshOpts, "--remote-sitrep", bin, hub)
	}

	id := strings.TrimSpace(alice.ok("declare", "--title", "Checkout 500s", "--sev", "1", "--kind", "outage"))
	alice.ok("note", "Rolled back deploy 4812")
	if out := syncArgs(alice); !strings.Contains(out, "sent 3 new events, received 0") || !strings.Contains(out, "created the shared store") {
		t.Fatalf("alice's first sync:\n%s", out)
	}
	if out := syncArgs(bob); !strings.Contains(out, "received 3") {
		t.Fatalf("bob's first sync:\n%s", out)
	}
	// Apart: each writes.
	alice.ok("note", "--incident", id, "Error rate down to 2%")
	bob.ok("note", "--incident", id, "Paged the database on-call")
	bob.ok("status", id, "mitigated")
	syncArgs(alice)
	if out := syncArgs(bob); !strings.Contains(out, "sent 2 new events, received 1") {
		t.Fatalf("bob's second sync:\n%s", out)
	}
	if out := syncArgs(alice); !strings.Contains(out, "received 2") {
		t.Fatalf("alice's last sync:\n%s", out)
	}
	if out := syncArgs(alice); !regexp.MustCompile(`: up to date\n`).MatchString(out) {
		t.Fatalf("a sync with nothing new:\n%s", out)
	}
	as, bs := alice.ok("show", id), bob.ok("show", id)
	if as != bs {
		t.Fatalf("show differs:\nalice:\n%s\nbob:\n%s", as, bs)
	}
	for _, w := range []string{"Rolled back deploy 4812", "Error rate down to 2%", "Paged the database on-call", "mitigated"} {
		if !strings.Contains(as, w) {
			t.Errorf("show lacks %q:\n%s", w, as)
		}
	}
	if _, err := os.Stat(filepath.Join(hubDir, "team.db")); err != nil {
		t.Fatalf("the hub is not at its path: %v", err)
	}
	home, _ := os.UserHomeDir()
	for _, p := range []string{"pwned", filepath.Join(home, "pwned"), filepath.Join(hubDir, "pwned")} {
		if _, err := os.Stat(p); err == nil {
			t.Fatalf("%s exists: something ran on the remote", p)
		}
	}
	for _, who := range []*sitrepRun{alice, bob} {
		who.ok("verify")
	}

	// No sitrep at the given path: exit 127 from the remote shell.
	out, errOut, code := alice.run("sync", "--ssh", srv.sshOpts, "--remote-sitrep", "/nonexistent/sitrep", hub)
	if code != 5 || !strings.Contains(errOut, "--remote-sitrep") || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
		t.Fatalf("missing remote sitrep: exit %d\n%s%s", code, out, errOut)
	}
}

// TestE2ESyncThroughAShell runs the real binary at both ends through a
// stand-in for ssh that hands the remote command to sh, as sshd does,
// after printing a login banner. It needs neither ssh nor sshd.
func TestE2ESyncThroughAShell(t *testing.T) {
	bin := buildSitrep(t)
	dir := t.TempDir()
	fake := filepath.Join(dir, "fake-ssh")
	// Drop ssh's options and the host; run the last word in a shell.
	script := "#!/bin/sh\nwhile [ $# -gt 1 ]; do shift; done\necho 'Welcome to the bastion'\nprintf 'no newline here'\nexec sh -c \"$1\"\n"
	if err := os.WriteFile(fake, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	hub := "ops@bastion:" + filepath.Join(dir, "team $(touch pwned).db")
	alice := newResponder(t, bin, dir, "alice@laptop")
	bob := newResponder(t, bin, dir, "bob@laptop")
	id := strings.TrimSpace(alice.ok("declare", "--title", "Shell", "--sev", "3", "--kind", "outage"))
	out, errOut, code := alice.run("sync", "--ssh", fake, "--remote-sitrep", bin, hub)
	if code != 0 || !strings.Contains(out, "sent 2 new events") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "Welcome to the bastion") || !strings.Contains(errOut, "no newline here") {
		t.Fatalf("the banner was not reported: %q", errOut)
	}
	bob.ok("sync", "--ssh", fake, "--remote-sitrep", bin, hub)
	if a, b := alice.ok("show", id), bob.ok("show", id); a != b {
		t.Fatalf("show differs:\n%s\n%s", a, b)
	}
	if _, err := os.Stat(filepath.Join(dir, "pwned")); err == nil {
		t.Fatal("the path ran a command")
	}
}

// BenchmarkSSHDIncrementalSync: 100 new events each way over real sshd on
// loopback, the built binary serving; compare with BenchmarkSSHDTrue, a
// bare `ssh host true` with the same options.
func BenchmarkSSHDIncrementalSync(b *testing.B) {
	srv := startSSHD(b)
	bin := buildSitrep(b)
	ctx := context.Background()
	dir := b.TempDir()
	remote := srv.remote(filepath.Join(dir, "team.db"))
	opts := ssync.Options{SSH: srv.sshOpts, RemoteBin: bin, Timeout: time.Minute}
	open := func(name string) (*storage.Store, string) {
		st, err := storage.Open(ctx, filepath.Join(dir, name+".db"), storage.Options{Author: name})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		ev, err := st.Append(ctx, model.Change{Kind: model.EventDeclared, Payload: model.DeclaredPayload{Title: name, Kind: "outage", Severity: model.SEV2, Status: model.StatusInvestigating}})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ssync.Sync(ctx, st, remote, opts); err != nil {
			b.Fatal(err)
		}
		return st, ev.IncidentID
	}
	alice, ai := open("alice")
	carol, ci := open("carol")
	if _, err := ssync.Sync(ctx, alice, remote, opts); err != nil { // carol's incident
		b.Fatal(err)
	}
	notes := func(st *storage.Store, in string) {
		for j := range 100 {
			if _, err := st.Append(ctx, model.Change{IncidentID: in, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: fmt.Sprintf("note %d: checked the load balancer", j)}}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		notes(alice, ai)
		notes(carol, ci)
		if _, err := ssync.Sync(ctx, carol, remote, opts); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := ssync.Sync(ctx, alice, remote, opts)
		if err != nil || rep.Pushed != 100 || rep.Pulled != 100 {
			b.Fatalf("moved %d/%d: %v", rep.Pushed, rep.Pulled, err)
		}
	}
}

func BenchmarkSSHDTrue(b *testing.B) {
	srv := startSSHD(b)
	words := strings.Fields(srv.sshOpts)
	args := append(words[1:], "-T", "-e", "none", "-o", "BatchMode=yes", fmt.Sprintf("%s@127.0.0.1", srv.user), "true")
	b.ResetTimer()
	for range b.N {
		if out, err := exec.Command(words[0], args...).CombinedOutput(); err != nil {
			b.Fatalf("ssh true: %v\n%s", err, out)
		}
	}
}

// TestE2ETenProcessesAtOnce: ten sitrep processes sync the same shared
// file at the same moment, each with notes of its own, through the local
// file transport. No "database is locked" reaches anyone, and after one
// more round everyone holds every note.
func TestE2ETenProcessesAtOnce(t *testing.T) {
	bin := buildSitrep(t)
	dir := t.TempDir()
	hub := filepath.Join(dir, "team.db")
	var rs []*sitrepRun
	for i := range 10 {
		r := newResponder(t, bin, dir, fmt.Sprintf("responder%d@laptop", i))
		id := strings.TrimSpace(r.ok("declare", "--title", fmt.Sprintf("incident %d", i), "--sev", "3", "--kind", "outage"))
		for j := range 3 {
			r.ok("note", "--incident", id, fmt.Sprintf("responder %d note %d", i, j))
		}
		rs = append(rs, r)
	}
	for round := range 2 {
		errs := make(chan string, len(rs))
		created := make(chan bool, len(rs))
		start := make(chan struct{})
		for _, r := range rs {
			go func() {
				<-start
				out, errOut, code := r.run("sync", hub)
				created <- strings.Contains(out, "created the shared store")
				if code != 0 {
					errs <- fmt.Sprintf("exit %d: %s%s", code, out, errOut)
					return
				}
				errs <- ""
			}()
		}
		close(start)
		// Every process is waited for before failing, so none is still
		// writing in the test's folder when it is removed.
		creators, failed := 0, ""
		for range rs {
			if e := <-errs; e != "" && failed == "" {
				failed = e
			}
			if <-created {
				creators++
			}
		}
		if failed != "" {
			t.Fatalf("round %d: %s", round, failed)
		}
		// Ten first syncs raced to make the hub: one of them made it.
		if want := map[int]int{0: 1, 1: 0}[round]; creators != want {
			t.Fatalf("round %d: %d syncs said they created the shared store, want %d", round, creators, want)
		}
	}
	rs[0].ok("sync", hub) // may have pushed before the last ones
	for _, r := range rs[1:] {
		r.ok("sync", hub)
	}
	age := regexp.MustCompile(`  \d+[smhd] +`) // the AGE column moves on while we look
	ls := func(r *sitrepRun) string { return age.ReplaceAllString(r.ok("ls"), "  ") }
	want := ls(rs[0])
	for i, r := range rs {
		if got := ls(r); got != want {
			t.Fatalf("responder %d lists:\n%s\nresponder 0:\n%s", i, got, want)
		}
	}
	if n := strings.Count(strings.TrimSpace(want), "\n"); n < 10 {
		t.Fatalf("ls shows %d lines:\n%s", n+1, want)
	}
}
