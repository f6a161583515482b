package model

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode/utf8"
)

// Runbook is a procedure as sitrep walks it: phases of numbered steps, each
// with who does it and who answers for it. It is built from a Markdown file
// that a team already keeps in git, so it keeps that file's exact text: an
// incident records the text it followed, and a review months later must read
// what the responders read, not whatever the file says today.
//
// A Runbook is read-only once parsed; the library hands out shared pointers.
type Runbook struct {
	Name       string     // file name without extension, lower-cased: how commands and events refer to it
	Title      string     // front matter title, else the first top-level heading, else Name
	Kinds      []string   // incident kinds it is offered for; none means any kind
	Severities []Severity // severities it applies to; none means all
	Source     string     // "bundled", or the folder it was loaded from
	Path       string     // the file, or its path inside the bundled library
	Text       string     // the file's exact bytes
	Hash       string     // hex SHA-256 of Text
	Prose      bool       // steps are the file's sections, because it has no list steps
	Rules      string     // the step rules it was read with (runbooks.RulesPerSection, …)

	// Roles are the roles the runbook declares beyond StandardRoles, so a
	// team's own "dba" or "release-manager" is a known role and not a typo.
	Roles       []Role
	RoleTitles  map[Role]string // display names given for declared roles
	DefaultRACI RACI            // for steps that carry no annotation of their own
	Escalation  []Escalation
	Phases      []Phase
}

// Escalation says whom to pull in when a step or the incident is still
// unresolved after a while. Who is a role or a free-form team or person,
// because escalation contacts are often outside the response roles.
type Escalation struct {
	Who   string
	After time.Duration
	Via   string // how to reach them: a pager service, a channel, a phone number
	Line  int
}

// Phase is a heading of the runbook and the steps under it. Intro keeps the
// text between the heading and its first step so nothing the author wrote is
// hidden from the responder.
type Phase struct {
	Title string // heading text as written (Markdown); "" for steps before the first heading
	Level int    // heading level 1-6; 0 for the untitled opening phase
	Line  int
	Intro string
	Steps []Step
}

// Step is one thing to do. Index is its position in the whole runbook,
// counted from 0 in reading order; step events refer to it, and because the
// incident stores the exact text it followed, the index keeps its meaning
// even after the file changes.
type Step struct {
	Index   int
	Title   string      // the step's first line as written, annotation removed
	Body    string      // the rest of the step's Markdown, code blocks included so it reads in order
	Code    []CodeBlock // the step's fenced code blocks again, for copying
	RACI    RACI        // its own annotation merged over the phase, parent step and runbook defaults
	OwnRACI bool        // the step's line carries an annotation
	Line    int
	Depth   int // 0 for a top-level step, 1 for a step nested under one, …
}

// CodeBlock is a command or snippet a step offers to copy. sitrep runs it
// only when a person asks (! in the cockpit) and has read it and pressed
// enter: a person decides what executes against production.
type CodeBlock struct {
	Lang string
	Text string
	Line int // line of the opening fence
}

// shellLangs are the fence languages ! may hand to the shell; a block with
// no language is taken as one too, as most runbooks leave it off.
var shellLangs = map[string]bool{
	"": true, "sh": true, "bash": true, "shell": true, "zsh": true, "ksh": true,
	"console": true, "shell-session": true, "shellsession": true, "terminal": true,
	"sh-session": true, "bash-session": true,
}

// ShellLang reports whether a fence's language is a shell's, so that !
// may run the block. A ruby, SQL or YAML block run by the shell would at
// best fail and at worst act on its ">" and "|" as redirections.
func ShellLang(lang string) bool { return shellLangs[strings.ToLower(strings.TrimSpace(lang))] }

// Copy is what copying the block gives. A shell session (commands after a
// "$ " prompt, their output below) gives its commands only, without the
// prompts or the output, so what is pasted is what was meant to be typed.
// A "# " line is a root prompt only in a session or a console block: in a
// script it is a comment, copied with the rest.
func (c CodeBlock) Copy() string {
	lines := strings.Split(c.Text, "\n")
	dollar := false
	for _, l := range lines {
		if strings.HasPrefix(strings.TrimLeft(l, " "), "$ ") {
			dollar = true
			break
		}
	}
	lang := strings.ToLower(c.Lang)
	console := lang == "console" || lang == "shell-session" || lang == "shellsession" || lang == "terminal"
	if !dollar && !console {
		return c.Text
	}
	var out []string
	cont := false // the command above ends in a backslash: this line goes on with it
	for _, l := range lines {
		t := strings.TrimLeft(l, " ")
		switch {
		case cont:
			out = append(out, l)
		case strings.HasPrefix(t, "$ ") || t == "$":
			out = append(out, strings.TrimPrefix(strings.TrimPrefix(t, "$"), " "))
		case console && (strings.HasPrefix(t, "# ") || t == "#"):
			out = append(out, strings.TrimPrefix(strings.TrimPrefix(t, "#"), " "))
		default:
			continue
		}
		cont = strings.HasSuffix(strings.TrimRight(l, " "), "\\")
	}
	if len(out) == 0 {
		return c.Text
	}
	return strings.Join(out, "\n")
}

