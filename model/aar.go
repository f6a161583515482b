package model

import (
	"fmt"
	"strings"
	"time"
)

// AfterAction is everything an after-action report is written from.
type AfterAction struct {
	Incident     Incident
	Exercise     Exercise
	Now          time.Time // when the report is written; the end of the drill if it ended
	Entries      []TimelineEntry
	Steps        []StepStatus
	StepTitles   map[string]map[int]string // runbook → step index → title
	RunbookSteps map[string]int
	Messages     []Message
	Review       Review
	Cadence      CadencePolicy
}

// InjectResponse is an inject with the first thing the team did after it,
// and its expected actions judged (Exercise.ExpectedActions).
type InjectResponse struct {
	InjectStatus
	Response   TimelineEntry
	Responded  bool
	ResponseIn time.Duration // exercise time from release to the response
	Expected   []ExpectedAction
}

// InjectResponses pairs every released inject with its first response.
func (a AfterAction) InjectResponses() []InjectResponse {
	// What was logged with the declaration (the first commander, attached
	// runbooks) answers no inject.
	// Nor does anything logged from the end of the drill on (the
	// resolution 'drill end' records).
	var entries []TimelineEntry
	for _, e := range a.Entries {
		if !e.Placed().Equal(a.Exercise.Started.Start) && !a.Exercise.Over(e.Placed()) {
			entries = append(entries, e)
		}
	}
	var out []InjectResponse
	for _, st := range a.Exercise.Injects(a.end()) {
		r := InjectResponse{InjectStatus: st, Expected: a.Exercise.ExpectedActions(st, entries, a.end())}
		if st.State == InjectReleased {
			if e, ok := FirstResponse(entries, st.ReleasedAt); ok {
				// On the exercise clock, like every time a drill reports: an
				// eight-minute response at 16 times speed took 8m, not 30s.
				r.Response, r.Responded, r.ResponseIn = e, true, a.Exercise.Between(st.ReleasedAt, e.Placed())
			}
		}
		out = append(out, r)
	}
	return out
}

func (a AfterAction) end() time.Time {
	if a.Exercise.Over(a.Now) {
		return a.Exercise.Ended
	}
	return a.Now
}

// Log is what the drill's objectives are judged from.
func (a AfterAction) Log() DrillLog {
	return DrillLog{Incident: a.Incident, Entries: a.Entries, Steps: a.Steps, RunbookSteps: a.RunbookSteps, Messages: a.Messages}
}

// clockMark writes a wall time as its exercise-clock offset and UTC time.
func (a AfterAction) clockMark(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return fmt.Sprintf("%s (%s)", TPlus(a.Exercise.Elapsed(t)), t.UTC().Format("15:04:05Z"))
}

