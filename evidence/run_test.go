package evidence

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"github.com/sitrep-dev/sitrep/model"
)

// TestRunPTYPassthrough runs a command on a real terminal (a pty pair
// standing in for the responder's): it sees a terminal on its stdin, gets
// the keys typed, its colours reach the screen as written, the entry keeps
// the text without them, and the terminal is back in its own mode after,
// with no reader left behind to swallow the next key.
func TestRunPTYPassthrough(t *testing.T) {
	ptm, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pty here: %v", err)
	}
	defer ptm.Close()
	defer tty.Close()
	before, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	var screen bytes.Buffer
	script := `test -t 0 && test -t 1 && echo on-a-terminal; printf '\033[31mred\033[0m\n'; read answer; echo "got:$answer"; exit 4`
	go func() {
		time.Sleep(300 * time.Millisecond)
		_, _ = ptm.Write([]byte("yes\r"))
	}()
	go func() { _, _ = io.Copy(io.Discard, ptm) }() // what the responder's terminal would draw
	res, err := Run(context.Background(), Command{Args: []string{"sh", "-c", script}, Stdin: tty, Stdout: &screen, Stderr: &screen})
	if err != nil {
		t.Fatal(err)
	}
	if res.Exit != 4 {
		t.Errorf("exit %d, want 4", res.Exit)
	}
	for _, want := range []string{"on-a-terminal", "\x1b[31mred\x1b[0m", "got:yes"} {
		if !strings.Contains(screen.String(), want) {
			t.Errorf("the screen did not get %q: %q", want, screen.String())
		}
	}
	out := res.Output.Text
	for _, want := range []string{"on-a-terminal\n", "red\n", "got:yes\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("kept output lacks %q: %q", want, out)
		}
	}
	if strings.ContainsAny(out, "\x1b\r") {
		t.Errorf("kept output holds terminal control: %q", out)
	}
	after, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	if after.Lflag != before.Lflag || after.Iflag != before.Iflag || after.Oflag != before.Oflag {
		t.Errorf("terminal mode not restored: lflag %x→%x iflag %x→%x", before.Lflag, after.Lflag, before.Iflag, after.Iflag)
	}
	// A line typed after the command ended is the caller's to read.
	if _, err := ptm.Write([]byte("next\n")); err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 1)
	go func() {
		b := make([]byte, 64)
		n, _ := tty.Read(b)
		got <- string(b[:n])
	}()
	select {
	case s := <-got:
		if s != "next\n" {
			t.Errorf("the next line read %q, want %q", s, "next\n")
		}
	case <-time.After(3 * time.Second):
		t.Error("the line typed after the command never reached its reader: something still reads the terminal")
	}
}

