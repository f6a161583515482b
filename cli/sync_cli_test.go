package cli

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/adrg/xdg"

	ssync "github.com/sitrep-dev/sitrep/sync"
)

// as runs the CLI as another responder, with their own store.
func (c *cli) as(author string) *cli {
	return &cli{t: c.t, db: filepath.Join(c.t.TempDir(), author+".db")}
}

func (c *cli) runAs(author string, args ...string) (string, string, int) {
	c.t.Setenv("SITREP_AUTHOR", author)
	return c.run("", args...)
}

func TestCLISyncThroughSharedFile(t *testing.T) {
	alice := newCLI(t)
	bob := alice.as("bob")
	hub := filepath.Join(t.TempDir(), "team.db")

	id := strings.TrimSpace(alice.ok("declare", "--title", "Checkout 500s", "--sev", "1", "--kind", "outage"))
	alice.ok("note", "Rolled back deploy 4812")
	out := alice.ok("sync", hub)
	if !regexp.MustCompile(`^synced with .*team\.db in \d+ms: sent 3 new events, received 0\n`).MatchString(out) || !strings.Contains(out, "created the shared store") {
		t.Fatalf("alice's first sync printed:\n%s", out)
	}

	// Bob names the hub in the environment.
	t.Setenv("SITREP_REMOTE", hub)
	out, errOut, code := bob.runAs("bob@laptop", "sync")
	if code != 0 || !strings.Contains(out, "sent 0 new events, received 3") {
		t.Fatalf("bob's sync: exit %d\n%s%s", code, out, errOut)
	}
	if _, errOut, code := bob.runAs("bob@laptop", "note", "--incident", id, "Paged the DB on-call"); code != 0 {
		t.Fatal(errOut)
	}
	if _, errOut, code := bob.runAs("bob@laptop", "status", id, "mitigated"); code != 0 {
		t.Fatal(errOut)
	}

	// Alice names it in her config instead.
	t.Setenv("SITREP_REMOTE", "")
	bob.runAs("bob@laptop", "sync", hub)
	xdg.Reload() // newCLI pointed XDG_CONFIG_HOME at a temp dir
	t.Cleanup(xdg.Reload)
	cfg := configPath()
	if !strings.HasPrefix(cfg, os.Getenv("XDG_CONFIG_HOME")) {
		t.Fatalf("config path %s is outside the test's XDG_CONFIG_HOME", cfg)
	}
	if err := os.MkdirAll(filepath.Dir(cfg), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte("remote = "+hub+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SITREP_AUTHOR", "alice@laptop")
	out = alice.ok("sync")
	if !strings.Contains(out, "sent 0 new events, received 2") {
		t.Fatalf("alice's second sync:\n%s", out)
	}
	if out := alice.ok("sync"); !strings.Contains(out, ": up to date") {
		t.Fatalf("a sync with nothing new printed:\n%s", out)
	}
	aliceShow := alice.ok("show", id)
	bobShow, _, _ := bob.runAs("bob@laptop", "show", id)
	if aliceShow != bobShow {
		t.Fatalf("show differs:\nalice:\n%s\nbob:\n%s", aliceShow, bobShow)
	}
	for _, w := range []string{"Rolled back deploy 4812", "Paged the DB on-call", "mitigated"} {
		if !strings.Contains(aliceShow, w) {
			t.Errorf("show lacks %q:\n%s", w, aliceShow)
		}
	}
}

func TestCLISyncErrors(t *testing.T) {
	c := newCLI(t)
	c.ok("declare", "--title", "x", "--sev", "2", "--kind", "outage")
	t.Setenv("SITREP_REMOTE", "")
	c.fails(1, "no remote", "sync")
	missing := filepath.Join(t.TempDir(), "nope", "team.db")
	c.fails(5, "does not exist", "sync", missing)
	c.fails(1, "starts with '-'", "sync", "--", "-oProxyCommand=reboot:team.db")

	// A remote shell without sitrep, played by a stand-in for ssh.
	noSitrep := `sh -c "echo 'bash: line 1: sitrep: command not found' >&2; exit 127" fake-ssh`
	c.fails(5, "--remote-sitrep", "sync", "--ssh", noSitrep, "ops@bastion:/srv/team.db")
	c.fails(1, "unfinished quote", "sync", "--ssh", "ssh -o 'broken", "ops@bastion:/srv/team.db")

	// Offline is exit 3, so a script can tell it from a real problem.
	needTool(t, "ssh", "SITREP_REQUIRE_SSH")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	c.fails(3, "ssh could not connect", "sync", "--ssh", fmt.Sprintf("ssh -F /dev/null -p %d -o ConnectTimeout=5", port), "ops@127.0.0.1:/srv/team.db")
}

// TestCLIServeSyncRefusesGarbage feeds serve-sync bytes that are not the
// protocol: it prints its marker and hello, then stops with one line.
func TestCLIServeSyncRefusesGarbage(t *testing.T) {
	newCLI(t)
	var out, errOut bytes.Buffer
	code := Main(context.Background(), []string{"serve-sync"}, strings.NewReader("GET / HTTP/1.1\r\n\r\n"), &out, &errOut)
	if code != 1 || !strings.HasPrefix(out.String(), ssync.Marker+"\n") {
		t.Fatalf("exit %d, stdout %q", code, out.String())
	}
	if msg := errOut.String(); !strings.Contains(msg, "not the sitrep sync protocol") || strings.Count(strings.TrimRight(msg, "\n"), "\n") > 0 {
		t.Fatalf("stderr %q", msg)
	}
}