// AfterActionReport writes the report as Markdown: objectives against their
// targets, every inject and the time to the first response, steps skipped
// or blocked with reasons, communications, decisions, notes and action
// items, and the findings, recommendations and improvements to the plan
// the seeds ask for, filled from what was logged.
func AfterActionReport(a AfterAction) string {
	var b strings.Builder
	x, in := a.Exercise, a.Incident
	end := a.end()
	md := func(s string) string { return strings.ReplaceAll(OneLine(s), "|", `\|`) }
	fmt.Fprintf(&b, "# After-action report: %s\n\n", OneLine(in.Title))
	fmt.Fprintf(&b, "**EXERCISE** — a drill, not a real incident. Scenario **%s** (`%s`, sha256 %.12s), incident %s.\n\n",
		OneLine(x.Started.Title), x.Started.Scenario, x.Started.Hash, in.Short())
	state := "still running"
	if x.Over(a.Now) {
		state = "ended " + x.Ended.UTC().Format("2006-01-02 15:04:05 UTC")
		if x.EndReason != "" {
			state += " (" + OneLine(x.EndReason) + ")"
		}
	}
	fmt.Fprintf(&b, "Started %s by %s; %s. Exercise clock at the end: %s",
		x.Started.Start.UTC().Format("2006-01-02 15:04:05 UTC"), x.StartedBy, state, TPlus(x.Elapsed(end)))
	var pauses, speeds int
	for _, c := range x.Changes {
		switch c.Kind {
		case EventExercisePaused:
			pauses++
		case EventExerciseSpeed:
			speeds++
		}
	}
	fmt.Fprintf(&b, " (%s, %s).\n\n", Count(pauses, "pause"), Count(speeds, "speed change"))

	objectives := x.Objectives(a.Log(), end)
	injects := a.InjectResponses()
	var met, missed, open int
	for _, o := range objectives {
		switch o.State {
		case ObjectiveMet:
			met++
		case ObjectiveMissed:
			missed++
		default:
			open++
		}
	}
	var released, skipped, responded, expected, answered int
	var times []time.Duration
	for _, r := range injects {
		for _, e := range r.Expected {
			expected++
			if e.Answered {
				answered++
			}
		}
		switch r.State {
		case InjectReleased:
			released++
			if r.Responded {
				responded++
				times = append(times, r.ResponseIn)
			}
		case InjectSkipped:
			skipped++
		}
	}
	var skippedSteps, blockedSteps []StepStatus
	for _, s := range a.Steps {
		switch s.State {
		case StepSkipped:
			skippedSteps = append(skippedSteps, s)
		case StepBlocked:
			blockedSteps = append(blockedSteps, s)
		}
	}
	score := ScoreCadence(in, &x, a.Messages, a.Cadence, end)

	b.WriteString("## Summary\n\n")
	fmt.Fprintf(&b, "- Objectives: %d met, %d missed, %d open, of %d.\n", met, missed, open, len(objectives))
	fmt.Fprintf(&b, "- Injects: %d released, %d skipped, %d pending, of %d; %d answered", released, skipped, len(injects)-released-skipped, len(injects), responded)
	if len(times) > 0 {
		fmt.Fprintf(&b, ", median time to first response %s", FormatAge(Percentile(times, 50)))
	}
	b.WriteString(".\n")
	if expected > 0 {
		fmt.Fprintf(&b, "- Expected actions after the injects released: %d of %d seen.\n", answered, expected)
	}
	fmt.Fprintf(&b, "- Runbook steps: %d skipped, %d blocked.\n", len(skippedSteps), len(blockedSteps))
	fmt.Fprintf(&b, "- Communications: %s sent, %s missed.\n\n", Count(len(a.Messages), "update"), Count(len(score.Missed), "deadline"))

	b.WriteString("## Objectives\n\n")
	if len(objectives) == 0 {
		b.WriteString("The scenario set no objectives.\n\n")
	} else {
		b.WriteString("| Objective | Kind | Target | Result | Met at | Evidence |\n| --- | --- | --- | --- | --- | --- |\n")
		for _, o := range objectives {
			target := "—"
			if o.Target > 0 {
				target = FormatLength(o.Target)
			}
			fmt.Fprintf(&b, "| %s (`#%s`) | %s | %s | **%s** | %s | %s |\n", md(o.Title), o.ID, o.Kind, target, strings.ToUpper(string(o.State)), a.clockMark(o.At), orNone(md(o.Evidence)))
		}
		b.WriteString("\n")
	}

	b.WriteString("## Injects\n\n")
	if len(injects) == 0 {
		b.WriteString("None.\n\n")
	} else {
		b.WriteString("| # | Offset | Inject | Released | First response | Time to respond |\n| --- | --- | --- | --- | --- | --- |\n")
		for _, r := range injects {
			rel, resp, took := "pending", "—", "—"
			switch r.State {
			case InjectReleased:
				rel = a.clockMark(r.ReleasedAt)
				if r.Early {
					rel += " early, by " + r.By
				}
				if r.Responded {
					resp = fmt.Sprintf("%s: %s", r.Response.Author, md(clip(r.Response.Text, 60)))
					took = FormatAge(r.ResponseIn)
				} else {
					resp = "no response logged"
				}
			case InjectSkipped:
				rel = "skipped"
				if r.Reason != "" {
					rel += ": " + md(r.Reason)
				}
			}
			fmt.Fprintf(&b, "| %d | %s | %s | %s | %s | %s |\n", r.Index+1, FormatOffset(r.Offset), md(r.Title), rel, resp, took)
		}
		b.WriteString("\n")
		if expected > 0 {
			b.WriteString("### Expected actions\n\nWhat the facilitator looked for after each inject; a note tagged with the action's `#tag` after the inject's release shows it was seen.\n\n")
			for _, r := range injects {
				if len(r.Expected) == 0 {
					continue
				}
				fmt.Fprintf(&b, "**Inject %d, %s**, released %s:\n\n", r.Index+1, md(r.Title), a.clockMark(r.ReleasedAt))
				for _, e := range r.Expected {
					if e.Answered {
						fmt.Fprintf(&b, "- [x] `#%s` %s — seen %s, %s: %s\n", e.Tag, md(e.Text), a.clockMark(e.At), e.By, md(clip(e.Evidence, 80)))
					} else {
						fmt.Fprintf(&b, "- [ ] `#%s` %s — not seen\n", e.Tag, md(e.Text))
					}
				}
				b.WriteString("\n")
			}
		}
	}

	b.WriteString("## Steps skipped or blocked\n\n")
	if len(skippedSteps)+len(blockedSteps) == 0 {
		b.WriteString("None.\n\n")
	}
	for _, s := range append(append([]StepStatus(nil), skippedSteps...), blockedSteps...) {
		fmt.Fprintf(&b, "- %s: step %d of %s, %s — %s (%s, %s)\n", strings.ToUpper(string(s.State)), s.Step+1, s.Runbook, a.stepTitle(s),
			orNone(OneLine(s.Reason)), s.By, a.clockMark(s.At))
	}
	if len(skippedSteps)+len(blockedSteps) > 0 {
		b.WriteString("\n")
	}

	b.WriteString("## Communications\n\n")
	if len(a.Messages) == 0 {
		b.WriteString("No updates were sent.\n")
	}
	for _, m := range a.Messages {
		fmt.Fprintf(&b, "- %s to %s by %s: %s\n", a.clockMark(m.At), m.Audience, m.Author, clip(OneLine(m.Text), 100))
	}
	for _, d := range score.Missed {
		fmt.Fprintf(&b, "- MISSED: update to %s due at %s\n", d.Audience, a.clockMark(d.At))
	}
	b.WriteString("\n")

	notes := map[NoteKind][]TimelineEntry{}
	for _, e := range a.Entries {
		if e.Kind == EventNote && !e.Retracted {
			notes[e.NoteKind] = append(notes[e.NoteKind], e)
		}
	}
	list := func(heading string, es []TimelineEntry) {
		fmt.Fprintf(&b, "## %s\n\n", heading)
		if len(es) == 0 {
			b.WriteString("None recorded.\n\n")
			return
		}
		for _, e := range es {
			fmt.Fprintf(&b, "- %s %s: %s\n", a.clockMark(e.Placed()), e.Author, OneLine(e.Text))
		}
		b.WriteString("\n")
	}
	list("Decisions", notes[NoteKindDecision])
	list("Notes", notes[NoteKindNote])

	b.WriteString("## Action items\n\n")
	if len(notes[NoteKindAction])+len(a.Review.ActionItems) == 0 {
		b.WriteString("None recorded.\n")
	}
	for _, e := range notes[NoteKindAction] {
		fmt.Fprintf(&b, "- [ ] %s (logged %s by %s)\n", OneLine(e.Text), a.clockMark(e.Placed()), e.Author)
	}
	for _, ai := range a.Review.ActionItems {
		box := " "
		if ai.Status == ActionDone {
			box = "x"
		}
		category := ""
		if ai.Category != "" {
			category = OneLine(ai.Category) + ": "
		}
		fmt.Fprintf(&b, "- [%s] %s%s (owner %s, due %s, %s)\n", box, category, OneLine(ai.Title), orNone(ai.Owner), orNone(ai.Due), ai.Status)
	}
	b.WriteString("\n")

	tagged := func(tags ...string) []string {
		var out []string
		for _, e := range a.Entries {
			if e.Kind != EventNote || e.Retracted {
				continue
			}
			for _, t := range tags {
				if hasTag(e.Text, t) {
					out = append(out, fmt.Sprintf("%s (%s, %s)", OneLine(e.Text), e.Author, a.clockMark(e.Placed())))
					break
				}
			}
		}
		return out
	}

	var findings []string
	for _, o := range objectives {
		switch o.State {
		case ObjectiveMissed:
			if o.At.IsZero() {
				findings = append(findings, fmt.Sprintf("Objective missed: %s — not achieved%s.", OneLine(o.Title), targetPhrase(o.Objective)))
			} else {
				findings = append(findings, fmt.Sprintf("Objective missed: %s — achieved at %s%s.", OneLine(o.Title), TPlus(o.Took), targetPhrase(o.Objective)))
			}
		case ObjectiveOpen:
			findings = append(findings, fmt.Sprintf("Objective still open: %s.", OneLine(o.Title)))
		case ObjectiveMet:
			findings = append(findings, fmt.Sprintf("Objective met: %s at %s%s.", OneLine(o.Title), TPlus(o.Took), targetPhrase(o.Objective)))
		}
	}
	for _, r := range injects {
		if r.State == InjectReleased && !r.Responded {
			findings = append(findings, fmt.Sprintf("No response was logged to inject %d (%s).", r.Index+1, OneLine(r.Title)))
		}
		for _, e := range r.Expected {
			if !e.Answered {
				findings = append(findings, fmt.Sprintf("Not seen after inject %d (%s): %s.", r.Index+1, OneLine(r.Title), strings.TrimRight(OneLine(e.Text), ".")))
			}
		}
	}
	for _, s := range blockedSteps {
		findings = append(findings, fmt.Sprintf("Step %d of %s was blocked: %s.", s.Step+1, s.Runbook, OneLine(s.Reason)))
	}
	if len(score.Missed) > 0 {
		findings = append(findings, fmt.Sprintf("%s passed without an update.", Count(len(score.Missed), "communication deadline")))
	}
	findings = append(findings, tagged("finding")...)
	section(&b, "Findings", findings)

	var recs []string
	for _, o := range objectives {
		if o.State == ObjectiveMissed {
			recs = append(recs, fmt.Sprintf("Work out what kept the team from \"%s\"%s, and rehearse it again.", OneLine(o.Title), targetPhrase(o.Objective)))
		}
	}
	if len(score.Missed) > 0 {
		recs = append(recs, "Name a communications lead at the start and set a timer for updates.")
	}
	recs = append(recs, tagged("recommendation", "recommend")...)
	for _, e := range notes[NoteKindAction] {
		recs = append(recs, fmt.Sprintf("Follow up: %s (%s).", OneLine(e.Text), e.Author))
	}
	section(&b, "Recommendations", recs)

	var plan []string
	for _, s := range skippedSteps {
		plan = append(plan, fmt.Sprintf("Review step %d of %s (%s): it was skipped because %s.", s.Step+1, s.Runbook, a.stepTitle(s), OneLine(s.Reason)))
	}
	for _, s := range blockedSteps {
		plan = append(plan, fmt.Sprintf("Remove the blocker in step %d of %s (%s): %s.", s.Step+1, s.Runbook, a.stepTitle(s), OneLine(s.Reason)))
	}
	for _, r := range injects {
		if r.State == InjectReleased && !r.Responded {
			plan = append(plan, fmt.Sprintf("Make sure the plan says what to do when: %s.", OneLine(r.Title)))
		}
	}
	plan = append(plan, tagged("plan", "improvement")...)
	section(&b, "Improvements to the plan", plan)

	b.WriteString("## Tags\n\nNotes feed this report through tags: `#finding`, `#recommendation`, `#plan` or `#improvement`, `#rpo` with the data lost, `#ID` of an objective when it is achieved, and `#2a` (inject 2's first expected action, `#2b` its second) when the team is seen doing it.\n")
	return b.String()
}

func (a AfterAction) stepTitle(s StepStatus) string {
	if t, ok := a.StepTitles[s.Runbook][s.Step]; ok && t != "" {
		return "\"" + OneLine(t) + "\""
	}
	return fmt.Sprintf("step %d", s.Step+1)
}

func targetPhrase(o Objective) string {
	if o.Target == 0 {
		return ""
	}
	return fmt.Sprintf(" (target %s)", FormatLength(o.Target))
}

func section(b *strings.Builder, heading string, items []string) {
	fmt.Fprintf(b, "## %s\n\n", heading)
	if len(items) == 0 {
		b.WriteString("None recorded.\n\n")
		return
	}
	for _, it := range items {
		fmt.Fprintf(b, "- %s\n", it)
	}
	b.WriteString("\n")
}

func orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

func clip(s string, n int) string {
	s = OneLine(s)
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// Count writes n and a noun that takes -s in the plural: "1 inject",
// "3 injects", "0 deadlines", so output never reads "1 injects" or
// "inject(s)".
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
