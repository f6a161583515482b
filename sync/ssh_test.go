package sync

import (
	"context"
	"crypto/ed25519"
	crand "crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	stdsync "sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/sitrep-dev/sitrep/storage"
)

// needSSH skips without the system ssh client, unless SITREP_REQUIRE_SSH=1.
func needSSH(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("ssh"); err != nil {
		if os.Getenv("SITREP_REQUIRE_SSH") == "1" {
			t.Fatalf("ssh is required (SITREP_REQUIRE_SSH=1) but not found: %v", err)
		}
		t.Skip("ssh not installed; set SITREP_REQUIRE_SSH=1 to require it")
	}
}

// sshMode is how the in-process server behaves on its next session.
type sshMode struct {
	banner string // printed to stdout before the server starts
	exit   int    // >0: print "not found" and exit with it instead of serving
	cut    int    // >0: drop the connection after this many bytes both ways
	// kill >0: the hub's sitrep is killed after this many bytes both ways
	// (-1: before its first): its output ends and the session reports
	// the signal, with no exit status, as sshd does for a killed command.
	kill int
}

// sshServer is an SSH server in this process that runs sync.Serve on each
// session's stdio, driven by the real ssh client. It records the commands
// it was asked to run, so tests can check that no path was on them.
type sshServer struct {
	t        testing.TB
	ln       net.Listener
	port     int
	dir      string
	keyPath  string
	known    string
	mu       stdsync.Mutex
	mode     sshMode
	batches  Batches // the hub's, and the client's in opts
	commands []string
	wg       stdsync.WaitGroup
}

