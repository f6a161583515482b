package model

import (
	"fmt"
	"time"
)

// HLC is a hybrid logical clock value: milliseconds since the epoch in the
// high 48 bits, a counter in the low 16. It orders events across laptops whose
// clocks disagree: it never goes backwards, and an event made after seeing
// another always sorts after it, whatever the wall clocks said.
type HLC int64

const hlcCounterBits = 16

// NewHLC packs a wall time with a zero counter.
func NewHLC(t time.Time) HLC { return HLC(t.UnixMilli() << hlcCounterBits) }

// Next is the clock value for an event made now, after every event in seen.
func (h HLC) Next(now time.Time) HLC {
	wall := NewHLC(now)
	if wall > h {
		return wall
	}
	return h + 1
}

// Time is the physical part of the clock.
func (h HLC) Time() time.Time { return time.UnixMilli(int64(h) >> hlcCounterBits).UTC() }

func (h HLC) String() string {
	return fmt.Sprintf("%s.%d", h.Time().Format("2006-01-02T15:04:05.000Z"), int64(h)&(1<<hlcCounterBits-1))
}

// ClockTolerance is how far two clocks may disagree before sitrep flags an
// entry: an event stamped further behind what its author had already seen
// ("clock behind"), or further ahead of the clock of the store that
// received it ("clock ahead").
const ClockTolerance = time.Minute

// ClockBehind is how far, at least, the clock that stamped at was behind
// the hybrid clock of the same event: the author had already seen events
// stamped that much later, so its own clock must have been slow. It is
// never negative, and is the same on every store (a pure function of the
// event), so it may decide where an entry sits.
func ClockBehind(h HLC, at time.Time) time.Duration {
	if h == 0 || at.IsZero() {
		return 0 // made up, not stamped (a test, an entry from the exercise clock)
	}
	if d := h.Time().Sub(at); d > 0 {
		return d
	}
	return 0
}

// Placed is when the event happened, as the log can best tell: the time
// its author gave, moved forward by how far the author's clock was behind
// what the author had already seen. An event is never placed before one
// its author saw, so a laptop an hour slow lands after the declaration it
// answers rather than an hour before it. With clocks that agree it is
// Occurred.
func (e Event) Placed() time.Time { return e.Occurred.Add(ClockBehind(e.HLC, e.At)) }
