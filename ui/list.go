package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/model"
)

// incidentList is the opening screen: active incidents first, then past
// ones. It holds a page of the list at a time (listPage more as the cursor
// nears the end), so a long history draws its first frame at once; a
// filter (/) asks the store (search.go), never the page in memory.
type incidentList struct {
	styles *Styles
	keys   *keyMap
	w, h   int

	pages       []model.Incident // the list as loaded so far, in order
	more        bool             // the last page was full: there are more
	fetching    bool             // a page is on its way
	totalActive int              // across the whole store
	totalPast   int
	found       []model.Incident // what the filter found, when one is set
	foundFull   bool
	sel, top    int // sel is an index into items()
	filter      textinput.Model
	filtering   bool
	// filterSelected: / reopened the filter with its text selected, as a
	// search box does, so typing replaces it (it was appended to:
	// "checkoutdns"); an arrow key keeps it to edit.
	filterSelected bool
	loaded         bool

	searchDelay time.Duration
	searchSeq   int    // bumped when the filter changes
	searchText  string // the filter last asked for
	hits        map[string]SearchHit
	searching   bool
	searchErr   string

	src     listSource // where pages and search answers come from
	opening string     // the incident enter asked to open, until taken
	// openWhenFound: enter came while the store was still answering the
	// filter, so the first match opens when the answer arrives (typing
	// '/', an id, enter, enter quickly would otherwise open nothing).
	openWhenFound bool
}

// listSource reads for the list: a page of incidents from offset, and the
// matches of a search (commands.go builds it over the store).
type listSource struct {
	page  func(offset int) tea.Cmd
	query func(seq int, q query) tea.Cmd
}

// Update moves through the list and filters it on a key, takes the pages
// and search answers it asked for, and asks for the next page when the
// cursor nears the end of what is loaded. enter marks the incident to
// open, for the App to take (takeOpen).
func (l incidentList) Update(msg tea.Msg) (incidentList, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		wasFiltering := l.filtering
		open, cmd := l.key(msg)
		if open {
			in, _ := l.selected()
			l.opening = in.ID
			return l, nil
		}
		if off, ok := l.wantPage(); ok && !wasFiltering && l.src.page != nil {
			cmd = tea.Batch(cmd, l.src.page(off))
		}
		return l, cmd
	case searchTickMsg:
		if l.searchDue(msg.Seq) && l.src.query != nil {
			return l, l.src.query(msg.Seq, parseQuery(l.searchText))
		}
	case searchMsg:
		l.searched(msg)
	case incidentsPageMsg:
		if msg.Err != nil {
			l.fetching = false
			return l, flash(msg.Err.Error(), true)
		}
		l.addPage(msg)
	}
	return l, nil
}

// takeOpen is the incident enter asked to open, once, and the timeline
// entry the filter found in it, if that is where it matched.
func (l *incidentList) takeOpen() (id, entry string, ok bool) {
	id, l.opening = l.opening, ""
	if hit, found := l.hits[id]; found && l.filtered() && hit.Where == "timeline" {
		entry = hit.EventID
	}
	return id, entry, id != ""
}

// listPage is how many incidents the list reads at a time.
const listPage = 300

func newIncidentList(s *Styles, k *keyMap, src listSource) incidentList {
	f := newTextInput()
	f.Prompt = "/"
	f.Placeholder = "search titles, notes and reviews; or sev1, resolved, outage, exercise, active, past, since:2026-01-01"
	return incidentList{styles: s, keys: k, filter: f, src: src}
}

func (l *incidentList) SetSize(w, h int) {
	l.w, l.h = w, h
	l.filter.Width = max(w-4, 1)
	l.scroll()
}

// filtered reports whether a filter decides what is shown.
func (l *incidentList) filtered() bool { return l.searchText != "" }

// items is what the list shows: the filter's result, or the pages.
func (l *incidentList) items() []model.Incident {
	if l.filtered() {
		return l.found
	}
	return l.pages
}

// setIncidents takes the first pages of the list afresh (a reload), and
// the store's totals.
func (l *incidentList) setIncidents(msg incidentsMsg) {
	selID := l.selectedID()
	l.pages, l.loaded, l.fetching = msg.List, true, false
	l.more = len(msg.List) >= msg.Limit
	l.totalActive, l.totalPast = msg.Active, msg.Past
	l.reshow(selID)
}

