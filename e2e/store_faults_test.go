package e2e

import (
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

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

// needMount runs mount with args, the mount point last, and unmounts it
// when the test ends. Mounting needs root (CI runs as root): a laptop
// skips, and SITREP_REQUIRE_MOUNT=1 makes that a failure.
func needMount(t *testing.T, args ...string) {
	t.Helper()
	dir := args[len(args)-1]
	out, err := exec.Command("mount", args...).CombinedOutput()
	if err != nil {
		msg := fmt.Sprintf("cannot mount (needs root): %v %s", err, strings.TrimSpace(string(out)))
		if os.Getenv("SITREP_REQUIRE_MOUNT") == "1" {
			t.Fatalf("%s; SITREP_REQUIRE_MOUNT=1 requires it", msg)
		}
		t.Skipf("%s; set SITREP_REQUIRE_MOUNT=1 to require it", msg)
	}
	t.Cleanup(func() {
		// A sitrep the test started may take a moment to exit.
		var out []byte
		var err error
		for i := 0; i < 40; i++ {
			if out, err = exec.Command("umount", dir).CombinedOutput(); err == nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Errorf("umount %s: %v %s", dir, err, out)
		exec.Command("umount", "-l", dir).Run()
	})
}

// smallDisk is a new tmpfs of size bytes.
func smallDisk(t *testing.T, size int64) string {
	dir := t.TempDir()
	needMount(t, "-t", "tmpfs", "-o", fmt.Sprintf("size=%d,mode=0700", size), "tmpfs", dir)
	return dir
}

// readOnlyView is src mounted read-only somewhere else: a read-only file
// system, which root cannot write either.
func readOnlyView(t *testing.T, src string) string {
	dir := t.TempDir()
	needMount(t, "--bind", src, dir)
	if out, err := exec.Command("mount", "-o", "remount,bind,ro", dir).CombinedOutput(); err != nil {
		t.Fatalf("remount %s read-only: %v %s", dir, err, out)
	}
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
			dir := smallDisk(t, 4<<20)
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
			if fullErr == "" || len(kept) == 0 {
				t.Fatalf("%d notes fitted, then %q: want some to fit and then the disk to fill", len(kept), fullErr)
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

// asUser runs the built binary as an unprivileged user: permission bits are
// what the read-only tests are about, and root ignores them. Without root
// the test's own user is unprivileged already.
type asUser struct {
	bin  string
	db   string
	env  []string
	wrap []string // setpriv to nobody, when the test runs as root
}

// newUnprivileged copies the binary where any user may run it and makes a
// home folder the user owns, under a base every user may enter.
func newUnprivileged(t *testing.T) (*asUser, string) {
	t.Helper()
	bin := buildSitrep(t)
	base, err := os.MkdirTemp("", "sitrep-ro-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	u := &asUser{bin: filepath.Join(base, "sitrep")}
	if err := os.WriteFile(u.bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(base, "home")
	if err := os.Mkdir(home, 0o700); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		setpriv, err := exec.LookPath("setpriv")
		if err != nil {
			t.Skip("running as root without setpriv: cannot drop to an unprivileged user, and root ignores permission bits")
		}
		u.wrap = []string{setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"}
		if err := os.Chown(home, 65534, 65534); err != nil {
			t.Fatal(err)
		}
	}
	u.db = filepath.Join(home, "sitrep.db")
	u.env = append(os.Environ(), "SITREP_AUTHOR=alice@laptop", "SITREP_DB=", "SITREP_REMOTE=", "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, "config"))
	return u, home
}

func (u *asUser) run(t *testing.T, args ...string) (string, string, int) {
	argv := append(append(append([]string(nil), u.wrap...), u.bin, "--db", u.db), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = u.env
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}

func (u *asUser) ok(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, code := u.run(t, args...)
	if code != 0 {
		t.Fatalf("sitrep %s: exit %d: %s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// readingWorks runs every reading command and checks each shows the store.
func (u *asUser) readingWorks(t *testing.T, id, note string) {
	t.Helper()
	for _, args := range [][]string{{"ls"}, {"show", id}, {"search", "replica"}, {"export", "--all", "--format", "json"}, {"stats"}, {"verify"}} {
		out, errOut, code := u.run(t, args...)
		if code != 0 {
			t.Errorf("sitrep %s on a read-only store: exit %d: %s", strings.Join(args, " "), code, errOut)
			continue
		}
		want := note
		if args[0] == "search" {
			want = id // search shows the incident, with the words it matched
		}
		if args[0] == "show" || args[0] == "export" || args[0] == "search" {
			if !strings.Contains(out, want) {
				t.Errorf("sitrep %s lacks the note:\n%s", strings.Join(args, " "), out)
			}
		}
	}
}

// writingSays checks that a note fails in one line naming what is
// read-only.
func (u *asUser) writingSays(t *testing.T, what string) {
	t.Helper()
	_, errOut, code := u.run(t, "note", "cannot be saved")
	if code != 1 || !strings.Contains(errOut, "read-only") || !strings.Contains(errOut, what) ||
		strings.Count(strings.TrimRight(errOut, "\n"), "\n") > 0 || regexp.MustCompile(`\(\d+\)`).MatchString(errOut) {
		t.Errorf("a note on a read-only store: exit %d, %q; want one line saying %s is read-only", code, errOut, what)
	}
}

// Reading commands work on a store this user may not write, writing says
// what is read-only, and a read-only session leaves nothing that blocks
// writing once the permission is back.
func TestReadOnlyStore(t *testing.T) {
	u, home := newUnprivileged(t)
	id := strings.TrimSpace(u.ok(t, "declare", "--title", "Replica lag", "--sev", "2", "--kind", "outage"))
	const note = "replica lag on db-3"
	u.ok(t, "note", note)
	chmod := func(t *testing.T, p string, mode os.FileMode) {
		t.Helper()
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	leftovers := func(t *testing.T) {
		t.Helper()
		for _, suffix := range []string{"-wal", "-shm"} {
			if _, err := os.Stat(u.db + suffix); err == nil {
				t.Errorf("a read-only session left %s", u.db+suffix)
			}
		}
	}

	t.Run("read-only file", func(t *testing.T) {
		chmod(t, u.db, 0o400)
		u.readingWorks(t, id, note)
		u.writingSays(t, u.db)
		leftovers(t)
		chmod(t, u.db, 0o600)
		u.ok(t, "note", "writable again (file)")
	})
	t.Run("read-only folder", func(t *testing.T) {
		chmod(t, home, 0o500)
		u.readingWorks(t, id, note)
		u.writingSays(t, "the folder "+home)
		chmod(t, home, 0o700)
		u.ok(t, "note", "writable again (folder)")
		leftovers(t)
	})
	if show := u.ok(t, "show", id); !strings.Contains(show, "writable again (file)") || !strings.Contains(show, "writable again (folder)") {
		t.Errorf("notes written after the read-only sessions are missing:\n%s", show)
	}
}

// A store on a read-only file system (a backup mounted read-only, a full
// disk remounted read-only by the kernel) can be read, including what a
// killed writer left in its -wal; writing says what is read-only.
func TestReadOnlyFileSystem(t *testing.T) {
	c := newCLI(t)
	src := t.TempDir()
	c.db = filepath.Join(src, "sitrep.db")
	id := strings.TrimSpace(c.ok("declare", "--title", "Replica lag", "--sev", "2", "--kind", "outage"))
	c.ok("note", "replica lag on db-3")
	view := &cli{t: t, db: filepath.Join(readOnlyView(t, src), "sitrep.db")}
	reads := func(want string) {
		t.Helper()
		for _, args := range [][]string{{"ls"}, {"show", id}, {"search", "replica"}, {"export", "--all", "--format", "json"}, {"stats"}, {"verify"}} {
			view.ok(args...)
		}
		if show := view.ok("show", id); !strings.Contains(show, want) {
			t.Errorf("show lacks %q:\n%s", want, show)
		}
	}
	reads("replica lag on db-3")
	view.fails(1, "the folder "+filepath.Dir(view.db)+" is on a read-only file system", "note", "x")
	fresh := &cli{t: t, db: filepath.Join(filepath.Dir(view.db), "new", "sitrep.db")}
	fresh.fails(1, "create store "+fresh.db+": the folder "+filepath.Dir(view.db)+" is on a read-only file system", "ls")

	// A writer killed with changes still in its log.
	storagetest.KilledMidCheckpoint(t, c.db, func() {
		for i := 0; i < 30; i++ {
			c.ok("note", fmt.Sprintf("in the log %02d %s", i, strings.Repeat("lag ", 50)))
		}
	})
	reads("in the log 29")
	view.fails(1, "read-only file system", "note", "x")

	// The same with the -shm a live (or killed) writer keeps: SQLite reads
	// the log in place through it.
	holder, err := sql.Open("sqlite", c.db)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	var n int
	if err := holder.QueryRow("SELECT count(*) FROM events").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(c.db + "-shm"); err != nil {
		t.Fatalf("no -shm beside a store held open: %v", err)
	}
	reads("in the log 29")
}

// The cockpit opens a store on a read-only file system and, when a note
// cannot be saved, says why in the words the CLI uses.
func TestCockpitOnReadOnlyStore(t *testing.T) {
	tmux := needTool(t, "tmux", "SITREP_REQUIRE_E2E")
	bin := buildSitrep(t)
	c := newCLI(t)
	src := t.TempDir()
	c.db = filepath.Join(src, "sitrep.db")
	short := strings.TrimSpace(c.ok("declare", "--title", "Replica lag", "--sev", "2", "--kind", "outage"))
	view := readOnlyView(t, src)
	s := startCockpit(t, tmux, bin, []string{"SITREP_DB=" + filepath.Join(view, "sitrep.db"), "SITREP_AUTHOR=tess@tmux",
		"XDG_CONFIG_HOME=" + t.TempDir(), "SITREP_REMOTE="})
	s.waitFor("the list", "Incidents", "Replica lag", short)
	s.keys("Enter")
	s.waitFor("the incident", "Timeline")
	s.keys("n")
	s.waitFor("the note input", "Note:")
	s.literal("cannot be saved here")
	s.keys("Enter")
	s.waitFor("the refusal", "read-only file system")
}

// A hub whose disk fills refuses the sync that does not fit, saying so, and
// keeps what it had; once space is freed the same sync goes through and a
// new laptop pulls everything.
func TestHubDiskFull(t *testing.T) {
	alice := newCLI(t)
	disk := smallDisk(t, 4<<20)
	hub := filepath.Join(disk, "team.db")
	id := strings.TrimSpace(alice.ok("declare", "--title", "Bastion disk full", "--sev", "1", "--kind", "outage"))
	alice.ok("sync", hub)
	filler := filepath.Join(disk, "filler")
	if err := os.WriteFile(filler, make([]byte, freeBytes(t, disk)-100<<10), 0o600); err != nil {
		t.Fatal(err)
	}
	var notes []string
	for i := 0; i < 60; i++ {
		n := fmt.Sprintf("note %02d %s", i, strings.Repeat("var/log at 100% ", 30))
		alice.ok("note", n)
		notes = append(notes, n)
	}
	_, errOut, code := alice.run("", "sync", hub)
	if code == 0 || !strings.Contains(errOut, "disk is full") || strings.Count(strings.TrimRight(errOut, "\n"), "\n") > 0 {
		t.Fatalf("a sync into a full hub: exit %d, %q; want one line saying the disk is full", code, errOut)
	}
	t.Logf("sync into a full hub: %s", strings.TrimSpace(errOut))
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if out := alice.ok("sync", hub); !strings.Contains(out, "sent 60 new events") {
		t.Errorf("the sync after freeing space: %s", out)
	}
	bob := alice.as("bob")
	if _, errOut, code := bob.runAs("bob@laptop", "sync", hub); code != 0 {
		t.Fatal(errOut)
	}
	show, _, _ := bob.runAs("bob@laptop", "show", id)
	for _, n := range notes {
		if !strings.Contains(show, n) {
			t.Fatalf("the hub lost %.20q…", n)
		}
	}
}

// TestImportDiskFull imports an export of 10,000 events into a store on a
// disk with room for a fraction of them. The import stores events on one
// goroutine while it checks the next ones on another: when storing fails,
// checking must stop too, and the command must end at once with one line
// saying the disk is full, leaving the store as it was. Once space is
// freed, the same import goes through.
func TestImportDiskFull(t *testing.T) {
	bin := buildSitrep(t)
	src := storagetest.CachedCopy(t, storagetest.Spec{Incidents: 100, Entries: 10000, Big: 100, Seed: 3})
	file := filepath.Join(t.TempDir(), "all.json")
	exporter := newResponder(t, bin, t.TempDir(), "exporter@laptop")
	exporter.db = src
	exporter.ok("export", "--all", "--format", "json", "-o", file)

	dir := smallDisk(t, 16<<20)
	r := newResponder(t, bin, t.TempDir(), "alice@laptop")
	r.db = filepath.Join(dir, "sitrep.db")
	id := strings.TrimSpace(r.ok("declare", "--title", "Before the import", "--sev", "2"))
	r.ok("note", "written before the import")
	filler := filepath.Join(dir, "filler")
	if err := os.WriteFile(filler, make([]byte, freeBytes(t, dir)-1<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, errOut, code := r.run("import", file)
	took := time.Since(start)
	if code == 0 {
		t.Fatal("an import of 10,000 events fitted in 1 MB: the test needs a smaller disk")
	}
	t.Logf("import on a full disk ended in %v: %s", took.Round(time.Millisecond), strings.TrimSpace(errOut))
	if !strings.Contains(errOut, "disk is full") || strings.Count(strings.TrimRight(errOut, "\n"), "\n") > 0 {
		t.Errorf("want one line saying the disk is full, got %q", errOut)
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	list := r.ok("ls")
	if n := strings.Count(list, "\n"); n != 2 || !strings.Contains(list, "Before the import") {
		t.Errorf("after the failed import the store should hold its one incident, ls says:\n%s", list)
	}
	if show := r.ok("show", id); !strings.Contains(show, "written before the import") {
		t.Errorf("the note written before the import is gone:\n%s", show)
	}
	r.ok("verify")
	r.ok("import", file)
	if n := strings.Count(r.ok("ls"), "\n"); n < 102 {
		t.Errorf("after freeing space the import should add 100 incidents; ls lists %d lines", n)
	}
	r.ok("verify")
}
