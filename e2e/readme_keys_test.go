package e2e

import (
	"os"
	"strings"
	"testing"

	"github.com/sitrep-dev/sitrep/ui"
)

// docs/keys.md holds the keymap's table word for word: the one keymap feeds
// the help view and the documentation alike.
func TestKeysDocTable(t *testing.T) {
	doc, err := os.ReadFile("../docs/keys.md")
	if err != nil {
		t.Fatal(err)
	}
	if table := ui.KeyTable(); !strings.Contains(string(doc), table) {
		t.Errorf("docs/keys.md's key table differs from the keymap; paste this over it:\n%s", table)
	}
}

// The README's "keys at a glance" is a few rows of the same table: each row
// must be one of the keymap's, so a key renamed or re-described in the
// keymap cannot leave the README saying the old one.
func TestReadmeKeyTable(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := tableRows(string(readme), "| Where | Key | Does |")
	if len(rows) < 10 {
		t.Fatalf("README.md's key table has %d rows; want the keys a newcomer needs first (at least 10)", len(rows))
	}
	keymap := map[string]bool{}
	for _, row := range tableRows(ui.KeyTable(), "| Where | Key | Does |") {
		keymap[row] = true
	}
	for _, row := range rows {
		if !keymap[row] {
			t.Errorf("README.md's key table row is not in the keymap (see docs/keys.md for the current rows): %s", row)
		}
	}
}

// tableRows are the body rows of the Markdown table under header.
func tableRows(doc, header string) []string {
	_, after, ok := strings.Cut(doc, header+"\n")
	if !ok {
		return nil
	}
	var rows []string
	for i, line := range strings.Split(after, "\n") {
		if !strings.HasPrefix(line, "|") {
			break
		}
		if i == 0 { // the |---| line
			continue
		}
		rows = append(rows, strings.TrimSpace(line))
	}
	return rows
}
