package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/storage/storagetest"
)

// BenchmarkReplayStep times the replay of the 100,000-entry incident of
// the million-entry store on a 160x48 screen, with the store's reads
// (run as the commands they are) and the screen drawn: entering it (H)
// and one step (← or →, alternately). Target: at most 50 ms each.
// enter-cold is H before the background read of the log that opening the
// incident starts has come back.
func BenchmarkReplayStep(b *testing.B) {
	st, _, big := storagetest.OpenMillion(b)
	d := newDriver(b, Options{Store: st, Incident: big}, 160, 48)
	if !d.app().loaded {
		b.Fatal("incident did not load")
	}
	d.press("k", "k", "k") // off the newest entry, so a step forward has somewhere to go
	b.Run("enter", func(b *testing.B) {
		for b.Loop() {
			d.press("H")
			_ = d.view()
			b.StopTimer()
			if a := d.app(); !a.replay.ready || a.timeline.total < 99000 {
				b.Fatalf("replay not entered: %+v, %d entries", a.replay.on, a.timeline.total)
			}
			d.press("esc")
			b.StartTimer()
		}
	})
	// Without the log read in the background when the incident opened
	// (H pressed at once): the whole log without its notes is read then.
	b.Run("enter-cold", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			a := d.app()
			a.replayCache = nil
			d.m = *a
			b.StartTimer()
			d.press("H")
			_ = d.view()
			b.StopTimer()
			d.press("esc")
			b.StartTimer()
		}
	})
	d.press("H")
	b.Run("step", func(b *testing.B) {
		keys := []tea.KeyMsg{{Type: tea.KeyLeft}, {Type: tea.KeyRight}}
		for i := 0; b.Loop(); i++ {
			d.send(keys[i%2])
			_ = d.view()
		}
		b.ReportMetric(float64(d.app().timeline.total), "timeline-entries")
	})
}
