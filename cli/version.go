package cli

import (
	"runtime/debug"
	"strings"
)

// version says which build this is, from what the Go toolchain stamped into
// the binary: the module version when it was installed from a tagged
// release (or the pseudo-version 'go build' derives from the commit), else
// the commit it was built from, marked dirty when the checkout had
// uncommitted changes. A responder reporting a bug can paste it as is.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown (built without module information)"
	}
	return versionFrom(info)
}

func versionFrom(info *debug.BuildInfo) string {
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	v := info.Main.Version
	if v == "" || v == "(devel)" {
		v = "devel"
		if rev := settings["vcs.revision"]; rev != "" {
			if len(rev) > 12 {
				rev = rev[:12]
			}
			v += " " + rev
			if settings["vcs.modified"] == "true" {
				v += "-dirty"
			}
		}
	}
	var extra []string
	if t := settings["vcs.time"]; t != "" {
		extra = append(extra, "committed "+t)
	}
	if info.GoVersion != "" {
		extra = append(extra, info.GoVersion)
	}
	if len(extra) > 0 {
		v += " (" + strings.Join(extra, ", ") + ")"
	}
	return v
}
