package model

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"text/template"
	"time"
)

// Audience is who an update is for.
type Audience string

const (
	AudienceInternal  Audience = "internal"  // responders and the rest of the company
	AudienceCustomers Audience = "customers" // status page, customer email
	AudienceExecutive Audience = "executive" // leadership
)

// Audiences lists them in the order they are shown.
var Audiences = []Audience{AudienceInternal, AudienceCustomers, AudienceExecutive}

// ParseAudience accepts an audience or a common alias.
func ParseAudience(text string) (Audience, error) {
	switch strings.ToLower(strings.TrimSpace(text)) {
	case "internal", "team", "stakeholders":
		return AudienceInternal, nil
	case "customers", "customer", "external", "public", "status-page":
		return AudienceCustomers, nil
	case "executive", "executives", "exec", "leadership":
		return AudienceExecutive, nil
	}
	return "", Invalidf("invalid audience %q: use internal, customers or executive", text)
}

// Message is an update sent, as the timeline records it.
type Message struct {
	EventID    string
	IncidentID string
	Audience   Audience
	Template   string
	Text       string
	Channel    string
	Author     string
	At         time.Time
}

// MessageTemplate is a predefined message, filled from the incident.
type MessageTemplate struct {
	Name     string
	Audience Audience
	Title    string
	Body     string // text/template over MessageData
}

// MessageData is what a template can use.
type MessageData struct {
	Incident   Incident
	Title      string
	Short      string
	Severity   string
	Meaning    string // what the severity means
	Status     string
	StatusText string // the status in words for outsiders
	Commander  string
	Impact     string // from the review, or a phrase that fits the status
	Latest     string // newest note, decision or action text, or a phrase that fits the status
	Now        string // UTC time the message is written
	Started    string // UTC time of detection
	Since      string // UTC time the impact started: the review's, else detection
	Duration   string // since detection; until resolution once resolved
	NextUpdate string // UTC time of the next update, from the cadence; "" when none is scheduled
	Mitigated  bool   // impact stopped, still being watched
	Resolved   bool   // resolved or reviewed: this is the last update
	Ended      string // UTC time of resolution, once resolved
	Exercise   bool
}

// MessageFacts are what an update is filled from besides the incident,
// mostly from its review: all may be empty.
type MessageFacts struct {
	Impact      string
	ImpactStart time.Time
	Latest      string
}

// MessageTemplates are the predefined messages the seeds ask for. Each
// says what fits the incident's stage: under way, mitigated and being
// watched, or resolved (the last update, with no next one promised).
var MessageTemplates = []MessageTemplate{
	{Name: "internal", Audience: AudienceInternal, Title: "Internal update", Body: `{{if .Exercise}}[EXERCISE] {{end}}[{{.Severity}}] {{.Title}} — {{.Status}}
Incident {{.Short}} · commander {{.Commander}} · started {{.Started}} {{if .Resolved}}(resolved {{.Ended}} after {{.Duration}}){{else}}({{.Duration}} ago){{end}}
Impact: {{.Impact}}
Latest: {{.Latest}}
{{if .Resolved}}This is the final update.{{else if .NextUpdate}}Next update by {{.NextUpdate}}.{{else}}Next update when there is news.{{end}}
`},
	{Name: "customer", Audience: AudienceCustomers, Title: "Customer notice", Body: `{{if .Exercise}}[EXERCISE — NOT A REAL INCIDENT] {{end}}{{.StatusText}}: {{.Title}}

{{if .Resolved}}This issue is resolved. From {{.Since}} to {{.Ended}} some customers were affected: {{.Impact}}
{{else if .Mitigated}}A fix is in place and we are monitoring the results. Since {{.Since}} some customers may have been affected: {{.Impact}}
{{if .NextUpdate}}We will post the next update by {{.NextUpdate}}.{{else}}We will post an update when there is news.{{end}}
{{else}}Since {{.Since}} some customers may be affected: {{.Impact}}
Our engineers are working on it and {{if .NextUpdate}}we will post the next update by {{.NextUpdate}}.{{else}}we will post an update when there is news.{{end}}
{{end}}We are sorry for the disruption.
`},
	{Name: "executive", Audience: AudienceExecutive, Title: "Executive update", Body: `{{if .Exercise}}[EXERCISE] {{end}}{{.Severity}} ({{.Meaning}}): {{.Title}}
{{if .Resolved}}Status: {{.Status}} at {{.Ended}}, {{.Duration}} after it started ({{.Started}}).{{else}}Status: {{.Status}} for {{.Duration}} (since {{.Started}}).{{end}} Commander: {{.Commander}}.
Customer impact: {{.Impact}}
Latest: {{.Latest}}
{{if .Resolved}}This is the final update; the post-incident review follows.{{else if .NextUpdate}}Next executive update by {{.NextUpdate}}.{{else}}Next executive update when there is news.{{end}}
`},
}

