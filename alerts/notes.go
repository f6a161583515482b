package alerts

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sitrep-dev/sitrep/model"
)

// maxListed bounds the alerts a note lists one by one; a group of
// thousands says how many more there were.
const maxListed = 50

func itoa(n int) string { return strconv.Itoa(n) }

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05Z") }

// FirstNote is the incident's first timeline note: where the alert came
// from, its group, the severity and why, the labels and generator URL of
// the first alert, and every other alert of the group.
func (g Group) FirstNote() string {
	var b strings.Builder
	firing, resolved := g.counts()
	fmt.Fprintf(&b, "Declared from an alert (%s): %d firing", g.Source, firing)
	if resolved > 0 {
		fmt.Fprintf(&b, ", %d resolved", resolved)
	}
	if g.Truncated > 0 {
		fmt.Fprintf(&b, ", %d more left out by Alertmanager", g.Truncated)
	}
	fmt.Fprintf(&b, ".\nGroup: %s\n", g.Key)
	if g.Receiver != "" {
		fmt.Fprintf(&b, "Receiver: %s\n", g.Receiver)
	}
	if g.SeverityWord != "" {
		fmt.Fprintf(&b, "Severity: %s, from %q.\n", g.Severity, g.SeverityWord)
	} else {
		fmt.Fprintf(&b, "Severity: %s: no severity label the severity-map knows; change it with 'sitrep severity'.\n", g.Severity)
	}
	first := g.main()[0]
	if len(first.Labels) > 0 {
		fmt.Fprintf(&b, "Labels: %s\n", first.Labels)
	}
	if len(first.Annotations) > 0 {
		fmt.Fprintf(&b, "Annotations: %s\n", first.Annotations)
	}
	if g.URL != "" {
		fmt.Fprintf(&b, "Source: %s\n", g.URL)
	}
	if g.RunbookURL != "" {
		fmt.Fprintf(&b, "Runbook URL: %s\n", g.RunbookURL)
	}
	if len(g.Alerts) > 1 {
		b.WriteString("Alerts in the group:\n")
		g.writeList(&b)
	}
	return strings.TrimRight(b.String(), "\n")
}

// FiredAgainNote is what a later firing notification of the group adds to
// the incident it already has (its severity now, and its short id). When
// the alerts now say worse than the incident's severity, the note says so;
// changing it is a person's call.
func (g Group) FiredAgainNote(now model.Severity, incident string) string {
	var b strings.Builder
	firing, resolved := g.counts()
	fmt.Fprintf(&b, "Alert fired again (%s): %s; %d firing", g.Source, g.Title, firing)
	if resolved > 0 {
		fmt.Fprintf(&b, ", %d resolved", resolved)
	}
	b.WriteString(".\n")
	if g.SeverityWord != "" && g.Severity < now {
		fmt.Fprintf(&b, "The alerts now say %s (from %q); the incident is %s: 'sitrep severity %s %d' to raise it.\n", g.Severity, g.SeverityWord, now, incident, int(g.Severity))
	}
	g.writeList(&b)
	return strings.TrimRight(b.String(), "\n")
}

// ResolvedNote is what a resolved notification adds. It does not resolve
// the incident, and says so: the alert clearing is evidence, and a person
// decides when the incident is over.
func (g Group) ResolvedNote(status, incident string) string {
	var b strings.Builder
	when := "now"
	if !g.ResolvedAt.IsZero() {
		when = "at " + stamp(g.ResolvedAt)
	}
	fmt.Fprintf(&b, "Alert resolved %s (%s): %s\n", when, g.Source, sentence(g.Title))
	fmt.Fprintf(&b, "The incident stays %s: the alert clearing does not resolve it; when it is over, 'sitrep status %s resolved'.\n", status, incident)
	g.writeList(&b)
	return strings.TrimRight(b.String(), "\n")
}

// sentence ends s with a full stop, unless it ends one already (a summary
// written as a sentence).
func sentence(s string) string {
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "…") {
		return s
	}
	return s + "."
}

func (g Group) counts() (firing, resolved int) {
	for _, a := range g.Alerts {
		if a.Firing {
			firing++
		} else {
			resolved++
		}
	}
	return firing, resolved
}

func (g Group) main() []Alert {
	for _, a := range g.Alerts {
		if a.Firing == g.Firing {
			return []Alert{a}
		}
	}
	return g.Alerts[:1]
}

// writeList lists the alerts one to a line: name, state, since when, the
// summary and the labels that tell it from the others.
func (g Group) writeList(b *strings.Builder) {
	for i, a := range g.Alerts {
		if i == maxListed {
			fmt.Fprintf(b, "… and %d more\n", len(g.Alerts)-maxListed)
			break
		}
		state := "resolved"
		if a.Firing {
			state = "firing"
			if a.State != "" && a.State != "active" {
				state = a.State
			}
		}
		name := a.Name
		if name == "" {
			name = "alert"
		}
		fmt.Fprintf(b, "- %s [%s", name, state)
		switch {
		case a.Firing && !a.StartsAt.IsZero():
			fmt.Fprintf(b, " since %s", stamp(a.StartsAt))
		case !a.StartsAt.IsZero() && !a.EndsAt.IsZero():
			fmt.Fprintf(b, ", fired %s to %s", stamp(a.StartsAt), stamp(a.EndsAt))
		case !a.EndsAt.IsZero():
			fmt.Fprintf(b, " at %s", stamp(a.EndsAt))
		}
		b.WriteString("]")
		if a.Summary != "" && a.Summary != g.commonAnn["summary"] {
			fmt.Fprintf(b, " %s", a.Summary)
		}
		if own := g.ownLabels(a); len(own) > 0 {
			fmt.Fprintf(b, " (%s)", own)
		}
		b.WriteString("\n")
	}
}

// ownLabels are an alert's labels other than the group's common ones.
func (g Group) ownLabels(a Alert) Labels {
	var out Labels
	for _, l := range a.Labels {
		if l.Key == "alertname" || g.common[l.Key] != "" && oneLine(g.common[l.Key]) == l.Value {
			continue
		}
		out = append(out, l)
	}
	return out
}