func newSSHServer(t testing.TB) *sshServer {
	t.Helper()
	needSSH(t)
	dir := t.TempDir()
	_, hostPriv, err := ed25519.GenerateKey(crand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	hostSigner, err := ssh.NewSignerFromKey(hostPriv)
	if err != nil {
		t.Fatal(err)
	}
	userPub, userPriv, err := ed25519.GenerateKey(crand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(userPriv, "sitrep test")
	if err != nil {
		t.Fatal(err)
	}
	s := &sshServer{t: t, dir: dir, keyPath: filepath.Join(dir, "id_ed25519"), known: filepath.Join(dir, "known_hosts")}
	if err := os.WriteFile(s.keyPath, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	sshUserPub, err := ssh.NewPublicKey(userPub)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &ssh.ServerConfig{
		PublicKeyCallback: func(_ ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
			if string(key.Marshal()) == string(sshUserPub.Marshal()) {
				return nil, nil
			}
			return nil, errors.New("unknown key")
		},
	}
	cfg.AddHostKey(hostSigner)
	s.ln, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.port = s.ln.Addr().(*net.TCPAddr).Port
	line := fmt.Sprintf("[127.0.0.1]:%d %s", s.port, ssh.MarshalAuthorizedKey(hostSigner.PublicKey()))
	if err := os.WriteFile(s.known, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	s.wg.Go(func() {
		for {
			c, err := s.ln.Accept()
			if err != nil {
				return
			}
			s.wg.Go(func() { s.handle(c, cfg) })
		}
	})
	t.Cleanup(func() {
		s.ln.Close()
		s.wg.Wait()
	})
	return s
}

// opts are sync Options that reach this server with the real ssh client
// and nothing from the user's own ssh configuration.
func (s *sshServer) opts() Options {
	s.mu.Lock()
	batches := s.batches
	s.mu.Unlock()
	return Options{Version: "test", Timeout: 20 * time.Second, Batches: batches, SSH: fmt.Sprintf(
		"ssh -F /dev/null -p %d -i '%s' -o IdentitiesOnly=yes -o UserKnownHostsFile='%s' -o StrictHostKeyChecking=yes -o GlobalKnownHostsFile=/dev/null -o LogLevel=ERROR",
		s.port, s.keyPath, s.known)}
}

func (s *sshServer) remote(path string) string { return "tester@127.0.0.1:" + path }

func (s *sshServer) setBatches(b Batches) {
	s.mu.Lock()
	s.batches = b
	s.mu.Unlock()
}

func (s *sshServer) setMode(m sshMode) {
	s.mu.Lock()
	s.mode = m
	s.mu.Unlock()
}

func (s *sshServer) lastCommand() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.commands) == 0 {
		return ""
	}
	return s.commands[len(s.commands)-1]
}

func (s *sshServer) handle(c net.Conn, cfg *ssh.ServerConfig) {
	defer c.Close()
	conn, chans, reqs, err := ssh.NewServerConn(c, cfg)
	if err != nil {
		return
	}
	defer conn.Close()
	go ssh.DiscardRequests(reqs)
	for nc := range chans {
		if nc.ChannelType() != "session" {
			nc.Reject(ssh.UnknownChannelType, "only sessions")
			continue
		}
		ch, creqs, err := nc.Accept()
		if err != nil {
			return
		}
		s.session(c, ch, creqs)
	}
}

func (s *sshServer) session(raw net.Conn, ch ssh.Channel, reqs <-chan *ssh.Request) {
	defer ch.Close()
	for req := range reqs {
		if req.Type != "exec" {
			req.Reply(req.Type == "env", nil)
			continue
		}
		var payload struct{ Command string }
		if err := ssh.Unmarshal(req.Payload, &payload); err != nil {
			req.Reply(false, nil)
			return
		}
		req.Reply(true, nil)
		go ssh.DiscardRequests(reqs)
		s.mu.Lock()
		s.commands = append(s.commands, payload.Command)
		mode, batches := s.mode, s.batches
		s.mu.Unlock()
		if mode.kill != 0 {
			if mode.kill > 0 {
				cu := &cutter{budget: mode.kill, abort: func() {}}
				Serve(context.Background(), cutReader{cu, ch}, cutWriter{cu, ch}, ServeOptions{Version: "test-hub", Timeout: 20 * time.Second, Batches: batches})
			}
			ch.SendRequest("exit-signal", false, ssh.Marshal(struct {
				Signal     string
				CoreDumped bool
				Msg, Lang  string
			}{Signal: "KILL"}))
			return
		}
		code := s.run(raw, ch, payload.Command, mode, batches)
		ch.SendRequest("exit-status", false, ssh.Marshal(struct{ Status uint32 }{uint32(code)}))
		return
	}
}

// run plays the remote shell: it runs serve-sync if that is what was
// asked for, as a login shell would find it on the PATH.
func (s *sshServer) run(raw net.Conn, ch ssh.Channel, command string, mode sshMode, batches Batches) int {
	if mode.exit > 0 {
		fmt.Fprintf(ch.Stderr(), "sh: 1: sitrep: not found\n")
		return mode.exit
	}
	if !strings.HasSuffix(command, " serve-sync") {
		fmt.Fprintf(ch.Stderr(), "sh: 1: %s: not found\n", command)
		return 127
	}
	if mode.banner != "" {
		io.WriteString(ch, mode.banner)
	}
	var r io.Reader = ch
	var w io.Writer = ch
	abort := func() { raw.Close() }
	if mode.cut > 0 {
		cu := &cutter{budget: mode.cut, abort: abort}
		r, w = cutReader{cu, r}, cutWriter{cu, w}
	}
	err := Serve(context.Background(), r, w, ServeOptions{Version: "test-hub", Timeout: 20 * time.Second, Abort: abort, Batches: batches})
	if err != nil {
		fmt.Fprintf(ch.Stderr(), "sitrep: %v\n", err)
		return 1
	}
	return 0
}

func TestSSHInProcess(t *testing.T) {
	srv := newSSHServer(t)
	dir := t.TempDir()
	odd := filepath.Join(dir, `sp ace 'q' "dq" ; $(touch pwned) `+"`touch pwned2`"+` & |`)
	if err := os.Mkdir(odd, 0o700); err != nil {
		t.Fatal(err)
	}
	hub := filepath.Join(odd, "team.db")
	a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
	b := openStore(t, filepath.Join(dir, "b.db"), "bob", nil)
	in := declare(t, a, "over ssh")
	note(t, a, in, "from alice")

	rep := mustSync(t, a, srv.remote(hub), srv.opts())
	if !rep.Created || rep.Pushed != 3 || rep.RemoteVersion != "test-hub" {
		t.Fatalf("alice: %+v", rep)
	}
	if cmd := srv.lastCommand(); cmd != "sitrep serve-sync" {
		t.Fatalf("the remote was asked to run %q; want exactly sitrep serve-sync (the path travels in the stream)", cmd)
	}
	note(t, b, mustIncidentless(t, b), "bob's own")
	rep = mustSync(t, b, srv.remote(hub), srv.opts())
	if rep.Pulled != 3 || rep.Pushed != 3 {
		t.Fatalf("bob: %+v", rep)
	}
	mustSync(t, a, srv.remote(hub), srv.opts())
	if da, db := dump(t, a), dump(t, b); da != db {
		t.Fatalf("alice and bob differ:\n%s", diffLines(da, db))
	}
	if rep := mustSync(t, b, srv.remote(hub), srv.opts()); rep.Pushed+rep.Pulled != 0 {
		t.Fatalf("second sync moved events: %+v", rep)
	}
	for _, p := range []string{"pwned", "pwned2"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
			t.Errorf("%s exists: something ran", p)
		}
	}

	// --remote-sitrep with a space is quoted for the remote shell.
	opts := srv.opts()
	opts.RemoteBin = "/opt/my tools/sitrep"
	mustSync(t, a, srv.remote(hub), opts)
	if cmd := srv.lastCommand(); cmd != "'/opt/my tools/sitrep' serve-sync" {
		t.Fatalf("remote command %q", cmd)
	}
}

// mustIncidentless declares an incident on a store that has none, for a
// responder who starts work before their first sync.
func mustIncidentless(t testing.TB, st *storage.Store) string {
	t.Helper()
	return declare(t, st, "started offline")
}

func TestSSHBanner(t *testing.T) {
	srv := newSSHServer(t)
	dir := t.TempDir()
	a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
	declare(t, a, "x")
	srv.setMode(sshMode{banner: "Welcome to bastion\n\x1b[1mAuthorised use only\x1b[0m\n"})
	rep := mustSync(t, a, srv.remote(filepath.Join(dir, "hub.db")), srv.opts())
	if !strings.Contains(rep.Banner, "Welcome to bastion") || !strings.Contains(rep.Banner, "Authorised use only") || strings.ContainsRune(rep.Banner, '\x1b') {
		t.Fatalf("banner %q", rep.Banner)
	}
	if rep.Pushed != 2 {
		t.Fatalf("%+v", rep)
	}
}

func TestSSHRemoteSitrepMissing(t *testing.T) {
	srv := newSSHServer(t)
	dir := t.TempDir()
	a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
	declare(t, a, "x")
	before := fileState(t, a.Path())
	srv.setMode(sshMode{exit: 127})
	se := syncFails(t, a, srv.remote(filepath.Join(dir, "hub.db")), srv.opts())
	if se.Kind != KindNoSitrep || !strings.Contains(se.Error(), "--remote-sitrep") {
		t.Fatalf("%v (kind %d)", se, se.Kind)
	}
	if fileState(t, a.Path()) != before {
		t.Fatal("the local store changed")
	}
	if _, err := os.Stat(filepath.Join(dir, "hub.db")); err == nil {
		t.Fatal("a hub file was made")
	}
}

func TestSSHUnreachable(t *testing.T) {
	needSSH(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close() // nothing listens there now
	dir := t.TempDir()
	a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
	declare(t, a, "x")
	opts := Options{Timeout: 10 * time.Second, SSH: fmt.Sprintf("ssh -F /dev/null -p %d -o ConnectTimeout=5", port)}
	se := syncFails(t, a, "tester@127.0.0.1:/srv/team.db", opts)
	if !se.Offline() || !strings.Contains(se.Error(), "refused") {
		t.Fatalf("%v (kind %d); want offline, with ssh's reason", se, se.Kind)
	}
}

// TestSSHCut drops the TCP connection at random points of a sync that
// pushes and pulls several batches; the next sync over ssh completes.
func TestSSHCut(t *testing.T) {
	srv := newSSHServer(t)
	srv.setBatches(smallBatches(4))
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 2))
	dir := t.TempDir()
	hub := filepath.Join(dir, "hub.db")
	a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
	b := openStore(t, filepath.Join(dir, "b.db"), "bob", nil)
	in := declare(t, a, "cut")
	mustSync(t, a, srv.remote(hub), srv.opts())
	mustSync(t, b, srv.remote(hub), srv.opts())
	rounds := 6
	if raceEnabled || testing.Short() {
		rounds = 3
	}
	for r := range rounds {
		for i := range 9 {
			note(t, a, in, fmt.Sprintf("alice %d.%d", r, i))
			note(t, b, in, fmt.Sprintf("bob %d.%d", r, i))
		}
		mustSync(t, b, srv.remote(hub), srv.opts())
		srv.setMode(sshMode{cut: 1 + rng.IntN(6000)})
		_, err := Sync(context.Background(), a, srv.remote(hub), srv.opts())
		srv.setMode(sshMode{})
		if err != nil {
			var se *Error
			if !errors.As(err, &se) || strings.ContainsRune(err.Error(), '\n') {
				t.Fatalf("round %d: %v", r, err)
			}
		}
		checkConsistent(t, a)
		mustSync(t, a, srv.remote(hub), srv.opts())
		mustSync(t, b, srv.remote(hub), srv.opts())
		h := openHub(t, hub)
		want := eventIDs(t, h)
		if len(want) != 2+(r+1)*18 {
			t.Fatalf("round %d: hub holds %d events, want %d", r, len(want), 2+(r+1)*18)
		}
		sameIDs(t, want, a, b)
		checkConsistent(t, h)
		h.Close()
	}
}