// FindTemplate returns a template by name ("customer", "customers",
// "internal", "executive", "exec").
func FindTemplate(name string) (MessageTemplate, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if a, err := ParseAudience(n); err == nil {
		for _, t := range MessageTemplates {
			if t.Audience == a {
				return t, nil
			}
		}
	}
	names := make([]string, len(MessageTemplates))
	for i, t := range MessageTemplates {
		names[i] = t.Name
	}
	return MessageTemplate{}, Invalidf("no message template %q: use %s", name, strings.Join(names, ", "))
}

var statusWords = map[Status]string{
	StatusDetected:      "Investigating",
	StatusInvestigating: "Investigating",
	StatusContaining:    "Identified",
	StatusMitigated:     "Monitoring",
	StatusResolved:      "Resolved",
	StatusReviewed:      "Resolved",
}

// ComposeMessage fills t as it would go out now from the incident and the
// facts of its review and timeline: next is when this audience's following
// update falls due, counting this message as sent. x is the incident's
// drill, nil for a real incident.
func ComposeMessage(t MessageTemplate, in Incident, x *Exercise, f MessageFacts, sent []Message, policy CadencePolicy, now time.Time) (string, error) {
	var next time.Time
	withThis := append(append([]Message(nil), sent...), Message{Audience: t.Audience, At: now})
	for _, d := range UpdatesDue(in, x, withThis, policy, now) {
		if d.Audience == t.Audience {
			next = d.At
		}
	}
	return FillMessage(t, in, f, next, now)
}

// FillMessage fills a template for an incident at now; next is when the
// following update is due (zero: none scheduled).
func FillMessage(t MessageTemplate, in Incident, f MessageFacts, next time.Time, now time.Time) (string, error) {
	const layout = "2006-01-02 15:04 UTC"
	started := in.Started()
	since := started
	if !f.ImpactStart.IsZero() {
		since = f.ImpactStart
	}
	d := MessageData{
		Incident: in, Title: OneLine(in.Title), Short: in.Short(), Severity: in.Severity.String(),
		Meaning: strings.SplitN(in.Severity.Meaning(), ":", 2)[0], Status: string(in.Status), StatusText: statusWords[in.Status],
		Commander: in.Commander, Impact: OneLine(f.Impact), Latest: OneLine(f.Latest), Now: now.UTC().Format("15:04 UTC"),
		Started: started.UTC().Format(layout), Since: since.UTC().Format(layout), Duration: FormatAge(now.Sub(started)), Exercise: in.Exercise,
		Resolved: in.Status.Valid() && !in.Status.Active(), Mitigated: in.Status == StatusMitigated,
	}
	impact, latest := "under investigation", "investigation under way"
	switch {
	case d.Resolved:
		impact, latest = "details to follow", "resolved"
		end := in.Milestones.Resolved
		if end.IsZero() {
			end = now
		}
		d.Ended, d.Duration = end.UTC().Format(layout), FormatAge(end.Sub(started))
	case d.Mitigated:
		impact, latest = "being assessed", "fix in place, monitoring"
	}
	if d.Impact == "" {
		d.Impact = impact
	}
	if d.Latest == "" {
		d.Latest = latest
	}
	if d.Commander == "" {
		d.Commander = "(none)"
	}
	if d.StatusText == "" {
		d.StatusText = "Investigating"
	}
	if !next.IsZero() && !d.Resolved {
		d.NextUpdate = next.UTC().Format("15:04 UTC")
	}
	tmpl, err := template.New(t.Name).Option("missingkey=error").Parse(t.Body)
	if err != nil {
		return "", fmt.Errorf("message template %s: %w", t.Name, err)
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, d); err != nil {
		return "", fmt.Errorf("message template %s: %w", t.Name, err)
	}
	return b.String(), nil
}

