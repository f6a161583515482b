package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sitrep-dev/sitrep/storage"
)

// copyStoreFile copies a closed store's files, as a backup tool would.
func copyStoreFile(t testing.TB, from, to string) {
	t.Helper()
	for _, sfx := range []string{"-wal", "-shm"} {
		os.Remove(to + sfx)
		if b, err := os.ReadFile(from + sfx); err == nil {
			if err := os.WriteFile(to+sfx, b, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestE2ELaptopRestoredFromBackup: alice's laptop is restored from last
// night's backup with the real binary. verify --against names the notes
// the hub holds and her store lost; she writes one more note and syncs:
// sync takes the lost notes back, renumbers the new one after them and
// says so in one line. Then verify is ok on her store, on the hub and on
// bob's, and every note is there.
func TestE2ELaptopRestoredFromBackup(t *testing.T) {
	bin := buildSitrep(t)
	dir := t.TempDir()
	hub := filepath.Join(dir, "team.db")
	alice := newResponder(t, bin, dir, "alice@laptop")
	bob := newResponder(t, bin, dir, "bob@laptop")
	id := strings.TrimSpace(alice.ok("declare", "--title", "Checkout 500s", "--sev", "1", "--kind", "outage"))
	alice.ok("note", "--incident", id, "before the backup")
	alice.ok("sync", hub)
	bak := filepath.Join(dir, "alice-backup.db")
	copyStoreFile(t, alice.db, bak)
	alice.ok("note", "--incident", id, "lost with the disk 1")
	alice.ok("note", "--incident", id, "lost with the disk 2")
	alice.ok("sync", hub)
	bob.ok("sync", hub)
	bob.ok("note", "--incident", id, "bob meanwhile")
	bob.ok("sync", hub)

	copyStoreFile(t, bak, alice.db)
	alice.ok("verify") // alone it cannot tell
	out, errOut, code := alice.run("verify", "--against", hub)
	if code != 2 || !strings.Contains(out, "alice@laptop: history made in store") || !strings.Contains(out, "are missing here") || !strings.Contains(out, "sitrep sync --full") {
		t.Fatalf("verify --against after the restore: exit %d\n%s%s", code, out, errOut)
	}
	alice.ok("note", "--incident", id, "after the restore")
	out = alice.ok("sync", hub)
	if !strings.Contains(out, "took back 2 events the hub holds that this store had lost") || !strings.Contains(out, "renumbered the 1 made here since") {
		t.Fatalf("sync after the restore:\n%s", out)
	}
	bob.ok("sync", hub)
	alice.ok("sync", hub)
	hubRun := &sitrepRun{t: t, bin: bin, db: hub, env: alice.env}
	for who, r := range map[string]*sitrepRun{"alice": alice, "bob": bob, "hub": hubRun} {
		if out, errOut, code := r.run("verify"); code != 0 {
			t.Errorf("%s: verify exit %d\n%s%s", who, code, out, errOut)
		}
	}
	if out := alice.ok("verify", "--against", hub); !strings.Contains(out, "is here in full") {
		t.Errorf("verify --against after the sync:\n%s", out)
	}
	as, bs := alice.ok("show", id), bob.ok("show", id)
	for _, w := range []string{"before the backup", "lost with the disk 1", "lost with the disk 2", "bob meanwhile", "after the restore"} {
		if !strings.Contains(as, w) || !strings.Contains(bs, w) {
			t.Errorf("show lacks %q:\nalice:\n%s\nbob:\n%s", w, as, bs)
		}
	}
	if as != bs {
		t.Errorf("show differs:\nalice:\n%s\nbob:\n%s", as, bs)
	}
}

// TestE2EVerifyAgainstOverSSHD: verify --against through real OpenSSH,
// and against a hub that does not exist (nothing is created; exit 5).
func TestE2EVerifyAgainstOverSSHD(t *testing.T) {
	srv := startSSHD(t)
	bin := buildSitrep(t)
	dir := t.TempDir()
	hubPath := filepath.Join(dir, "team.db")
	hub := srv.remote(hubPath)
	alice := newResponder(t, bin, dir, "alice@laptop")
	id := strings.TrimSpace(alice.ok("declare", "--title", "x", "--sev", "2", "--kind", "outage"))
	ssh := []string{"--ssh", srv.sshOpts, "--remote-sitrep", bin}
	out, errOut, code := alice.run(append([]string{"verify", "--against", hub}, ssh...)...)
	if code != 5 || !strings.Contains(errOut, "no shared store") {
		t.Fatalf("verify --against a missing hub: exit %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(hubPath); err == nil {
		t.Fatal("verify --against created the hub")
	}
	alice.ok(append([]string{"sync", hub}, ssh...)...)
	alice.ok("note", "--incident", id, "not synced yet")
	out = alice.ok(append([]string{"verify", "--against", hub}, ssh...)...)
	if !strings.Contains(out, "is here in full") || !strings.Contains(out, "1 chain here runs past the hub's copy") {
		t.Fatalf("verify --against:\n%s", out)
	}
}

// TestE2EDeletedHistory: the steps with the real binary: delete a
// teammate's newest notes, then their whole history, with SQL, and run
// 'sitrep rebuild'. verify exits 2 naming them from what the hub
// acknowledged; with those records deleted too, only verify --against does.
// sync (or sync --full without the records) takes the events back.
func TestE2EDeletedHistory(t *testing.T) {
	bin := buildSitrep(t)
	dir := t.TempDir()
	hub := filepath.Join(dir, "team.db")
	alice := newResponder(t, bin, dir, "alice@laptop")
	bob := newResponder(t, bin, dir, "bob@laptop")
	id := strings.TrimSpace(bob.ok("declare", "--title", "Checkout 500s", "--sev", "1", "--kind", "outage"))
	bob.ok("sync", hub)
	alice.ok("sync", hub)
	for _, n := range []string{"one", "two", "three"} {
		alice.ok("note", "--incident", id, "alice "+n)
	}
	alice.ok("sync", hub)
	bob.ok("sync", hub)
	want := bob.ok("show", id)
	exec := func(q string) {
		t.Helper()
		st, err := storage.Open(context.Background(), bob.db, storage.Options{Author: "sql"})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if _, err := st.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name, del string
		marks     bool
	}{
		{"newest two", `DELETE FROM events WHERE author = 'alice@laptop' AND chain_seq > 1`, true},
		{"whole history", `DELETE FROM events WHERE author = 'alice@laptop'`, true},
		{"whole history and the sync records", `DELETE FROM events WHERE author = 'alice@laptop'`, false},
	} {
		exec(c.del)
		if !c.marks {
			exec(`DELETE FROM meta WHERE key LIKE 'acked %'`)
		}
		bob.ok("rebuild")
		out, errOut, code := bob.run("verify")
		if c.marks && (code != 2 || !strings.Contains(out, "alice@laptop: history made in store") || !strings.Contains(out, "missing here")) {
			t.Fatalf("%s: verify: exit %d\n%s%s", c.name, code, out, errOut)
		}
		if !c.marks && code != 0 {
			t.Fatalf("%s: verify without the records: exit %d\n%s%s", c.name, code, out, errOut)
		}
		out, errOut, code = bob.run("verify", "--against", hub)
		if code != 2 || !strings.Contains(out, "alice@laptop: history made in store") || !strings.Contains(out, "the hub "+hub) {
			t.Fatalf("%s: verify --against: exit %d\n%s%s", c.name, code, out, errOut)
		}
		t.Logf("%s: verify --against: %s", c.name, strings.TrimSpace(out))
		args := []string{"sync", hub}
		if !c.marks {
			args = append(args, "--full")
		}
		out = bob.ok(args...)
		t.Logf("%s: %s", c.name, strings.TrimSpace(out))
		bob.ok("verify", "--against", hub)
		if got := bob.ok("show", id); got != want {
			t.Fatalf("%s: show after the sync:\n%s\nwant:\n%s", c.name, got, want)
		}
	}
}
