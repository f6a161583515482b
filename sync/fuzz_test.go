package sync

import (
	"bufio"
	"bytes"
	"errors"
	"github.com/sitrep-dev/sitrep/model"
	"io"
	"strings"
	"testing"
)

// FuzzReadStream feeds arbitrary bytes to what the client reads first: the
// banner, the marker and frames. It must never panic, never allocate past
// the message limit, and fail with a connection end or errGarbage.
func FuzzReadStream(f *testing.F) {
	f.Add([]byte(Marker + "\n"))
	f.Add(append([]byte("motd\n"+Marker+"\n"), frames(f, &message{T: tHello, Proto: []int{1, 1}, Version: "v1", Schema: 2})...))
	f.Add(append([]byte(Marker+"\n"), frames(f, &message{T: tEvents, Events: []wireEvent{{ID: "a", Hash: "h", Payload: []byte(`{}`)}}, Last: 1, LastID: "a"})...))
	f.Add(append([]byte(Marker+"\n"), 0xff, 0xff, 0xff, 0xff))
	f.Add([]byte("no marker at all"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r := bufio.NewReaderSize(bytes.NewReader(b), maxBanner+1024)
		if _, _, err := readBanner(r); err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, errGarbage) {
				t.Fatalf("banner: unexpected error %v", err)
			}
			return
		}
		for {
			m, n, err := readFrame(r)
			if err != nil {
				if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, errGarbage) {
					t.Fatalf("frame: unexpected error %v", err)
				}
				return
			}
			if m == nil || m.T == "" || n < 5 {
				t.Fatalf("frame: %+v, %d bytes", m, n)
			}
			for _, e := range m.Events {
				_ = e.event() // must not panic
			}
		}
	})
}

// FuzzParseRemote: any string either parses to a target whose host cannot
// be taken for an ssh option, or is refused; never a panic.
func FuzzParseRemote(f *testing.F) {
	for _, s := range []string{"ops@bastion:/srv/team.db", "/mnt/team.db", "./x.db", "~/x", "[fd00::1]:/x", "host:", ":x", "-oProxyCommand=x:y", "a b:c", "user@host:path with spaces"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tg, err := ParseRemote(s)
		if err != nil {
			return
		}
		if !tg.Local {
			if tg.Host == "" || strings.HasPrefix(tg.Host, "-") || strings.ContainsAny(tg.Host, " \t\n") || tg.Path == "" {
				t.Fatalf("%q parsed to %+v", s, tg)
			}
		}
	})
}

// FuzzSplitCommand: splitting never panics, and quoting a word for the
// remote shell then splitting it gives the word back.
func FuzzSplitCommand(f *testing.F) {
	for _, s := range []string{"ssh -p 2222", `ssh -i "my key"`, `ssh -o 'a b'`, `a\ b`, `"unterminated`, "/opt/my tools/sitrep", "it's", "$(reboot)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		splitCommand(s)
		if s == "" || strings.ContainsRune(s, 0) {
			return
		}
		words, err := splitCommand(model.ShellQuote(s))
		if err != nil || len(words) != 1 || words[0] != s {
			// splitCommand reads simple quoting only; ShellQuote's output
			// must be within it.
			t.Fatalf("model.ShellQuote(%q) = %q splits to %q (%v)", s, model.ShellQuote(s), words, err)
		}
	})
}
