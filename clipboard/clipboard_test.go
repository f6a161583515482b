package clipboard

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fakeTools puts shell scripts named for clipboard tools in a directory of
// their own; each writes what it is fed (and its arguments) to a file.
func fakeTools(t *testing.T, scripts map[string]string) (dir string, lookPath func(string) (string, error)) {
	t.Helper()
	dir = t.TempDir()
	for name, body := range scripts {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir, func(name string) (string, error) {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err != nil {
			return "", exec.ErrNotFound
		}
		return p, nil
	}
}

func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return string(b)
}

func TestCopyInTmuxFillsTheBuffer(t *testing.T) {
	dir, look := fakeTools(t, map[string]string{"tmux": `echo "$@" > "$(dirname "$0")/args"; cat > "$(dirname "$0")/buffer"`})
	var term bytes.Buffer
	r, err := Copy(context.Background(), Env{Getenv: envOf(map[string]string{"TMUX": "/tmp/tmux-0/default,1,0"}), LookPath: look, GOOS: "linux", Terminal: &term}, "kubectl rollout undo")
	if err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(dir, "buffer")); got != "kubectl rollout undo" {
		t.Errorf("tmux buffer got %q", got)
	}
	if got := strings.TrimSpace(read(t, filepath.Join(dir, "args"))); got != "load-buffer -w -" {
		t.Errorf("tmux called with %q", got)
	}
	if !r.Tmux || r.OSC52 || term.Len() != 0 {
		t.Errorf("result %+v, terminal got %q: tmux -w passes it on, no OSC 52 needed", r, term.String())
	}
	if d := r.Describe("the step's command"); !strings.Contains(d, "tmux buffer") {
		t.Errorf("describe: %q", d)
	}
}

func TestCopyOldTmuxFallsBackAndPassesOSC52Through(t *testing.T) {
	dir, look := fakeTools(t, map[string]string{"tmux": `[ "$2" = "-w" ] && exit 1; cat > "$(dirname "$0")/buffer"`})
	var term bytes.Buffer
	r, err := Copy(context.Background(), Env{Getenv: envOf(map[string]string{"TMUX": "x"}), LookPath: look, Terminal: &term}, "dig +short")
	if err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(dir, "buffer")); got != "dig +short" || !r.Tmux {
		t.Errorf("buffer %q, result %+v", got, r)
	}
	if !strings.Contains(term.String(), "\x1bPtmux;\x1b\x1b]52;c;") {
		t.Errorf("no tmux passthrough OSC 52: %q", term.String())
	}
}

func TestCopySystemTool(t *testing.T) {
	dir, look := fakeTools(t, map[string]string{"xclip": `echo "$@" > "$(dirname "$0")/args"; cat > "$(dirname "$0")/clip"`})
	var term bytes.Buffer
	r, err := Copy(context.Background(), Env{Getenv: envOf(map[string]string{"DISPLAY": ":0"}), LookPath: look, GOOS: "linux", Terminal: &term}, "text")
	if err != nil {
		t.Fatal(err)
	}
	if read(t, filepath.Join(dir, "clip")) != "text" || r.System != "xclip" || term.Len() != 0 {
		t.Errorf("result %+v, terminal %q", r, term.String())
	}
	if d := r.Describe("it"); d != "Copied it to the system clipboard (xclip)" {
		t.Errorf("describe: %q", d)
	}
}

// No tmux, no display: OSC 52 is all there is, and the message says the
// terminal must allow it rather than claiming a copy.
func TestCopyOSC52Only(t *testing.T) {
	_, look := fakeTools(t, map[string]string{"xclip": "exit 0"})
	var term bytes.Buffer
	r, err := Copy(context.Background(), Env{Getenv: envOf(nil), LookPath: look, GOOS: "linux", Terminal: &term}, "hi")
	if err != nil {
		t.Fatal(err)
	}
	if term.String() != "\x1b]52;c;aGk=\x07" {
		t.Errorf("terminal got %q", term.String())
	}
	if d := r.Describe("it"); !strings.HasPrefix(d, "Sent it to the terminal via OSC 52") || strings.HasPrefix(d, "Copied") {
		t.Errorf("describe: %q", d)
	}
}

func TestCopyNowhereFails(t *testing.T) {
	_, look := fakeTools(t, map[string]string{"tmux": "exit 1"})
	_, err := Copy(context.Background(), Env{Getenv: envOf(map[string]string{"TMUX": "x"}), LookPath: look}, "hi")
	if err == nil || !strings.Contains(err.Error(), "tmux buffer") {
		t.Errorf("err %v", err)
	}
}
