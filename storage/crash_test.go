package storage_test

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// TestMain lets this test binary double as the crash test's child: with
// SITREP_CRASH_CHILD set it appends notes until killed.
func TestMain(m *testing.M) {
	if path := os.Getenv("SITREP_CRASH_CHILD"); path != "" {
		crashChild(path)
		return
	}
	if path := os.Getenv("SITREP_CHECKPOINT_CHILD"); path != "" {
		checkpointChild(path)
		return
	}
	os.Exit(m.Run())
}

// crashChild appends notes in a loop and prints each id only after the
// commit returned: every printed id is a promise that must survive SIGKILL.
func crashChild(path string) {
	ctx := context.Background()
	st, err := storage.Open(ctx, path, storage.Options{Author: "crash@child"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	in, err := st.Current(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	w := bufio.NewWriter(os.Stdout)
	for i := 0; ; i++ {
		e, err := st.Append(ctx, model.Change{IncidentID: in.ID, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: fmt.Sprint("note ", i)}})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Fprintln(w, e.ID)
		w.Flush()
	}
}

func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes 20 times")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crash.db")
	st, err := storage.Open(ctx, path, storage.Options{Author: "parent"})
	if err != nil {
		t.Fatal(err)
	}
	declare(t, st, "crash")
	st.Close()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	promised := map[string]bool{}
	for round := 0; round < 20; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "SITREP_CRASH_CHILD="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// Let it write a random number of notes, then kill it mid-stride.
		target := 1 + rng.IntN(40)
		deadline := time.After(30 * time.Second)
		got := 0
	read:
		for got < target {
			select {
			case id, ok := <-lines:
				if !ok {
					break read
				}
				promised[id] = true
				got++
			case <-deadline:
				break read
			}
		}
		time.Sleep(time.Duration(rng.IntN(3000)) * time.Microsecond)
		cmd.Process.Signal(syscall.SIGKILL)
		for id := range lines { // ids printed before the kill landed count too
			promised[id] = true
		}
		cmd.Wait()
		if got == 0 {
			t.Fatalf("round %d: child wrote nothing: %s", round, stderr.String())
		}
	}
	st, err = storage.Open(ctx, path, storage.Options{Author: "parent"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var check string
	if err := st.DB().QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q %v", check, err)
	}
	for id := range promised {
		if _, err := st.TimelineEntry(ctx, id); err != nil {
			t.Errorf("note %s was acknowledged but is gone: %v", id, err)
		}
	}
	rep, err := st.Verify(ctx)
	if err != nil || len(rep.Problems) > 0 {
		t.Fatalf("verify after crashes: %v %v", rep.Problems, err)
	}
	t.Logf("%d acknowledged notes survived 20 SIGKILLs", len(promised))
}

// checkpointChild grows the store by a batch of notes, printing each id
// once committed, then says "checkpoint" and copies the log into the main
// file, over and over until killed.
func checkpointChild(path string) {
	ctx := context.Background()
	st, err := storage.Open(ctx, path, storage.Options{Author: "checkpoint@child"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	in, err := st.Current(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	pad := strings.Repeat("replica lag on db-3 climbing ", 40)
	for i := 0; ; i++ {
		for j := 0; j < 25; j++ {
			e, err := st.Append(ctx, model.Change{IncidentID: in.ID, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: fmt.Sprint("note ", i, ".", j, " ", pad)}})
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			fmt.Println(e.ID)
		}
		fmt.Println("checkpoint")
		if _, err := st.DB().Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

// TestKillDuringCheckpoint SIGKILLs a process while it copies its log into
// the main file. Where a kill lands is up to the scheduler, so the test
// counts the kills that left the main file shorter than its header (the
// state TestOpenAfterKillDuringCheckpoint builds on purpose); whatever the
// count, every run must open with every acknowledged note.
func TestKillDuringCheckpoint(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes 30 times")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ckpt.db")
	st, err := storage.Open(ctx, path, storage.Options{Author: "parent"})
	if err != nil {
		t.Fatal(err)
	}
	declare(t, st, "checkpoint kills")
	st.Close()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 2))
	promised := map[string]bool{}
	short := 0
	const rounds = 30
	for round := 0; round < rounds; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "SITREP_CHECKPOINT_CHILD="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		checkpoints := 0
		target := 1 + rng.IntN(3)
		for checkpoints < target && sc.Scan() {
			if line := sc.Text(); line == "checkpoint" {
				checkpoints++
			} else {
				promised[line] = true
			}
		}
		// The checkpoint has just begun: kill it somewhere inside.
		time.Sleep(time.Duration(rng.IntN(4000)) * time.Microsecond)
		cmd.Process.Signal(syscall.SIGKILL)
		for sc.Scan() {
			if line := sc.Text(); line != "checkpoint" {
				promised[line] = true
			}
		}
		cmd.Wait()
		if checkpoints < target {
			t.Fatalf("round %d: child stopped early: %s", round, stderr.String())
		}
		if shortMainFile(t, path) {
			short++
		}
		st, err := storage.Open(ctx, path, storage.Options{Author: "parent"})
		if err != nil {
			t.Fatalf("round %d: a killed checkpoint locked the store out: %v", round, err)
		}
		n, err := st.CountEvents(ctx)
		st.Close()
		if err != nil || n < int64(len(promised)) {
			t.Fatalf("round %d: %d events, %d acknowledged: %v", round, n, len(promised), err)
		}
	}
	st, err = storage.Open(ctx, path, storage.Options{Author: "parent"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for id := range promised {
		if _, err := st.TimelineEntry(ctx, id); err != nil {
			t.Errorf("note %s was acknowledged but is gone: %v", id, err)
		}
	}
	if rep, err := st.Verify(ctx); err != nil || len(rep.Problems) > 0 {
		t.Fatalf("verify after kills: %v %v", rep.Problems, err)
	}
	t.Logf("%d kills during checkpoints, %d left the main file shorter than its header; all %d acknowledged notes kept", rounds, short, len(promised))
}

// shortMainFile says whether the main file is shorter than its header says.
func shortMainFile(t *testing.T, path string) bool {
	b, err := os.ReadFile(path)
	if err != nil || len(b) < 100 {
		t.Fatalf("read %s: %v", path, err)
	}
	pageSize := int(binary.BigEndian.Uint16(b[16:18]))
	pages := int(binary.BigEndian.Uint32(b[28:32]))
	return len(b) < pages*pageSize
}
