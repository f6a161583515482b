package ui

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/export"
	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// The review screen (R in an incident): the post-incident review, section
// by section, with the pinned timeline entries under it. enter edits the
// selected section in place; e opens the whole document in $EDITOR. Every
// save records the whole review as one review.saved event, as `sitrep
// review` does; a save that changes nothing records nothing.

// reviewPart is one section of the screen: a free-text section of
// model.ReviewSections, the impact start, or the action items. key is the
// Review's JSON field, which is how a section edited alone is put back.
type reviewPart struct{ key, heading string }

const (
	partImpactStart = "impact_start"
	partActions     = "action_items"
)

var reviewParts = func() []reviewPart {
	var out []reviewPart
	for i, s := range model.ReviewSections {
		out = append(out, reviewPart{s.Key, s.Heading})
		if i == 1 {
			out = append(out, reviewPart{partImpactStart, "Impact started"})
		}
	}
	return append(out, reviewPart{partActions, "Action items"})
}()

// partText is a section's text as the screen shows it and the editor
// starts from.
func partText(r model.Review, key string) string {
	switch key {
	case partImpactStart:
		if r.ImpactStart.IsZero() {
			return ""
		}
		return r.ImpactStart.UTC().Format("2006-01-02 15:04:05") + " UTC"
	case partActions:
		var lines []string
		for _, g := range model.GroupActionItems(r.ActionItems) {
			if g.Category != "" {
				lines = append(lines, "### "+model.OneLine(g.Category))
			}
			for _, a := range g.Items {
				lines = append(lines, strings.Join([]string{model.OneLine(a.Title), model.OneLine(a.Owner), a.Due, string(a.Status)}, " | "))
			}
		}
		return strings.Join(lines, "\n")
	}
	for _, s := range model.ReviewSections {
		if s.Key == key {
			return s.Get(r)
		}
	}
	return ""
}

// sectionLines renumbers a parse error's "line N" from the one-section
// document applyPart builds (its heading is line 1) to the lines of the
// text area the responder typed in.
func sectionLines(err error) error {
	msg := err.Error()
	var n int
	if _, scanErr := fmt.Sscanf(msg, "line %d:", &n); scanErr != nil || n < 2 {
		return err
	}
	return model.Invalidf("line %d:%s", n-1, strings.SplitN(msg, ":", 2)[1])
}

// applyPart returns r with one section replaced by text, read the way the
// review document is read (so dates, statuses and action lines are checked
// the same way). now reads a bare time of day (the impact start) as today
// or yesterday.
func applyPart(r model.Review, p reviewPart, text string, now time.Time) (model.Review, error) {
	body := text
	if p.key == partActions {
		lines := strings.Split(text, "\n")
		for i, l := range lines {
			l = strings.TrimSpace(l)
			if l != "" && !strings.HasPrefix(l, "- ") && !strings.HasPrefix(l, "* ") && !strings.HasPrefix(l, "###") {
				l = "- [ ] " + l
			}
			lines[i] = l // blank lines stay, so line numbers stay the section's
		}
		body = strings.Join(lines, "\n")
	}
	one, err := export.ParseReviewTemplate("## "+p.heading+"\n"+body+"\n", now)
	if err != nil {
		return r, sectionLines(err)
	}
	var all, part map[string]json.RawMessage
	if err := remarshal(r, &all); err != nil {
		return r, err
	}
	if err := remarshal(one, &part); err != nil {
		return r, err
	}
	if v, ok := part[p.key]; ok {
		all[p.key] = v
	} else {
		delete(all, p.key)
	}
	var out model.Review
	if err := remarshal(all, &out); err != nil {
		return r, err
	}
	return out, out.Validate()
}

// groupedActions lists action items in the order the review document
// writes them, under their categories.
func groupedActions(items []model.ActionItem) []model.ActionItem {
	var out []model.ActionItem
	for _, g := range model.GroupActionItems(items) {
		out = append(out, g.Items...)
	}
	return out
}

