package model

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Payloads: one struct per kind. Fields that describe what the author saw
// before the change (From, Previous) make the timeline read true even when
// events arrive out of order.

type DeclaredPayload struct {
	Title      string    `json:"title"`
	Kind       string    `json:"kind"`
	Severity   Severity  `json:"severity"`
	Status     Status    `json:"status"`
	Exercise   bool      `json:"exercise,omitempty"`
	DetectedAt time.Time `json:"detected_at"`
	// AlertGroup is the alert group an incident declared from an alert
	// belongs to; older stores ignore it, and it is absent otherwise, so
	// declarations made by hand are byte for byte what they were.
	AlertGroup string `json:"alert_group,omitempty"`
}

// Validate checks a declaration as stored: the kind as given must already
// be a slug, because the declaration's own check trims and lower-cases it
// first and the stored text is what others read.
func (p DeclaredPayload) Validate() error {
	if p.Kind != "" {
		if err := ValidSlug("kind", p.Kind); err != nil {
			return err
		}
	}
	if err := ValidLabel("title", p.Title, MaxTitle); err != nil {
		return err
	}
	if err := ValidTime("the detection time", p.DetectedAt); err != nil {
		return err
	}
	decl := Declaration{Title: p.Title, Kind: p.Kind, Severity: p.Severity, Status: p.Status, AlertGroup: p.AlertGroup}
	return decl.Validate()
}

type RetitledPayload struct {
	Title string `json:"title"`
	From  string `json:"from,omitempty"`
}

// Validate checks a new title. From echoes the title being replaced, which
// may hold anything an older store allowed: only its length is bounded, so
// a bad title can still be fixed.
func (p RetitledPayload) Validate() error {
	if err := ValidLabel("title", p.Title, MaxTitle); err != nil {
		return err
	}
	if err := textLimit("previous title", p.From, 4*MaxLabel); err != nil {
		return err
	}
	decl := Declaration{Title: p.Title, Severity: SEV4}
	return decl.Validate()
}

type StatusPayload struct {
	Status Status `json:"status"`
	From   Status `json:"from,omitempty"`
	Reason string `json:"reason,omitempty"`
}

func (p StatusPayload) Validate() error {
	if _, err := ParseStatus(string(p.Status)); err != nil {
		return err
	}
	if p.From != "" && !p.From.Valid() {
		return Invalidf("invalid previous status %q", p.From)
	}
	return ValidLabel("reason", p.Reason, MaxLabel)
}

type SeverityPayload struct {
	Severity Severity `json:"severity"`
	From     Severity `json:"from,omitempty"`
	Reason   string   `json:"reason,omitempty"`
}

func (p SeverityPayload) Validate() error {
	if !p.Severity.Valid() {
		return Invalidf("invalid severity %d: use one of SEV1, SEV2, SEV3, SEV4", int(p.Severity))
	}
	return ValidLabel("reason", p.Reason, MaxLabel)
}

// NoteKind distinguishes what people type into the timeline.
type NoteKind string

const (
	NoteKindNote     NoteKind = "note"
	NoteKindDecision NoteKind = "decision"
	NoteKindAction   NoteKind = "action"
)

// NoteKinds lists them for help and errors.
var NoteKinds = []NoteKind{NoteKindNote, NoteKindDecision, NoteKindAction}

// ParseNoteKind accepts note, decision or action (and "action-item").
func ParseNoteKind(text string) (NoteKind, error) {
	switch text {
	case "", "note":
		return NoteKindNote, nil
	case "decision":
		return NoteKindDecision, nil
	case "action", "action-item", "todo":
		return NoteKindAction, nil
	}
	return "", Invalidf("invalid note kind %q: use note, decision or action", text)
}

type NotePayload struct {
	Kind NoteKind `json:"kind"`
	Text string   `json:"text"`
}

func (p NotePayload) Validate() error {
	if strings.TrimSpace(p.Text) == "" {
		return Invalidf("the note is empty: type what happened")
	}
	if len(p.Text) > MaxNote {
		return Invalidf("the note is %d bytes; the limit is %d (put big logs in a file and note where)", len(p.Text), MaxNote)
	}
	_, err := ParseNoteKind(string(p.Kind))
	return err
}

