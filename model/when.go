package model

import (
	"strings"
	"time"
)

// ParseWhen reads the time a person gives for when something happened, the
// one parser the command line and the cockpit share. Every screen shows
// UTC, so a time or date without a zone is UTC; a trailing Z, " UTC" or an
// offset like +02:00 says otherwise. It accepts:
//
//   - "14:02" or "14:02:30": today (in UTC, or in the zone given), or
//     yesterday if that would be in the future, so a note written after
//     midnight about 23:50 lands right;
//   - "-10m": ten minutes ago;
//   - "2026-11-23 14:02", "2026-11-23T14:02:30" or RFC 3339;
//   - "2026-11-23": the start of that day.
//
// loc is the zone for times given without one; nil means UTC, which is what
// sitrep's commands and cockpit pass.
func ParseWhen(text string, now time.Time, loc *time.Location) (time.Time, error) {
	t := strings.TrimSpace(text)
	if t == "" || t == "now" {
		return now, nil
	}
	if loc == nil {
		loc = time.UTC
	}
	if strings.HasPrefix(t, "-") {
		d, err := time.ParseDuration(t[1:])
		if err != nil || d < 0 {
			return time.Time{}, Invalidf("invalid time %q: for a time in the past use a duration like -10m or -1h30m", text)
		}
		return now.Add(-d), nil
	}
	if rest, ok := cutSuffixFold(t, " utc"); ok {
		t = strings.TrimSpace(rest) + "Z"
	}
	for _, layout := range []string{"15:04", "15:04:05"} {
		zone := loc
		clock, err := time.ParseInLocation(layout, t, loc)
		if err != nil {
			if clock, err = time.Parse(layout+"Z07:00", t); err == nil {
				_, off := clock.Zone()
				zone = time.FixedZone("", off)
			}
		}
		if err == nil {
			local := now.In(zone)
			at := time.Date(local.Year(), local.Month(), local.Day(), clock.Hour(), clock.Minute(), clock.Second(), 0, zone)
			if at.After(now.Add(time.Minute)) {
				at = at.AddDate(0, 0, -1)
			}
			return at, nil
		}
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04Z07:00", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04Z07:00"} {
		if at, err := time.Parse(layout, t); err == nil {
			return at, nil
		}
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if at, err := time.ParseInLocation(layout, t, loc); err == nil {
			return at, nil
		}
	}
	return time.Time{}, Invalidf("invalid time %q: use 14:02 (UTC), -10m, 2026-11-23, 2026-11-23 14:02 or RFC 3339", text)
}

// MaxAhead is how far past now a time given for something that already
// happened may be, for clocks a little apart; it matches how far ahead the
// store lets an event be stamped before marking it [clock ahead].
const MaxAhead = 5 * time.Minute

// CheckPast refuses a time more than MaxAhead past now, for flags that say
// when something happened: what names the flag in the error.
func CheckPast(what string, at, now time.Time) error {
	if at.After(now.Add(MaxAhead)) {
		return Invalidf("%s %s is %s in the future (now %s): give when it happened, like 14:02 (UTC) or -10m",
			what, at.UTC().Format("2006-01-02 15:04Z"), FormatAge(at.Sub(now)), now.UTC().Format("2006-01-02 15:04Z"))
	}
	return nil
}

// ParsePast reads when something already happened, as ParseWhen does in
// UTC, and refuses it more than MaxAhead past now: the one rule for every
// "when" a person gives, on the command line and in the cockpit. what
// names the field in errors.
func ParsePast(what, text string, now time.Time) (time.Time, error) {
	at, err := ParseWhen(text, now, time.UTC)
	if err != nil {
		return time.Time{}, err
	}
	return at, CheckPast(what, at, now)
}

func cutSuffixFold(s, suffix string) (string, bool) {
	if len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix) {
		return s[:len(s)-len(suffix)], true
	}
	return s, false
}