func remarshal(from, to any) error {
	b, err := json.Marshal(from)
	if err != nil {
		return fmt.Errorf("review: %w", err)
	}
	if err := json.Unmarshal(b, to); err != nil {
		return fmt.Errorf("review: %w", err)
	}
	return nil
}

// reviewScreen is the review of the incident on screen.
type reviewScreen struct {
	styles  *Styles
	keys    *keyMap
	w, h    int
	incID   string
	saved   model.Review // as the store has it
	info    storage.ReviewInfo
	pinned  []model.TimelineEntry
	loaded  bool
	sel     int
	top     int
	editing bool
	saving  bool
	area    textarea.Model
	err     string
	notice  string // what the text area holds, if not typed just now (a restored draft)
	now     func() time.Time
	wrapped map[string]wrappedText // by section key
}

// wrappedText is a section's text as last laid out, and for what width.
type wrappedText struct {
	text  string
	w     int
	lines []string
}

func newReviewScreen(s *Styles, k *keyMap, id string, now func() time.Time) *reviewScreen {
	return &reviewScreen{styles: s, keys: k, incID: id, now: now}
}

func (r *reviewScreen) SetSize(w, h int) {
	r.w, r.h = w, h
	if r.editing {
		r.area.SetWidth(max(w-4, 4))
		r.area.SetHeight(r.areaHeight())
	}
	r.scroll()
}

func (r *reviewScreen) areaHeight() int { return max(min(10, r.h-6), 3) }

// edit opens the selected section in the text area.
func (r *reviewScreen) edit() {
	p := reviewParts[r.sel]
	r.editing, r.err, r.notice = true, "", ""
	r.area = newTextArea(model.Printable(partText(r.saved, p.key)), r.w-4, r.areaHeight())
}

// Update handles a key on the review screen; close reports esc/q.
func (r *reviewScreen) Update(msg tea.KeyMsg) (save *model.Review, editAll, close bool) {
	k := r.keys
	defer r.scroll() // an error under the text area must be on screen
	if r.editing {
		switch {
		case key.Matches(msg, k.SaveText):
			if r.saving {
				return nil, false, false
			}
			next, err := applyPart(r.saved, reviewParts[r.sel], r.area.Value(), r.now())
			if err != nil {
				r.err = err.Error()
				return nil, false, false
			}
			r.saving, r.err = true, ""
			return &next, false, false
		case key.Matches(msg, k.Cancel):
			r.editing, r.err = false, ""
			return nil, false, false
		}
		before := r.area.Value()
		if r.area, _ = r.area.Update(msg); r.area.Value() != before {
			r.notice = ""
		}
		return nil, false, false
	}
	switch {
	case key.Matches(msg, k.Back, k.Quit):
		return nil, false, true
	case key.Matches(msg, k.Up):
		r.sel = max(r.sel-1, 0)
	case key.Matches(msg, k.Down):
		r.sel = min(r.sel+1, len(reviewParts)-1)
	case key.Matches(msg, k.Top):
		r.sel = 0
	case key.Matches(msg, k.Bottom):
		r.sel = len(reviewParts) - 1
	case key.Matches(msg, k.EditSection):
		if r.loaded {
			r.edit()
		}
	case key.Matches(msg, k.EditAll):
		return nil, r.loaded, false
	}
	return nil, false, false
}

func (r *reviewScreen) ShortHelp() []key.Binding {
	k := r.keys
	if r.editing {
		return []key.Binding{k.SaveText, k.Cancel}
	}
	return []key.Binding{k.EditSection, k.EditAll, k.Up, k.Down, k.Back}
}

