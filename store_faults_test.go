package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sitrep-dev/sitrep/storage/storagetest"
)

// A hub whose sitrep was killed, or whose disk filled, while SQLite copied
// its log into the main file keeps working for the whole team: the next
// sync into it succeeds, and a new laptop pulls every acknowledged note.
func TestHubKilledDuringCheckpoint(t *testing.T) {
	alice := newCLI(t)
	hub := filepath.Join(t.TempDir(), "team.db")
	id := strings.TrimSpace(alice.ok("declare", "--title", "Disk full on the bastion", "--sev", "1", "--kind", "outage"))
	alice.ok("sync", hub)
	var notes []string
	storagetest.KilledMidCheckpoint(t, hub, func() {
		for i := 0; i < 40; i++ {
			n := fmt.Sprintf("note %02d: %s", i, strings.Repeat("bastion /var at 100% ", 15))
			alice.ok("note", n)
			notes = append(notes, n)
		}
		if out := alice.ok("sync", hub); !strings.Contains(out, "sent 40 new events") {
			t.Fatalf("sync into the hub: %s", out)
		}
	})
	alice.ok("note", "after the crash")
	notes = append(notes, "after the crash")
	if _, errOut, code := alice.run("", "sync", hub); code != 0 {
		t.Fatalf("sync into a hub SQLite can read failed: %s", errOut)
	}
	bob := alice.as("bob")
	if _, errOut, code := bob.runAs("bob@laptop", "sync", hub); code != 0 {
		t.Fatalf("a new laptop's first sync: %s", errOut)
	}
	show, errOut, code := bob.runAs("bob@laptop", "show", id)
	if code != 0 {
		t.Fatal(errOut)
	}
	for _, n := range notes {
		if !strings.Contains(show, n) {
			t.Errorf("the hub lost acknowledged note %q", n)
		}
	}
	if out, errOut, code := bob.runAs("bob@laptop", "--db", hub, "verify"); code != 0 {
		t.Errorf("verify on the hub: %s%s", out, errOut)
	}
}
