package ui

import (
	"context"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/model"
)

// Search in the incident list. The filter line (/) narrows the list as you
// type: words that name a status, severity, kind, "active", "past" or
// "exercise" filter on those; the other words are text, matched against
// each incident's title and id here, and through the store's full-text
// index (titles, timeline entries, reviews) by Options.Search, so a past
// incident is found by what was said in it, offline.

// SearchHit is one incident a full-text search found, and where.
type SearchHit struct {
	IncidentID string
	Where      string // "title", "timeline" or "review"
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

// SearchFunc runs a full-text search for words (already split, no field
// words), returning at most one hit per incident.
type SearchFunc func(ctx context.Context, words []string) ([]SearchHit, error)

// searchDelay lets a typist finish a word before the index is asked.
const searchDelay = 150 * time.Millisecond

type searchTickMsg struct{ Seq int }

type searchMsg struct {
	Seq  int
	Hits []SearchHit
	Err  error
}

// query is a filter line taken apart.
type query struct {
	fields []string // status, severity, kind, exercise, active, past
	text   []string // anything else
}

func parseQuery(q string) query {
	var out query
	for _, w := range strings.Fields(strings.ToLower(q)) {
		if isFieldWord(w) {
			out.fields = append(out.fields, w)
		} else {
			out.text = append(out.text, w)
		}
	}
	return out
}

func isFieldWord(w string) bool {
	switch w {
	case "exercise", "active", "past":
		return true
	}
	if _, err := model.ParseSeverity(w); err == nil {
		return true
	}
	for _, s := range model.Statuses {
		if w == string(s) {
			return true
		}
	}
	for _, k := range model.IncidentKinds {
		if w == k {
			return true
		}
	}
	return false
}

// fieldsMatch: every field word holds for in.
func (q query) fieldsMatch(in model.Incident) bool {
	for _, w := range q.fields {
		switch w {
		case "exercise":
			if !in.Exercise {
				return false
			}
		case "active":
			if !in.Status.Active() {
				return false
			}
		case "past":
			if in.Status.Active() {
				return false
			}
		default:
			if s, err := model.ParseSeverity(w); err == nil {
				if in.Severity != s {
					return false
				}
			} else if w != string(in.Status) && w != in.Kind {
				return false
			}
		}
	}
	return true
}

// textMatch: every text word is in the title or id.
func (q query) textMatch(in model.Incident) bool {
	hay := strings.ToLower(in.Title + " " + in.Short() + " " + in.ID)
	for _, w := range q.text {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

func runSearch(fn SearchFunc, seq int, words []string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
		defer cancel()
		hits, err := fn(ctx, words)
		return searchMsg{Seq: seq, Hits: hits, Err: err}
	}
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