type PinnedPayload struct {
	Entry  string `json:"entry"` // event id of the timeline entry
	Pinned bool   `json:"pinned"`
}

func (p PinnedPayload) Validate() error { return ValidID("entry", p.Entry) }

type AmendedPayload struct {
	Entry string `json:"entry"`
	Text  string `json:"text"`
}

func (p AmendedPayload) Validate() error {
	if err := ValidID("entry", p.Entry); err != nil {
		return err
	}
	if strings.TrimSpace(p.Text) == "" {
		return Invalidf("the amended text is empty: to withdraw an entry, retract it")
	}
	if len(p.Text) > MaxNote {
		return Invalidf("the amended text is %d bytes; the limit is %d", len(p.Text), MaxNote)
	}
	return nil
}

type RetractedPayload struct {
	Entry  string `json:"entry"`
	Reason string `json:"reason,omitempty"`
}

func (p RetractedPayload) Validate() error {
	if err := ValidID("entry", p.Entry); err != nil {
		return err
	}
	return ValidLabel("reason", p.Reason, MaxLabel)
}

type RoleAssignedPayload struct {
	Role     Role   `json:"role"`
	Holder   string `json:"holder"`             // "" releases the role
	Previous string `json:"previous,omitempty"` // holder the author saw
	Replaces string `json:"replaces,omitempty"` // event id of the assignment the author saw
}

func (p RoleAssignedPayload) Validate() error {
	if err := ValidSlug("role", string(p.Role)); err != nil {
		return err
	}
	if p.Holder != "" { // "" releases the role
		if err := ValidName("role holder", p.Holder); err != nil {
			return err
		}
	}
	// Previous echoes who held the role in the author's store, which a
	// store made before these rules may hold with any character: checking
	// it would stop the role being handed on. Only its length is bounded;
	// it is drawn neutralised like all text.
	if err := textLimit("previous holder", p.Previous, MaxLabel); err != nil {
		return err
	}
	if p.Replaces != "" {
		return ValidID("replaced assignment", p.Replaces)
	}
	return nil
}

type RunbookAttachedPayload struct {
	Name   string `json:"name"`
	Title  string `json:"title"`
	Source string `json:"source"`
	Hash   string `json:"hash"` // sha256 of Text
	Text   string `json:"text"` // the exact file followed, for the review months later
	// Rules are the step rules the runbook was read with, so it is read
	// with them again and step events keep landing on the steps they were
	// made for; empty for attachments made before rules were recorded.
	Rules string `json:"rules,omitempty"`
}

func (p RunbookAttachedPayload) Validate() error {
	if len(p.Text) > MaxAttachment {
		return Invalidf("the runbook %q is %d bytes; a runbook may have at most %d (1 MiB)", OneLine(p.Name), len(p.Text), MaxAttachment)
	}
	if err := ValidLabel("runbook name", p.Name, MaxLabel); err != nil {
		return err
	}
	if err := ValidLabel("runbook title", p.Title, MaxLabel); err != nil {
		return err
	}
	return ValidLabel("runbook source", p.Source, MaxLabel)
}

// StepState is where a runbook step stands on one incident.
type StepState string

const (
	StepOpen    StepState = "open"
	StepDone    StepState = "done"
	StepSkipped StepState = "skipped"
	StepBlocked StepState = "blocked"
)

// ParseStepState accepts a state name.
func ParseStepState(text string) (StepState, error) {
	switch s := StepState(text); s {
	case StepOpen, StepDone, StepSkipped, StepBlocked:
		return s, nil
	}
	return "", Invalidf("invalid step state %q: use open, done, skipped or blocked", text)
}

type StepPayload struct {
	Runbook string    `json:"runbook"` // attached runbook name
	Step    int       `json:"step"`    // 0-based position of the step in the runbook
	Title   string    `json:"title"`   // the step's text, so the timeline reads without the runbook
	State   StepState `json:"state"`
	Reason  string    `json:"reason,omitempty"`
}

