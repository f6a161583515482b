package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/runbooks"
	"github.com/sitrep-dev/sitrep/storage"
)

// Find (/ in an incident). Two hundred entries into an outage nobody
// scrolls back for "when did we restart the primary?": the words are
// looked up in the store's full-text index, so an entry paged out of the
// window, or written by a teammate hours ago, is found as fast as one on
// screen, offline. Enter opens the timeline at the entry. With the
// Runbook pane focused, / finds lines of the runbook shown instead
// ("where does this runbook fail over?"), in the document as the pane
// draws it, and enter takes the pane there.

// findLimit bounds the matches one search lists.
const findLimit = 100

// findScreen is the find overlay: a line to type words in and what
// matches them: timeline entries, newest first, or the lines of a runbook.
type findScreen struct {
	styles *Styles
	keys   *keyMap
	incID  string
	input  textinput.Model
	delay  time.Duration
	w, h   int

	// runbook, when set, is the attached runbook searched, doc the pane's
	// rendering of it: found in memory at each key. Otherwise the
	// timeline is searched in the store.
	runbook string
	doc     *runbooks.Rendered

	seq       int    // bumped at each change of the words
	asked     string // the words of the answer shown
	searching bool
	hits      []findHit
	sel, top  int
	err       string
}

// findHit is one match: a timeline entry, or a line of the runbook.
type findHit struct {
	entry     model.TimelineEntry
	line, src int // the runbook's rendered line and file line
	snippet   string
	matches   [][2]int
}

// findTickMsg is the pause after typing in the find line running out.
type findTickMsg struct{ Seq int }

// foundMsg is the store's answer to the find line's words.
type foundMsg struct {
	ID    string
	Seq   int
	Words string
	Hits  []storage.TimelineHit
	Err   error
}

func newFindScreen(s *Styles, k *keyMap, incID string, delay time.Duration) *findScreen {
	f := &findScreen{styles: s, keys: k, incID: incID, input: newTextInput(), delay: delay}
	f.input.Placeholder = "words in notes, decisions, steps and roles; \"quoted words\" as a phrase"
	f.input.Focus()
	return f
}

// newRunbookFind finds in the runbook name, as doc renders it.
func newRunbookFind(s *Styles, k *keyMap, incID, name string, doc *runbooks.Rendered) *findScreen {
	f := newFindScreen(s, k, incID, 0)
	f.runbook, f.doc = name, doc
	f.input.Placeholder = "words in this runbook, in any case"
	return f
}

// title heads the overlay.
func (f *findScreen) title() string {
	if f.doc != nil {
		return "Find in the runbook " + model.OneLine(f.runbook)
	}
	return "Find in the timeline"
}

// act handles a key; enter takes the Runbook pane to the chosen line, or
// returns the command that opens the timeline at the chosen entry.
func (f *findScreen) act(a *App, msg tea.KeyMsg) tea.Cmd {
	k := f.keys
	switch {
	case key.Matches(msg, k.Cancel):
		a.slot.remove(f)
		return nil
	case key.Matches(msg, k.FindOpen):
		hit, ok := f.selected()
		if !ok {
			return nil
		}
		a.slot.remove(f)
		if f.doc != nil {
			a.focus = paneStepper
			a.stepper.showLine(f.runbook, hit.line, hit.src, f.doc.Width)
			return nil
		}
		a.focus = paneTimeline
		return a.openTimelineAt(hit.entry.EventID, &hit.entry)
	case key.Matches(msg, k.FindPrev):
		f.move(-1)
		return nil
	case key.Matches(msg, k.FindNext):
		f.move(1)
		return nil
	}
	before := f.input.Value()
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	if f.input.Value() == before {
		return cmd
	}
	f.seq++
	words := strings.TrimSpace(f.input.Value())
	if words == "" {
		f.hits, f.asked, f.searching, f.err = nil, "", false, ""
		return cmd
	}
	if f.doc != nil {
		// In memory, at once: BenchmarkFind's 1 MiB runbook takes about
		// 12 ms a key (50 ms at the first), a 70 KB one 0.6 ms (1.5 ms).
		f.hits, f.asked, f.sel, f.top = nil, words, 0, 0
		for _, h := range f.doc.Find(words, findLimit) {
			// The pane's indentation is no part of the words.
			text := strings.TrimLeft(h.Text, " ")
			cut := len(h.Text) - len(text)
			hit := findHit{line: h.Line, src: h.Src, snippet: text}
			for _, m := range h.Matches {
				hit.matches = append(hit.matches, [2]int{m[0] - cut, m[1] - cut})
			}
			f.hits = append(f.hits, hit)
		}
		return cmd
	}
	f.searching = true
	return tea.Batch(cmd, findTick(f.delay, f.seq))
}

