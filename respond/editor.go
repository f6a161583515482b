package respond

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// Editor is the editor a responder chose: $VISUAL, else $EDITOR, else vi.
func Editor() string {
	for _, v := range []string{"VISUAL", "EDITOR"} {
		if e := strings.TrimSpace(os.Getenv(v)); e != "" {
			return e
		}
	}
	return "vi"
}

// EditorCommand runs editor on path the way git runs $EDITOR: through the
// shell, so EDITOR="code -w" or a quoted path with spaces works, with the
// file passed as an argument rather than pasted into the command line.
// The caller connects the terminal.
func EditorCommand(editor, path string) *exec.Cmd {
	if strings.TrimSpace(editor) == "" {
		editor = "vi"
	}
	return exec.Command("/bin/sh", "-c", editor+` "$@"`, editor, path)
}

// WriteEditFile writes text to a private temp file named after pattern,
// for an editor to open, and returns its path. A file it could not finish
// is removed.
func WriteEditFile(pattern, text string) (string, error) {
	f, err := os.CreateTemp("", pattern)
	if err != nil {
		return "", fmt.Errorf("create a file to edit: %w", err)
	}
	_, err = f.WriteString(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("write %s: %w", f.Name(), err)
	}
	return f.Name(), nil
}

// EditText writes text to a private temp file named after pattern, runs
// the editor on it with the terminal given (stdin, stdout, stderr), and
// returns what the file holds afterwards and its path, left for the caller
// to remove, so a document that fails to parse is not lost.
func EditText(editor, pattern, text string, stdin io.Reader, stdout, stderr io.Writer) (string, string, error) {
	path, err := WriteEditFile(pattern, text)
	if err != nil {
		return "", path, err
	}
	c := EditorCommand(editor, path)
	// Set only when given: a nil *os.File in an interface is not nil.
	if stdin != nil {
		c.Stdin = stdin
	}
	if stdout != nil {
		c.Stdout = stdout
	}
	if stderr != nil {
		c.Stderr = stderr
	}
	if err := c.Run(); err != nil {
		return "", path, fmt.Errorf("editor %q failed: %w (your text is in %s)", editor, err, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", path, fmt.Errorf("read back %s: %w", path, err)
	}
	return string(b), path, nil
}
