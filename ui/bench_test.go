package ui

import (
	"context"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/storage"
	"github.com/sitrep-dev/sitrep/storage/storagetest"
)

// BenchmarkKeypress times one key (Update and View of the whole 160x48
// screen) on an open incident: the big one, and one of about 100 entries.
// Targets: at most 2 ms, and the big one at most twice the small one.
func BenchmarkKeypress(b *testing.B) {
	ctx := context.Background()
	st, _, big := storagetest.OpenMillion(b)
	list, err := st.IncidentsPage(ctx, 0, -1)
	if err != nil {
		b.Fatal(err)
	}
	// The list does not count entries; find one of the small incidents
	// with close to 100.
	small, best := "", 1<<30
	for _, in := range list[:min(len(list), 200)] {
		if in.ID == big {
			continue
		}
		all, err := st.Timeline(ctx, in.ID, storage.TimelinePage{})
		if err != nil {
			b.Fatal(err)
		}
		if d := abs(len(all) - 100); d < best {
			small, best = in.ID, d
		}
	}
	for _, c := range []struct {
		name string
		id   string
	}{{"entries=100", small}, {"entries=100000", big}} {
		b.Run(c.name, func(b *testing.B) {
			d := newDriver(b, Options{Store: st, Incident: c.id}, 160, 48)
			a := d.app()
			if !a.loaded {
				b.Fatal("incident did not load")
			}
			if len(a.timeline.entries) > timelineWindow {
				b.Fatalf("%d timeline entries in memory, window is %d", len(a.timeline.entries), timelineWindow)
			}
			var m tea.Model = a
			keys := []tea.KeyMsg{keyMsg("k"), keyMsg("j")}
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				m, _ = m.Update(keys[i%2])
				_ = m.View()
			}
			b.ReportMetric(float64(a.timeline.total), "timeline-entries")
			b.ReportMetric(float64(len(a.timeline.entries)), "in-memory")
		})
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
