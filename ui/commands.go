package ui

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/clipboard"
	"github.com/sitrep-dev/sitrep/export"
	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/respond"
	"github.com/sitrep-dev/sitrep/runbooks"
	"github.com/sitrep-dev/sitrep/storage"
	ssync "github.com/sitrep-dev/sitrep/sync"
)

// Commands: every tea.Cmd the cockpit runs, in one place. Every read and
// write of the store, the clipboard, the editor and the files happens
// here, in a command, never in Update or View; the results come back as
// the messages of messages.go.

// attachedRunbook is a runbook as attached to an incident: parsed from the
// exact text stored with the incident, not the library's current file.
type attachedRunbook struct {
	Name    string
	Title   string
	Hash    string
	Runbook *model.Runbook // nil when the stored text does not parse
	Doc     *runbooks.Doc  // Runbook with its Markdown kept, for the pane to render
	Err     error
}

// pageDir says which page of the timeline to fetch.
type pageDir int

const (
	pageOlder pageDir = iota
	pageNewer
	pageHead
	pageTail
	pageAround // a window with a chosen entry in it (find.go)
)

// windowRequest says which slice of the timeline a reload should fetch.
type windowRequest struct {
	Tail  bool                 // the newest Count entries
	Head  bool                 // the oldest Count entries
	From  *storage.TimelineKey // Count entries from this key on
	Count int
}

// beforeAll sorts before every timeline entry: paging after it starts at
// the oldest.
var beforeAll = storage.TimelineKey{Placed: math.MinInt64}

// queryTimeout bounds one round of reads, so a store locked by a stuck
// writer shows an error instead of freezing the screen's data forever.
const queryTimeout = 15 * time.Second

// bounded is a command that does its I/O under queryTimeout.
func bounded(f func(ctx context.Context) tea.Msg) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
		defer cancel()
		return f(ctx)
	}
}

func tick(d time.Duration) tea.Cmd {
	if d <= 0 {
		return nil
	}
	return tea.Tick(d, func(t time.Time) tea.Msg { return tickMsg(t) })
}

func pollSeq(st Store) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		seq, err := st.MaxSeq(ctx)
		return seqMsg{Seq: seq, Err: err}
	})
}

// loadIncidents reads the first n incidents of the list (at least a page)
// and the totals.
func loadIncidents(st Store, n int) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		return readIncidents(ctx, st, n)
	})
}

func readIncidents(ctx context.Context, st Store, n int) incidentsMsg {
	n = max(n, listPage)
	seq, err := st.MaxSeq(ctx)
	if err != nil {
		return incidentsMsg{Err: err}
	}
	list, err := st.IncidentsPage(ctx, 0, n)
	if err != nil {
		return incidentsMsg{Err: err}
	}
	active, past, err := st.IncidentCounts(ctx)
	return incidentsMsg{List: list, Limit: n, Active: active, Past: past, Seq: seq, Err: err}
}

func loadIncidentPage(st Store, offset int) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		list, err := st.IncidentsPage(ctx, offset, listPage)
		return incidentsPageMsg{Offset: offset, Limit: listPage, List: list, Err: err}
	})
}

// loadIncident reads the incident view's data. known holds runbooks already
// parsed, by hash, so a refresh does not parse them again; it is only read.
// first is the load that opens the incident, which reads its drafts too.
func loadIncident(st Store, id string, win windowRequest, known map[string]*runbooks.Doc, now time.Time, first bool) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		return readIncident(ctx, st, id, win, known, now, first)
	})
}

