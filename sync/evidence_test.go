package sync

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
)

// TestEvidenceSyncs: a command's evidence recorded on one laptop reaches a
// teammate through the hub whole, and both stores project it the same.
func TestEvidenceSyncs(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	hub := filepath.Join(dir, "team.db")
	alice := openStore(t, filepath.Join(dir, "a.db"), "alice", nil)
	bob := openStore(t, filepath.Join(dir, "b.db"), "bob", nil)
	in := declare(t, alice, "Checkout 500s")
	p := model.EvidencePayload{Command: "kubectl get pods", Host: "bastion", Dir: "/srv", Started: time.Now().UTC().Truncate(time.Millisecond),
		DurationMS: 800, Exit: 1, Output: "checkout-7f9 CrashLoopBackOff\n", OutputBytes: 30, Masked: 1, Runbook: "checkout", Step: 1}
	if _, err := alice.Append(ctx, model.Change{IncidentID: in, Kind: model.EventEvidence, Payload: p}); err != nil {
		t.Fatal(err)
	}
	mustSync(t, alice, hub, localOpts())
	mustSync(t, bob, hub, localOpts())
	got, err := bob.Evidence(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !reflect.DeepEqual(got[0].EvidencePayload, p) || got[0].Author != "alice" {
		t.Fatalf("bob has %+v, want %+v", got, p)
	}
	if a, b := dump(t, alice), dump(t, bob); a != b {
		t.Error("alice's and bob's tables differ after sync")
	}
}