// Cadence says how often an audience must hear from the responders while an
// incident is active.
type Cadence struct {
	First      time.Duration // first message within this of detection; 0 means no first-message target
	Every      time.Duration // then at least this often; 0 means no regular updates
	EarlyFor   time.Duration // Every applies for this long after detection…
	EveryAfter time.Duration // …then this (0 means keep Every)
}

// CadencePolicy is the cadence per severity and audience.
type CadencePolicy map[Severity]map[Audience]Cadence

// DefaultCadence follows PagerDuty's published practice: the first external
// message within 5 minutes, updates every 20 minutes for the first two
// hours and hourly after, executives about every 30 minutes. SEV3 gets
// hourly updates and SEV4 none.
func DefaultCadence() CadencePolicy {
	major := map[Audience]Cadence{
		AudienceCustomers: {First: 5 * time.Minute, Every: 20 * time.Minute, EarlyFor: 2 * time.Hour, EveryAfter: time.Hour},
		AudienceInternal:  {First: 5 * time.Minute, Every: 20 * time.Minute, EarlyFor: 2 * time.Hour, EveryAfter: time.Hour},
		AudienceExecutive: {First: 30 * time.Minute, Every: 30 * time.Minute},
	}
	return CadencePolicy{
		SEV1: major,
		SEV2: {
			AudienceCustomers: major[AudienceCustomers],
			AudienceInternal:  major[AudienceInternal],
		},
		SEV3: {
			AudienceInternal: {First: 30 * time.Minute, Every: time.Hour},
		},
		SEV4: {},
	}
}

// ParseCadence reads "first=5m every=20m for=2h then=1h" (any subset).
func ParseCadence(text string) (Cadence, error) {
	var c Cadence
	for _, f := range strings.Fields(strings.ReplaceAll(text, ",", " ")) {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			return c, Invalidf("cadence %q: write key=duration, like first=5m every=20m for=2h then=1h", text)
		}
		d, err := ParseOffset(v)
		if err != nil {
			return c, Invalidf("cadence %q: %s: %v", text, k, err)
		}
		switch strings.ToLower(k) {
		case "first":
			c.First = d
		case "every":
			c.Every = d
		case "for":
			c.EarlyFor = d
		case "then":
			c.EveryAfter = d
		default:
			return c, Invalidf("cadence %q: unknown key %q (use first, every, for, then)", text, k)
		}
	}
	return c, nil
}

// DrillCadence is the update cadence a scenario sets for its drills, in
// place of the team's policy: a tabletop about decisions alone has no
// updates to send, and scoring it against the team's would report every
// twenty minutes as a missed deadline. No audiences and no All is no
// deadlines at all (`cadence: none`).
type DrillCadence struct {
	// All applies to each audience the team's policy expects to hear at
	// the drill's severity, or to the internal one if it names none.
	All *Cadence `json:"all,omitempty"`
	// Audiences set one audience's cadence (a zero one: none), over All.
	Audiences map[Audience]Cadence `json:"audiences,omitempty"`
}

