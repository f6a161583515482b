package main

import (
	"os"
	"strings"
	"testing"

	"github.com/sitrep-dev/sitrep/ui"
)

// The README's key table is the keymap's, word for word: the one keymap
// feeds the help view and the README alike.
func TestReadmeKeyTable(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if table := ui.KeyTable(); !strings.Contains(string(readme), table) {
		t.Errorf("README.md's key table differs from the keymap; paste this over it:\n%s", table)
	}
}