// Steps lists every step in reading order; a step's Index is its position here.
func (r *Runbook) Steps() []Step {
	out := make([]Step, 0, r.StepCount())
	for _, p := range r.Phases {
		out = append(out, p.Steps...)
	}
	return out
}

// StepCount is how many steps the runbook has, without copying them.
func (r *Runbook) StepCount() int {
	n := 0
	for _, p := range r.Phases {
		n += len(p.Steps)
	}
	return n
}

// Step returns the step with the given index.
func (r *Runbook) Step(index int) (Step, bool) {
	if index < 0 {
		return Step{}, false
	}
	for _, p := range r.Phases {
		if index < len(p.Steps) {
			return p.Steps[index], true
		}
		index -= len(p.Steps)
	}
	return Step{}, false
}

// PhaseOf returns the phase that holds the step with the given index.
func (r *Runbook) PhaseOf(index int) (Phase, bool) {
	if index < 0 {
		return Phase{}, false
	}
	for _, p := range r.Phases {
		if index < len(p.Steps) {
			return p, true
		}
		index -= len(p.Steps)
	}
	return Phase{}, false
}

// KnowsRole reports whether role is a standard role or one the runbook
// declares; anything else in a RACI is most likely a typo.
func (r *Runbook) KnowsRole(role Role) bool {
	for _, known := range StandardRoles {
		if known == role {
			return true
		}
	}
	for _, known := range r.Roles {
		if known == role {
			return true
		}
	}
	return false
}

// RoleTitle is the display name of a role, including the runbook's own.
func (r *Runbook) RoleTitle(role Role) string {
	if t, ok := r.RoleTitles[role]; ok && t != "" {
		return t
	}
	return role.Title()
}

// AppliesToKind reports whether the runbook is meant for incidents of kind;
// one that names no kind is general and applies to all.
func (r *Runbook) AppliesToKind(kind string) bool {
	if len(r.Kinds) == 0 {
		return true
	}
	for _, k := range r.Kinds {
		if k == kind {
			return true
		}
	}
	return false
}

// AppliesToSeverity reports whether the runbook is meant for sev; one that
// names no severities applies to all.
func (r *Runbook) AppliesToSeverity(sev Severity) bool {
	if len(r.Severities) == 0 {
		return true
	}
	for _, s := range r.Severities {
		if s == sev {
			return true
		}
	}
	return false
}

// Attachment is the payload that records this runbook on an incident. It
// refuses text that is not UTF-8: the payload travels as JSON, which would
// silently replace the bad bytes, and the stored text would no longer match
// its hash.
func (r *Runbook) Attachment() (RunbookAttachedPayload, error) {
	if !utf8.ValidString(r.Text) {
		return RunbookAttachedPayload{}, Invalidf("runbook %s is not valid UTF-8 text; fix the file before attaching it", r.Name)
	}
	return RunbookAttachedPayload{Name: r.Name, Title: r.Title, Source: r.Source, Hash: TextHash(r.Text), Text: r.Text, Rules: r.Rules}, nil
}

// TextHash is the hex SHA-256 of text's exact bytes: the hash stored with an
// attached runbook, so anyone can check the stored text is the one followed.
func TextHash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// Over lays r over base letter by letter: a letter r names replaces base's,
// a letter r leaves empty is inherited. So a step annotated only with its
// own Responsible keeps the runbook's Accountable. A role r gives any part
// is dropped from the Consulted and Informed it would inherit: whoever does
// the step is not also merely told about it.
func (r RACI) Over(base RACI) RACI {
	named := map[Role]bool{}
	for _, role := range r.Roles() {
		named[role] = true
	}
	pick := func(own, inherited []Role, filter bool) []Role {
		if len(own) > 0 {
			return own
		}
		if !filter {
			return inherited
		}
		var out []Role
		for _, role := range inherited {
			if !named[role] {
				out = append(out, role)
			}
		}
		return out
	}
	return RACI{
		Responsible: pick(r.Responsible, base.Responsible, false),
		Accountable: pick(r.Accountable, base.Accountable, false),
		Consulted:   pick(r.Consulted, base.Consulted, true),
		Informed:    pick(r.Informed, base.Informed, true),
	}
}