// lines draws the whole review; selAt and selEnd are the selected
// section's first and last line.
func (r *reviewScreen) lines() (out []string, selAt, selEnd int) {
	s := r.styles
	w := max(r.w, 1)
	if !r.loaded {
		return []string{s.Faint.Render("Loading the review…")}, 0, 0
	}
	if r.info.EventID != "" {
		out = append(out, clip(s.Faint.Render("Saved by ")+s.Author.Render(model.OneLine(r.info.By))+
			s.Faint.Render(" at "+r.info.At.UTC().Format("2006-01-02 15:04Z")), w))
	} else {
		out = append(out, clip(s.Faint.Render("Not written yet: enter edits a section, e opens the whole review in $EDITOR."), w))
	}
	for i, p := range reviewParts {
		out = append(out, "")
		if i == r.sel {
			selAt = len(out)
			out = append(out, clip(s.Gutter.Render("▸ ")+s.Selected.Render(p.heading), w))
		} else {
			out = append(out, clip("  "+s.Title.Render(p.heading), w))
		}
		if i == r.sel && r.editing {
			for _, l := range strings.Split(r.area.View(), "\n") {
				out = append(out, clip("  "+l, w))
			}
			if r.err != "" {
				out = append(out, clip("  "+s.Error.Render("Not saved: "+model.OneLine(r.err)+" (your text is kept)"), w))
			} else if r.notice != "" {
				out = append(out, clip("  "+s.Warn.Render(r.notice), w))
			}
		} else {
			text := partText(r.saved, p.key)
			if strings.TrimSpace(text) == "" {
				out = append(out, "  "+s.Faint.Render("(empty)"))
			} else if p.key == partActions {
				category := ""
				for _, a := range groupedActions(r.saved.ActionItems) {
					if a.Category != category {
						category = a.Category
						out = append(out, clip("  "+s.Bold.Render(model.OneLine(category)), w))
					}
					box := "[ ]"
					if a.Status == model.ActionDone {
						box = "[x]"
					}
					line := "  " + box + " " + model.OneLine(a.Title)
					owner := model.OneLine(a.Owner)
					if owner == "" {
						owner = "no owner"
					}
					due := a.Due
					if due == "" {
						due = "no due date"
					}
					out = append(out, clip(line+s.Faint.Render(" · "+owner+" · "+due+" · ")+s.Status.Render(string(a.Status)), w))
				}
			} else if lines, ok := r.laidOut(p.key, text, w); ok {
				out = append(out, lines...)
			} else {
				out = append(out, layoutText(text, w)...) // not laid out yet: drawn, not kept
			}
		}
		if i == r.sel {
			selEnd = len(out) - 1
		}
	}
	out = append(out, "", clip(s.Title.Render(fmt.Sprintf("Pinned timeline entries (%d)", len(r.pinned)))+s.Faint.Render("  p in the timeline pins one"), w))
	for _, e := range r.pinned {
		head := s.Time.Render(e.Occurred.UTC().Format("15:04Z")) + " " + s.Author.Render(model.OneLine(e.Author)) + " " + s.Faint.Render(e.Label()) + " "
		out = append(out, clip("  "+head+model.OneLine(e.Text), w))
	}
	return out, selAt, selEnd
}

// scroll keeps the selected section (or as much of it as fits, from its
// heading) on screen.
func (r *reviewScreen) scroll() {
	r.relayout()
	if r.h <= 0 {
		return
	}
	all, at, end := r.lines()
	if end >= r.top+r.h {
		r.top = end - r.h + 1
	}
	if at < r.top || end-at >= r.h {
		r.top = max(at-1, 0)
	}
	if r.sel == len(reviewParts)-1 && !r.editing {
		r.top = len(all) - r.h // the last section: the pinned entries under it too
	}
	r.top = max(min(r.top, len(all)-r.h), 0)
}

// View draws the screen in its w×h area.
func (r *reviewScreen) View() []string {
	all, _, _ := r.lines()
	return window(all, r.top, r.h)
}

// take takes the review read from the store; the error is the load's.
func (r *reviewScreen) take(msg reviewLoadedMsg) error {
	if msg.Err != nil {
		return msg.Err
	}
	r.saved, r.info, r.pinned, r.loaded = msg.Review, msg.Info, msg.Pinned, true
	r.scroll()
	return nil
}

// restore puts a section's text left unsaved back in the text area, and
// says so.
func (r *reviewScreen) restore(d storage.Draft) {
	if d.Text == r.area.Value() {
		return
	}
	r.area.SetValue(d.Text)
	r.notice = restoredNotice(d, "ctrl+s saves it, esc drops it.")
}

