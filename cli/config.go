package cli

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/adrg/xdg"

	"github.com/sitrep-dev/sitrep/alerts"
)

// config is the user's settings file: `key = value` lines, `#` comments.
// It lives at $XDG_CONFIG_HOME/sitrep/config. Flags and environment
// variables override it.
type config struct {
	path        string
	Author      string   // author = alice
	DB          string   // db = /path/to/sitrep.db
	Remote      string   // remote = ops@bastion:/srv/sitrep/team.db
	SSH         string   // ssh = ssh -p 2222
	RemoteBin   string   // remote-sitrep = /opt/sitrep/bin/sitrep
	RunbookDirs []string // runbooks = ~/team-runbooks (repeatable)
	// SeverityMap maps alerts' severity labels to severities for declare
	// --from-alert, over alerts.DefaultSeverities.
	SeverityMap    alerts.SeverityMap // severity-map = critical=1, page=1, warning=4
	AlertKindLabel string             // alert-kind-label = category
	Extra          map[string]string
	// Unknown names the lines whose key sitrep does not know (a typo like
	// "remtoe" would otherwise be ignored without a word).
	Unknown []string
}

func configPath() string {
	return filepath.Join(xdg.ConfigHome, "sitrep", "config")
}

func loadConfig(path string) (config, error) {
	c := config{path: path, Extra: map[string]string{}}
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("read config %s: %w", path, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			return c, fmt.Errorf("%s:%d: expected `key = value`, got %q", path, n, line)
		}
		key = strings.TrimSpace(key)
		value = strings.Trim(strings.TrimSpace(value), `"`)
		switch key {
		case "author":
			c.Author = value
		case "db":
			c.DB = expandHome(value)
		case "remote":
			c.Remote = value
		case "ssh":
			c.SSH = value
		case "remote-sitrep":
			c.RemoteBin = value
		case "runbooks":
			c.RunbookDirs = append(c.RunbookDirs, expandHome(value))
		case "severity-map":
			m, err := alerts.ParseSeverityMap(value)
			if err != nil {
				return c, fmt.Errorf("%s:%d: %w", path, n, err)
			}
			c.SeverityMap = m
		case "alert-kind-label":
			c.AlertKindLabel = value
		default:
			c.Extra[key] = value
			if !strings.HasPrefix(key, "cadence.") {
				c.Unknown = append(c.Unknown, fmt.Sprintf("%s:%d: unknown setting %q (sitrep knows author, db, remote, ssh, remote-sitrep, runbooks, severity-map, alert-kind-label and cadence.sevN.AUDIENCE)", path, n, key))
			}
		}
	}
	if err := sc.Err(); err != nil {
		return c, fmt.Errorf("read config %s: %w", path, err)
	}
	return c, nil
}

func expandHome(p string) string {
	if strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[2:])
		}
	}
	return p
}
