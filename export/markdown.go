package export

import (
	"encoding/csv"
	"fmt"
	"html"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/sitrep-dev/sitrep/model"
)

// MarkdownSections are the "## " headings of the review document, in order,
// in sentence case like every heading sitrep writes.
// They follow what readers of postmortems expect: PagerDuty's template
// (overview, what happened, contributing factors, resolution, impact,
// responders, timeline, how we did, action items, messaging) and the
// sections of the Kubernetes test-infra postmortems (summary, impact, root
// cause, detection, resolution, lessons learned, action items, timeline).
var MarkdownSections = []string{"Overview", "Summary", "What happened", "Impact", "Root cause", "Contributing factors", "Detection",
	"Resolution", "Responders", "Metrics", "How we did: lessons learned", "Action items", "Messaging", "Runbooks followed", "Timeline (UTC)"}

// cellEscaper keeps text from other people inside its table cell: a pipe
// would end the cell, and a < could open raw HTML.
var cellEscaper = strings.NewReplacer("|", `\|`, "<", `\<`)

// mdCell is the one Markdown escaper of every document export writes (the
// review, the after-action report): text from the store on one line, a
// pipe or a < taken literally, so it stays in its table cell or line.
func mdCell(s string) string { return cellEscaper.Replace(model.OneLine(s)) }

const utcLayout = "2006-01-02 15:04:05 UTC"

// Markdown writes the review document of one incident.
func Markdown(w io.Writer, in Incident) error {
	d := &reviewDoc{in: in}
	if in.Review != nil {
		d.rv = in.Review.Review
	}
	d.overview()
	d.whatHappened()
	d.narrative()
	d.responders()
	d.metrics()
	d.lessons()
	d.actionItems()
	d.messaging()
	d.runbooks()
	d.exercise()
	d.timeline()
	_, err := io.WriteString(w, d.b.String())
	return err
}

// reviewDoc is one review document being written, a section at a time.
// Every field that came from the store is drawn through mdCell, para or
// OneLine, ids and names included: a store edited by hand may hold
// anything.
type reviewDoc struct {
	b  strings.Builder
	in Incident
	rv model.Review
}

// para writes a paragraph the team wrote, or says it is not written yet.
func (d *reviewDoc) para(s string) { d.paraUnder(s, 2) }

// paraUnder writes a section's text under a heading of the given level,
// its own headings moved below that level: a postmortem brought in from
// elsewhere keeps its "## Timeline" as a part of the section it was put
// in, not a section of the review beside it.
func (d *reviewDoc) paraUnder(s string, level int) {
	if t := strings.TrimSpace(model.Printable(s)); t != "" {
		d.b.WriteString(nestHeadings(t, level) + "\n\n")
	} else {
		d.b.WriteString("_Not written yet._\n\n")
	}
}

