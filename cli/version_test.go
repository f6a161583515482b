package cli

import (
	"os"
	"runtime/debug"
	"strings"
	"testing"
)

// TestVersionFrom: the version names the release when there is one, else
// the commit and whether the checkout had changes.
func TestVersionFrom(t *testing.T) {
	vcs := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	for _, tc := range []struct {
		name string
		info debug.BuildInfo
		want string
	}{
		{"installed at a tag", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.4.0"}}, "v1.4.0 (go1.26.8)"},
		{"pseudo-version from go build in a checkout", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261123151653-dbcf22a0d696+dirty"},
			Settings: vcs("vcs.revision", "dbcf22a0d6964b1916ad899c6371e01112d2b059", "vcs.time", "2026-11-23T15:16:53Z", "vcs.modified", "true")},
			"v0.0.0-20261123151653-dbcf22a0d696+dirty (committed 2026-11-23T15:16:53Z, go1.26.8)"},
		{"devel with the commit", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"},
			Settings: vcs("vcs.revision", "dbcf22a0d6964b1916ad899c6371e01112d2b059", "vcs.modified", "false")}, "devel dbcf22a0d696 (go1.26.8)"},
		{"devel, dirty", debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: vcs("vcs.revision", "dbcf22a0d6964b1916ad899c6371e01112d2b059", "vcs.modified", "true")}, "devel dbcf22a0d696-dirty"},
		{"built with -buildvcs=false", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}}, "devel (go1.26.8)"},
	} {
		if got := versionFrom(&tc.info); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestVersionFlag: 'sitrep --version' prints one line and touches no store.
func TestVersionFlag(t *testing.T) {
	c := newCLI(t)
	out := c.ok("--version")
	if out != "sitrep "+version()+"\n" || !strings.Contains(out, "go1.") {
		t.Errorf("--version printed %q, want %q", out, "sitrep "+version()+"\n")
	}
	if _, err := os.Stat(c.db); !os.IsNotExist(err) {
		t.Errorf("--version created the store (stat: %v)", err)
	}
}
