package model

import (
	"testing"
	"time"
)

// A review document either fails with an error or parses to a review that,
// once rendered and parsed (which trims text, puts action fields on one
// line and times to the second), renders and parses back to itself.
func FuzzParseReviewTemplate(f *testing.F) {
	f.Add(RenderReviewTemplate(Incident{ID: "x", Title: "t"}, Review{Summary: "s", ActionItems: []ActionItem{{Title: "a", Status: ActionOpen}}}, nil))
	f.Add("## Summary\n\n<!-- c -->text\n## Action Items\n- [x] done | me | 2026-01-02 | done\n")
	f.Add("## Impact Started\n2026-11-23 14:02\n")
	f.Fuzz(func(t *testing.T, doc string) {
		r, err := ParseReviewTemplate(doc, t0)
		if err != nil {
			return
		}
		roundTrip := func(r Review) Review {
			t.Helper()
			out, err := ParseReviewTemplate(RenderReviewTemplate(Incident{ID: "x", Title: "t"}, r, nil), t0)
			if err != nil {
				t.Fatalf("re-parse of a rendered review failed: %v", err)
			}
			return out
		}
		once := roundTrip(r)
		if twice := roundTrip(once); !twice.Equal(once) {
			t.Fatalf("render/parse changed the review:\n%+v\n%+v", once, twice)
		}
	})
}

// The exercise clock never runs backwards and WallAt inverts Elapsed.
func FuzzExerciseClock(f *testing.F) {
	f.Add(uint16(5), uint16(10), uint16(3), uint8(2), uint16(30))
	f.Fuzz(func(t *testing.T, pauseAt, resumeAt, speedAt uint16, speed uint8, offset uint16) {
		events := []Event{drillStart(0),
			exEvent(1, EventExercisePaused, time.Duration(pauseAt)*time.Second, ExerciseClockPayload{}),
			exEvent(2, EventExerciseResumed, time.Duration(resumeAt)*time.Second, ExerciseClockPayload{}),
			exEvent(3, EventExerciseSpeed, time.Duration(speedAt)*time.Second, ExerciseClockPayload{Speed: float64(speed%8) + 0.5}),
		}
		x, _ := BuildExercise(events)
		var last time.Duration
		for s := 0; s < 70000; s += 997 {
			e := x.Elapsed(t0.Add(time.Duration(s) * time.Second))
			if e < last {
				t.Fatalf("clock ran backwards at %ds: %v < %v", s, e, last)
			}
			last = e
		}
		want := time.Duration(offset) * time.Second
		if at, ok := x.WallAt(want); ok {
			if got := x.Elapsed(at); got < want-time.Millisecond || got > want+time.Millisecond {
				t.Fatalf("Elapsed(WallAt(%v)) = %v", want, got)
			}
		}
	})
}
