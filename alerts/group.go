package alerts

import (
	"path"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"net/url"

	"github.com/sitrep-dev/sitrep/model"
)

// Group is one notification about an alert group, read and neutralised:
// every string in it is safe to store and print.
type Group struct {
	Source Source
	// Key names the group across notifications: Alertmanager's groupKey,
	// else the alerts' fingerprints, or PagerDuty's incident id, prefixed
	// with which ("alertmanager:", "fingerprints:", "pagerduty:").
	Key    string
	Firing bool // false: every alert of the group is resolved
	// Event is PagerDuty's event type (incident.triggered…), "" otherwise.
	Event    string
	Receiver string

	Title    string
	Severity model.Severity
	// SeverityWord is the label value the severity came from; "" when no
	// alert had one the map knows, and Severity is the fallback.
	SeverityWord string
	Kind         string
	Detected     time.Time // the earliest startsAt; zero when none was given
	ResolvedAt   time.Time // the latest endsAt, for a resolved group
	RunbookURL   string    // the runbook_url annotation
	Runbook      string    // its last path element without extension
	URL          string    // where the alert came from: generator URL or PagerDuty's page
	Alerts       []Alert
	Truncated    int // alerts Alertmanager left out of the body (max_alerts)

	common, commonAnn, groupLabels map[string]string
	severityWords                  []string
}

// Alert is one alert of a group.
type Alert struct {
	Name         string // alertname
	Summary      string // the summary annotation, else the description's first line
	Firing       bool
	State        string // /api/v2/alerts only: active, suppressed, unprocessed
	Labels       Labels
	Annotations  Labels
	StartsAt     time.Time
	EndsAt       time.Time
	GeneratorURL string
	Fingerprint  string
}

// Label is one label or annotation, neutralised.
type Label struct{ Key, Value string }

// Labels are sorted by key.
type Labels []Label

// Get returns the value of key, or "".
func (ls Labels) Get(key string) string {
	for _, l := range ls {
		if l.Key == key {
			return l.Value
		}
	}
	return ""
}

// String is the labels as key=value pairs, the way Prometheus shows them.
func (ls Labels) String() string {
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = l.Key + "=" + l.Value
	}
	return strings.Join(parts, ", ")
}

// maxValue bounds one label or annotation value as kept: a description is
// a paragraph, and a megabyte one would swamp the note.
const maxValue = 1000

func labelsOf(m map[string]string) Labels {
	var out Labels
	for _, k := range sortedKeys(m) {
		v := clip(oneLine(m[k]), maxValue)
		if k = clip(oneLine(k), 100); k != "" && v != "" {
			out = append(out, Label{k, v})
		}
	}
	return out
}

// Options are the settings that decide how labels become a declaration.
type Options struct {
	// Severities maps a severity label's value to a severity, over
	// DefaultSeverities; "*" gives the severity for values neither knows.
	Severities SeverityMap
	// KindLabel is the label whose value is the incident's kind; "" means
	// "kind".
	KindLabel string
}

// Fallback is the severity when no alert has a severity label either map
// knows, and the settings give no "*".
const Fallback = model.SEV3

func (g *Group) finish(opts Options) {
	var main []Alert
	for _, a := range g.Alerts {
		if a.Firing {
			g.Firing = true
			main = append(main, a)
		}
		if !a.Firing && a.EndsAt.After(g.ResolvedAt) {
			g.ResolvedAt = a.EndsAt
		}
	}
	if !g.Firing {
		main = g.Alerts
	} else {
		g.ResolvedAt = time.Time{}
	}
	first := main[0]
	g.Title = title(pick(g.common["alertname"], first.Name), pick(g.commonAnn["summary"], first.Summary), len(main))
	g.Severity, g.SeverityWord = g.severity(main, opts.Severities)
	kl := opts.KindLabel
	if kl == "" {
		kl = "kind"
	}
	g.Kind = Slug(pick(g.common[kl], first.Labels.Get(kl)))
	for _, a := range main {
		if !a.StartsAt.IsZero() && (g.Detected.IsZero() || a.StartsAt.Before(g.Detected)) {
			g.Detected = a.StartsAt
		}
	}
	g.RunbookURL = oneLine(pick(g.commonAnn["runbook_url"], ""))
	for _, a := range main {
		if g.RunbookURL != "" {
			break
		}
		g.RunbookURL = a.Annotations.Get("runbook_url")
	}
	g.RunbookURL = clip(g.RunbookURL, maxValue)
	g.Runbook = RunbookName(g.RunbookURL)
	if g.URL == "" {
		g.URL = first.GeneratorURL
	}
}

// oneAlert is a notification about one alert, as the paging tools and the
// cloud monitors send them: a is the alert's name, summary and state;
// when is when it fired, or when it resolved; key names its group, of the
// source's kind, in this notification and the next.
func oneAlert(src Source, kind, key string, a Alert, when time.Time, labels, ann map[string]string) Group {
	key = strings.TrimSpace(key)
	a.Labels, a.Annotations, a.Fingerprint = labelsOf(labels), labelsOf(ann), oneLine(key)
	if a.Firing {
		a.StartsAt = when
	} else {
		a.EndsAt = when
	}
	return Group{Source: src, Key: groupKey(kind, key), Alerts: []Alert{a}}
}

func pick(a, b string) string {
	if a = oneLine(a); a != "" {
		return a
	}
	return b
}

// title is "alertname: summary", with how many alerts when more than one,
// within model.MaxTitle.
func title(name, summary string, n int) string {
	t := name
	switch {
	case t == "" && summary == "":
		t = "Alert"
	case t == "":
		t = summary
	case summary != "" && summary != name:
		t += ": " + summary
	}
	suffix := ""
	if n > 1 {
		suffix = " (" + itoa(n) + " alerts)"
	}
	return clip(t, model.MaxTitle-utf8.RuneCountInString(suffix)) + suffix
}

// severity is the worst severity any alert's label maps to.
func (g *Group) severity(main []Alert, overrides SeverityMap) (model.Severity, string) {
	words := g.severityWords
	if words == nil {
		words = []string{g.common["severity"]}
		for _, a := range main {
			words = append(words, a.Labels.Get("severity"))
		}
	}
	best, word := model.Severity(0), ""
	for _, w := range words {
		if s, ok := lookup(w, overrides); ok && (best == 0 || s < best) {
			best, word = s, oneLine(w)
		}
	}
	if best != 0 {
		return best, word
	}
	if s, ok := overrides["*"]; ok {
		return s, ""
	}
	return Fallback, ""
}

// RunbookName is a runbook_url's last path element without its extension:
// https://runbooks.example.com/db/PostgresReplicationLag.md names
// PostgresReplicationLag. "" when the URL names none.
func RunbookName(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	p := raw
	if u, err := url.Parse(raw); err == nil {
		p = u.Path
		if u.Opaque != "" {
			p = u.Opaque
		}
	} else if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	p = strings.TrimRight(p, "/")
	base := path.Base(p)
	if base == "." || base == "/" || base == "" {
		return ""
	}
	if ext := path.Ext(base); ext != "" && ext != base {
		base = strings.TrimSuffix(base, ext)
	}
	return oneLine(base)
}

// Slug makes a label's value a kind: lower case, runs of anything but
// a-z, 0-9, - and _ become one -, at most 40 characters; "other" if
// nothing is left.
func Slug(s string) string { return model.Slugify(s, 40, "other") }

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func sortStrings(s []string) { sort.Strings(s) }
