package model

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Kind says what sort of incident it is; it picks the runbooks offered and
// groups the metrics. Teams may use their own words, so any short slug is
// accepted; these are the ones the bundled runbooks know.
var IncidentKinds = []string{"outage", "security", "data-exposure", "ddos", "third-party", "dr", "data-request", "other"}

// Incident is the projection of an incident's events: what the UI lists.
type Incident struct {
	ID         string
	Title      string
	Kind       string
	Severity   Severity
	Status     Status
	Commander  string // holder of the incident-commander role, if any
	Exercise   bool   // a drill: marked everywhere, never in real metrics
	DeclaredBy string
	DeclaredAt time.Time
	Milestones MilestoneTimes
	UpdatedAt  time.Time // occurred time of the newest timeline entry
	Entries    int       // timeline entries, for lists
}

// ShortID is the part of an incident id people type and read out: the last
// eight hex digits, which in a UUIDv7 are random.
func ShortID(id string) string {
	clean := strings.ReplaceAll(id, "-", "")
	if len(clean) > 8 {
		clean = clean[len(clean)-8:]
	}
	// Ids from elsewhere are checked on arrival; one edited into a store
	// by hand still draws harmless everywhere a short id is shown.
	return Printable(clean)
}

// Short is the incident's ShortID.
func (i Incident) Short() string { return ShortID(i.ID) }

// Started is when the incident began for its clocks: its detection, or its
// declaration when no detection time is known.
func (i Incident) Started() time.Time {
	if i.Milestones.Detected.IsZero() {
		return i.DeclaredAt
	}
	return i.Milestones.Detected
}

// Declaration is what a person gives to open an incident.
type Declaration struct {
	Title      string
	Kind       string
	Severity   Severity
	Status     Status    // defaults to investigating: whoever declares has acknowledged
	Exercise   bool      // a drill
	DetectedAt time.Time // zero means when declared
	Commander  string    // optional first incident commander
	// At is when it was declared, for an incident recorded after the fact;
	// zero means now. The log still records when it was written down, so
	// the timeline shows both, as for a note given a time.
	At time.Time
	// AlertGroup names the alert group it was declared from
	// (alerts.Group.Key), so the group's next notification finds it.
	AlertGroup string
}

// MaxTitle bounds titles so lists stay readable.
const MaxTitle = 200

// Validate checks a declaration and fills its defaults.
func (d *Declaration) Validate() error {
	d.Title = strings.TrimSpace(d.Title)
	if d.Title == "" {
		return Invalidf("an incident needs a title: say in a few words what is wrong (--title)")
	}
	if utf8.RuneCountInString(d.Title) > MaxTitle {
		return Invalidf("title is %d characters; keep it under %d and put detail in a note", utf8.RuneCountInString(d.Title), MaxTitle)
	}
	if !d.Severity.Valid() {
		return Invalidf("invalid severity %d: use one of SEV1, SEV2, SEV3, SEV4", int(d.Severity))
	}
	d.Kind = strings.ToLower(strings.TrimSpace(d.Kind))
	if d.Kind == "" {
		d.Kind = "other"
	}
	if err := ValidSlug("kind", d.Kind); err != nil {
		return err
	}
	if d.Status == "" {
		d.Status = StatusInvestigating
	}
	if !d.At.IsZero() && !d.DetectedAt.IsZero() && d.DetectedAt.After(d.At) {
		return Invalidf("detected %s is after declared %s: an incident is detected before it is declared (give --detected earlier, or leave it out)",
			d.DetectedAt.UTC().Format("2006-01-02 15:04Z"), d.At.UTC().Format("2006-01-02 15:04Z"))
	}
	if !d.Status.Valid() {
		_, err := ParseStatus(string(d.Status))
		return err
	}
	return ValidAlertGroup(d.AlertGroup)
}

// MaxAlertGroup bounds an alert group key. Keys are made at most 200
// bytes (longer ones become a SHA-256); the rest is room for other makers.
const MaxAlertGroup = 300

// ValidAlertGroup accepts "" (declared by a person) or a group key: 1-300
// printable ASCII characters, so it reads the same in every store and
// export and can never carry a control sequence.
func ValidAlertGroup(s string) error {
	if len(s) > MaxAlertGroup {
		return Invalidf("alert group is %d bytes; the limit is %d", len(s), MaxAlertGroup)
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e {
			return Invalidf("alert group %q may hold only printable ASCII", Neutralise(s))
		}
	}
	return nil
}

// ValidSlug accepts short lower-case words joined by - or _, the shape of
// kinds and role names, so they read the same in files, keys and exports.
// Slugify turns free text (a label's value, a file name) into the form
// ValidSlug accepts: lower case, each run of anything but a-z, 0-9 and _
// one "-", none at the ends; at most max bytes when max > 0; fallback when
// nothing is left. One rule, so a kind read from an alert and a runbook's
// name from its file cannot drift apart.
func Slugify(s string, max int, fallback string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' {
			b.WriteRune(r)
			dash = false
		} else if !dash {
			b.WriteByte('-')
			dash = true
		}
		if max > 0 && b.Len() >= max {
			break
		}
	}
	if out := strings.Trim(b.String(), "-"); out != "" {
		return out
	}
	return fallback
}

func ValidSlug(what, s string) error {
	if s == "" || len(s) > 40 {
		return Invalidf("%s %q must be 1-40 characters", what, s)
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return Invalidf("%s %q may hold only a-z, 0-9, - and _", what, s)
		}
	}
	return nil
}
