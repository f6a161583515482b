package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
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

// needMount mounts a tmpfs of size bytes at a new folder and returns it,
// unmounted when the test ends. Mounting needs root (CI runs as root): a
// laptop skips, and SITREP_REQUIRE_MOUNT=1 makes that a failure.
func needMount(t *testing.T, size int64) string {
	t.Helper()
	dir := t.TempDir()
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d,mode=0700", size), "tmpfs", dir).CombinedOutput()
	if err != nil {
		msg := fmt.Sprintf("cannot mount a tmpfs (needs root): %v %s", err, strings.TrimSpace(string(out)))
		if os.Getenv("SITREP_REQUIRE_MOUNT") == "1" {
			t.Fatalf("%s; SITREP_REQUIRE_MOUNT=1 requires it", msg)
		}
		t.Skipf("%s; set SITREP_REQUIRE_MOUNT=1 to require it", msg)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
	})
	return dir
}

// freeBytes is what the file system holding dir has left.
func freeBytes(t *testing.T, dir string) int64 {
	t.Helper()
	var fs syscall.Statfs_t
	if err := syscall.Statfs(dir, &fs); err != nil {
		t.Fatal(err)
	}
	return int64(fs.Bavail) * int64(fs.Bsize)
}

// TestDiskFull writes notes with the real binary onto a small tmpfs until
// the disk is full, for several note sizes: the note that does not fit
// fails with one line saying the disk is full; every note acknowledged
// before it is kept; once space is freed the next command works and shows
// them all, and verify passes.
func TestDiskFull(t *testing.T) {
	bin := buildSitrep(t)
	for _, noteSize := range []int{300, 4000, 30000} {
		t.Run(fmt.Sprint(noteSize), func(t *testing.T) {
			dir := needMount(t, 4<<20)
			r := newResponder(t, bin, t.TempDir(), "alice@laptop")
			r.db = filepath.Join(dir, "sitrep.db")
			id := strings.TrimSpace(r.ok("declare", "--title", "Disk full", "--sev", "1", "--kind", "outage"))
			// Leave about 200 KB, so the disk fills after a few dozen notes.
			filler := filepath.Join(dir, "filler")
			if err := os.WriteFile(filler, make([]byte, freeBytes(t, dir)-200<<10), 0o600); err != nil {
				t.Fatal(err)
			}
			var kept []string
			var fullErr string
			for i := 0; i < 5000 && fullErr == ""; i++ {
				text := fmt.Sprintf("note %04d %s", i, strings.Repeat("x", noteSize))
				_, errOut, code := r.run("note", text)
				if code == 0 {
					kept = append(kept, text)
					continue
				}
				fullErr = errOut
			}
			if fullErr == "" {
				t.Fatal("the disk never filled")
			}
			t.Logf("%d notes of %d bytes fitted; then: %s", len(kept), noteSize, strings.TrimSpace(fullErr))
			if strings.Count(strings.TrimRight(fullErr, "\n"), "\n") > 0 || !strings.Contains(fullErr, "disk is full") ||
				regexp.MustCompile(`\(\d+\)|SQLITE_`).MatchString(fullErr) {
				t.Errorf("the note that did not fit: want one line saying the disk is full, got %q", fullErr)
			}
			// Reading needs no space: a responder can still look while
			// someone frees some.
			if show, errOut, code := r.run("show", id); code != 0 || !strings.Contains(show, kept[len(kept)-1]) {
				t.Errorf("show on a full disk: exit %d: %s", code, errOut)
			}
			if err := os.Remove(filler); err != nil {
				t.Fatal(err)
			}
			r.ok("note", "after freeing space")
			show := r.ok("show", id)
			for _, n := range append(kept, "after freeing space") {
				if !strings.Contains(show, n) {
					t.Fatalf("acknowledged note %.20q… is gone", n)
				}
			}
			r.ok("verify")
		})
	}
}