// addPage appends a page read after the ones loaded.
func (l *incidentList) addPage(msg incidentsPageMsg) {
	l.fetching = false
	if msg.Offset != len(l.pages) {
		return // a reload came in between
	}
	l.pages = append(l.pages, msg.List...)
	l.more = len(msg.List) >= msg.Limit
	if !l.filtered() {
		l.reshow(l.selectedID())
	}
}

// wantPage reports the offset of the next page when the cursor is near the
// end of what is loaded.
func (l *incidentList) wantPage() (int, bool) {
	if l.filtered() || !l.more || l.fetching || !l.loaded || l.sel < len(l.pages)-listPage/3 {
		return 0, false
	}
	l.fetching = true
	return len(l.pages), true
}

func (l *incidentList) selectedID() string {
	if in, ok := l.selected(); ok {
		return in.ID
	}
	return ""
}

// reshow keeps the selection on selID after the items changed.
func (l *incidentList) reshow(selID string) {
	items := l.items()
	for i := range items {
		if items[i].ID == selID {
			l.sel = i
			break
		}
	}
	l.sel = min(max(l.sel, 0), max(len(items)-1, 0))
	l.scroll()
}

// filterChanged asks the store (after a pause for typing) when the filter
// changed.
func (l *incidentList) filterChanged() tea.Cmd {
	text := strings.Join(strings.Fields(strings.ToLower(l.filter.Value())), " ")
	if text == l.searchText {
		return nil
	}
	selID := l.selectedID()
	l.searchText = text
	l.searchSeq++
	l.hits, l.searchErr, l.searching, l.openWhenFound = nil, "", false, false
	if text == "" {
		l.found = nil
		l.reshow(selID)
		return nil
	}
	l.reshow(selID)
	l.searching = true
	return searchTick(l.searchDelay, l.searchSeq) // none: at once
}

// searched takes the store's answer, if it is for the filter on screen.
func (l *incidentList) searched(msg searchMsg) {
	if msg.Seq != l.searchSeq {
		return
	}
	l.searching = false
	openNow := l.openWhenFound
	l.openWhenFound = false
	if msg.Err != nil {
		l.searchErr = msg.Err.Error()
		return
	}
	selID := l.selectedID()
	l.found, l.foundFull = msg.List, msg.Full
	l.hits = make(map[string]SearchHit, len(msg.Hits))
	for _, h := range msg.Hits {
		if _, dup := l.hits[h.IncidentID]; !dup {
			l.hits[h.IncidentID] = h
		}
	}
	l.reshow(selID)
	if in, ok := l.selected(); ok && openNow {
		l.opening = in.ID
	}
}

func (l *incidentList) selected() (model.Incident, bool) {
	items := l.items()
	if l.sel < 0 || l.sel >= len(items) {
		return model.Incident{}, false
	}
	return items[l.sel], true
}

// Update handles keys while the list is on screen; open reports that enter
// chose an incident.
func (l *incidentList) key(msg tea.KeyMsg) (open bool, cmd tea.Cmd) {
	k := l.keys
	if l.filtering {
		if l.filterSelected {
			l.filterSelected = false
			switch msg.Type {
			case tea.KeyRunes, tea.KeySpace:
				l.filter.SetValue("")
			case tea.KeyBackspace, tea.KeyDelete, tea.KeyCtrlU:
				l.filter.SetValue("")
				return false, l.filterChanged()
			}
		}
		switch {
		case key.Matches(msg, k.Cancel):
			l.filtering = false
			l.filter.Blur()
			l.filter.SetValue("")
			return false, l.filterChanged()
		case key.Matches(msg, k.Submit):
			l.filtering = false
			l.filter.Blur()
			return false, nil
		case key.Matches(msg, k.Up):
			if msg.String() == "up" {
				l.move(-1)
				return false, nil
			}
		case key.Matches(msg, k.Down):
			if msg.String() == "down" {
				l.move(1)
				return false, nil
			}
		}
		l.filter, cmd = l.filter.Update(msg)
		return false, tea.Batch(cmd, l.filterChanged())
	}
	page := max(l.bodyHeight()-1, 1)
	switch {
	case key.Matches(msg, k.Open):
		if l.searching {
			l.openWhenFound = true
			return false, nil
		}
		_, ok := l.selected()
		return ok, nil
	case key.Matches(msg, k.Filter):
		l.filtering = true
		l.filterSelected = l.filter.Value() != ""
		l.filter.CursorEnd()
		return false, l.filter.Focus()
	case key.Matches(msg, k.Back):
		if l.filter.Value() != "" {
			l.filter.SetValue("")
			return false, l.filterChanged()
		}
	}
	if d, ok := k.move(msg, page); ok {
		l.move(d)
	}
	return false, nil
}

