package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A misspelt setting is named with its line, not silently ignored;
// cadence settings are known by their prefix.
func TestConfigUnknownKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config")
	text := "# team settings\nauthor = alice\nremtoe = ops@bastion:/srv/team.db\ncadence.sev1.customers = first=5m\n"
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := loadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.Author != "alice" || len(c.Unknown) != 1 || !strings.Contains(c.Unknown[0], path+":3: unknown setting \"remtoe\"") {
		t.Errorf("config %+v", c)
	}
}
