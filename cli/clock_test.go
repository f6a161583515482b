package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
)

// An incident recorded over five weeks: show writes a date line where the
// day changes and T+ in days past the first day, ls gives the declared date,
// and the Markdown export dates its "What happened" bullets.
func TestCLIDatesAcrossDays(t *testing.T) {
	start := time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)
	c := newClockCLI(t, start)
	id := strings.TrimSpace(c.ok("declare", "--title", "Slow burn", "--sev", "3"))
	c.at(6*time.Second, start)
	c.ok("note", "first look")
	c.at(35*24*time.Hour+22*time.Hour+31*time.Minute, start)
	c.ok("note", "--kind", "decision", "Replace the cache")

	show := c.ok("show", id)
	for _, want := range []string{"── Mon 23 Nov 2026 ──", "── Tue 29 Dec 2026 ──", "14:00:06Z  T+0:06", "12:31:00Z  T+35d22h"} {
		if !strings.Contains(show, want) {
			t.Errorf("show lacks %q:\n%s", want, show)
		}
	}
	if strings.Contains(show, "T+862:") {
		t.Errorf("show counts hours past a day:\n%s", show)
	}
	ls := c.ok("ls")
	if !strings.Contains(ls, "DECLARED") || !strings.Contains(ls, "2026-11-23 14:00Z") || !strings.Contains(ls, "35d22h") {
		t.Errorf("ls lacks the declared date and age:\n%s", ls)
	}
	md := c.ok("export", id, "--format", "md")
	for _, want := range []string{"- **2026-11-23 14:00Z** Declared", "- **2026-12-29 12:31Z** Replace the cache"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown export lacks %q:\n%s", want, md)
		}
	}
}

// A drill run at 16 times speed reads in exercise time everywhere: an
// eight-minute response shows as T+8:00 in show, not as 30 s of wall time.
func TestCLIDrillShowsExerciseTime(t *testing.T) {
	c := newClockCLI(t, drillStart)
	id := strings.TrimSpace(c.ok("drill", "golden-drill", "--speed", "16"))
	c.at(30*time.Second, drillStart) // 8 minutes on the exercise clock
	c.ok("note", "Dashboards show 40% errors on web")
	show := c.ok("show", id)
	if !strings.Contains(show, "T+8:00") {
		t.Errorf("show lacks the note at T+8:00 on the exercise clock:\n%s", show)
	}
}

// show flags an entry from a clock an hour behind with what that clock
// stamped, places it by the logical clock, and shows no negative T+.
func TestShowFlagsSlowClock(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)
	stamp := t0.Add(-time.Hour + time.Minute)
	in := model.Incident{ID: "inc", Title: "Checkout down", Severity: model.SEV2, Status: model.StatusInvestigating, DeclaredAt: t0,
		Milestones: model.MilestoneTimes{Detected: t0, Acknowledged: t0}}
	entries := []model.TimelineEntry{
		{EventID: "a", Kind: model.EventDeclared, Occurred: t0, Typed: t0, HLC: model.NewHLC(t0), Author: "carol", Text: "Declared"},
		{EventID: "b", Kind: model.EventNote, NoteKind: model.NoteKindNote, Occurred: stamp, Typed: stamp, HLC: model.NewHLC(t0) + 1, Author: "alice", Text: "on it"},
		{EventID: "c", Kind: model.EventNote, NoteKind: model.NoteKindNote, Occurred: t0.Add(time.Hour), Typed: t0.Add(time.Hour), HLC: model.NewHLC(t0.Add(time.Hour)), Author: "bob", Text: "from tomorrow", Future: true},
	}
	var b strings.Builder
	writeShow(&b, in, nil, entries, model.ClockOf(in, nil), false)
	out := b.String()
	for _, want := range []string{"14:00:00Z  T+0:00    alice  note     on it [clock 59m behind: stamped 2026-11-23 13:01:00Z]", "[clock ahead: stamped later than the clock that received it]"} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "T-") {
		t.Errorf("show has a negative offset:\n%s", out)
	}
}
