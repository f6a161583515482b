package ui

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// Search in the incident list. The filter line (/) asks the store, never
// the page of incidents in memory: words that name a status, severity,
// kind, "active", "past", "exercise" or "real", and since:DATE /
// until:DATE, filter on those; the other words go through the store's
// full-text index (titles, timeline entries, reviews: st.Search), so a past
// incident is found by what was said in it, offline.

// SearchHit is one incident a full-text search found, and where.
type SearchHit struct {
	IncidentID string
	Where      string // "title", "timeline" or "review"
	EventID    string // the timeline entry that matched, for "timeline"
	// Snippet is the matched text with each match between SnippetStart
	// and SnippetEnd.
	Snippet string
}

// Snippet markers: control characters, so no text can contain them once
// made printable.
const (
	SnippetStart = "\x02"
	SnippetEnd   = "\x03"
)

// searchDelay lets a typist finish a word before the index is asked.
const searchDelay = 150 * time.Millisecond

// filterLimit bounds the incidents one filter shows.
const filterLimit = 200

// query is a filter line taken apart.
type query struct {
	statuses []model.Status
	active   bool
	past     bool
	severity model.Severity
	kind     string
	exercise *bool
	since    time.Time
	until    time.Time
	text     []string // anything else: searched in the full-text index
	err      error    // a field word that does not read (a bad date)
}

func parseQuery(s string) query {
	var q query
	yes, no := true, false
	for _, w := range strings.Fields(strings.ToLower(s)) {
		if name, val, ok := strings.Cut(w, ":"); ok && (name == "since" || name == "until") {
			t, err := time.Parse("2006-01-02", val)
			if err != nil {
				q.err = model.Invalidf("%s: give a date like %s:2026-01-01", w, name)
				continue
			}
			if name == "since" {
				q.since = t
			} else {
				q.until = t.AddDate(0, 0, 1) // until a day: that day included
			}
			continue
		}
		switch w {
		case "exercise", "exercises", "drill", "drills":
			q.exercise = &yes
			continue
		case "real":
			q.exercise = &no
			continue
		case "active":
			q.active = true
			continue
		case "past":
			q.past = true
			continue
		}
		if sev, err := model.ParseSeverity(w); err == nil {
			q.severity = sev
			continue
		}
		if st, ok := statusWord(w); ok {
			q.statuses = append(q.statuses, st)
			continue
		}
		if isKind(w) {
			q.kind = w
			continue
		}
		q.text = append(q.text, w)
	}
	return q
}

func statusWord(w string) (model.Status, bool) {
	for _, s := range model.Statuses {
		if w == string(s) {
			return s, true
		}
	}
	return "", false
}

func isKind(w string) bool {
	for _, k := range model.IncidentKinds {
		if w == k {
			return true
		}
	}
	return false
}

// searchFilter is q for st.Search. ok is false when nothing can match
// (past and only active statuses).
func (q query) searchFilter() (storage.SearchFilter, bool) {
	f := storage.SearchFilter{Active: q.active, Severity: q.severity, Kind: q.kind, From: q.since, To: q.until,
		Exercise: q.exercise, Limit: filterLimit}
	f.Statuses = q.statuses
	if q.past {
		var past []model.Status
		for _, s := range model.Statuses {
			if s.Active() {
				continue
			}
			if len(q.statuses) == 0 || slices.Contains(q.statuses, s) {
				past = append(past, s)
			}
		}
		if len(past) == 0 {
			return f, false
		}
		f.Statuses = past
	}
	return f, !(q.active && q.past)
}

// sortList puts a result in the list's order: active first, then the most
// recently changed.
func sortList(list []model.Incident) {
	sort.SliceStable(list, func(i, j int) bool {
		ai, aj := list[i].Status.Active(), list[j].Status.Active()
		if ai != aj {
			return ai
		}
		return list[i].UpdatedAt.After(list[j].UpdatedAt)
	})
}

// markSnippet puts the snippet markers around the matches (byte offsets).
func markSnippet(text string, matches [][2]int) string {
	var b strings.Builder
	last := 0
	for _, m := range matches {
		if m[0] < last || m[1] > len(text) || m[0] > m[1] {
			continue
		}
		b.WriteString(text[last:m[0]])
		b.WriteString(SnippetStart + text[m[0]:m[1]] + SnippetEnd)
		last = m[1]
	}
	b.WriteString(text[last:])
	return b.String()
}

// drawSnippet draws a search snippet on one line, matches in bold.
func drawSnippet(s *Styles, snippet string) string {
	var b strings.Builder
	in := false
	rest := snippet
	for rest != "" {
		marker := SnippetStart
		if in {
			marker = SnippetEnd
		}
		before, after, found := strings.Cut(rest, marker)
		text := model.OneLine(before)
		switch {
		case text == "" && before != "" && b.Len() > 0:
			text = " " // only spaces between two matches
		case text != "":
			if strings.TrimLeft(before, " \t\n") != before && b.Len() > 0 {
				text = " " + text
			}
			if strings.TrimRight(before, " \t\n") != before {
				text += " "
			}
		}
		if in {
			b.WriteString(s.Bold.Render(text))
		} else {
			b.WriteString(s.Faint.Render(text))
		}
		if !found {
			break
		}
		rest, in = after, !in
	}
	return b.String()
}