// Validate checks a step change: skipping and blocking need a reason, so the
// review can say why.
func (p StepPayload) Validate() error {
	if p.Runbook == "" {
		return Invalidf("step change names no runbook")
	}
	if p.Step < 0 {
		return Invalidf("step number %d is negative", p.Step)
	}
	if _, err := ParseStepState(string(p.State)); err != nil {
		return err
	}
	if (p.State == StepSkipped || p.State == StepBlocked) && p.Reason == "" {
		return Invalidf("say why the step is %s", p.State)
	}
	if err := ValidLabel("runbook name", p.Runbook, MaxLabel); err != nil {
		return err
	}
	if err := ValidLabel("step title", p.Title, MaxLabel); err != nil {
		return err
	}
	return ValidLabel("reason", p.Reason, MaxLabel)
}

// ReviewPayload is a whole post-incident review document. Each save replaces
// the previous one (last writer by HLC wins); the log keeps every version.
type ReviewPayload struct {
	Review Review `json:"review"`
}

func (p ReviewPayload) Validate() error {
	if err := ValidTime("the impact start", p.Review.ImpactStart); err != nil {
		return err
	}
	if err := p.Review.Validate(); err != nil {
		return err
	}
	for _, a := range p.Review.ActionItems {
		if err := ValidLabel("action item title", a.Title, MaxLabel); err != nil {
			return err
		}
		if err := ValidLabel("action item owner", a.Owner, MaxLabel); err != nil {
			return err
		}
	}
	return nil
}

// ExerciseStartedPayload opens a drill's clock. It carries the scenario as
// parsed when the drill started (objectives and inject schedule), and its
// exact text and hash, so every laptop runs the same drill even if its own
// copy of the scenario differs, and the report months later reads true.
type ExerciseStartedPayload struct {
	Scenario   string        `json:"scenario"` // name
	Title      string        `json:"title"`
	Source     string        `json:"source,omitempty"`
	Hash       string        `json:"hash"`
	Text       string        `json:"text"`
	Start      time.Time     `json:"start"`           // wall time the exercise clock reads +0
	Speed      float64       `json:"speed,omitempty"` // exercise seconds per wall second; 0 means 1
	Duration   time.Duration `json:"duration,omitempty"`
	Runbooks   []string      `json:"runbooks,omitempty"`
	Objectives []Objective   `json:"objectives,omitempty"`
	Injects    []Inject      `json:"injects,omitempty"`
	Cadence    *DrillCadence `json:"cadence,omitempty"` // nil: the team's policy
}

func (p ExerciseStartedPayload) Validate() error {
	if p.Scenario == "" {
		return Invalidf("an exercise needs a scenario")
	}
	if p.Speed < 0 {
		return Invalidf("exercise speed %g is negative", p.Speed)
	}
	if len(p.Text) > MaxAttachment {
		return Invalidf("the scenario %q is %d bytes; a scenario may have at most %d (1 MiB)", OneLine(p.Scenario), len(p.Text), MaxAttachment)
	}
	if err := ValidTime("the exercise start", p.Start); err != nil {
		return err
	}
	for what, s := range map[string]string{"scenario name": p.Scenario, "scenario title": p.Title, "scenario source": p.Source} {
		if err := ValidLabel(what, s, MaxLabel); err != nil {
			return err
		}
	}
	for _, r := range p.Runbooks {
		if err := ValidLabel("runbook name", r, MaxLabel); err != nil {
			return err
		}
	}
	for _, o := range p.Objectives {
		for what, s := range map[string]string{"objective id": o.ID, "objective title": o.Title, "objective runbook": o.Runbook} {
			if err := ValidLabel(what, s, MaxLabel); err != nil {
				return err
			}
		}
	}
	for _, in := range p.Injects {
		if err := ValidLabel("inject title", in.Title, MaxLabel); err != nil {
			return err
		}
	}
	return nil
}

// ExerciseClockPayload pauses, resumes or changes the speed of the exercise
// clock at the event's occurred time.
type ExerciseClockPayload struct {
	Speed  float64 `json:"speed,omitempty"` // for exercise.speed
	Reason string  `json:"reason,omitempty"`
}

// Validate checks a pause or resume. A speed change has its own rule too:
// see ValidateSpeed, which the exercise.speed entry of the kind table uses.
func (p ExerciseClockPayload) Validate() error { return ValidLabel("reason", p.Reason, MaxLabel) }