// TestRunPipes: without a terminal on stdin, stdin, stdout and stderr are
// sitrep's own, both outputs are captured in the order written, and the
// exit status, a signal, a missing program and one that may not run are
// reported as a shell reports them.
func TestRunPipes(t *testing.T) {
	dir := t.TempDir()
	noexec := filepath.Join(dir, "noexec")
	if err := os.WriteFile(noexec, []byte("#!/bin/sh\necho hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args   []string
		stdin  string
		exit   int
		signal string
		output string
		err    bool
	}{
		{[]string{"sh", "-c", "read x; echo out:$x; sleep 0.1; echo err >&2; exit 3"}, "typed\n", 3, "", "out:typed\nerr\n", false},
		{[]string{"sh", "-c", "echo bye; kill -9 $$"}, "", 137, "SIGKILL", "bye\n", false},
		{[]string{"sh", "-c", "kill -TERM $$"}, "", 143, "SIGTERM", "", false},
		{[]string{"true"}, "", 0, "", "", false},
		{[]string{filepath.Join(dir, "no-such-program")}, "", 127, "", "sitrep: ", true},
		{[]string{noexec}, "", 126, "", "permission denied", true},
	}
	for _, c := range cases {
		var stdout, stderr bytes.Buffer
		res, err := Run(context.Background(), Command{Args: c.args, Stdin: strings.NewReader(c.stdin), Stdout: &stdout, Stderr: &stderr})
		if (err != nil) != c.err {
			t.Errorf("%q: error %v", c.args, err)
		}
		if res.Exit != c.exit || res.Signal != c.signal {
			t.Errorf("%q: exit %d %q, want %d %q", c.args, res.Exit, res.Signal, c.exit, c.signal)
		}
		if !strings.Contains(res.Output.Text, c.output) || c.output == "" && res.Output.Text != "" {
			t.Errorf("%q: output %q, want %q", c.args, res.Output.Text, c.output)
		}
		if !c.err && stdout.String()+stderr.String() != res.Output.Text {
			t.Errorf("%q: passed through %q + %q, kept %q", c.args, stdout.String(), stderr.String(), res.Output.Text)
		}
		if res.Started.IsZero() || res.Duration <= 0 {
			t.Errorf("%q: started %v, ran %v", c.args, res.Started, res.Duration)
		}
	}
}

// TestRunKeepsHeadAndTail: a command that prints 1.2 MB keeps its first and
// last lines, whole, within the limit, and says exactly how many bytes
// were left out.
func TestRunKeepsHeadAndTail(t *testing.T) {
	var stdout bytes.Buffer
	res, err := Run(context.Background(), Command{Args: []string{"seq", "1", "200000"}, Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	k := res.Output
	if k.Total != int64(stdout.Len()) {
		t.Errorf("total %d, wrote %d", k.Total, stdout.Len())
	}
	if len(k.Text) > model.MaxEvidenceOutput {
		t.Errorf("kept %d bytes, over %d", len(k.Text), model.MaxEvidenceOutput)
	}
	if !strings.HasPrefix(k.Text, "1\n2\n3\n") || !strings.HasSuffix(k.Text, "199999\n200000\n") {
		t.Errorf("head or tail lost: %q … %q", k.Text[:20], k.Text[len(k.Text)-20:])
	}
	marker := fmt.Sprintf("\n… %d bytes omitted …\n", k.Omitted)
	i := strings.Index(k.Text, marker)
	if i < 0 {
		t.Fatalf("no omission line for %d bytes", k.Omitted)
	}
	head, tail := k.Text[:i+1], k.Text[i+len(marker):]
	if int64(len(head)+len(tail))+k.Omitted != k.Total {
		t.Errorf("head %d + tail %d + omitted %d != %d", len(head), len(tail), k.Omitted, k.Total)
	}
	// Whole lines on both sides: the kept lines are consecutive numbers.
	if !strings.Contains(stdout.String(), head) || !strings.HasSuffix(stdout.String(), "\n"+tail) {
		t.Error("head or tail is not a run of whole lines of the output")
	}
	// A short output is kept whole.
	res, err = Run(context.Background(), Command{Args: []string{"seq", "1", "1000"}, Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard})
	if err != nil || res.Output.Omitted != 0 || !strings.HasSuffix(res.Output.Text, "999\n1000\n") {
		t.Errorf("short output: %v, omitted %d", err, res.Output.Omitted)
	}
}

// TestCaptureCleansBeforeCutting: output that grows when cleaned (tabs,
// control bytes) still fits the limit, and escape sequences split across
// writes are removed whole.
func TestCaptureCleansBeforeCutting(t *testing.T) {
	c := &capture{}
	for i := 0; i < 20000; i++ {
		fmt.Fprintf(c, "\t\x01\x02col\t%d\x1b[3", i)
		fmt.Fprint(c, "1mred\x1b[0m\n")
	}
	k := c.kept()
	if len(k.Text) > model.MaxEvidenceOutput {
		t.Errorf("kept %d bytes", len(k.Text))
	}
	if strings.Contains(k.Text, "\x1b") || strings.Contains(k.Text, "[31m") || model.Printable(k.Text) != k.Text {
		t.Errorf("control left in %q", k.Text[:200])
	}
	if k.Omitted <= 0 || !strings.Contains(k.Text, "19999") {
		t.Errorf("omitted %d; tail %q", k.Omitted, k.Text[len(k.Text)-100:])
	}
}

// TestRunToAFileUsesPipes: at a terminal but with the output redirected to
// a file, the command writes the file as it would without sitrep: no pty,
// no carriage returns, and it sees stdout is not a terminal.
func TestRunToAFileUsesPipes(t *testing.T) {
	ptm, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pty here: %v", err)
	}
	defer ptm.Close()
	defer tty.Close()
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := Run(context.Background(), Command{Args: []string{"sh", "-c", "test -t 1 || echo not-a-terminal; test -t 0 && echo stdin-is-one"}, Stdin: tty, Stdout: f, Stderr: f})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "not-a-terminal\nstdin-is-one\n" || res.Output.Text != string(b) {
		t.Errorf("file %q, kept %q", b, res.Output.Text)
	}
}
