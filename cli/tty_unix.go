//go:build unix

package cli

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/term"
	"golang.org/x/sys/unix"
)

// cursorReport is a terminal's answer to "where is the cursor" (CSI 6n).
var cursorReport = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\x1b\[\d+;\d+R`) })

// TakeStartupAnswers reads the terminal's answers to the query Bubble Tea v1
// sends from its package init, before main runs, in every process of this
// binary: it asks standard output's terminal for its background colour
// (OSC 11) and cursor position (CSI 6n) and reads the answers back from
// standard output. That works when standard output is the terminal opened
// for reading and writing, as a shell hands it over; it cannot when the
// output was redirected with '>/dev/tty', which opens it for writing only.
// The answers then waited in the terminal's input for the shell, which
// showed them as "1R" on the prompt line. The query cannot be stopped from
// here (package inits run before any of ours), so in exactly that case the
// answers are read off the terminal and dropped.
func TakeStartupAnswers() {
	fd := int(os.Stdout.Fd())
	if !term.IsTerminal(uintptr(fd)) {
		return
	}
	// The conditions under which the query was sent (termenv's).
	t := os.Getenv("TERM")
	if strings.HasPrefix(t, "screen") || strings.HasPrefix(t, "tmux") || strings.HasPrefix(t, "dumb") {
		return
	}
	if pgrp, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP); err != nil || pgrp != unix.Getpgrp() {
		return
	}
	// ... and under which it could not read the answers.
	if fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0); err != nil || fl&unix.O_ACCMODE != unix.O_WRONLY {
		return
	}
	tty, err := os.OpenFile("/dev/tty", os.O_RDONLY|unix.O_NOCTTY, 0)
	if err != nil {
		return
	}
	defer tty.Close()
	var out, in unix.Stat_t
	if unix.Fstat(fd, &out) != nil || unix.Fstat(int(tty.Fd()), &in) != nil || out.Rdev != in.Rdev {
		return // standard output is another terminal than ours
	}
	state, err := term.MakeRaw(tty.Fd())
	if err != nil {
		return
	}
	defer term.Restore(tty.Fd(), state)
	// The cursor report comes last; a terminal that ignores the colour
	// query still sends it, so half a second is plenty even over ssh.
	deadline := time.Now().Add(500 * time.Millisecond)
	var got bytes.Buffer
	buf := make([]byte, 64)
	for !cursorReport().Match(got.Bytes()) && got.Len() < 256 {
		wait := time.Until(deadline)
		if wait <= 0 {
			return
		}
		pfd := []unix.PollFd{{Fd: int32(tty.Fd()), Events: unix.POLLIN}}
		n, err := unix.Poll(pfd, int(wait.Milliseconds())+1)
		if err == unix.EINTR {
			continue
		}
		if err != nil || n == 0 {
			return
		}
		n, err = unix.Read(int(tty.Fd()), buf)
		if err != nil || n <= 0 {
			return
		}
		got.Write(buf[:n])
	}
}