func readIncident(ctx context.Context, st Store, id string, win windowRequest, known map[string]*runbooks.Doc, now time.Time, first bool) incidentDataMsg {
	msg := incidentDataMsg{ID: id, Window: win, First: first}
	fail := func(err error) incidentDataMsg { msg.Err = err; return msg }
	var err error
	if msg.Seq, err = st.MaxSeq(ctx); err != nil {
		return fail(err)
	}
	if msg.Incident, err = st.Incident(ctx, id); err != nil {
		return fail(err)
	}
	if msg.Roles, err = st.Roles(ctx, id); err != nil {
		return fail(err)
	}
	if msg.Steps, err = st.Steps(ctx, id); err != nil {
		return fail(err)
	}
	if msg.Exits, err = st.StepExits(ctx, id); err != nil {
		return fail(err)
	}
	if msg.Messages, err = st.Messages(ctx, id); err != nil {
		return fail(err)
	}
	if first {
		msg.Drafts, msg.DraftsErr = st.Drafts(id)
	}
	atts, err := st.Attachments(ctx, id)
	if err != nil {
		return fail(err)
	}
	for _, at := range atts {
		ar := attachedRunbook{Name: at.Name, Title: at.Title, Hash: at.Hash}
		doc, ok := known[at.Hash+"\x00"+at.Name]
		if !ok {
			doc, ar.Err = respond.AttachedDoc(at)
		}
		if doc != nil {
			ar.Runbook, ar.Doc = doc.Runbook, doc
		}
		msg.Runbooks = append(msg.Runbooks, ar)
	}
	if msg.Incident.Exercise {
		x, ok, err := st.Exercise(ctx, id)
		if err != nil {
			return fail(err)
		}
		if ok {
			msg.Exercise = &x
			if msg.Log, err = drillLog(ctx, st, msg, now); err != nil {
				return fail(err)
			}
			msg.Injects = len(x.InjectEntries(now))
		}
	}
	if msg.Entries, err = readWindow(ctx, st, id, win, msg.Exercise, now); err != nil {
		return fail(err)
	}
	return msg
}

func readWindow(ctx context.Context, st Store, id string, win windowRequest, x *model.Exercise, now time.Time) ([]model.TimelineEntry, error) {
	page := storage.TimelinePage{Limit: win.Count}
	switch {
	case win.Tail:
	case win.Head:
		page.After = &beforeAll
	case win.From != nil:
		page.After = win.From
	}
	entries, err := st.Timeline(ctx, id, page)
	if err != nil || x == nil {
		return entries, err
	}
	short := len(entries) < win.Count
	tail := win.Tail || !win.Head && win.From == nil
	return mergeInjects(entries, x.InjectEntries(now), win.Head || tail && short, tail || short, nil, nil), nil
}

// mergeInjects merges the injects a drill's clock has released into a
// page of its stored timeline: those within the page's time range, and
// those before (openLo) or after (openHi) it when the page reaches that
// end; after and before bound it strictly (the edge a page was read
// from), so a page never repeats an inject the window already has.
func mergeInjects(raw, injects []model.TimelineEntry, openLo, openHi bool, after, before *time.Time) []model.TimelineEntry {
	var keep []model.TimelineEntry
	for _, e := range injects {
		switch {
		case after != nil && !e.Occurred.After(*after), before != nil && !e.Occurred.Before(*before):
			continue
		case len(raw) == 0 && !openLo && !openHi:
			continue
		case len(raw) > 0 && !openLo && e.Occurred.Before(raw[0].Occurred):
			continue
		case len(raw) > 0 && !openHi && e.Occurred.After(raw[len(raw)-1].Occurred):
			continue
		}
		keep = append(keep, e)
	}
	if len(keep) == 0 {
		return raw
	}
	return model.MergeEntries(raw, keep)
}

// drillLog is what a drill's objectives are judged from: its whole
// timeline as it reads now (drills are short), steps, runbooks, messages.
func drillLog(ctx context.Context, st Store, msg incidentDataMsg, now time.Time) (model.DrillLog, error) {
	entries, err := st.Timeline(ctx, msg.ID, storage.TimelinePage{})
	if err != nil {
		return model.DrillLog{}, err
	}
	log := model.DrillLog{Incident: msg.Incident, Entries: model.MergeEntries(entries, msg.Exercise.InjectEntries(now)),
		Steps: msg.Steps, Messages: msg.Messages, RunbookSteps: map[string]int{}}
	for _, rb := range msg.Runbooks {
		if rb.Runbook != nil {
			log.RunbookSteps[rb.Name] = rb.Runbook.StepCount()
		}
	}
	return log, nil
}