func (l *incidentList) move(delta int) {
	l.sel = min(max(l.sel+delta, 0), max(len(l.items())-1, 0))
	l.scroll()
}

func (l incidentList) ShortHelp() []key.Binding {
	k := l.keys
	if l.filtering {
		return []key.Binding{k.Submit, k.Cancel}
	}
	return []key.Binding{k.Open, k.Declare, k.Drill, k.Filter, k.Stats, k.Up, k.Down, k.Help, k.Quit}
}

// bodyHeight is the rows for incidents: the list's area less its title and
// filter lines.
func (l *incidentList) bodyHeight() int { return max(l.h-3, 1) }

// View draws the list in its w×h area (header and footer are the app's).
func (l incidentList) View(now time.Time) []string {
	s := l.styles
	w := l.w
	active, past := l.counts()
	var lines []string
	head := s.Title.Render("Incidents") + s.Faint.Render(l.totals())
	if q := l.filter.Value(); q != "" && !l.filtering {
		head += s.Faint.Render("  filter: ") + s.Bold.Render(model.OneLine(q)) + s.Faint.Render(" (esc clears)")
	}
	switch {
	case l.searching:
		head += s.Faint.Render("  searching…")
	case l.searchErr != "":
		head += s.Error.Render("  search failed: " + model.OneLine(l.searchErr))
	}
	lines = append(lines, clip(head, w))
	if l.filtering && l.filterSelected {
		lines = append(lines, clip(l.filter.Prompt+s.Selected.Render(l.filter.Value())+s.Faint.Render("  typing replaces it · ← → edit it"), w))
	} else if l.filtering {
		lines = append(lines, clip(l.filter.View(), w))
	} else {
		lines = append(lines, "")
	}
	body := l.bodyHeight()
	if !l.loaded {
		return append(lines, s.Faint.Render("Loading…"))
	}
	if len(l.items()) == 0 && !l.filtered() {
		lines = append(lines, s.Faint.Render("No incidents yet."))
		lines = append(lines, clip(s.Faint.Render("Press ")+s.Key.Render("N")+s.Faint.Render(" to declare one, or ")+s.Key.Render("D")+s.Faint.Render(" to practise with a drill."), w))
		return lines
	}
	if len(l.items()) == 0 {
		return append(lines, s.Faint.Render("Nothing matches the filter."))
	}
	total := l.rowCount(active, past)
	for r := l.top; r < total && r < l.top+body; r++ {
		rw := l.rowAt(r, active, past)
		if rw.idx < 0 {
			lines = append(lines, s.Faint.Render(clip(rw.heading, w)))
			continue
		}
		lines = append(lines, l.drawRow(l.items()[rw.idx], rw.idx == l.sel, now, w))
	}
	return lines
}

// listRow is a line of the list: an incident or a section heading.
type listRow struct {
	idx     int // into items(); -1 for a heading
	heading string
}

// totals is the header's count: the store's totals, or the filter's.
func (l *incidentList) totals() string {
	if l.filtered() {
		active, past := l.counts()
		more := ""
		if l.foundFull {
			more = "+"
		}
		return fmt.Sprintf("  %d%s found (%d active · %d past)", active+past, more, active, past)
	}
	return fmt.Sprintf("  %d active · %d past", l.totalActive, l.totalPast)
}

// headingCount is the number a section heading shows: the store's total
// when browsing, what was found when filtering.
func (l *incidentList) headingCount(active bool, loaded int) int {
	if l.filtered() {
		return loaded
	}
	if active {
		return max(l.totalActive, loaded)
	}
	return max(l.totalPast, loaded)
}

