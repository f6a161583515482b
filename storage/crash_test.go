package storage_test

import (
	"bufio"
	"context"
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
		e, err := st.Append(ctx, model.Draft{IncidentID: in.ID, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: fmt.Sprint("note ", i)}})
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