// Policy is the policy a drill runs under: the scenario's if it set one,
// otherwise the team's.
func (c *DrillCadence) Policy(team CadencePolicy) CadencePolicy {
	if c == nil {
		return team
	}
	out := CadencePolicy{}
	for _, sev := range []Severity{SEV1, SEV2, SEV3, SEV4} {
		m := map[Audience]Cadence{}
		if c.All != nil {
			for a := range team[sev] {
				m[a] = *c.All
			}
			if len(m) == 0 {
				m[AudienceInternal] = *c.All
			}
		}
		for a, ac := range c.Audiences {
			m[a] = ac
		}
		out[sev] = m
	}
	return out
}

// drillPolicy is the policy deadlines are set by: in a drill (x not nil),
// the scenario's when it has one.
func drillPolicy(x *Exercise, team CadencePolicy) CadencePolicy {
	if x == nil {
		return team
	}
	return x.Started.Cadence.Policy(team)
}

// Interval is the longest gap allowed after a message sent at since
// (measured from detection at start).
func (c Cadence) Interval(start, since time.Time) time.Duration {
	if c.EarlyFor > 0 && c.EveryAfter > 0 && since.Sub(start) >= c.EarlyFor {
		return c.EveryAfter
	}
	return c.Every
}

// UpdateDue is when the next message to an audience is due.
type UpdateDue struct {
	Audience Audience
	At       time.Time // zero: nothing due (no cadence, or incident no longer active)
	Late     bool
	// LateBy is how far past the deadline it is, on the clock the cadence
	// runs on: in a drill, exercise time, so a pause does not make it later.
	LateBy time.Duration
}

// NextUpdateDue is the most urgent update due for an active incident under
// policy: the earliest due time over the audiences the policy names. ok is
// false when nothing is due (resolved, an ended drill, or no cadence for
// the severity).
// x is the incident's drill, nil for a real incident (see UpdatesDue).
func NextUpdateDue(in Incident, x *Exercise, msgs []Message, policy CadencePolicy, now time.Time) (UpdateDue, bool) {
	all := UpdatesDue(in, x, msgs, policy, now)
	if len(all) == 0 {
		return UpdateDue{}, false
	}
	return all[0], true
}

// UpdatesDue lists the next due update per audience, earliest first. In a
// drill (x not nil) the cadence runs on the exercise clock, as the drill's
// injects and objectives do: an update due every 20 minutes is due every 20
// exercise minutes, sooner at double speed and not at all while the clock
// is paused; once the drill has ended nothing is due. The times returned
// are wall times either way.
func UpdatesDue(in Incident, x *Exercise, msgs []Message, policy CadencePolicy, now time.Time) []UpdateDue {
	if !in.Status.Active() || x != nil && x.Over(now) {
		return nil
	}
	policy = drillPolicy(x, policy)
	clock := cadenceClock{x}
	in, msgs = clock.rebase(in, msgs)
	onClock := clock.on(now)
	start := in.Started()
	var out []UpdateDue
	for _, a := range Audiences {
		c, ok := policy[in.Severity][a]
		if !ok {
			continue
		}
		var last time.Time
		for _, m := range msgs {
			if m.Audience == a && m.At.After(last) {
				last = m.At
			}
		}
		u := UpdateDue{Audience: a}
		if last.IsZero() {
			u.At = c.firstDue(start)
		} else {
			u.At = nextDue(c, start, last)
		}
		if u.At.IsZero() {
			continue
		}
		u.Late = onClock.After(u.At)
		if u.Late {
			u.LateBy = onClock.Sub(u.At)
		}
		u.At = clock.wall(u.At, now)
		out = append(out, u)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

// CadenceScore replays the messages of an incident between its detection
// and end against the policy: how many updates went out on time and which
// deadlines were missed. Drills report it.
type CadenceScore struct {
	Sent   int
	OnTime int
	Missed []UpdateDue // deadlines that passed with no message (At, Audience)
}

// ScoreCadence checks each deadline the policy set between detection and
// end: a deadline is met by a message to its audience at or before it. In a
// drill (x not nil) deadlines fall on the exercise clock, as in UpdatesDue.
func ScoreCadence(in Incident, x *Exercise, msgs []Message, policy CadencePolicy, end time.Time) CadenceScore {
	var sc CadenceScore
	policy = drillPolicy(x, policy)
	clock := cadenceClock{x}
	in, msgs = clock.rebase(in, msgs)
	wallEnd, end := end, clock.on(end)
	start := in.Started()
	sorted := append([]Message(nil), msgs...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].At.Before(sorted[j].At) })
	for _, a := range Audiences {
		c, ok := policy[in.Severity][a]
		if !ok {
			continue
		}
		due := c.firstDue(start)
		for _, m := range sorted {
			if m.Audience != a || m.At.After(end) {
				continue
			}
			sc.Sent++
			late := false
			for !due.IsZero() && due.Before(m.At) && !due.After(end) {
				sc.Missed = append(sc.Missed, UpdateDue{Audience: a, At: due, Late: true})
				due, late = nextDue(c, start, due), true
			}
			if !due.IsZero() && !late {
				sc.OnTime++
			}
			due = nextDue(c, start, m.At)
		}
		for !due.IsZero() && !due.After(end) {
			sc.Missed = append(sc.Missed, UpdateDue{Audience: a, At: due, Late: true})
			due = nextDue(c, start, due)
		}
	}
	for i := range sc.Missed {
		sc.Missed[i].At = clock.wall(sc.Missed[i].At, wallEnd)
	}
	sort.SliceStable(sc.Missed, func(i, j int) bool { return sc.Missed[i].At.Before(sc.Missed[j].At) })
	return sc
}