// saveFailed shows why a save failed under the section edited; mine is
// false for a save of another incident's review.
func (r *reviewScreen) saveFailed(msg reviewSavedMsg, mine bool) {
	if mine {
		r.saving = false
	}
	if r.editing && !msg.Editor {
		r.err = msg.Err.Error()
		r.scroll()
	}
}

// stored closes the section edited once its save is stored; slot is the
// draft that is no longer one (ok false when it came from $EDITOR).
func (r *reviewScreen) stored(msg reviewSavedMsg) (slot string, ok bool) {
	r.saving = false
	if r.editing && !msg.Editor {
		slot, ok = reviewSlot(reviewParts[r.sel].key), true
	}
	r.editing = false
	return slot, ok
}

// layout is a section's text reflowed, wrapped to the screen and indented,
// kept between frames: a review brought in with its chat log can run to
// megabytes, and laying it out again at every tick of the clock cost
// 150 ms a second.
func (r *reviewScreen) layout(key, text string, w int) []string {
	if lines, ok := r.laidOut(key, text, w); ok {
		return lines
	}
	lines := layoutText(text, w)
	if r.wrapped == nil {
		r.wrapped = map[string]wrappedText{}
	}
	r.wrapped[key] = wrappedText{text, w, lines}
	return lines
}

// relayout lays out every section for the screen as it is now, before it
// is drawn: drawing only reads the layouts kept.
func (r *reviewScreen) relayout() {
	for _, p := range reviewParts {
		if text := partText(r.saved, p.key); p.key != partActions && strings.TrimSpace(text) != "" {
			r.layout(p.key, text, max(r.w, 1))
		}
	}
}

// laidOut is the layout kept for a section, if it is for this text and
// width.
func (r *reviewScreen) laidOut(key, text string, w int) ([]string, bool) {
	c, ok := r.wrapped[key]
	return c.lines, ok && c.w == w && c.text == text
}

// layoutText reflows text and wraps it to w columns, indented, a list
// item's wrapped lines hanging under its text, not its marker.
func layoutText(text string, w int) []string {
	var lines []string
	for _, para := range strings.Split(reflow(model.Printable(text)), "\n") {
		hang := model.ListMarker(para)
		if hang > (w-2)/2 {
			hang = 0
		}
		for i, l := range wrap(para[hang:], max(w-2-hang, 1)) {
			if i == 0 {
				l = para[:hang] + l
			} else {
				l = strings.Repeat(" ", hang) + l
			}
			lines = append(lines, "  "+l)
		}
	}
	return lines
}

// reflow joins the lines of each Markdown paragraph, as a Markdown reader
// does: a review brought in from elsewhere is often wrapped at 80
// columns, and wrapped again to the screen's width its lines would come
// out ragged. Lines that start a block (a list item, heading, quote,
// table row or code) and the lines of a code block stay as they are.
func reflow(text string) string {
	lines := strings.Split(text, "\n")
	out := make([]string, 0, len(lines))
	var code model.CodeFence
	joinable := false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case code.Line(l):
			joinable = false
		case t == "" || blockStart(l):
			joinable = t != "" && !strings.HasPrefix(t, "#") && !strings.HasPrefix(t, "|")
		case joinable:
			prev := &out[len(out)-1]
			if !strings.HasSuffix(*prev, "  ") && !strings.HasSuffix(*prev, "\\") {
				*prev = strings.TrimRight(*prev, " ") + " " + t
				continue
			}
		default:
			joinable = true
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

func blockStart(l string) bool {
	if strings.HasPrefix(l, "    ") || strings.HasPrefix(l, "\t") {
		return true // indented: code, or a list item's own lines
	}
	t := strings.TrimSpace(l)
	for _, p := range []string{"#", ">", "|", "<"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	// A list item, but not a sentence that opens with a number ("1.5 GB
	// of orders were lost") wrapped onto its own line.
	return model.ListMarker(t) > 0
}