var mdHeading = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^ {0,3}(#{1,6})([ \t]|$)`) })

// nestHeadings moves text's headings (outside code blocks) down so the
// highest of them is one below level, keeping their order of rank.
func nestHeadings(text string, level int) string {
	lines := strings.Split(text, "\n")
	top, fenced := 7, make([]bool, len(lines))
	var code model.CodeFence
	for i, l := range lines {
		if fenced[i] = code.Line(l); fenced[i] {
			continue
		}
		if m := mdHeading().FindStringSubmatch(l); m != nil {
			top = min(top, len(m[1]))
		}
	}
	shift := level + 1 - top
	if shift <= 0 {
		return text
	}
	for i, l := range lines {
		if fenced[i] {
			continue
		}
		if m := mdHeading().FindStringSubmatchIndex(l); m != nil {
			n := min(m[3]-m[2]+shift, 6)
			lines[i] = l[:m[2]] + strings.Repeat("#", n) + l[m[3]:]
		}
	}
	return strings.Join(lines, "\n")
}

func (d *reviewDoc) overview() {
	b, in := &d.b, d.in
	fmt.Fprintf(b, "# Post-incident review: %s\n\n", model.OneLine(in.Title))
	if in.Exercise {
		b.WriteString("> **EXERCISE** — this was a drill, not a real incident. It is kept out of real-incident metrics.\n\n")
	}

	b.WriteString("## Overview\n\n| | |\n| --- | --- |\n")
	row := func(k, v string) { fmt.Fprintf(b, "| %s | %s |\n", k, v) }
	row("Incident", fmt.Sprintf("%s (`%s`)", mdCell(in.Short), mdCell(in.ID)))
	if in.Exercise {
		row("Type", "**EXERCISE**")
	}
	sev, _ := model.ParseSeverity(in.Severity)
	row("Severity", fmt.Sprintf("%s — %s", in.Severity, strings.SplitN(sev.Meaning(), ":", 2)[0]))
	row("Kind", mdCell(in.Kind))
	row("Status", mdCell(in.Status))
	row("Incident Commander", orDash(mdCell(in.Commander)))
	row("Declared", fmt.Sprintf("%s by %s", in.DeclaredAt.Format(utcLayout), mdCell(in.DeclaredBy)))
	ms := []struct {
		name string
		t    *time.Time
	}{{"Detected", in.Milestones.Detected}, {"Acknowledged", in.Milestones.Acknowledged}, {"Mitigated", in.Milestones.Mitigated},
		{"Resolved", in.Milestones.Resolved}, {"Reviewed", in.Milestones.Reviewed}}
	for _, m := range ms {
		row(m.name, timeOrDash(m.t))
	}
	if in.Review != nil {
		row("Review saved", fmt.Sprintf("%s by %s", in.Review.SavedAt.Format(utcLayout), mdCell(in.Review.SavedBy)))
	}
	b.WriteString("\n## Summary\n\n")
	d.para(d.rv.Summary)
}

func (d *reviewDoc) whatHappened() {
	b := &d.b
	b.WriteString("## What happened\n\n")
	var key []model.TimelineEntry
	for _, e := range d.in.entries {
		if e.Retracted {
			continue
		}
		if e.Pinned || e.Kind == model.EventStatusChanged || e.Kind == model.EventSeverityChanged || e.Kind == model.EventDeclared ||
			(e.Kind == model.EventNote && e.NoteKind == model.NoteKindDecision) {
			key = append(key, e)
		}
	}
	if len(key) == 0 {
		b.WriteString("_Nothing pinned or decided yet; see the timeline._\n\n")
	}
	for i, e := range key {
		// The date on the first bullet and wherever the day changes, so an
		// incident that ran for days reads in order without a calendar.
		layout := "15:04Z"
		if i == 0 || !model.SameDay(e.Placed(), key[i-1].Placed()) {
			layout = "2006-01-02 15:04Z"
		}
		fmt.Fprintf(b, "- **%s** %s\n", e.Placed().UTC().Format(layout), model.OneLine(firstLine(e.Text)))
		if multiLine(e.Text) {
			b.WriteString("\n")
			writeVerbatim(b, e.Text, "  ")
		}
	}
	if len(key) > 0 {
		b.WriteString("\n")
	}
}

// narrative writes the review's prose sections, impact to resolution, each
// after the figure the store has for it.
func (d *reviewDoc) narrative() {
	b, in, rv := &d.b, d.in, d.rv
	b.WriteString("## Impact\n\n")
	if !rv.ImpactStart.IsZero() {
		fmt.Fprintf(b, "Impact started %s.\n\n", rv.ImpactStart.UTC().Format(utcLayout))
	}
	d.para(rv.Impact)
	b.WriteString("## Root cause\n\n")
	d.para(rv.RootCause)
	b.WriteString("## Contributing factors\n\n")
	d.para(rv.ContributingFactors)
	b.WriteString("## Detection\n\n")
	if in.Metrics.TimeToDetect != nil {
		fmt.Fprintf(b, "Time to detect: %s.\n\n", fmtSecs(in.Metrics.TimeToDetect))
	}
	d.para(rv.Detection)
	b.WriteString("## Resolution\n\n")
	if line := resolutionLine(in.Metrics.TimeToMitigate, in.Metrics.TimeToResolve); line != "" {
		b.WriteString(line + "\n\n")
	}
	d.para(rv.Resolution)
}

func (d *reviewDoc) responders() {
	b := &d.b
	b.WriteString("## Responders\n\n")
	if len(d.in.Roles) == 0 {
		b.WriteString("_No roles were assigned._\n\n")
		return
	}
	b.WriteString("| Role | Holder | Since |\n| --- | --- | --- |\n")
	for _, r := range d.in.Roles {
		fmt.Fprintf(b, "| %s | %s | %s |\n", mdCell(r.Title), orDash(mdCell(r.Holder)), r.Since.Format(utcLayout))
	}
	b.WriteString("\n")
}

func (d *reviewDoc) metrics() {
	b, in := &d.b, d.in
	b.WriteString("## Metrics\n\n| Metric | Value |\n| --- | --- |\n")
	for _, m := range []struct {
		name string
		v    *float64
	}{{"Time to detect", in.Metrics.TimeToDetect}, {"Time to acknowledge", in.Metrics.TimeToAcknowledge},
		{"Time to mitigate", in.Metrics.TimeToMitigate}, {"Time to resolve", in.Metrics.TimeToResolve}} {
		fmt.Fprintf(b, "| %s | %s |\n", m.name, fmtSecs(m.v))
	}
	b.WriteString("\n")
}

func (d *reviewDoc) lessons() {
	rv := d.rv
	d.b.WriteString("## How we did: lessons learned\n\n")
	for _, s := range []struct{ h, t string }{{"What went well", rv.WentWell}, {"What went poorly", rv.WentPoorly},
		{"Where we got lucky", rv.Lucky}, {"Lessons", rv.Lessons}} {
		fmt.Fprintf(&d.b, "### %s\n\n", s.h)
		d.paraUnder(s.t, 3)
	}
}

func (d *reviewDoc) actionItems() {
	b, rv := &d.b, d.rv
	b.WriteString("## Action items\n\n")
	var actions []model.TimelineEntry
	for _, e := range d.in.entries {
		if e.Kind == model.EventNote && e.NoteKind == model.NoteKindAction && !e.Retracted {
			actions = append(actions, e)
		}
	}
	if len(rv.ActionItems)+len(actions) == 0 {
		b.WriteString("_None recorded._\n\n")
	}
	// One table per ### category of the review, the uncategorised (and the
	// action items logged in the timeline) first.
	groups := model.GroupActionItems(rv.ActionItems)
	if len(actions) > 0 && (len(groups) == 0 || groups[0].Category != "") {
		groups = append([]model.ActionGroup{{}}, groups...)
	}
	for i, g := range groups {
		if g.Category != "" {
			fmt.Fprintf(b, "### %s\n\n", mdCell(g.Category))
		}
		b.WriteString("| Action | Owner | Due | Status |\n| --- | --- | --- | --- |\n")
		for _, a := range g.Items {
			fmt.Fprintf(b, "| %s | %s | %s | %s |\n", mdCell(a.Title), orDash(mdCell(a.Owner)), orDash(mdCell(a.Due)), mdCell(string(a.Status)))
		}
		if i == 0 && g.Category == "" {
			for _, e := range actions {
				fmt.Fprintf(b, "| %s | %s | — | logged %s |\n", mdCell(e.Text), mdCell(e.Author), e.Placed().UTC().Format("2006-01-02 15:04Z"))
			}
		}
		b.WriteString("\n")
	}
}

func (d *reviewDoc) messaging() {
	b := &d.b
	b.WriteString("## Messaging\n\n")
	if len(d.in.Messages) == 0 {
		b.WriteString("_No updates were logged as sent._\n\n")
	}
	for _, m := range d.in.Messages {
		via := ""
		if m.Channel != "" {
			via = " via " + model.OneLine(m.Channel)
		}
		fmt.Fprintf(b, "**%s** to %s%s, by %s:\n\n", m.At.Format(utcLayout), model.OneLine(m.Audience), via, model.OneLine(m.Author))
		for _, l := range strings.Split(strings.TrimRight(model.Printable(m.Text), "\n"), "\n") {
			b.WriteString(strings.TrimRight("> "+l, " ") + "\n")
		}
		b.WriteString("\n")
	}
}

func (d *reviewDoc) runbooks() {
	b := &d.b
	b.WriteString("## Runbooks followed\n\n")
	if len(d.in.Runbooks) == 0 {
		b.WriteString("_No runbook was attached._\n\n")
		return
	}
	for _, rb := range d.in.Runbooks {
		counts := map[string]int{}
		for _, s := range rb.Steps {
			counts[s.State]++
		}
		fmt.Fprintf(b, "- **%s** (`%s`, %s, sha256 `%.12s`), attached %s: %d done, %d skipped, %d blocked\n", model.OneLine(rb.Title), model.OneLine(rb.Name),
			model.OneLine(rb.Source), model.OneLine(rb.SHA256), rb.AttachedAt.Format(utcLayout), counts["done"], counts["skipped"], counts["blocked"])
		for _, s := range rb.Steps {
			if s.State == "skipped" || s.State == "blocked" {
				fmt.Fprintf(b, "  - step %d %s: %s (%s)\n", s.Index+1, model.OneLine(s.State), model.OneLine(s.Reason), model.OneLine(s.By))
			}
		}
	}
	b.WriteString("\n")
}

func (d *reviewDoc) exercise() {
	x := d.in.ExerciseInfo
	if x == nil {
		return
	}
	b := &d.b
	b.WriteString("## Exercise\n\n")
	fmt.Fprintf(b, "Scenario **%s** (`%s`, sha256 `%.12s`), started %s", model.OneLine(x.Title), model.OneLine(x.Scenario), model.OneLine(x.SHA256), x.Start.Format(utcLayout))
	if x.Ended != nil {
		fmt.Fprintf(b, ", ended %s", x.Ended.Format(utcLayout))
	}
	fmt.Fprintf(b, "; %s. The after-action report (`sitrep drill report %s`) judges objectives and injects.\n\n", model.Count(len(x.ClockChanges), "clock change"), model.OneLine(d.in.Short))
	for _, o := range x.Objectives {
		state := o.State
		if state == "" {
			state = "in progress"
		}
		fmt.Fprintf(b, "- Objective `%s` %s: %s\n", model.OneLine(o.ID), model.OneLine(o.Title), state)
	}
	b.WriteString("\n")
}

func (d *reviewDoc) timeline() {
	b := &d.b
	b.WriteString("## Timeline (UTC)\n\n")
	b.WriteString("| Time (UTC) | T+ | Who | What | Entry |\n| --- | --- | --- | --- | --- |\n")
	var long []model.TimelineEntry
	for _, e := range model.CoalesceSpeedChanges(d.in.entries) {
		text, inFull := timelineCell(e)
		if inFull {
			long = append(long, e)
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", e.Placed().UTC().Format("2006-01-02 15:04:05"), d.in.clock.TPlus(e.Placed()), mdCell(e.Author), e.Label(), text)
	}
	if len(long) > 0 {
		b.WriteString("\n### Longer entries in full\n")
		for _, e := range long {
			state := ""
			if e.Retracted {
				state = " (retracted)"
			}
			fmt.Fprintf(b, "\n**%s** · %s · %s%s\n\n", e.Occurred.UTC().Format("2006-01-02 15:04:05"), model.OneLine(e.Author), e.Label(), state)
			if p, ok := d.in.evidence[e.EventID]; ok && e.AmendedBy == "" {
				writeEvidence(b, p)
				continue
			}
			writeVerbatim(b, e.Text, "")
		}
	}
}

// timelineCell is an entry's text as its timeline row shows it, with its
// marks (pinned, amended, retracted, logged late, the clock), and whether
// the entry is to be written in full after the table.
func timelineCell(e model.TimelineEntry) (text string, inFull bool) {
	text = mdCell(e.Text)
	if multiLine(e.Text) {
		// A table cell holds one line: the row keeps the first, and the
		// entry is written in full, as typed, after the table (a
		// message is already, under Messaging).
		text = mdCell(firstLine(e.Text)) + " …"
		inFull = e.Kind != model.EventMessageSent
	}
	var marks []string
	if e.Pinned {
		marks = append(marks, "pinned")
	}
	if e.AmendedBy != "" {
		marks = append(marks, "amended")
	}
	if e.Retracted {
		text = "~~" + text + "~~"
		marks = append(marks, "retracted")
	}
	if e.Late() {
		marks = append(marks, "logged "+e.Logged().UTC().Format("2006-01-02 15:04:05Z"))
	}
	if note := e.ClockNote(); note != "" {
		marks = append(marks, note)
	}
	switch {
	case multiLine(e.Text) && e.Kind == model.EventMessageSent:
		marks = append(marks, "in full under Messaging")
	case multiLine(e.Text):
		marks = append(marks, "in full below")
	}
	if len(marks) > 0 {
		text += " _(" + strings.Join(marks, ", ") + ")_"
	}
	return text, inFull
}

// writeEvidence writes a command that was run: the command as a block, its
// facts on a line, and its output in a collapsed <details> block, so a
// long listing does not bury the rest of the review. The output is in a
// fenced block inside it, where nothing (HTML, a closing </details>, a
// fence) is read as part of the document.
func writeEvidence(b *strings.Builder, p model.EvidencePayload) {
	writeVerbatim(b, "$ "+p.Command, "")
	b.WriteString("\n" + mdCell(strings.Join(p.Facts(), " · ")) + "\n")
	if strings.TrimSpace(p.Output) == "" {
		return
	}
	summary := fmt.Sprintf("Output (%s)", model.Count(int(p.OutputBytes), "byte"))
	if p.Omitted > 0 {
		summary = fmt.Sprintf("Output (%d of %s, head and tail)", p.OutputBytes-p.Omitted, model.Count(int(p.OutputBytes), "byte"))
	}
	b.WriteString("\n<details><summary>" + html.EscapeString(summary) + "</summary>\n\n")
	writeVerbatim(b, p.Output, "")
	b.WriteString("\n</details>\n")
}

// multiLine reports whether a timeline entry has more than one line to it
// (paragraphs, a pasted command and its output), which a table cell or a
// bullet would flatten.
func multiLine(text string) bool {
	return strings.Contains(strings.TrimSpace(text), "\n")
}

// firstLine is the first line of text that has something on it.
func firstLine(text string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) != "" {
			return l
		}
	}
	return ""
}

