package export

import (
	"fmt"
	"strings"
	"time"

	"github.com/sitrep-dev/sitrep/model"
)

// AfterActionReport writes a drill's report as Markdown: objectives against
// their targets, every inject and the time to the first response, steps
// skipped or blocked with reasons, communications, decisions, notes and
// action items, and the findings, recommendations and improvements to the
// plan the seeds ask for, filled from what was logged.
func AfterActionReport(a model.AfterAction) string {
	r := newAAR(a)
	r.header()
	r.summary()
	r.objectiveTable()
	r.injectTable()
	r.stepsSkippedOrBlocked()
	r.communications()
	r.noteList("Decisions", r.notes[model.NoteKindDecision])
	r.noteList("Notes", r.notes[model.NoteKindNote])
	r.actionItems()
	section(&r.b, "Findings", r.findings())
	section(&r.b, "Recommendations", r.recommendations())
	section(&r.b, "Improvements to the plan", r.planImprovements())
	r.b.WriteString("## Tags\n\nNotes feed this report through tags: `#finding`, `#recommendation`, `#plan` or `#improvement`, `#rpo` with the data lost, `#ID` of an objective when it is achieved, and `#2a` (inject 2's first expected action, `#2b` its second) when the team is seen doing it.\n")
	return r.b.String()
}

// aar is one after-action report being written: what it was computed from
// (all by model) and the text so far.
type aar struct {
	b    strings.Builder
	a    model.AfterAction
	x    model.Exercise
	end  time.Time
	objs []model.ObjectiveResult
	injs []model.InjectResponse
	// skipped and blocked runbook steps, in the order they were logged
	skipped, blocked []model.StepStatus
	score            model.CadenceScore
	notes            map[model.NoteKind][]model.TimelineEntry
}

func newAAR(a model.AfterAction) *aar {
	r := &aar{a: a, x: a.Exercise, end: a.End()}
	r.objs = r.x.Objectives(a.Log(), r.end)
	r.injs = a.InjectResponses()
	for _, s := range a.Steps {
		switch s.State {
		case model.StepSkipped:
			r.skipped = append(r.skipped, s)
		case model.StepBlocked:
			r.blocked = append(r.blocked, s)
		}
	}
	r.score = model.ScoreCadence(a.Incident, &r.x, a.Messages, a.Cadence, r.end)
	r.notes = map[model.NoteKind][]model.TimelineEntry{}
	for _, e := range a.Entries {
		if e.Kind == model.EventNote && !e.Retracted {
			r.notes[e.NoteKind] = append(r.notes[e.NoteKind], e)
		}
	}
	return r
}

// expectedActions counts the expected actions of the released injects and
// how many of them were seen.
func (r *aar) expectedActions() (expected, answered int) {
	for _, in := range r.injs {
		for _, e := range in.Expected {
			expected++
			if e.Answered {
				answered++
			}
		}
	}
	return expected, answered
}

func (r *aar) header() {
	b, x, in := &r.b, r.x, r.a.Incident
	fmt.Fprintf(b, "# After-action report: %s\n\n", model.OneLine(in.Title))
	fmt.Fprintf(b, "**EXERCISE** — a drill, not a real incident. Scenario **%s** (`%s`, sha256 %.12s), incident %s.\n\n",
		model.OneLine(x.Started.Title), x.Started.Scenario, x.Started.Hash, in.Short())
	state := "still running"
	if x.Over(r.a.Now) {
		state = "ended " + x.Ended.UTC().Format(utcLayout)
		if x.EndReason != "" {
			state += " (" + model.OneLine(x.EndReason) + ")"
		}
	}
	fmt.Fprintf(b, "Started %s by %s; %s. Exercise clock at the end: %s",
		x.Started.Start.UTC().Format(utcLayout), x.StartedBy, state, model.TPlus(x.Elapsed(r.end)))
	var pauses, speeds int
	for _, c := range x.Changes {
		switch c.Kind {
		case model.EventExercisePaused:
			pauses++
		case model.EventExerciseSpeed:
			speeds++
		}
	}
	fmt.Fprintf(b, " (%s, %s).\n\n", model.Count(pauses, "pause"), model.Count(speeds, "speed change"))
}