// ValidateSpeed checks an exercise.speed change: the new speed, then the rest.
func (p ExerciseClockPayload) ValidateSpeed() error {
	if err := CheckSpeed(p.Speed); err != nil {
		return err
	}
	return p.Validate()
}

// ExerciseEndedPayload closes a drill.
type ExerciseEndedPayload struct {
	Reason string `json:"reason,omitempty"`
}

func (p ExerciseEndedPayload) Validate() error { return ValidLabel("reason", p.Reason, MaxLabel) }

// InjectPayload releases an inject early or skips it; it overrides the
// schedule derived from the exercise clock.
type InjectPayload struct {
	Index  int    `json:"index"`
	Title  string `json:"title"`
	Reason string `json:"reason,omitempty"`
}

func (p InjectPayload) Validate() error {
	if p.Index < 0 {
		return Invalidf("inject number %d is not valid", p.Index+1)
	}
	if err := ValidLabel("inject title", p.Title, MaxLabel); err != nil {
		return err
	}
	return ValidLabel("reason", p.Reason, MaxLabel)
}

// MessagePayload records an update sent to an audience.
type MessagePayload struct {
	Audience Audience `json:"audience"`
	Template string   `json:"template,omitempty"`
	Text     string   `json:"text"`
	Channel  string   `json:"channel,omitempty"` // where it went: status page, email, #incident
}

func (p MessagePayload) Validate() error {
	if a, err := ParseAudience(string(p.Audience)); err != nil {
		return err
	} else if a != p.Audience {
		return Invalidf("audience %q is not written as sitrep writes it (%s)", p.Audience, a)
	}
	if strings.TrimSpace(p.Text) == "" {
		return Invalidf("the message is empty")
	}
	if len(p.Text) > MaxNote {
		return Invalidf("the message is %d bytes; the limit is %d", len(p.Text), MaxNote)
	}
	if err := ValidLabel("template", p.Template, MaxLabel); err != nil {
		return err
	}
	return ValidLabel("channel", p.Channel, MaxLabel)
}

// MaxNote bounds one note, amendment or message. A megabyte pasted log is
// fine; a runaway pipe is not.
const MaxNote = 4 << 20

// textLimit bounds text that is echoed, not typed (what the author saw
// before a change), so only its length is checked.
func textLimit(what, text string, max int) error {
	if len(text) > max {
		return Invalidf("%s is %d bytes; the limit is %d", what, len(text), max)
	}
	return nil
}

// EvidencePayload records a command a responder ran and what it printed:
// `sitrep run`, or `!` on a runbook step's code block in the cockpit. The
// output is kept as the terminal showed it, cleaned (StripTerminal), with
// anything that looked like a secret masked and the middle of a long output
// left out, so every field here is already safe to draw and export.
type EvidencePayload struct {
	Command     string    `json:"command"`             // as a person would type it
	Dir         string    `json:"dir,omitempty"`       // working directory
	Host        string    `json:"host,omitempty"`      // where it ran
	Started     time.Time `json:"started"`             // when it started
	DurationMS  int64     `json:"duration_ms"`         // how long it ran
	Exit        int       `json:"exit"`                // exit status; 128+n when killed by signal n
	Signal      string    `json:"signal,omitempty"`    // the signal that killed it, by name
	Output      string    `json:"output,omitempty"`    // combined output, cleaned, head and tail
	OutputBytes int64     `json:"output_bytes"`        // bytes it wrote in all
	Omitted     int64     `json:"omitted,omitempty"`   // bytes of those left out between head and tail
	NoOutput    bool      `json:"no_output,omitempty"` // the responder asked for the output not to be kept
	Masked      int       `json:"masked,omitempty"`    // how many secrets were masked in Output
	Runbook     string    `json:"runbook,omitempty"`   // the runbook whose step it ran, if any
	Step        int       `json:"step,omitempty"`      // 0-based step of Runbook
}

// MaxEvidenceOutput bounds the output an evidence entry keeps: enough for
// the head and tail of a log or a listing, small enough that a timeline of
// many commands still loads at once.
const MaxEvidenceOutput = 64 << 10

