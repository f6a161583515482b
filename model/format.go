package model

import (
	"fmt"
	"time"
)

// FormatAge writes a duration the way responders say it: 45s, 12m, 3h05m,
// 2d04h. Negative durations (clocks ahead) keep their sign.
func FormatAge(d time.Duration) string {
	sign := ""
	if d < 0 {
		sign, d = "-", -d
	}
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%s%ds", sign, int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%s%dm", sign, int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%s%dh%02dm", sign, int(d/time.Hour), int(d%time.Hour/time.Minute))
	default:
		return fmt.Sprintf("%s%dd%02dh", sign, int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour))
	}
}

// TPlus is a T+ mark since detection (or on a drill's exercise clock), the
// one offset format of the cockpit, show, the exports and the after-action
// report: T+0:06, T+1:05:09, and in days and hours from a day on, where
// seconds no longer matter and a back-filled incident would otherwise read
// T+839:23:05: T+34d22h.
func TPlus(d time.Duration) string {
	sign := "+"
	if d < 0 {
		sign, d = "-", -d
	}
	d = d.Truncate(time.Second)
	if d >= 24*time.Hour {
		return fmt.Sprintf("T%s%dd%02dh", sign, int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour))
	}
	h, m, s := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	if h > 0 {
		return fmt.Sprintf("T%s%d:%02d:%02d", sign, h, m, s)
	}
	return fmt.Sprintf("T%s%d:%02d", sign, m, s)
}

// DayLine is the line a timeline shows where the day changes, as chat
// apps do, so entries that show only a time of day never lose their date:
// "── Mon 23 Nov 2026 ──".
func DayLine(t time.Time) string {
	return "── " + t.UTC().Format("Mon 2 Jan 2006") + " ──"
}

// SameDay reports whether a and b fall on the same UTC day.
func SameDay(a, b time.Time) bool {
	ay, am, ad := a.UTC().Date()
	by, bm, bd := b.UTC().Date()
	return ay == by && am == bm && ad == bd
}

// FormatDeclared is when an incident was declared, for lists: the time of
// day for today, the day and month for this year, the full date before
// that (at most 8 columns), so a five-week-old back-filled incident never
// reads like a new one.
func FormatDeclared(t, now time.Time) string {
	t, now = t.UTC(), now.UTC()
	switch {
	case SameDay(t, now):
		return t.Format("15:04Z")
	case t.Year() == now.Year():
		return t.Format("Jan _2")
	}
	return t.Format("Jan 2006")
}

// IncidentClock reads an incident's times as offsets: T+ since detection,
// or, for a drill, on the exercise clock, so that everything a drill shows
// (the timeline's T+ column, time to first response, the header, the
// stats) is in the one clock the players and the scenario use.
type IncidentClock struct {
	Start time.Time // detection (or the declaration); zero: no offsets
	Drill *Exercise // a drill's exercise; nil for a real incident
}

// ClockOf is the clock of in; x is its drill, or nil.
func ClockOf(in Incident, x *Exercise) IncidentClock {
	return IncidentClock{Start: in.Started(), Drill: x}
}

// Offset is how far into the incident t is, and false when there is
// nothing to measure from.
func (c IncidentClock) Offset(t time.Time) (time.Duration, bool) {
	switch {
	case c.Drill != nil:
		return c.Drill.Elapsed(t), true
	case c.Start.IsZero() || t.IsZero():
		return 0, false
	}
	return t.Sub(c.Start), true
}

// TPlus is Offset as a T+ mark, "" when there is none.
func (c IncidentClock) TPlus(t time.Time) string {
	if d, ok := c.Offset(t); ok {
		return TPlus(d)
	}
	return ""
}

// Length is how long it was from a to b, never negative: exercise time
// for a drill, wall time otherwise.
func (c IncidentClock) Length(a, b time.Time) time.Duration {
	if c.Drill != nil {
		return c.Drill.Between(a, b)
	}
	return max(b.Sub(a), 0)
}
