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

// TPlus is a T+ mark since detection: T+0:00, T+1:05:09.
func TPlus(d time.Duration) string {
	sign := "+"
	if d < 0 {
		sign, d = "-", -d
	}
	d = d.Truncate(time.Second)
	h, m, s := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	if h > 0 {
		return fmt.Sprintf("T%s%d:%02d:%02d", sign, h, m, s)
	}
	return fmt.Sprintf("T%s%d:%02d", sign, m, s)
}