// MaxCommand bounds the command line of an evidence entry: a code block of
// a runbook step, or a command typed at the shell.
const MaxCommand = 16 << 10

// Validate checks an evidence entry. The command and the output may span
// lines, so they are held to what the capture writes: text that is
// already printable (Printable leaves it as it is), which keeps escape
// sequences and format characters of a hostile store out of every export.
func (p EvidencePayload) Validate() error {
	if strings.TrimSpace(p.Command) == "" {
		return Invalidf("the evidence names no command")
	}
	if err := printableText("command", p.Command, MaxCommand); err != nil {
		return err
	}
	if err := printableText("output", p.Output, MaxEvidenceOutput); err != nil {
		return err
	}
	for what, s := range map[string]string{"working directory": p.Dir, "host": p.Host, "signal": p.Signal, "runbook name": p.Runbook} {
		if err := ValidLabel(what, s, MaxLabel); err != nil {
			return err
		}
	}
	if err := ValidTime("the command's start", p.Started); err != nil {
		return err
	}
	switch {
	case p.Exit < 0 || p.Exit > 255:
		return Invalidf("exit status %d is not 0-255", p.Exit)
	case p.DurationMS < 0:
		return Invalidf("the command ran for a negative time (%d ms)", p.DurationMS)
	case p.OutputBytes < 0 || p.Omitted < 0 || p.Omitted > p.OutputBytes:
		return Invalidf("output sizes %d bytes, %d omitted do not add up", p.OutputBytes, p.Omitted)
	case p.Masked < 0:
		return Invalidf("masked count %d is negative", p.Masked)
	case p.NoOutput && p.Output != "":
		return Invalidf("the evidence says its output was not kept, yet holds some")
	case p.Step < 0:
		return Invalidf("step number %d is negative", p.Step)
	case p.Step > 0 && p.Runbook == "":
		return Invalidf("step %d of no runbook", p.Step+1)
	}
	return nil
}

// printableText checks multi-line text that must already be printable.
func printableText(what, s string, max int) error {
	if len(s) > max {
		return Invalidf("the %s is %d bytes; the limit is %d", what, len(s), max)
	}
	if !utf8.ValidString(s) {
		return Invalidf("the %s is not valid UTF-8", what)
	}
	if Printable(s) != s {
		return Invalidf("the %s holds control or format characters: it must be stored as sitrep cleans it", what)
	}
	return nil
}

// Status is how the command ended: "exit 0", or "killed by SIGTERM (exit 143)".
func (p EvidencePayload) Status() string {
	if p.Signal != "" {
		return fmt.Sprintf("killed by %s (exit %d)", p.Signal, p.Exit)
	}
	return fmt.Sprintf("exit %d", p.Exit)
}

// Facts are the short facts of an evidence entry, in the order the timeline
// writes them: status, duration, where it ran, the runbook step, and what
// was done to the output. They are part of the stored timeline text: never
// reword them (see Describe).
func (p EvidencePayload) Facts() []string {
	facts := []string{p.Status(), FormatDuration(time.Duration(p.DurationMS) * time.Millisecond)}
	switch {
	case p.Host != "" && p.Dir != "":
		facts = append(facts, p.Host+":"+p.Dir)
	case p.Host != "" || p.Dir != "":
		facts = append(facts, p.Host+p.Dir)
	}
	if p.Runbook != "" {
		facts = append(facts, fmt.Sprintf("step %d of %s", p.Step+1, p.Runbook))
	}
	switch {
	case p.NoOutput:
		facts = append(facts, "output not kept")
	case p.OutputBytes == 0:
		facts = append(facts, "no output")
	case p.Omitted > 0:
		facts = append(facts, fmt.Sprintf("%d of %d bytes of output omitted", p.Omitted, p.OutputBytes))
	}
	if p.Masked > 0 {
		facts = append(facts, fmt.Sprintf("%d secret(s) masked", p.Masked))
	}
	return facts
}

// FormatDuration writes how long a command ran: 140ms, 2.4s, 3m05s, 1h02m.
func FormatDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
	}
	return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
}