// due reports whether a pause that ran out is still the last one: the
// words have not changed since.
func (f *findScreen) due(seq int) bool { return seq == f.seq && f.searching }

// found takes the store's answer, if it is for the words on the line now.
func (f *findScreen) found(msg foundMsg) {
	if msg.Seq != f.seq || msg.ID != f.incID {
		return
	}
	f.searching = false
	if msg.Err != nil {
		f.err, f.hits = msg.Err.Error(), nil
		return
	}
	f.err, f.asked, f.hits, f.sel, f.top = "", msg.Words, nil, 0, 0
	for _, h := range msg.Hits {
		f.hits = append(f.hits, findHit{entry: h.Entry, snippet: h.Snippet, matches: h.Matches})
	}
}

func (f *findScreen) selected() (findHit, bool) {
	if f.sel < 0 || f.sel >= len(f.hits) {
		return findHit{}, false
	}
	return f.hits[f.sel], true
}

func (f *findScreen) move(d int) {
	f.sel = max(min(f.sel+d, len(f.hits)-1), 0)
	f.scroll()
}

// listRows is how many matches fit under the find line and the count.
func (f *findScreen) listRows() int { return max(f.h-2, 1) }

func (f *findScreen) scroll() {
	rows := f.listRows()
	if f.sel < f.top {
		f.top = f.sel
	}
	if f.sel >= f.top+rows {
		f.top = f.sel - rows + 1
	}
	f.top = max(min(f.top, len(f.hits)-rows), 0)
}

// View draws the find line, what was found, and the matches, one a line:
// when, who and the words around the match.
func (f *findScreen) View() []string {
	s := f.styles
	w := max(f.w, 1)
	out := []string{clip(s.Bold.Render("Find: ")+f.input.View(), w)}
	switch words := strings.TrimSpace(f.input.Value()); {
	case f.err != "":
		out = append(out, clip(s.Error.Render(model.OneLine(f.err)), w))
	case words == "" && f.doc != nil:
		out = append(out, clip(s.Faint.Render("Type words to find the lines of this runbook that have them."), w))
	case words == "":
		out = append(out, clip(s.Faint.Render("Type words to find them in this incident's timeline."), w))
	case f.searching && f.asked == "":
		out = append(out, clip(s.Faint.Render("Finding…"), w))
	case len(f.hits) == 0 && f.doc != nil:
		out = append(out, clip(s.Faint.Render(fmt.Sprintf("No line of this runbook has %q.", model.OneLine(f.asked))), w))
	case len(f.hits) == 0:
		out = append(out, clip(s.Faint.Render(fmt.Sprintf("No entry has %q.", model.OneLine(f.asked))), w))
	case f.doc != nil:
		out = append(out, clip(s.Faint.Render(fmt.Sprintf("%s with %q; enter takes the Runbook pane there",
			counted(len(f.hits), "line", "lines", "the first"), model.OneLine(f.asked))), w))
	default:
		out = append(out, clip(s.Faint.Render(fmt.Sprintf("%s with %q, newest first; enter opens the timeline there",
			counted(len(f.hits), "entry", "entries", "the newest"), model.OneLine(f.asked))), w))
	}
	for i := f.top; i < len(f.hits) && i < f.top+f.listRows(); i++ {
		h := f.hits[i]
		gutter := "  "
		if i == f.sel {
			gutter = s.Gutter.Render("▸ ")
		}
		head := s.Time.Render(h.entry.Occurred.UTC().Format("Jan 2 15:04Z")) + " " + s.Author.Render(model.OneLine(h.entry.Author)) + " "
		if f.doc != nil {
			head = s.Faint.Render(fmt.Sprintf("line %d ", h.src))
		}
		text, matches := fitSnippet(h.snippet, h.matches, w-ansi.StringWidth(gutter+head))
		out = append(out, clip(gutter+head+drawSnippet(s, markSnippet(text, matches)), w))
	}
	return out
}