func (r *aar) summary() {
	b := &r.b
	var met, missed, open int
	for _, o := range r.objs {
		switch o.State {
		case model.ObjectiveMet:
			met++
		case model.ObjectiveMissed:
			missed++
		default:
			open++
		}
	}
	var released, skipped, responded int
	var times []time.Duration
	for _, in := range r.injs {
		switch in.State {
		case model.InjectReleased:
			released++
			if in.Responded {
				responded++
				times = append(times, in.ResponseIn)
			}
		case model.InjectSkipped:
			skipped++
		}
	}
	b.WriteString("## Summary\n\n")
	fmt.Fprintf(b, "- Objectives: %d met, %d missed, %d open, of %d.\n", met, missed, open, len(r.objs))
	fmt.Fprintf(b, "- Injects: %d released, %d skipped, %d pending, of %d; %d answered", released, skipped, len(r.injs)-released-skipped, len(r.injs), responded)
	if len(times) > 0 {
		fmt.Fprintf(b, ", median time to first response %s", model.FormatAge(model.Percentile(times, 50)))
	}
	b.WriteString(".\n")
	if expected, answered := r.expectedActions(); expected > 0 {
		fmt.Fprintf(b, "- Expected actions after the injects released: %d of %d seen.\n", answered, expected)
	}
	fmt.Fprintf(b, "- Runbook steps: %d skipped, %d blocked.\n", len(r.skipped), len(r.blocked))
	fmt.Fprintf(b, "- Communications: %s sent, %s missed.\n\n", model.Count(len(r.a.Messages), "update"), model.Count(len(r.score.Missed), "deadline"))
}

func (r *aar) objectiveTable() {
	b := &r.b
	b.WriteString("## Objectives\n\n")
	if len(r.objs) == 0 {
		b.WriteString("The scenario set no objectives.\n\n")
		return
	}
	b.WriteString("| Objective | Kind | Target | Result | Met at | Evidence |\n| --- | --- | --- | --- | --- | --- |\n")
	for _, o := range r.objs {
		target := "—"
		if o.Target > 0 {
			target = model.FormatLength(o.Target)
		}
		fmt.Fprintf(b, "| %s (`#%s`) | %s | %s | **%s** | %s | %s |\n", mdCell(o.Title), o.ID, o.Kind, target, strings.ToUpper(string(o.State)), r.clockMark(o.At), orNone(mdCell(o.Evidence)))
	}
	b.WriteString("\n")
}

func (r *aar) injectTable() {
	b := &r.b
	b.WriteString("## Injects\n\n")
	if len(r.injs) == 0 {
		b.WriteString("None.\n\n")
		return
	}
	b.WriteString("| # | Offset | Inject | Released | First response | Time to respond |\n| --- | --- | --- | --- | --- | --- |\n")
	for _, in := range r.injs {
		rel, resp, took := "pending", "—", "—"
		switch in.State {
		case model.InjectReleased:
			rel = r.clockMark(in.ReleasedAt)
			if in.Early {
				rel += " early, by " + in.By
			}
			if in.Responded {
				resp = fmt.Sprintf("%s: %s", in.Response.Author, mdCell(clip(in.Response.Text, 60)))
				took = model.FormatAge(in.ResponseIn)
			} else {
				resp = "no response logged"
			}
		case model.InjectSkipped:
			rel = "skipped"
			if in.Reason != "" {
				rel += ": " + mdCell(in.Reason)
			}
		}
		fmt.Fprintf(b, "| %d | %s | %s | %s | %s | %s |\n", in.Index+1, model.FormatOffset(in.Offset), mdCell(in.Title), rel, resp, took)
	}
	b.WriteString("\n")
	if expected, _ := r.expectedActions(); expected > 0 {
		r.expectedActionList()
	}
}

