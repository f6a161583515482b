package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// The timeline keeps a window of entries in memory and pages the rest in by
// key as the cursor nears an edge, so a timeline of 100,000 entries costs
// what one of a thousand does; only the rows on screen are drawn.
const (
	timelinePage   = 200  // entries fetched per page
	timelineWindow = 1000 // entries kept at most
	prefetchMargin = 50   // fetch the next page this many entries before the edge
)

// timelinePane shows an incident's timeline: every entry in order, with its
// UTC time, T+ since detection, author, kind and text wrapped to the pane.
type timelinePane struct {
	styles *Styles
	keys   *keyMap
	w, h   int

	clock   model.IncidentClock // reads the T+ column: since detection, or the exercise clock
	entries []model.TimelineEntry
	offset  int // position of entries[0] in the whole timeline
	total   int // entries in the whole timeline
	sel     int // selected entry, an index into entries
	top     int // first entry drawn
	atHead  bool
	atTail  bool
	follow  bool // the newest entry stays selected as new ones arrive
	pending bool // a page request is out

	// Where pages come from: the incident on screen, and the command that
	// reads a page of it (pageLoader, commands.go).
	incID string
	load  func(dir pageDir, edge model.TimelineEntry) tea.Cmd

	lines map[string][]string // drawn lines per entry at the current width
	asOf  string              // a replay's moment, said in the title instead of "live"
}

func newTimelinePane(s *Styles, k *keyMap) timelinePane {
	return timelinePane{styles: s, keys: k, follow: true, lines: map[string][]string{}}
}

// SetSize sets the outer size, borders included.
func (t *timelinePane) SetSize(w, h int) {
	if w != t.w {
		t.lines = map[string][]string{}
	}
	t.w, t.h = w, h
	t.ensureVisible()
}

func (t *timelinePane) innerW() int { return max(t.w-2, 0) }
func (t *timelinePane) innerH() int { return max(t.h-2, 0) }

// reset empties the pane for another incident.
func (t *timelinePane) reset() {
	*t = timelinePane{styles: t.styles, keys: t.keys, w: t.w, h: t.h, follow: true, lines: map[string][]string{}}
}

// selected returns the entry under the cursor.
func (t *timelinePane) selected() (model.TimelineEntry, bool) {
	if t.sel < 0 || t.sel >= len(t.entries) {
		return model.TimelineEntry{}, false
	}
	return t.entries[t.sel], true
}

// request is the reload that keeps this window as it is, with anything new
// in it: the tail if the pane follows the newest entries.
func (t *timelinePane) request() windowRequest {
	switch {
	case len(t.entries) == 0 || t.follow && t.atTail:
		return windowRequest{Tail: true, Count: max(len(t.entries), timelinePage)}
	case t.atHead:
		n := len(t.entries)
		if t.atTail {
			n += timelinePage
		}
		return windowRequest{Head: true, Count: n}
	}
	// Reload from the first entry's time and clock: the id is left out so
	// the first entry itself is included.
	k := storage.KeyOf(t.entries[0])
	k.EventID = ""
	n := len(t.entries)
	if t.atTail {
		n += timelinePage
	}
	return windowRequest{From: &k, Count: n}
}

// setWindow replaces the loaded entries after a reload, keeping the
// selection on the same entry when it is still there.
func (t *timelinePane) setWindow(entries []model.TimelineEntry, req windowRequest, total int, clock model.IncidentClock) {
	var selID string
	if e, ok := t.selected(); ok {
		selID = e.EventID
	}
	// Whether the window reached an end is judged on what the store sent,
	// before a run of speed changes is drawn as one line.
	short := len(entries) < req.Count
	entries = model.CoalesceSpeedChanges(entries)
	t.entries, t.total, t.clock = entries, total, clock
	t.lines = map[string][]string{}
	switch {
	case req.Tail:
		t.atTail, t.atHead = true, short
	case req.Head:
		t.atHead, t.atTail = true, short
	default:
		t.atTail = short
	}
	switch {
	case t.atHead:
		t.offset = 0
	case t.atTail:
		t.offset = max(total-len(entries), 0)
	}
	t.sel = len(entries) - 1
	if !t.follow || !t.atTail {
		for i, e := range entries {
			if e.EventID == selID {
				t.sel = i
				break
			}
		}
	}
	t.clamp()
}