// counted says how many matches were found: "1 entry", "12 entries", or
// "the newest 100 entries" when the list stopped at findLimit.
func counted(n int, one, many, capped string) string {
	switch {
	case n == 1:
		return "1 " + one
	case n >= findLimit:
		return fmt.Sprintf("%s %d %s", capped, findLimit, many)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// fitSnippet cuts the words before the first match when the match would
// not fit in room columns, so a narrow screen still shows what was found:
// "…load balancer health checks" rather than "Checked the load balan…".
func fitSnippet(text string, matches [][2]int, room int) (string, [][2]int) {
	if len(matches) == 0 || ansi.StringWidth(text[:matches[0][1]]) <= room {
		return text, matches
	}
	start := matches[0][0]
	// Keep as many words before the match as fit beside it.
	for i := start - 1; i > 0; i-- {
		if text[i-1] == ' ' && ansi.StringWidth(text[i:matches[0][1]])+1 <= room {
			start = i
		}
		if ansi.StringWidth(text[i:matches[0][1]])+1 > room {
			break
		}
	}
	if start == 0 {
		return text, matches
	}
	const ellipsis = "…"
	out := make([][2]int, 0, len(matches))
	for _, m := range matches {
		out = append(out, [2]int{m[0] - start + len(ellipsis), m[1] - start + len(ellipsis)})
	}
	return ellipsis + text[start:], out
}

// findTick runs out after d (at once when d is 0 or less).
func findTick(d time.Duration, seq int) tea.Cmd {
	if d <= 0 {
		return func() tea.Msg { return findTickMsg{Seq: seq} }
	}
	return tea.Tick(d, func(time.Time) tea.Msg { return findTickMsg{Seq: seq} })
}

// findInTimeline asks the store for the entries of incident id with words.
func findInTimeline(st Store, id string, seq int, words string) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		hits, err := st.SearchTimeline(ctx, id, words, findLimit)
		return foundMsg{ID: id, Seq: seq, Words: words, Hits: hits, Err: err}
	})
}

// onFound routes the find line's pause and answer to the find screen open.
func (a *App) onFound(msg tea.Msg) tea.Cmd {
	f := findModal[*findScreen](a.slot.top)
	if f == nil {
		return nil
	}
	switch msg := msg.(type) {
	case findTickMsg:
		if f.due(msg.Seq) {
			return findInTimeline(a.st, f.incID, msg.Seq, strings.TrimSpace(f.input.Value()))
		}
	case foundMsg:
		f.found(msg)
	}
	return nil
}

// openTimelineAt reads a window of the timeline around the entry with
// id eventID (known, when the caller has it already), for the pane to
// show with that entry selected.
func (a *App) openTimelineAt(eventID string, known *model.TimelineEntry) tea.Cmd {
	a.timeline.pending = true
	st, id, x, now := a.st, a.incID, a.drill.x, a.now()
	return bounded(func(ctx context.Context) tea.Msg {
		msg := timelinePageMsg{ID: id, Dir: pageAround, Limit: timelinePage, Target: eventID}
		var entry model.TimelineEntry
		if known != nil {
			entry = *known
		} else if entry, msg.Err = st.TimelineEntry(ctx, eventID); msg.Err != nil {
			return msg
		}
		key := storage.KeyOf(entry)
		older, err := st.Timeline(ctx, id, storage.TimelinePage{Before: &key, Limit: timelinePage / 2})
		if err != nil {
			msg.Err = err
			return msg
		}
		// From the entry on: its key without the id includes it.
		from := key
		from.EventID = ""
		newer, err := st.Timeline(ctx, id, storage.TimelinePage{After: &from, Limit: timelinePage / 2})
		if err != nil {
			msg.Err = err
			return msg
		}
		if msg.Offset, err = st.TimelinePosition(ctx, id, storage.KeyOf(firstOf(older, newer))); err != nil {
			msg.Err = err
			return msg
		}
		msg.AtHead, msg.AtTail = len(older) < timelinePage/2, len(newer) < timelinePage/2
		msg.Entries = append(older, newer...)
		if x != nil {
			injects := x.InjectEntries(now)
			if first := firstOf(older, newer); !msg.AtHead {
				// The drill's injects before the window are places too.
				for _, e := range injects {
					if e.Occurred.Before(first.Occurred) {
						msg.Offset++
					}
				}
			}
			msg.Entries = mergeInjects(msg.Entries, injects, msg.AtHead, msg.AtTail, nil, nil)
		}
		return msg
	})
}

// firstOf is the first entry of two pages read one after the other.
func firstOf(older, newer []model.TimelineEntry) model.TimelineEntry {
	if len(older) > 0 {
		return older[0]
	}
	if len(newer) > 0 {
		return newer[0]
	}
	return model.TimelineEntry{}
}
