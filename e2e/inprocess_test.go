package e2e

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	sitrepcli "github.com/sitrep-dev/sitrep/cli"
)

// cli runs sitrep's command line in-process against a store in a temp dir,
// for the fault tests that prepare a store quickly before breaking its disk.
type cli struct {
	t  *testing.T
	db string
}

func newCLI(t *testing.T) *cli {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("SITREP_AUTHOR", "alice@laptop")
	t.Setenv("SITREP_DB", "")
	return &cli{t: t, db: filepath.Join(t.TempDir(), "sitrep.db")}
}

func (c *cli) run(stdin string, args ...string) (stdout, stderr string, code int) {
	var out, errOut bytes.Buffer
	code = sitrepcli.Main(context.Background(), append([]string{"--db", c.db}, args...), strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

func (c *cli) ok(args ...string) string {
	c.t.Helper()
	out, errOut, code := c.run("", args...)
	if code != 0 {
		c.t.Fatalf("sitrep %s: exit %d: %s", strings.Join(args, " "), code, errOut)
	}
	return out
}

func (c *cli) fails(wantCode int, wantErr string, args ...string) {
	c.t.Helper()
	out, errOut, code := c.run("", args...)
	if code != wantCode || !strings.Contains(errOut, wantErr) {
		c.t.Fatalf("sitrep %s: exit %d, stderr %q (stdout %q); want exit %d mentioning %q", strings.Join(args, " "), code, errOut, out, wantCode, wantErr)
	}
}

// as runs the CLI as another responder, with their own store.
func (c *cli) as(author string) *cli {
	return &cli{t: c.t, db: filepath.Join(c.t.TempDir(), author+".db")}
}

func (c *cli) runAs(author string, args ...string) (string, string, int) {
	c.t.Setenv("SITREP_AUTHOR", author)
	return c.run("", args...)
}
