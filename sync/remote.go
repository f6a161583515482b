package sync

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/sitrep-dev/sitrep/model"
)

// Target is where a shared store lives: a host reached over ssh and a path
// there, or a file on this machine.
type Target struct {
	Host  string // [user@]host for ssh; "" for a local file
	Path  string // on the host, or an absolute local path
	Local bool
}

// String is the target as the user would write it.
func (t Target) String() string {
	if t.Local {
		return t.Path
	}
	return t.Host + ":" + t.Path
}

// ParseRemote reads a remote the way scp and rsync do: [user@]host:path is
// remote; a path with no colon, or one starting with /, ./, ../ or ~/, or
// whose first slash comes before the colon, is a local file.
func ParseRemote(s string) (Target, error) {
	if strings.TrimSpace(s) == "" {
		return Target{}, model.Invalidf("no remote given: name one like ops@bastion:/srv/sitrep/team.db, or set remote = ... in the config")
	}
	if strings.ContainsRune(s, 0) || strings.ContainsRune(s, '\n') {
		return Target{}, model.Invalidf("the remote %q holds a control character", model.Neutralise(s))
	}
	local := func(p string) (Target, error) {
		if rest, ok := strings.CutPrefix(p, "~/"); ok {
			if home, err := os.UserHomeDir(); err == nil {
				p = filepath.Join(home, rest)
			}
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return Target{}, fmt.Errorf("remote %s: %w", p, err)
		}
		return Target{Path: abs, Local: true}, nil
	}
	for _, prefix := range []string{"/", "./", "../", "~/"} {
		if strings.HasPrefix(s, prefix) {
			return local(s)
		}
	}
	host, path, ok := cutHost(s)
	if !ok {
		return local(s)
	}
	switch {
	case host == "" || strings.HasSuffix(host, "@"):
		return Target{}, model.Invalidf("the remote %q names no host before the ':'", model.Neutralise(s))
	case strings.HasPrefix(host, "-"):
		// ssh would read it as an option (-oProxyCommand=...).
		return Target{}, model.Invalidf("the host %q starts with '-'", model.Neutralise(host))
	case strings.IndexFunc(host, unicode.IsSpace) >= 0:
		return Target{}, model.Invalidf("the host %q holds a space", model.Neutralise(host))
	case path == "":
		return Target{}, model.Invalidf("the remote %q names no file after the ':' (like %s:/srv/sitrep/team.db)", model.Neutralise(s), model.Neutralise(host))
	}
	return Target{Host: host, Path: path}, nil
}

// cutHost splits host:path, allowing [v6::addr] in brackets; ok is false
// for a local path (no colon, or a slash before it).
func cutHost(s string) (host, path string, ok bool) {
	at := strings.LastIndex(s[:strings.IndexByte(s+":", ':')], "@") + 1
	if at < len(s) && s[at] == '[' {
		end := strings.Index(s[at:], "]:")
		if end < 0 {
			return "", "", false
		}
		host = s[:at] + s[at+1:at+end]
		return host, s[at+end+2:], true
	}
	i := strings.IndexByte(s, ':')
	if i < 0 || strings.Contains(s[:i], "/") {
		return "", "", false
	}
	return s[:i], s[i+1:], true
}

// splitCommand splits an --ssh command into words the way a shell would for
// simple quoting ('...', "...", backslash), without running a shell.
func splitCommand(s string) ([]string, error) {
	// Byte by byte, as a shell does: the quotes, backslash and blanks that
	// matter are ASCII, and any other byte (even one that is not UTF-8,
	// in a file name) passes through unchanged.
	var words []string
	var cur strings.Builder
	inWord := false
	var quote byte
	escaped := false
	for i := 0; i < len(s); i++ {
		r := s[i]
		switch {
		case escaped:
			cur.WriteByte(r)
			escaped = false
		case quote != 0:
			if r == quote {
				quote = 0
			} else if r == '\\' && quote == '"' {
				escaped = true
			} else {
				cur.WriteByte(r)
			}
		case r == '\\':
			escaped, inWord = true, true
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(r)
			inWord = true
		}
	}
	if quote != 0 || escaped {
		return nil, model.Invalidf("the ssh command %q has an unfinished quote", model.Neutralise(s))
	}
	if inWord {
		words = append(words, cur.String())
	}
	if len(words) == 0 {
		return nil, model.Invalidf("the ssh command is empty")
	}
	return words, nil
}
