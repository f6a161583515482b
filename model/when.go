package model

import (
	"strings"
	"time"
)

// ParseWhen reads the time a person gives for when something happened:
// "14:02" or "14:02:30" (today in loc, or yesterday if that would be in the
// future, so a note written after midnight about 23:50 lands right), "-10m"
// (ten minutes ago), "2026-11-23 14:02", or RFC 3339.
func ParseWhen(text string, now time.Time, loc *time.Location) (time.Time, error) {
	t := strings.TrimSpace(text)
	if t == "" || t == "now" {
		return now, nil
	}
	if loc == nil {
		loc = time.Local
	}
	if strings.HasPrefix(t, "-") {
		d, err := time.ParseDuration(t[1:])
		if err != nil || d < 0 {
			return time.Time{}, Invalidf("invalid time %q: for a time in the past use a duration like -10m or -1h30m", text)
		}
		return now.Add(-d), nil
	}
	for _, layout := range []string{"15:04", "15:04:05"} {
		if clock, err := time.ParseInLocation(layout, t, loc); err == nil {
			local := now.In(loc)
			at := time.Date(local.Year(), local.Month(), local.Day(), clock.Hour(), clock.Minute(), clock.Second(), 0, loc)
			if at.After(now.Add(time.Minute)) {
				at = at.AddDate(0, 0, -1)
			}
			return at, nil
		}
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04"} {
		if at, err := time.ParseInLocation(layout, t, loc); err == nil {
			return at, nil
		}
	}
	return time.Time{}, Invalidf("invalid time %q: use 14:02, -10m, 2026-11-23 14:02 or RFC 3339", text)
}