func (r *aar) expectedActionList() {
	b := &r.b
	b.WriteString("### Expected actions\n\nWhat the facilitator looked for after each inject; a note tagged with the action's `#tag` after the inject's release shows it was seen.\n\n")
	for _, in := range r.injs {
		if len(in.Expected) == 0 {
			continue
		}
		fmt.Fprintf(b, "**Inject %d, %s**, released %s:\n\n", in.Index+1, mdCell(in.Title), r.clockMark(in.ReleasedAt))
		for _, e := range in.Expected {
			if e.Answered {
				fmt.Fprintf(b, "- [x] `#%s` %s — seen %s, %s: %s\n", e.Tag, mdCell(e.Text), r.clockMark(e.At), e.By, mdCell(clip(e.Evidence, 80)))
			} else {
				fmt.Fprintf(b, "- [ ] `#%s` %s — not seen\n", e.Tag, mdCell(e.Text))
			}
		}
		b.WriteString("\n")
	}
}

func (r *aar) stepsSkippedOrBlocked() {
	b := &r.b
	b.WriteString("## Steps skipped or blocked\n\n")
	if len(r.skipped)+len(r.blocked) == 0 {
		b.WriteString("None.\n\n")
		return
	}
	for _, s := range append(append([]model.StepStatus(nil), r.skipped...), r.blocked...) {
		fmt.Fprintf(b, "- %s: step %d of %s, %s — %s (%s, %s)\n", strings.ToUpper(string(s.State)), s.Step+1, s.Runbook, r.stepTitle(s),
			orNone(model.OneLine(s.Reason)), s.By, r.clockMark(s.At))
	}
	b.WriteString("\n")
}

func (r *aar) communications() {
	b := &r.b
	b.WriteString("## Communications\n\n")
	if len(r.a.Messages) == 0 {
		b.WriteString("No updates were sent.\n")
	}
	for _, m := range r.a.Messages {
		fmt.Fprintf(b, "- %s to %s by %s: %s\n", r.clockMark(m.At), m.Audience, m.Author, clip(model.OneLine(m.Text), 100))
	}
	for _, d := range r.score.Missed {
		fmt.Fprintf(b, "- MISSED: update to %s due at %s\n", d.Audience, r.clockMark(d.At))
	}
	b.WriteString("\n")
}

func (r *aar) noteList(heading string, es []model.TimelineEntry) {
	b := &r.b
	fmt.Fprintf(b, "## %s\n\n", heading)
	if len(es) == 0 {
		b.WriteString("None recorded.\n\n")
		return
	}
	for _, e := range es {
		fmt.Fprintf(b, "- %s %s: %s\n", r.clockMark(e.Placed()), e.Author, model.OneLine(e.Text))
	}
	b.WriteString("\n")
}

func (r *aar) actionItems() {
	b := &r.b
	b.WriteString("## Action items\n\n")
	if len(r.notes[model.NoteKindAction])+len(r.a.Review.ActionItems) == 0 {
		b.WriteString("None recorded.\n")
	}
	for _, e := range r.notes[model.NoteKindAction] {
		fmt.Fprintf(b, "- [ ] %s (logged %s by %s)\n", model.OneLine(e.Text), r.clockMark(e.Placed()), e.Author)
	}
	for _, ai := range r.a.Review.ActionItems {
		box := " "
		if ai.Status == model.ActionDone {
			box = "x"
		}
		category := ""
		if ai.Category != "" {
			category = model.OneLine(ai.Category) + ": "
		}
		fmt.Fprintf(b, "- [%s] %s%s (owner %s, due %s, %s)\n", box, category, model.OneLine(ai.Title), orNone(ai.Owner), orNone(ai.Due), ai.Status)
	}
	b.WriteString("\n")
}

// tagged quotes the notes that carry any of the tags, with who and when.
func (r *aar) tagged(tags ...string) []string {
	var out []string
	for _, e := range r.a.TaggedNotes(tags...) {
		out = append(out, fmt.Sprintf("%s (%s, %s)", model.OneLine(e.Text), e.Author, r.clockMark(e.Placed())))
	}
	return out
}