// timelinePageFrom is the page the timeline pane asks for next: older or
// newer than the entry at its edge, or the first page.
func timelinePageFrom(dir pageDir, edge model.TimelineEntry, limit int) storage.TimelinePage {
	page := storage.TimelinePage{Limit: limit}
	key := storage.KeyOf(edge)
	switch dir {
	case pageOlder:
		page.Before = &key
	case pageNewer:
		page.After = &key
	case pageHead:
		page.After = &beforeAll
	}
	return page
}

func loadPage(st Store, id string, dir pageDir, edge model.TimelineEntry, limit int, x *model.Exercise, now time.Time) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		entries, err := st.Timeline(ctx, id, timelinePageFrom(dir, edge, limit))
		if err == nil && x != nil {
			short := len(entries) < limit
			var after, before *time.Time
			switch dir {
			case pageOlder:
				before = &edge.Occurred
			case pageNewer:
				after = &edge.Occurred
			}
			openLo := dir == pageNewer || dir == pageHead || short
			openHi := dir == pageOlder || dir == pageTail || short
			entries = mergeInjects(entries, x.InjectEntries(now), openLo, openHi, after, before)
		}
		return timelinePageMsg{ID: id, Dir: dir, Limit: limit, Entries: entries, Err: err}
	})
}

// record runs one of the service's changes and reports it as a save.
func record(req int, incidentID string, change func(ctx context.Context) (model.Event, error)) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		e, err := change(ctx)
		return savedMsg{ID: incidentID, Req: req, Event: e, Err: err}
	})
}

// attachRunbook attaches a runbook and reports it as a save, so the view
// reloads and says what was done.
func attachRunbook(rs *respond.Service, req int, in model.Incident, name string) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		if _, err := rs.Attach(ctx, in, []string{name}); err != nil {
			return savedMsg{ID: in.ID, Req: req, Err: fmt.Errorf("attach %s: %w", name, err)}
		}
		return attachedMsg{ID: in.ID, Name: name}
	})
}

func declare(rs *respond.Service, d model.Declaration, runbooks []string) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		// Opening it (onDeclared) makes it the current incident.
		in, err := rs.Declare(ctx, d, runbooks)
		return declaredMsg{Incident: in, Err: err}
	})
}

func setCurrent(st Store, id string) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		_ = st.SetCurrent(ctx, id) // a convenience for the CLI; failing it is harmless
		return nil
	})
}

func copyText(copyFn CopyFunc, what, text string) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		if copyFn == nil {
			return copiedMsg{What: what, Err: model.Invalidf("no clipboard here")}
		}
		r, err := copyFn(ctx, text)
		return copiedMsg{What: what, Result: r, Err: err}
	})
}

// CopyFunc puts text on the clipboards within reach and says which.
type CopyFunc func(ctx context.Context, text string) (clipboard.Result, error)

// systemCopy copies through tmux, the desktop's tool or OSC 52 written to
// terminal, as this process's environment allows.
func systemCopy(terminal io.Writer) CopyFunc {
	env := clipboard.System(terminal)
	return func(ctx context.Context, text string) (clipboard.Result, error) {
		return clipboard.Copy(ctx, env, text)
	}
}

func startDrill(rs *respond.Service, scenario string) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		in, warnings, err := rs.StartDrill(ctx, scenario, respond.DrillStart{Speed: 1})
		return declaredMsg{Incident: in, Drill: true, Warning: strings.Join(warnings, "; "), Err: err}
	})
}

func loadReview(rs *respond.Service, id string) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		r, info, pinned, err := rs.ReviewToEdit(ctx, id)
		return reviewLoadedMsg{ID: id, Review: r, Info: info, Pinned: pinned, Err: err}
	})
}

// saveReview records r unless it is what the store already has.
func saveReview(rs *respond.Service, id string, r model.Review, editor bool) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		saved, err := rs.SaveReview(ctx, id, r)
		return reviewSavedMsg{ID: id, Review: r, Editor: editor, Unchanged: err == nil && !saved, Err: err}
	})
}