// writeVerbatim writes text exactly as it was typed, in a fenced block
// longer than any run of backticks in it: lines, blank lines and
// indentation stay, on GitHub and in a terminal alike, and nothing in it
// (a heading, HTML, a fence of its own) is read as part of the document.
// indent puts the block inside a list item.
func writeVerbatim(b *strings.Builder, text, indent string) {
	text = strings.Trim(model.Printable(text), "\n")
	fence, run := 3, 0
	for _, r := range text {
		if r == '`' {
			run++
			fence = max(fence, run+1)
		} else {
			run = 0
		}
	}
	f := strings.Repeat("`", fence)
	b.WriteString(indent + f + "text\n")
	for _, l := range strings.Split(text, "\n") {
		b.WriteString(strings.TrimRight(indent+l, " ") + "\n")
	}
	b.WriteString(indent + f + "\n")
}

func timeOrDash(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return t.Format(utcLayout)
}

func fmtSecs(v *float64) string {
	if v == nil {
		return "—"
	}
	return model.FormatMetric(time.Duration(*v * float64(time.Second)))
}

// resolutionLine says how long mitigation and resolution took after
// detection, naming only what happened: "Mitigated 12m after detection; not
// resolved yet." rather than a dash in the sentence.
func resolutionLine(mitigate, resolve *float64) string {
	switch {
	case mitigate != nil && resolve != nil:
		return fmt.Sprintf("Mitigated %s and resolved %s after detection.", fmtSecs(mitigate), fmtSecs(resolve))
	case mitigate != nil:
		return fmt.Sprintf("Mitigated %s after detection; not resolved yet.", fmtSecs(mitigate))
	case resolve != nil:
		return fmt.Sprintf("Resolved %s after detection.", fmtSecs(resolve))
	}
	return ""
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// CSVHeader is the first row of the CSV export.
// occurred_utc is where the log places the entry; clock says when the clock
// that stamped it disagreed with the others, and what it stamped.
var CSVHeader = []string{"occurred_utc", "t_plus", "recorded_utc", "author", "kind", "note_kind", "text", "pinned", "amended", "retracted", "event_id", "incident_id", "exercise", "clock"}

// CSV writes the timeline, one row per entry, for spreadsheets. Cells that
// a spreadsheet would run as a formula are prefixed with an apostrophe.
func CSV(w io.Writer, in Incident) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, e := range in.entries {
		// Every cell from the store is made printable, names and ids too: a
		// spreadsheet or a terminal showing the file must not act on it.
		p := func(s string) string { return safeCell(model.Printable(s)) }
		rec := []string{e.Placed().UTC().Format(time.RFC3339Nano), in.clock.TPlus(e.Placed()), e.Logged().UTC().Format(time.RFC3339Nano), p(e.Author), p(e.Label()),
			p(string(e.NoteKind)), p(e.Text), yes(e.Pinned), yes(e.AmendedBy != ""), yes(e.Retracted), p(e.EventID), p(in.ID), exerciseMark(in.Exercise), e.ClockNote()}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return ""
}

// safeCell defuses CSV formula injection: a cell starting with = + - @
// is read as text.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}

func exerciseMark(b bool) string {
	if b {
		return "EXERCISE"
	}
	return ""
}