func (r *aar) findings() []string {
	var out []string
	for _, o := range r.objs {
		switch o.State {
		case model.ObjectiveMissed:
			if o.At.IsZero() {
				out = append(out, fmt.Sprintf("Objective missed: %s — not achieved%s.", model.OneLine(o.Title), targetPhrase(o.Objective)))
			} else {
				out = append(out, fmt.Sprintf("Objective missed: %s — achieved at %s%s.", model.OneLine(o.Title), model.TPlus(o.Took), targetPhrase(o.Objective)))
			}
		case model.ObjectiveOpen:
			out = append(out, fmt.Sprintf("Objective still open: %s.", model.OneLine(o.Title)))
		case model.ObjectiveMet:
			out = append(out, fmt.Sprintf("Objective met: %s at %s%s.", model.OneLine(o.Title), model.TPlus(o.Took), targetPhrase(o.Objective)))
		}
	}
	for _, in := range r.injs {
		if in.State == model.InjectReleased && !in.Responded {
			out = append(out, fmt.Sprintf("No response was logged to inject %d (%s).", in.Index+1, model.OneLine(in.Title)))
		}
		for _, e := range in.Expected {
			if !e.Answered {
				out = append(out, fmt.Sprintf("Not seen after inject %d (%s): %s.", in.Index+1, model.OneLine(in.Title), strings.TrimRight(model.OneLine(e.Text), ".")))
			}
		}
	}
	for _, s := range r.blocked {
		out = append(out, fmt.Sprintf("Step %d of %s was blocked: %s.", s.Step+1, s.Runbook, model.OneLine(s.Reason)))
	}
	if len(r.score.Missed) > 0 {
		out = append(out, fmt.Sprintf("%s passed without an update.", model.Count(len(r.score.Missed), "communication deadline")))
	}
	return append(out, r.tagged("finding")...)
}

func (r *aar) recommendations() []string {
	var out []string
	for _, o := range r.objs {
		if o.State == model.ObjectiveMissed {
			out = append(out, fmt.Sprintf("Work out what kept the team from \"%s\"%s, and rehearse it again.", model.OneLine(o.Title), targetPhrase(o.Objective)))
		}
	}
	if len(r.score.Missed) > 0 {
		out = append(out, "Name a communications lead at the start and set a timer for updates.")
	}
	out = append(out, r.tagged("recommendation", "recommend")...)
	for _, e := range r.notes[model.NoteKindAction] {
		out = append(out, fmt.Sprintf("Follow up: %s (%s).", model.OneLine(e.Text), e.Author))
	}
	return out
}

func (r *aar) planImprovements() []string {
	var out []string
	for _, s := range r.skipped {
		out = append(out, fmt.Sprintf("Review step %d of %s (%s): it was skipped because %s.", s.Step+1, s.Runbook, r.stepTitle(s), model.OneLine(s.Reason)))
	}
	for _, s := range r.blocked {
		out = append(out, fmt.Sprintf("Remove the blocker in step %d of %s (%s): %s.", s.Step+1, s.Runbook, r.stepTitle(s), model.OneLine(s.Reason)))
	}
	for _, in := range r.injs {
		if in.State == model.InjectReleased && !in.Responded {
			out = append(out, fmt.Sprintf("Make sure the plan says what to do when: %s.", model.OneLine(in.Title)))
		}
	}
	return append(out, r.tagged("plan", "improvement")...)
}

// clockMark writes a wall time as its exercise-clock offset and UTC time.
func (r *aar) clockMark(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return fmt.Sprintf("%s (%s)", model.TPlus(r.x.Elapsed(t)), t.UTC().Format("15:04:05Z"))
}

func (r *aar) stepTitle(s model.StepStatus) string {
	if t, ok := r.a.StepTitles[s.Runbook][s.Step]; ok && t != "" {
		return "\"" + model.OneLine(t) + "\""
	}
	return fmt.Sprintf("step %d", s.Step+1)
}

func targetPhrase(o model.Objective) string {
	if o.Target == 0 {
		return ""
	}
	return fmt.Sprintf(" (target %s)", model.FormatLength(o.Target))
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
	s = model.OneLine(s)
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n-1]) + "…"
}
