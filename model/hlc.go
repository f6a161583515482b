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