// TestSSHHubKilled: the hub's sitrep is killed before its hello, or part
// way through a sync. Neither is "ssh could not connect" or offline, and
// no Go pipe names reach the message: the hub's sitrep stopped, run sync
// again (exit 4). The next sync finishes the job.
func TestSSHHubKilled(t *testing.T) {
	srv := newSSHServer(t)
	srv.setBatches(smallBatches(4))
	dir := t.TempDir()
	hub := filepath.Join(dir, "hub.db")
	a := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
	in := declare(t, a, "killed")
	for i := range 30 {
		note(t, a, in, fmt.Sprintf("note %d", i))
	}
	for _, kill := range []int{-1, 300, 2500, 6000} {
		srv.setMode(sshMode{kill: kill})
		se := syncFails(t, a, srv.remote(hub), srv.opts())
		srv.setMode(sshMode{})
		msg := se.Error()
		t.Logf("killed after %d bytes: %s", kill, msg)
		if se.Kind != KindInterrupted || se.ExitCode() != ExitInterrupted || se.Offline() {
			t.Errorf("killed after %d bytes: kind %d, exit %d; want interrupted (exit %d): %s", kill, se.Kind, se.ExitCode(), ExitInterrupted, msg)
		}
		for _, bad := range []string{"could not connect", "|1", "|0", "broken pipe", "EOF"} {
			if strings.Contains(msg, bad) {
				t.Errorf("killed after %d bytes: %q in %s", kill, bad, msg)
			}
		}
		if !strings.Contains(msg, "hub's sitrep stopped") {
			t.Errorf("killed after %d bytes: the message does not say the hub's sitrep stopped: %s", kill, msg)
		}
	}
	mustSync(t, a, srv.remote(hub), srv.opts())
	h := openHub(t, hub)
	sameIDs(t, eventIDs(t, a), h)
	checkConsistent(t, a)
}
