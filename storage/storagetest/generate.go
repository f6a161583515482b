// Package storagetest builds realistic sitrep stores for tests and
// benchmarks: thousands of incidents and a million timeline entries, made
// through the store's own append path so hashes, clocks and projections are
// exactly what real use produces.
package storagetest

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// Spec says what to generate.
type Spec struct {
	Incidents int // how many incidents
	Entries   int // timeline entries in all (at least one per incident: its declaration)
	// Big is how many of the entries go to one incident, the one a benchmark
	// opens; the rest are spread over the others. Zero means Entries/10.
	Big  int
	Seed uint64
}

// BigKey is the meta key holding the id of the incident with Big entries.
const BigKey = "storagetest_big_incident"

// Start is the fixed clock a generated store begins at, so runs repeat.
var Start = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

var authors = []string{"alice@laptop", "bob@laptop", "chen@desk", "dana@bastion", "eve@laptop"}

var phrases = []string{
	"Checked the load balancer health checks: two targets failing",
	"Rolled back deploy 4812 on checkout",
	"Paged the database on-call",
	"Error rate down to 2% after the rollback",
	"Customer support reports login failures from EU",
	"Opened a status page incident",
	"Failover to the replica completed",
	"Latency p99 back under 300ms",
	"Rotated the leaked API key",
	"Blocked the offending IP range at the edge",
}

// Generate builds a store at path. It is slow for big specs (tens of
// seconds for a million entries), so benchmarks should use Cached.
func Generate(ctx context.Context, path string, spec Spec) error {
	if spec.Incidents < 1 {
		return fmt.Errorf("generate %s: need at least one incident", path)
	}
	if spec.Entries < spec.Incidents*2 {
		spec.Entries = spec.Incidents * 2
	}
	if spec.Big == 0 {
		spec.Big = spec.Entries / 10
	}
	rng := rand.New(rand.NewPCG(spec.Seed, 0x5172e9))
	clock := Start
	now := func() time.Time {
		clock = clock.Add(time.Duration(1+rng.IntN(3000)) * time.Millisecond)
		return clock
	}
	// Each incident gets a declaration and a commander; the remaining
	// entries are notes, split between the big incident and the rest.
	rest := spec.Entries - spec.Incidents*2
	big := min(spec.Big, rest)
	others := rest - big

	ids := make([]string, spec.Incidents)
	var drafts []model.Change
	flush := func(author string) error {
		if len(drafts) == 0 {
			return nil
		}
		st, err := storage.Open(ctx, path, storage.Options{Author: author, Now: now})
		if err != nil {
			return err
		}
		defer st.Close()
		if _, err := st.AppendAll(ctx, drafts); err != nil {
			return fmt.Errorf("generate %s: %w", path, err)
		}
		drafts = drafts[:0]
		return nil
	}
	const batch = 5000
	for i := range ids {
		ids[i] = storage.NewID()
		sev := model.Severities[rng.IntN(4)]
		kind := model.IncidentKinds[rng.IntN(len(model.IncidentKinds))]
		status := model.Statuses[rng.IntN(len(model.Statuses))]
		if i == 0 {
			status = model.StatusInvestigating
		}
		drafts = append(drafts,
			model.Change{IncidentID: ids[i], Kind: model.EventDeclared, Payload: model.DeclaredPayload{
				Title: fmt.Sprintf("%s: %s #%d", kind, phrases[rng.IntN(len(phrases))], i), Kind: kind, Severity: sev,
				Status: status, Exercise: rng.IntN(10) == 0,
			}},
			model.Change{IncidentID: ids[i], Kind: model.EventRoleAssigned, Payload: model.RoleAssignedPayload{
				Role: model.RoleCommander, Holder: authors[rng.IntN(len(authors))],
			}})
		if len(drafts) >= batch {
			if err := flush(authors[i%len(authors)]); err != nil {
				return err
			}
		}
	}
	note := func(incident string) model.Change {
		kinds := model.NoteKinds
		return model.Change{IncidentID: incident, Kind: model.EventNote, Payload: model.NotePayload{
			Kind: kinds[rng.IntN(len(kinds))], Text: phrases[rng.IntN(len(phrases))],
		}}
	}
	for n := 0; n < big+others; n++ {
		target := ids[0]
		if n >= big && len(ids) > 1 {
			target = ids[1+rng.IntN(len(ids)-1)]
		}
		drafts = append(drafts, note(target))
		if len(drafts) >= batch {
			if err := flush(authors[(n/batch)%len(authors)]); err != nil {
				return err
			}
		}
	}
	if err := flush(authors[0]); err != nil {
		return err
	}
	st, err := storage.Open(ctx, path, storage.Options{Author: authors[0]})
	if err != nil {
		return err
	}
	defer st.Close()
	return st.SetMeta(ctx, BigKey, ids[0])
}

// Cached returns the path of a generated store for spec, building it once
// per machine under the temp directory. A lock file keeps two test binaries
// from building the same store at once. Callers must not write to it: copy
// it first (CopyTo) when a test appends.
func Cached(ctx context.Context, spec Spec) (string, error) {
	dir := filepath.Join(os.TempDir(), "sitrep-storagetest")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("cache folder %s: %w", dir, err)
	}
	// The schema is in the name: benchmarks open the cached file in place,
	// and a newer sitrep would migrate it under an older one sharing the
	// machine, which would then refuse it.
	name := fmt.Sprintf("v2-schema%d-i%d-e%d-b%d-s%d", storage.SchemaVersion(), spec.Incidents, spec.Entries, spec.Big, spec.Seed)
	path := filepath.Join(dir, name+".db")
	lock, err := os.OpenFile(filepath.Join(dir, name+".lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return "", fmt.Errorf("lock %s: %w", path, err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return "", fmt.Errorf("lock %s: %w", path, err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	tmp := path + ".building"
	for _, p := range []string{tmp, tmp + "-wal", tmp + "-shm"} {
		os.Remove(p)
	}
	if err := Generate(ctx, tmp, spec); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", fmt.Errorf("cache %s: %w", path, err)
	}
	return path, nil
}

// CachedCopy is a private copy of the cached store for spec, in a
// temporary folder of tb's, which the test may write.
func CachedCopy(tb testing.TB, spec Spec) string {
	tb.Helper()
	cached, err := Cached(context.Background(), spec)
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), "copy.db")
	if err := CopyTo(cached, path); err != nil {
		tb.Fatal(err)
	}
	return path
}

// CopyTo copies a (closed, checkpointed) store file to dst, so a test can
// write to a cached store without changing the cache.
func CopyTo(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("copy store %s: %w", src, err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("copy store to %s: %w", dst, err)
	}
	defer func() {
		if cerr := out.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("copy store to %s: %w", dst, cerr)
		}
	}()
	if _, err := io.Copy(out, in); err != nil {
		return fmt.Errorf("copy store %s to %s: %w", src, dst, err)
	}
	// Flush now: a gigabyte of unwritten pages would otherwise be written
	// by the first checkpoint inside whatever a benchmark times next.
	if err := out.Sync(); err != nil {
		return fmt.Errorf("flush store copy %s: %w", dst, err)
	}
	return nil
}
