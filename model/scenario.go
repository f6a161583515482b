package model

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Scenario is a tabletop drill: what the team must achieve, which runbooks
// it exercises, and the injects a facilitator reads out as the exercise clock
// runs. It is a Markdown file like a runbook, so the same people can write
// and review it, and it keeps its exact text for the after-action report.
type Scenario struct {
	Name     string
	Title    string
	Kind     string   // kind of the exercise incident, e.g. "dr"
	Severity Severity // severity to declare the exercise incident at; 0 if unsaid
	Source   string
	Path     string
	Text     string
	Hash     string
	Duration time.Duration // planned length of the exercise; 0 if unsaid

	Runbooks   []string // names of the runbooks the drill exercises
	Objectives []Objective
	Injects    []Inject // ordered by Offset
	// Cadence is the update cadence the scenario sets (front matter
	// `cadence:`); nil leaves the team's policy in force.
	Cadence *DrillCadence
	// Brief is everything in the file that is not an inject: the setting,
	// the facilitator's notes, the debrief questions.
	Brief string
}

// ObjectiveKind says how an objective is judged in the after-action report.
type ObjectiveKind string

const (
	// ObjectiveRTO: service restored within Target of the scenario's start.
	ObjectiveRTO ObjectiveKind = "rto"
	// ObjectiveRPO: no more than Target of data lost; the team states it.
	ObjectiveRPO ObjectiveKind = "rpo"
	// ObjectiveMilestone: something named in Title done within Target.
	ObjectiveMilestone ObjectiveKind = "milestone"
	// ObjectiveRunbook: every step of Runbook done (within Target, if set).
	ObjectiveRunbook ObjectiveKind = "runbook"
)

// Objective is one thing the drill must show the team can do, with the time
// it must be done in. Targets are measured on the exercise clock.
type Objective struct {
	ID      string // stable within the scenario, so reports can refer to it
	Kind    ObjectiveKind
	Title   string
	Target  time.Duration // 0 means no time limit
	Runbook string        // for ObjectiveRunbook
	Line    int
}

// Met reports whether an objective done after took met its target.
func (o Objective) Met(took time.Duration) bool {
	return o.Target == 0 || took <= o.Target
}

// Inject is a piece of news released to the players at Offset on the
// exercise clock: the text the facilitator reads out, and what the
// facilitator should see the team do in response.
type Inject struct {
	Index    int // position in Injects
	Offset   time.Duration
	Title    string
	Text     string // Markdown, read out or pasted to the players
	Expected []string
	Line     int
}

// Due lists the injects released by elapsed time on the exercise clock.
func (s *Scenario) Due(elapsed time.Duration) []Inject {
	n := sort.Search(len(s.Injects), func(i int) bool { return s.Injects[i].Offset > elapsed })
	return s.Injects[:n]
}

// Next is the first inject not yet released at elapsed, if any is left.
func (s *Scenario) Next(elapsed time.Duration) (Inject, bool) {
	due := len(s.Due(elapsed))
	if due >= len(s.Injects) {
		return Inject{}, false
	}
	return s.Injects[due], true
}

// Objective returns the objective with the given id.
func (s *Scenario) Objective(id string) (Objective, bool) {
	for _, o := range s.Objectives {
		if o.ID == id {
			return o, true
		}
	}
	return Objective{}, false
}

// ParseOffset reads a time on the exercise clock or a delay: "+5m", "T+90s",
// "1h30m", "72h", "3d". An offset written with its plus sign may leave the
// unit out, as run-sheets do: "T+15" is fifteen minutes and "T+1:30" an
// hour and a half. Without the sign a unit is required, so "after: 5" in
// an escalation is not silently five minutes or five hours.
func ParseOffset(text string) (time.Duration, error) {
	t := strings.TrimSpace(text)
	t = strings.TrimPrefix(strings.TrimPrefix(t, "T"), "t")
	signed := strings.HasPrefix(t, "+")
	t = strings.TrimPrefix(t, "+")
	if t == "" {
		return 0, Invalidf("empty offset: write it like +5m, +1h30m or +2d")
	}
	if strings.HasPrefix(t, "-") {
		return 0, Invalidf("offset %q is negative: injects run forward from the start", text)
	}
	if signed {
		if d, ok := runSheetOffset(t); ok {
			return d, nil
		}
	}
	if _, err := strconv.ParseFloat(t, 64); err == nil {
		if signed {
			return 0, Invalidf("offset %q: minutes are whole numbers, like T+15; write +90s for seconds", text)
		}
		return 0, Invalidf("offset %q has no unit: write +%sm for minutes or +%sh for hours", text, t, t)
	}
	if strings.Contains(t, ":") {
		if signed {
			return 0, Invalidf("offset %q: write hours and minutes like T+1:30", text)
		}
		return 0, Invalidf("offset %q reads as a clock time: write +1h30m, not 01:30", text)
	}
	var days time.Duration
	if i := strings.IndexAny(t, "dD"); i >= 0 {
		n, err := strconv.ParseUint(t[:i], 10, 16)
		if err != nil {
			return 0, Invalidf("offset %q: days must be a whole number, like 3d", text)
		}
		days = time.Duration(n) * 24 * time.Hour
		t = t[i+1:]
		if t == "" {
			return days, nil
		}
	}
	d, err := time.ParseDuration(t)
	if err != nil || d < 0 {
		return 0, Invalidf("offset %q does not parse: write it like +5m, +1h30m or +2d", text)
	}
	if d > math.MaxInt64-days {
		return 0, Invalidf("offset %q is too large", text)
	}
	return days + d, nil
}

// runSheetOffset reads the offsets of a run-sheet, after the "T+": whole
// minutes ("15", "00") or hours and minutes ("1:30", "00:15").
func runSheetOffset(t string) (time.Duration, bool) {
	whole := func(s string, max uint64) (time.Duration, bool) {
		n, err := strconv.ParseUint(s, 10, 32)
		return time.Duration(n), err == nil && n <= max && s != "" && s[0] != '+'
	}
	h, m, clock := strings.Cut(t, ":")
	if !clock {
		mins, ok := whole(t, 100000)
		return mins * time.Minute, ok
	}
	hours, ok1 := whole(h, 10000)
	mins, ok2 := whole(m, 59)
	return hours*time.Hour + mins*time.Minute, ok1 && ok2 && len(m) == 2
}

// FormatLength writes a length of time as scenarios write it, without the
// sign of an offset: "5m", "1h30m", "45s" (a negative one keeps its "-").
func FormatLength(d time.Duration) string { return strings.TrimPrefix(FormatOffset(d), "+") }

// FormatOffset writes d the way offsets are written in scenarios: "+5m",
// "+1h30m", "+45s", and from a day on "+2d3h" (ParseOffset reads it back),
// never "+51h".
func FormatOffset(d time.Duration) string {
	sign := "+"
	if d < 0 {
		sign, d = "-", -d
	}
	d = d.Round(time.Second)
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	h, m, s := d/time.Hour, (d%time.Hour)/time.Minute, (d%time.Minute)/time.Second
	var b strings.Builder
	b.WriteString(sign)
	if days > 0 {
		b.WriteString(strconv.FormatInt(int64(days), 10) + "d")
	}
	if h > 0 {
		b.WriteString(strconv.FormatInt(int64(h), 10) + "h")
	}
	if m > 0 {
		b.WriteString(strconv.FormatInt(int64(m), 10) + "m")
	}
	if s > 0 {
		b.WriteString(strconv.FormatInt(int64(s), 10) + "s")
	}
	if days == 0 && h == 0 && m == 0 && s == 0 {
		b.WriteString("0m")
	}
	return b.String()
}
