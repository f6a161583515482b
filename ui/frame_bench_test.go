package ui

import (
	"context"
	"testing"

	"github.com/sitrep-dev/sitrep/storage/storagetest"
)

// BenchmarkRenderFrame times RenderFrame in process on the million-entry
// store: the list of 10,000 incidents, and the 100,000-entry incident.
func BenchmarkRenderFrame(b *testing.B) {
	ctx := context.Background()
	st, _, big := storagetest.OpenMillion(b)
	for _, c := range []struct{ name, id string }{{"list", ""}, {"incident", big}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := RenderFrame(ctx, Options{Store: st, Incident: c.id, Renderer: asciiRenderer()}, 160, 48); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