// counts are the active and past incidents loaded (they decide where the
// headings fall).
func (l *incidentList) counts() (active, past int) {
	for _, in := range l.items() {
		if in.Status.Active() {
			active++
		} else {
			past++
		}
	}
	return active, past
}

// Rows are a heading before the first active and the first past incident.
func (l *incidentList) rowCount(active, past int) int {
	n := len(l.items()) + 1
	if active > 0 && past > 0 {
		n++
	}
	return n
}

func (l *incidentList) rowOf(i, active, past int) int {
	r := i + 1
	if i >= active && active > 0 && past > 0 {
		r++
	}
	return r
}

func (l *incidentList) rowAt(r, active, past int) listRow {
	if r == 0 {
		if active > 0 {
			return listRow{idx: -1, heading: fmt.Sprintf("ACTIVE (%d)", l.headingCount(true, active))}
		}
		return listRow{idx: -1, heading: fmt.Sprintf("PAST (%d)", l.headingCount(false, past))}
	}
	i := r - 1
	if active > 0 && past > 0 && i >= active {
		if i == active {
			return listRow{idx: -1, heading: fmt.Sprintf("PAST (%d)", l.headingCount(false, past))}
		}
		i--
	}
	return listRow{idx: i}
}

// scroll keeps the selected incident, and its heading when near, on screen.
// Only the rows on screen are drawn, however long the list.
func (l *incidentList) scroll() {
	active, past := l.counts()
	body := l.bodyHeight()
	selRow := l.rowOf(l.sel, active, past)
	if selRow < l.top {
		l.top = selRow
		if l.top > 0 && l.rowAt(l.top-1, active, past).idx < 0 {
			l.top-- // keep the heading above in view
		}
	}
	if selRow >= l.top+body {
		l.top = selRow - body + 1
	}
	if l.top > 0 && l.rowAt(l.top-1, active, past).idx < 0 && selRow < l.top+body-1 {
		l.top-- // a heading just above, and room for it
	}
	l.top = max(min(l.top, l.rowCount(active, past)-body), 0)
}

func (l *incidentList) drawRow(in model.Incident, selected bool, now time.Time, w int) string {
	s := l.styles
	status := fmt.Sprintf("%-13s", model.OneLine(string(in.Status)))
	// When it was declared, then how long ago: a back-filled incident from
	// five weeks ago must not read like one declared a moment ago.
	declared := model.FormatDeclared(in.DeclaredAt, now)
	age := model.FormatAge(max(now.Sub(in.DeclaredAt), 0))
	title := model.OneLine(in.Title)
	cursor := "  "
	if selected {
		cursor = s.Gutter.Render("▸ ")
	}
	st := s.Status
	if !in.Status.Active() {
		st = s.Faint
	}
	line := cursor + s.SeverityBadge(in.Severity) + " " + st.Render(status) + " " +
		s.Faint.Render(in.Short()) + " " + s.Time.Render(fmt.Sprintf("%-8s %6s", declared, age)) + " "
	if w < 60 {
		// Narrow: the status and age give way, or the title would not
		// show at all; the incident view has them.
		line = cursor + s.SeverityBadge(in.Severity) + " " + s.Faint.Render(in.Short()) + " "
	}
	if in.Exercise {
		line += s.Exercise.Render("[EXERCISE] ")
	}
	t := title
	if selected {
		t = s.Selected.Render(t)
	} else {
		t = s.Title.Render(t)
	}
	// Found by the full-text index, not by its title: show where.
	if hit, ok := l.hits[in.ID]; ok && hit.Where != "title" {
		t += s.Faint.Render("  "+hit.Where+": ") + drawSnippet(s, hit.Snippet)
	}
	return clip(line+t, w)
}

// searchDue reports whether the search tick seq is for the filter on
// screen, which then asks the store.
func (l *incidentList) searchDue(seq int) bool { return seq == l.searchSeq && l.filtered() }

// searchAgain numbers a new search for the filter on screen, when there
// is one, after the store changed.
func (l *incidentList) searchAgain() (seq int, ok bool) {
	if !l.filtered() {
		return 0, false
	}
	l.searchSeq++
	return l.searchSeq, true
}

// selectRow selects the incident at index i of the items on screen.
func (l *incidentList) selectRow(i int) {
	l.sel = i
	l.scroll()
}