// prepareEditor writes the review document to a file for $EDITOR.
func prepareEditor(id string, in model.Incident, r model.Review, pinned []model.TimelineEntry) tea.Cmd {
	return func() tea.Msg {
		text := export.RenderReviewTemplate(in, r, pinned)
		path, err := respond.WriteEditFile("sitrep-review-"+in.Short()+"-*.md", text)
		return editorReadyMsg{ID: id, Path: path, Text: text, Err: err}
	}
}

// runEditor hands the terminal to the editor; Bubble Tea takes it back
// when the editor exits.
func runEditor(editor string, msg editorReadyMsg) tea.Cmd {
	// Through the shell, as the CLI and git run it: "code -w" works.
	c := respond.EditorCommand(editor, msg.Path)
	// The terminal itself, not the program's input: that is a reader over
	// it (TerminalInput), which exec would copy through a pipe, leaving the
	// editor without a terminal and the copy blocked on it after the editor
	// exits.
	c.Stdin = os.Stdin
	return tea.ExecProcess(c, func(err error) tea.Msg {
		if err != nil {
			err = fmt.Errorf("editor %s: %w", editor, err)
		}
		return editorDoneMsg{ID: msg.ID, Path: msg.Path, Text: msg.Text, Err: err}
	})
}

// finishEditor reads the document back and saves it (see
// respond.SaveEditedReview). A document that does not read is kept in its
// file, and the error names it.
func finishEditor(rs *respond.Service, msg editorDoneMsg) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		out := reviewSavedMsg{ID: msg.ID, Editor: true}
		if msg.Err != nil {
			out.Err = fmt.Errorf("%w; the document is in %s", msg.Err, msg.Path)
			return out
		}
		b, err := os.ReadFile(msg.Path)
		if err != nil {
			out.Err = fmt.Errorf("read the edited review %s: %w", msg.Path, err)
			return out
		}
		res, err := rs.SaveEditedReview(ctx, msg.ID, msg.Text, string(b), msg.Path)
		out.Review, out.Unchanged, out.Err = res.Review, err == nil && (res.Unchanged || !res.Saved), err
		return out
	})
}

// runQuery asks the store for what a filter shows: through the full-text
// index when it has text words, else with the fields alone (in the
// background either way, so the screen never waits).
func runQuery(st Store, seq int, q query) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		msg := searchMsg{Seq: seq}
		if q.err != nil {
			msg.Err = q.err
			return msg
		}
		f, ok := q.searchFilter()
		if !ok {
			return msg
		}
		if len(q.text) > 0 {
			hits, err := st.Search(ctx, strings.Join(q.text, " "), f)
			if err != nil {
				msg.Err = fmt.Errorf("search for %q: %w", strings.Join(q.text, " "), err)
				return msg
			}
			for _, h := range hits {
				msg.List = append(msg.List, h.Incident)
				msg.Hits = append(msg.Hits, SearchHit{IncidentID: h.Incident.ID, Where: h.Where, EventID: h.EventID, Snippet: markSnippet(h.Snippet, h.Matches)})
			}
			msg.Full = len(hits) >= filterLimit
			sortList(msg.List)
			return msg
		}
		f.Limit = filterLimit + 1
		list, err := st.IncidentsWhere(ctx, f)
		if err != nil {
			msg.Err = err
			return msg
		}
		if len(list) > filterLimit {
			list, msg.Full = list[:filterLimit], true
		}
		msg.List = list
		return msg
	})
}

func loadStats(st Store) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		incidents, err := st.IncidentTimes(ctx, storage.StatsFilter{})
		if err != nil {
			return statsMsg{Err: err}
		}
		drills, err := st.IncidentTimes(ctx, storage.StatsFilter{Exercises: true})
		if err != nil {
			return statsMsg{Err: err}
		}
		return statsMsg{Real: model.ComputeStats(incidents, false), Drills: model.ComputeStats(drills, true)}
	})
}

// fillMessage fills t from the incident (see respond.FillMessage).
func fillMessage(rs *respond.Service, in model.Incident, x *model.Exercise, msgs []model.Message, t model.MessageTemplate) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		text, err := rs.FillMessage(ctx, in, x, msgs, t)
		return messageFilledMsg{ID: in.ID, Tmpl: t, Text: text, Err: err}
	})
}