// addPage merges a page fetched because the cursor neared an edge, or
// replaces the window after a jump to the first or last entry.
func (t *timelinePane) addPage(msg timelinePageMsg) {
	t.pending = false
	got := msg.Entries
	short := len(got) < msg.Limit
	got = model.CoalesceSpeedChanges(got)
	switch msg.Dir {
	case pageHead:
		t.entries, t.offset, t.sel, t.top = got, 0, 0, 0
		t.atHead, t.atTail, t.follow = true, short, false
	case pageTail:
		t.entries, t.sel = got, len(got)-1
		t.atTail, t.atHead, t.follow = true, short, true
		t.offset = max(t.total-len(got), 0)
	case pageOlder:
		t.atHead = short
		t.entries = append(append(make([]model.TimelineEntry, 0, len(got)+len(t.entries)), got...), t.entries...)
		t.sel += len(got)
		t.top += len(got)
		t.offset = max(t.offset-len(got), 0)
		if extra := len(t.entries) - timelineWindow; extra > 0 {
			t.entries = t.entries[:timelineWindow]
			t.atTail = false
		}
	case pageAround:
		t.entries, t.offset, t.top = got, msg.Offset, 0
		t.atHead, t.atTail, t.follow = msg.AtHead, msg.AtTail, false
		t.sel = 0
		for i, e := range got {
			if e.EventID == msg.Target {
				t.sel = i
				break
			}
		}
	case pageNewer:
		t.atTail = short
		t.entries = append(t.entries, got...)
		if extra := len(t.entries) - timelineWindow; extra > 0 {
			t.entries = append([]model.TimelineEntry(nil), t.entries[extra:]...)
			t.sel -= extra
			t.top -= extra
			t.offset += extra
			t.atHead = false
		}
	}
	t.clamp()
}

// want says which page to fetch next, if the cursor is near an edge of the
// window that is not the edge of the timeline; the page asked for is then
// pending until it comes.
func (t *timelinePane) want() (pageDir, model.TimelineEntry, bool) {
	if t.pending || len(t.entries) == 0 {
		return 0, model.TimelineEntry{}, false
	}
	if !t.atHead && t.sel < prefetchMargin {
		t.pending = true
		return pageOlder, t.entries[0], true
	}
	if !t.atTail && t.sel >= len(t.entries)-prefetchMargin {
		t.pending = true
		return pageNewer, t.entries[len(t.entries)-1], true
	}
	return 0, model.TimelineEntry{}, false
}

// followIf keeps the newest entry in view after the save of one the
// person made, when follow is true (a note).
func (t *timelinePane) followIf(follow bool) { t.follow = t.follow || follow }

func (t *timelinePane) clamp() {
	if t.sel >= len(t.entries) {
		t.sel = len(t.entries) - 1
	}
	if t.sel < 0 {
		t.sel = 0
	}
	if t.top > t.sel {
		t.top = t.sel
	}
	if t.top < 0 {
		t.top = 0
	}
	t.ensureVisible()
}

// ensureVisible scrolls so the whole selected entry is on screen.
func (t *timelinePane) ensureVisible() {
	if len(t.entries) == 0 {
		t.top = 0
		return
	}
	if t.top > t.sel {
		t.top = t.sel
	}
	h := t.innerH()
	for t.top < t.sel {
		used := 0
		for i := t.top; i <= t.sel; i++ {
			used += len(t.entryLines(i))
		}
		if used <= h {
			break
		}
		t.top++
	}
	// Leave no empty rows under the last entry while earlier ones wait
	// above: after the terminal grows, or when the newest entries are few.
	for t.top > 0 {
		used := 0
		for i := t.top - 1; i < len(t.entries) && used <= h; i++ {
			used += len(t.entryLines(i))
		}
		if used > h {
			break
		}
		t.top--
	}
}

// move moves the cursor by delta entries.
func (t *timelinePane) move(delta int) {
	if len(t.entries) == 0 {
		return
	}
	t.sel += delta
	t.clamp()
	t.follow = t.atTail && t.sel == len(t.entries)-1
}

// source says where the pane's pages come from: incident id, read by load.
func (t *timelinePane) source(id string, load func(dir pageDir, edge model.TimelineEntry) tea.Cmd) {
	t.incID, t.load = id, load
}

// Update moves through the timeline on a key, and takes the pages it
// asked for; it asks for the next page when the cursor nears an edge of
// the loaded window.
func (t timelinePane) Update(msg tea.Msg) (timelinePane, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if dir, jump := t.key(msg); jump {
			return t, t.page(dir, model.TimelineEntry{})
		}
	case timelinePageMsg:
		if msg.ID != t.incID {
			return t, nil // another incident's
		}
		if msg.Err != nil {
			t.pending = false
			return t, flash(msg.Err.Error(), true)
		}
		t.addPage(msg)
	}
	return t, t.fetch()
}

// fetch asks for the next page when the cursor is near an edge of the
// loaded window.
func (t *timelinePane) fetch() tea.Cmd {
	dir, edge, ok := t.want()
	if !ok {
		return nil
	}
	return t.page(dir, edge)
}

func (t *timelinePane) page(dir pageDir, edge model.TimelineEntry) tea.Cmd {
	if t.load == nil {
		t.pending = false
		return nil
	}
	return t.load(dir, edge)
}

