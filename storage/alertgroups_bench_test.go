package storage_test

import (
	"context"
	"testing"

	"github.com/sitrep-dev/sitrep/storage/storagetest"
)

// BenchmarkAlertGroupLookup: finding an alert group's open incident (here
// none has it, the case of every new alert) in the million-entry store,
// whose active incidents include the 100,000-entry one.
func BenchmarkAlertGroupLookup(b *testing.B) {
	st, _, _ := storagetest.OpenMillion(b)
	ctx := context.Background()
	active, _, err := st.IncidentCounts(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d active incidents", active)
	b.ResetTimer()
	for b.Loop() {
		if _, ok, err := st.OpenIncidentForAlertGroup(ctx, `alertmanager:{}:{alertname="Nope"}`); err != nil || ok {
			b.Fatal(ok, err)
		}
	}
}