func sendMessage(rs *respond.Service, id string, t model.MessageTemplate, text string) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		_, err := rs.LogMessage(ctx, id, t, text, "")
		return messageSentMsg{ID: id, Audience: t.Audience, Err: err}
	})
}

func runSync(fn SyncFunc, pending PendingFunc, manual bool) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), syncTimeout)
		defer cancel()
		rep, err := fn(ctx)
		msg := syncDoneMsg{Report: rep, Err: err, Pending: -1, Manual: manual}
		if pending != nil {
			msg.Pending, msg.PendErr = pending(ctx)
		}
		return msg
	}
}

func countPending(fn PendingFunc) tea.Cmd {
	if fn == nil {
		return nil
	}
	return bounded(func(ctx context.Context) tea.Msg {
		n, err := fn(ctx)
		return pendingMsg{N: n, Err: err}
	})
}

func writeReport(rs *respond.Service, req int, id string, drill bool, path string) tea.Cmd {
	return bounded(func(ctx context.Context) tea.Msg {
		abs, err := expandPath(path)
		if err == nil {
			err = rs.WriteReport(ctx, id, abs)
		}
		return writtenMsg{Req: req, Path: abs, Drill: drill, Err: err}
	})
}

// writeDrafts writes drafts down in the order they were set, through the
// one writer that keeps that order across commands.
func writeDrafts(w *draftWriter, st Store, ds []draftWrite) tea.Cmd {
	if len(ds) == 0 {
		return nil
	}
	return func() tea.Msg {
		var first error
		for _, d := range ds {
			if err := w.write(st, d); err != nil && first == nil {
				first = err
			}
		}
		return draftWrittenMsg{Err: first}
	}
}

// quitAfter quits once cmd has run: the drafts of what was being typed
// are on disk before the program ends.
func quitAfter(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return tea.Quit
	}
	return func() tea.Msg {
		cmd()
		return tea.QuitMsg{}
	}
}

// loadLibrary loads a runbook library that loads on first use, reading
// the team folders off the UI goroutine.
func loadLibrary(lib lazyLibrary) tea.Cmd {
	return func() tea.Msg { return libraryMsg(lib.Notice()) }
}

// pageLoader reads pages of incident id's timeline for the timeline pane,
// merging a drill's injects as of now.
func pageLoader(st Store, id string, x *model.Exercise, now func() time.Time) func(pageDir, model.TimelineEntry) tea.Cmd {
	return func(dir pageDir, edge model.TimelineEntry) tea.Cmd {
		return loadPage(st, id, dir, edge, timelinePage, x, now())
	}
}

// flash says text on the status line.
func flash(text string, isErr bool) tea.Cmd {
	return func() tea.Msg { return flashMsg{Text: text, IsErr: isErr} }
}

// syncTick asks for a sync after d (at once when d is 0).
func syncTick(d time.Duration) tea.Cmd {
	if d <= 0 {
		return func() tea.Msg { return syncTickMsg{} }
	}
	return tea.Tick(d, func(time.Time) tea.Msg { return syncTickMsg{} })
}

// draftTick asks to write the draft down after a pause of d in typing.
func draftTick(d time.Duration, seq int) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return draftTickMsg{seq} })
}

// searchTick asks the store for the list filter's matches after a pause
// of d in typing (at once when d is 0).
func searchTick(d time.Duration, seq int) tea.Cmd {
	if d <= 0 {
		return func() tea.Msg { return searchTickMsg{Seq: seq} }
	}
	return tea.Tick(d, func(time.Time) tea.Msg { return searchTickMsg{Seq: seq} })
}

// listSourceOf reads the list's pages and search answers from st.
func listSourceOf(st Store) listSource {
	return listSource{
		page:  func(offset int) tea.Cmd { return loadIncidentPage(st, offset) },
		query: func(seq int, q query) tea.Cmd { return runQuery(st, seq, q) },
	}
}

// waitLive waits for the live session's next report.
func waitLive(ch chan ssync.LiveEvent) tea.Cmd {
	return func() tea.Msg { return liveMsg(<-ch) }
}