// key handles the keys that move through the timeline. It returns the
// page to jump to when top or bottom is past the loaded window.
func (t *timelinePane) key(msg tea.KeyMsg) (pageDir, bool) {
	k := t.keys
	page := max(t.innerH()/3, 1)
	switch {
	case key.Matches(msg, k.Top):
		if t.atHead {
			t.move(-toEnd)
			return 0, false
		}
		t.pending = true
		return pageHead, true
	case key.Matches(msg, k.Bottom):
		if t.atTail {
			t.move(toEnd)
			t.follow = true
			return 0, false
		}
		t.pending = true
		return pageTail, true
	}
	if d, ok := k.move(msg, page); ok {
		t.move(d)
	}
	return 0, false
}

// ShortHelp is the keys shown in the footer while the timeline has focus.
func (t timelinePane) ShortHelp() []key.Binding {
	k := t.keys
	return []key.Binding{k.Note, k.Decision, k.Action, k.Pin, k.Up, k.Down, k.Bottom}
}

// entryLines draws entry i, cached per entry for the current width. An
// entry that starts a day (or the loaded window) is drawn under a date
// line, as chat apps do: the time column shows only the time of day.
func (t *timelinePane) entryLines(i int) []string {
	w := t.innerW() - 1 // one column for the selection gutter
	e := t.entries[i]
	day := i == 0 || !model.SameDay(e.Placed(), t.entries[i-1].Placed())
	k := e.EventID
	if day {
		k += "\x00day"
	}
	if l, ok := t.lines[k]; ok {
		return l
	}
	l := t.drawEntry(e, w)
	if day {
		l = append([]string{t.styles.Faint.Render(clip(model.DayLine(e.Placed()), w))}, l...)
	}
	t.lines[k] = l
	return l
}

func (t *timelinePane) drawEntry(e model.TimelineEntry, w int) []string {
	s := t.styles
	var head strings.Builder
	head.WriteString(s.Time.Render(e.Placed().UTC().Format("15:04:05Z")))
	if off := t.clock.TPlus(e.Placed()); off != "" {
		head.WriteString(" " + s.Time.Render(off))
	}
	head.WriteString(" " + s.Author.Render(model.OneLine(e.Author)))
	head.WriteString(" " + s.kindStyle(e).Render(e.Label()))
	if e.Pinned {
		head.WriteString(" " + s.Pinned.Render("★ pinned"))
	}
	if e.Retracted {
		head.WriteString(" " + s.Warn.Render("retracted"))
	}
	if e.AmendedBy != "" {
		head.WriteString(" " + s.Faint.Render("amended"))
	}
	if e.Late() {
		head.WriteString(" " + s.Faint.Render("(logged "+loggedAt(e)+")"))
	}
	if mark := e.ClockMark(); mark != "" {
		head.WriteString(" " + s.Warn.Render("⚠ "+mark))
	}
	lines := []string{clip(head.String(), w)}
	style := s.kindStyle(e)
	if e.Kind == model.EventNote && e.NoteKind == model.NoteKindNote {
		style = s.Note
	}
	if e.Retracted {
		style = s.Faint
	}
	text := model.Printable(e.Text)
	if e.Kind == model.EventEvidence {
		text = foldEvidence(text)
	}
	for _, l := range wrap(text, max(w-2, 1)) {
		lines = append(lines, "  "+style.Render(l))
	}
	return lines
}

// View draws the pane in its w×h rectangle.
func (t timelinePane) View(focused bool) []string {
	title := "Timeline"
	if t.total > 0 {
		pos := t.offset + t.sel + 1
		title = fmt.Sprintf("Timeline %d/%d", min(pos, max(t.total, pos)), max(t.total, pos))
	}
	switch {
	case t.asOf != "":
		title += " · as of " + t.asOf
	case t.follow && t.atTail:
		title += " · live"
	}
	// The selected entry's day, always in sight: the date lines above each
	// day's first entry scroll away.
	if e, ok := t.selected(); ok {
		title += " · " + e.Placed().UTC().Format("Mon 2 Jan 2006")
	}
	h := t.innerH()
	var lines []string
	if len(t.entries) == 0 {
		lines = []string{t.styles.Faint.Render("No entries yet. n adds a note.")}
	}
	gutter := t.styles.Gutter.Render("▌")
	if !focused {
		gutter = t.styles.Faint.Render("│")
	}
	for i := t.top; i < len(t.entries) && len(lines) < h; i++ {
		mark := " "
		if i == t.sel {
			mark = gutter
		}
		for _, l := range t.entryLines(i) {
			if len(lines) == h {
				break
			}
			lines = append(lines, mark+l)
		}
	}
	return t.styles.box(title, lines, t.w, t.h, focused)
}

// loggedAt is when an entry written down late was logged: the time of day,
// with the date when that is another day than the entry's own.
func loggedAt(e model.TimelineEntry) string {
	if model.SameDay(e.Logged(), e.Placed()) {
		return e.Logged().UTC().Format("15:04Z")
	}
	return e.Logged().UTC().Format("Jan 2 15:04Z")
}
