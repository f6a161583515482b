package model

import (
	"testing"
	"time"
)

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
