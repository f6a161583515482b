// Package clipboard puts text where a responder can paste it: tmux's paste
// buffer when running inside tmux, the system clipboard through the tool the
// desktop provides (wl-copy, xclip, xsel, pbcopy), and the terminal's own
// clipboard through OSC 52 when nothing else is there (over SSH, say). The
// cockpit and the CLI both copy through Copy, and both say what Result
// says: a copy that reached nothing must not read "Copied".
package clipboard

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// Env is what Copy looks at and writes to. System fills it from the
// process; tests give their own.
type Env struct {
	Getenv   func(string) string
	LookPath func(string) (string, error)
	GOOS     string
	// Terminal receives the OSC 52 sequence; nil sends none.
	Terminal io.Writer
}

// System is the environment of this process, with OSC 52 going to
// terminal.
func System(terminal io.Writer) Env {
	return Env{Getenv: os.Getenv, LookPath: exec.LookPath, GOOS: runtime.GOOS, Terminal: terminal}
}

// Result says where the text went.
type Result struct {
	Tmux   bool   // tmux's paste buffer holds it
	System string // the tool that put it on the system clipboard; "" if none
	OSC52  bool   // the OSC 52 sequence went to the terminal
}

// Describe says, in a sentence for the status line, what was done with
// what ("the step's command").
func (r Result) Describe(what string) string {
	switch {
	case r.Tmux && r.System != "":
		return "Copied " + what + " to the tmux buffer and the system clipboard"
	case r.Tmux:
		return "Copied " + what + " to the tmux buffer (prefix ] pastes it)"
	case r.System != "":
		return "Copied " + what + " to the system clipboard (" + r.System + ")"
	case r.OSC52:
		return "Sent " + what + " to the terminal via OSC 52 — your terminal must allow it"
	}
	return "Nothing copied"
}

// toolTimeout bounds each helper program: a clipboard tool waiting on a
// display that is gone must not hold the copy forever.
const toolTimeout = 2 * time.Second

// Copy puts text on every clipboard within reach and says which. It fails
// only when the text reached none of them.
func Copy(ctx context.Context, env Env, text string) (Result, error) {
	var r Result
	var errs []error
	getenv := env.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	lookPath := env.LookPath
	if lookPath == nil {
		lookPath = exec.LookPath
	}
	tmuxOld := false
	if getenv("TMUX") != "" {
		// -w also hands the text to the outer terminal's clipboard (tmux
		// 3.2 and later, as set-clipboard allows); older tmux knows no -w.
		err := run(ctx, lookPath, text, "tmux", "load-buffer", "-w", "-")
		if err != nil {
			if err2 := run(ctx, lookPath, text, "tmux", "load-buffer", "-"); err2 == nil {
				err, tmuxOld = nil, true
			}
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("tmux buffer: %w", err))
		}
		r.Tmux = err == nil
	}
	if tool, args, ok := systemTool(env.GOOS, getenv, lookPath); ok {
		if err := run(ctx, lookPath, text, tool, args...); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", tool, err))
		} else {
			r.System = tool
		}
	}
	// OSC 52 when nothing else took it, or over SSH, where the system
	// clipboard found is the server's and not the responder's; inside tmux
	// whose buffer could not pass the text on, wrapped so that tmux hands
	// it through to the outer terminal.
	remote := getenv("SSH_CONNECTION") != "" || getenv("SSH_TTY") != ""
	inTmux := getenv("TMUX") != ""
	if env.Terminal != nil && (!r.Tmux && r.System == "" || remote && !inTmux || tmuxOld) {
		seq := osc52(text)
		if inTmux {
			seq += tmuxPassthrough(seq)
		}
		if _, err := io.WriteString(env.Terminal, seq); err != nil {
			errs = append(errs, fmt.Errorf("OSC 52: %w", err))
		} else {
			r.OSC52 = true
		}
	}
	if !r.Tmux && r.System == "" && !r.OSC52 {
		if len(errs) == 0 {
			return r, errors.New("no clipboard here: not in tmux, no clipboard tool with a display, and no terminal to send OSC 52 to")
		}
		return r, errors.Join(errs...)
	}
	return r, nil
}

// systemTool is the program that sets the desktop's clipboard, when there
// is a desktop to set it on and the program is installed.
func systemTool(goos string, getenv func(string) string, lookPath func(string) (string, error)) (string, []string, bool) {
	type tool struct {
		name string
		args []string
	}
	var tools []tool
	switch {
	case goos == "darwin":
		tools = []tool{{"pbcopy", nil}}
	case getenv("WAYLAND_DISPLAY") != "":
		tools = []tool{{"wl-copy", nil}}
	case getenv("DISPLAY") != "":
		tools = []tool{{"xclip", []string{"-selection", "clipboard"}}, {"xsel", []string{"--clipboard", "--input"}}}
	}
	for _, t := range tools {
		if _, err := lookPath(t.name); err == nil {
			return t.name, t.args, true
		}
	}
	return "", nil, false
}

// run feeds text to a program. Its output is not collected: xclip and
// wl-copy leave a child behind to serve the selection, and waiting on a
// pipe that child holds would never end.
func run(ctx context.Context, lookPath func(string) (string, error), text, name string, args ...string) error {
	path, err := lookPath(name)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, toolTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Stdin = strings.NewReader(text)
	cmd.WaitDelay = toolTimeout
	if err := cmd.Run(); err != nil {
		return err
	}
	return nil
}

// osc52 is the sequence that asks the terminal to set its clipboard.
func osc52(text string) string {
	return "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(text)) + "\x07"
}

// tmuxPassthrough wraps a sequence so tmux passes it to the terminal it
// runs in (where allow-passthrough is on) instead of acting on it itself.
func tmuxPassthrough(seq string) string {
	return "\x1bPtmux;" + strings.ReplaceAll(seq, "\x1b", "\x1b\x1b") + "\x1b\\"
}
