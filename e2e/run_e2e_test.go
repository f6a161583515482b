package e2e

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// runEnv is a store of its own with one incident declared, for the real
// binary.
func runEnv(t *testing.T) (bin string, env []string, db string) {
	t.Helper()
	bin = buildSitrep(t)
	dir := t.TempDir()
	db = filepath.Join(dir, "sitrep.db")
	env = append(os.Environ(), "SITREP_DB="+db, "SITREP_AUTHOR=rita@run", "XDG_CONFIG_HOME="+filepath.Join(dir, "config"))
	cmd := exec.Command(bin, "declare", "--title", "Checkout 500s", "--sev", "2", "--kind", "outage")
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("declare: %v\n%s", err, out)
	}
	return bin, env, db
}

// storedEvidence reads the evidence entries of the store's one incident.
func storedEvidence(t *testing.T, db string) []storage.Evidence {
	t.Helper()
	ctx := context.Background()
	st, err := storage.Open(ctx, db, storage.Options{Author: "reader"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	in, err := st.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := st.Evidence(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// TestRunRecordsEvidence: the real binary, stdin not a terminal: the
// command's output passes through as written, sitrep exits with the
// command's status, and the entry holds the output without its colours.
func TestRunRecordsEvidence(t *testing.T) {
	bin, env, db := runEnv(t)
	cmd := exec.Command(bin, "run", "--", "sh", "-c", `printf "\033[31mred\n"; echo to-stderr >&2; exit 3`)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if code := exitCode(cmd.Run()); code != 3 {
		t.Fatalf("exit %d, want 3; stderr %q", code, stderr.String())
	}
	if stdout.String() != "\x1b[31mred\n" {
		t.Errorf("stdout %q: the command's output should pass through as written", stdout.String())
	}
	if !strings.Contains(stderr.String(), "to-stderr") || !strings.Contains(stderr.String(), "exit 3 (recorded on") {
		t.Errorf("stderr %q", stderr.String())
	}
	ev := storedEvidence(t, db)
	if len(ev) != 1 {
		t.Fatalf("%d entries, want 1", len(ev))
	}
	e := ev[0]
	if e.Exit != 3 || e.Command != `sh -c 'printf "\033[31mred\n"; echo to-stderr >&2; exit 3'` || e.Author != "rita@run" || e.Host == "" || e.Dir == "" {
		t.Errorf("entry %+v", e)
	}
	if !strings.Contains(e.Output, "red\n") || !strings.Contains(e.Output, "to-stderr\n") || strings.Contains(e.Output, "\x1b") {
		t.Errorf("output %q: want red and to-stderr, no escape", e.Output)
	}
}

// TestRunOnTerminal: on a terminal the command gets one (a pty of its own),
// its colours reach the screen, and the status and stripped output are kept.
func TestRunOnTerminal(t *testing.T) {
	bin, env, db := runEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "run", "--", "sh", "-c", `test -t 0 && test -t 1 && echo on-a-terminal; printf "\033[31mred\n"; read x; echo "got $x"; exit 3`)
	// TERM=dumb: on another terminal Bubble Tea's package init asks it for
	// its colours and waits for the answer, which this pty never gives, and
	// reads the line typed below in its place.
	cmd.Env = append(env, "TERM=dumb")
	ptmx, err := pty.Start(cmd)
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	defer ptmx.Close()
	var screen bytes.Buffer
	copied := make(chan struct{})
	go func() { _, _ = io.Copy(&screen, ptmx); close(copied) }()
	time.Sleep(500 * time.Millisecond)
	if _, err := ptmx.Write([]byte("typed\r")); err != nil {
		t.Fatal(err)
	}
	if code := exitCode(cmd.Wait()); code != 3 {
		t.Fatalf("exit %d, want 3; screen %q", code, screen.String())
	}
	select {
	case <-copied:
	case <-ctx.Done():
		t.Fatal("the terminal never closed")
	}
	if !strings.Contains(screen.String(), "\x1b[31mred") || !strings.Contains(screen.String(), "on-a-terminal") {
		t.Errorf("screen %q: want the colour and a terminal", screen.String())
	}
	ev := storedEvidence(t, db)
	if len(ev) != 1 || ev[0].Exit != 3 {
		t.Fatalf("entries %+v", ev)
	}
	for _, want := range []string{"on-a-terminal\n", "red\n", "got typed\n"} {
		if !strings.Contains(ev[0].Output, want) {
			t.Errorf("output %q lacks %q", ev[0].Output, want)
		}
	}
	if strings.ContainsAny(ev[0].Output, "\x1b\r") {
		t.Errorf("output %q holds terminal control", ev[0].Output)
	}
}

// TestRunStatuses: a signal, a missing program, --no-output, a secret, a
// mistyped incident (nothing runs), and flags that are the command's.
func TestRunStatuses(t *testing.T) {
	bin, env, db := runEnv(t)
	dir := t.TempDir()
	run := func(args ...string) (int, string) {
		cmd := exec.Command(bin, append([]string{"run"}, args...)...)
		cmd.Env, cmd.Dir = env, dir
		out, err := cmd.CombinedOutput()
		return exitCode(err), string(out)
	}
	if code, out := run("--", "sh", "-c", "kill -TERM $$"); code != 143 || !strings.Contains(out, "killed by SIGTERM") {
		t.Errorf("killed: exit %d, %q", code, out)
	}
	if code, out := run("--", filepath.Join(dir, "no-such-tool")); code != 127 || !strings.Contains(out, "recorded on") {
		t.Errorf("missing program: exit %d, %q", code, out)
	}
	if code, out := run("--no-output", "--", "echo", "private stuff"); code != 0 || !strings.Contains(out, "private stuff") {
		t.Errorf("--no-output: exit %d, %q", code, out)
	}
	if code, out := run("echo", "password=hunter2", "-n"); code != 0 || !strings.Contains(out, "2 secrets masked") {
		t.Errorf("secret: exit %d, %q", code, out)
	}
	if code, out := run("--incident", "ffffffff", "--", "touch", "ran"); code == 0 || !strings.Contains(out, "ffffffff") {
		t.Errorf("unknown incident: exit %d, %q", code, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "ran")); err == nil {
		t.Error("the command ran for an incident that does not exist")
	}
	ev := storedEvidence(t, db)
	if len(ev) != 4 {
		t.Fatalf("%d entries, want 4: %+v", len(ev), ev)
	}
	if e := ev[0]; e.Exit != 143 || e.Signal != "SIGTERM" || e.Dir != dir {
		t.Errorf("killed: %+v", e)
	}
	if e := ev[1]; e.Exit != 127 || !strings.Contains(e.Output, "no-such-tool") {
		t.Errorf("missing: %+v", e)
	}
	if e := ev[2]; !e.NoOutput || e.Output != "" || e.OutputBytes != int64(len("private stuff\n")) {
		t.Errorf("--no-output: %+v", e)
	}
	if e := ev[3]; e.Masked != 2 || strings.Contains(e.Output+e.Command, "hunter2") || e.Command != "echo password=[masked password] -n" {
		t.Errorf("secret: %+v", e)
	}
	text := model.Describe(model.Event{Kind: model.EventEvidence, Payload: []byte(`{"command":"x","exit":0}`)})
	if !strings.HasPrefix(text, "$ x") {
		t.Errorf("describe: %q", text)
	}
}
