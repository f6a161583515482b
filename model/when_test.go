package model

import (
	"strings"
	"testing"
	"time"
)

// Bare times and dates are UTC whatever the machine's zone, since every
// screen shows UTC; an explicit Z or offset is honoured.
func TestParseWhenIsUTC(t *testing.T) {
	saved := time.Local
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		ny = time.FixedZone("EST", -5*3600)
	}
	time.Local = ny
	defer func() { time.Local = saved }()

	now := time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"13:30", time.Date(2026, 11, 23, 13, 30, 0, 0, time.UTC)},
		{"13:30:15", time.Date(2026, 11, 23, 13, 30, 15, 0, time.UTC)},
		{"14:00", now},
		{"23:50", time.Date(2026, 11, 22, 23, 50, 0, 0, time.UTC)}, // still ahead today: yesterday
		{"13:30Z", time.Date(2026, 11, 23, 13, 30, 0, 0, time.UTC)},
		{"13:30 UTC", time.Date(2026, 11, 23, 13, 30, 0, 0, time.UTC)},
		{"15:30+02:00", time.Date(2026, 11, 23, 13, 30, 0, 0, time.UTC)},
		{"-10m", now.Add(-10 * time.Minute)},
		{"2026-01-01", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"2026-11-23 09:05", time.Date(2026, 11, 23, 9, 5, 0, 0, time.UTC)},
		{"2026-11-23T09:05:07", time.Date(2026, 11, 23, 9, 5, 7, 0, time.UTC)},
		{"2026-11-23 09:05 UTC", time.Date(2026, 11, 23, 9, 5, 0, 0, time.UTC)},
		{"2026-11-23 10:05+01:00", time.Date(2026, 11, 23, 9, 5, 0, 0, time.UTC)},
		{"2026-11-23T04:05:00-05:00", time.Date(2026, 11, 23, 9, 5, 0, 0, time.UTC)},
	} {
		got, err := ParseWhen(tc.in, now, nil)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("ParseWhen(%q) = %v, %v; want %v", tc.in, got.UTC(), err, tc.want)
		}
		// The command line passes UTC explicitly: the same answer.
		if again, _ := ParseWhen(tc.in, now, time.UTC); !again.Equal(got) {
			t.Errorf("ParseWhen(%q, UTC) = %v, nil gives %v", tc.in, again, got)
		}
	}
	for _, bad := range []string{"soon", "25:00", "2026-13-01", "-ten"} {
		if _, err := ParseWhen(bad, now, nil); err == nil {
			t.Errorf("ParseWhen(%q) accepted", bad)
		}
	}
}

func TestCheckPast(t *testing.T) {
	now := time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)
	if err := CheckPast("--at", now.Add(MaxAhead), now); err != nil {
		t.Errorf("a time within the allowed skew refused: %v", err)
	}
	err := CheckPast("--at", time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), now)
	if err == nil || !strings.Contains(err.Error(), "--at 2030-01-01 00:00Z") || !strings.Contains(err.Error(), "in the future") {
		t.Errorf("a time in 2030: %v", err)
	}
}

func FuzzParseWhen(f *testing.F) {
	for _, s := range []string{"14:02", "14:02Z", "14:02:30+02:00", "-10m", "2026-01-01", "2026-11-23 14:02 UTC", "2026-11-23T14:02:00Z", "now", ""} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		at, err := ParseWhen(s, now, nil)
		if err != nil {
			return
		}
		// A bare clock time is never more than a minute ahead.
		if len(s) <= 8 && !strings.HasPrefix(s, "-") && strings.Count(s, ":") >= 1 && !strings.ContainsAny(s, "Z+-") && at.After(now.Add(time.Minute)) {
			t.Errorf("ParseWhen(%q) = %v, ahead of now", s, at)
		}
	})
}