// cadenceClock is the clock update deadlines run on: wall time for a real
// incident, the exercise clock for a drill. Times on the exercise clock are
// written as the exercise's start plus the exercise time elapsed, so the
// cadence arithmetic is the same for both.
type cadenceClock struct{ x *Exercise }

func (c cadenceClock) on(t time.Time) time.Time {
	if c.x == nil {
		return t
	}
	return c.x.Started.Start.Add(c.x.Elapsed(t))
}

// wall turns a time on the clock back into wall time. A deadline the clock
// has not reached and, as it stands, never will (it is paused) is put as far
// from now as it would be if the clock ran on at its speed now.
func (c cadenceClock) wall(t, now time.Time) time.Time {
	if c.x == nil || t.IsZero() {
		return t
	}
	offset := t.Sub(c.x.Started.Start)
	if w, ok := c.x.WallAt(offset); ok {
		if w.Before(now) && offset >= c.x.Elapsed(now) {
			return now // reached just as the clock stopped: due now, not in the past
		}
		return w
	}
	return now.Add(time.Duration(float64(offset-c.x.Elapsed(now)) / c.x.Speed(now)))
}

// rebase moves the incident's start and its messages onto the clock.
func (c cadenceClock) rebase(in Incident, msgs []Message) (Incident, []Message) {
	if c.x == nil {
		return in, msgs
	}
	in.Milestones.Detected = c.on(in.Started())
	out := make([]Message, len(msgs))
	for i, m := range msgs {
		m.At = c.on(m.At)
		out[i] = m
	}
	return in, out
}

// firstDue is the first deadline after the incident started at start
// (zero if the cadence sets none).
func (c Cadence) firstDue(start time.Time) time.Time {
	switch {
	case c.First > 0:
		return start.Add(c.First)
	case c.Every > 0:
		return start.Add(c.Every)
	}
	return time.Time{}
}

// nextDue is the deadline one interval after last, a message or a missed
// deadline, so a long silence counts as several missed updates (zero if
// the cadence sets no interval).
func nextDue(c Cadence, start, last time.Time) time.Time {
	if iv := c.Interval(start, last); iv > 0 {
		return last.Add(iv)
	}
	return time.Time{}
}
