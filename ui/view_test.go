package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/charmbracelet/x/ansi"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/runbooks"
	"github.com/sitrep-dev/sitrep/storage"
	"github.com/sitrep-dev/sitrep/storage/storagetest"
)

// screens are the views the layout and golden tests draw: each sets up a
// driver already sized and returns nothing; the view is d.view().
var screens = []struct {
	name  string
	setup func(d *driver)
}{
	{"list", func(d *driver) {}},
	{"incident", func(d *driver) { d.press("enter") }},
	{"help", func(d *driver) { d.press("enter", "?") }},
	{"note", func(d *driver) { d.press("enter", "n"); d.typeText("Rolled back 4812; EU error rate falling") }},
	{"stats", func(d *driver) { d.press("T") }},

	{"review", func(d *driver) {
		d.press("enter", "R", "j", "j", "j", "enter")
		d.typeText("A bad TLS config in deploy 4812")
	}},
	{"message", func(d *driver) { d.press("enter", "m", "j", "enter") }},
	// Last: they add a drill to the shared store.
	{"drill", func(d *driver) { openDrill(d) }},
	{"facilitator", func(d *driver) { openDrill(d); d.press("O") }},
}

// incD is the drill openDrill starts.
const incD = "d4e5f6a7-0000-4000-8000-000000000004"

// openDrill starts a bundled scenario as incD (once per store) at 02:40,
// eleven minutes before the seeded clock, and opens it.
func openDrill(d *driver) {
	d.t.Helper()
	a := d.app()
	ctx := context.Background()
	if _, err := a.st.Incident(ctx, incD); err != nil {
		sc := a.opts.Library.Scenarios()[0]
		at := t0.Add(10 * time.Minute)
		_, err := a.st.(*storage.Store).AppendAll(ctx, []model.Change{
			{IncidentID: incD, Kind: model.EventDeclared, Occurred: at, Payload: model.DeclaredPayload{Title: sc.Title, Kind: sc.Kind, Severity: model.SEV2, Status: model.StatusInvestigating, Exercise: true}},
			{IncidentID: incD, Kind: model.EventRoleAssigned, Occurred: at, Payload: model.RoleAssignedPayload{Role: model.RoleCommander, Holder: "alice@laptop"}},
			{IncidentID: incD, Kind: model.EventExerciseStarted, Occurred: at, Payload: model.ExerciseStartedPayload{
				Scenario: sc.Name, Title: sc.Title, Source: sc.Source, Hash: sc.Hash, Text: sc.Text, Start: at,
				Duration: sc.Duration, Runbooks: sc.Runbooks, Objectives: sc.Objectives, Injects: sc.Injects}},
		})
		if err != nil {
			d.t.Fatal(err)
		}
	}
	cmd := a.open(incD)
	d.m = a
	d.run(cmd)
}

// seeded is a seeded store the view tests share: they only read it (the
// note screen types but never saves).
type seeded struct {
	st  *storage.Store
	c   *clock
	lib *runbooks.Library
}

func newSeeded(t testing.TB) seeded {
	t.Helper()
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	lib := bundled(t)
	seed(t, st, c, lib)
	return seeded{st, c, lib}
}

// driver is a driver on the seeded store at w×h.
func (s seeded) driver(t testing.TB, w, h int) *driver {
	t.Helper()
	// Screens drawn from the shared store start without the drafts an
	// earlier screen left by typing and not saving.
	if err := os.RemoveAll(s.st.DraftsDir()); err != nil {
		t.Fatal(err)
	}
	return newDriver(t, Options{Store: s.st, Library: s.lib, Now: s.c.Now}, w, h)
}

var sizes = [][2]int{{1, 1}, {10, 5}, {39, 11}, {40, 12}, {60, 20}, {79, 24}, {80, 24}, {100, 30}, {119, 40}, {120, 40}, {160, 48}, {400, 120}}

// TestViewFitsEverySize draws every screen at every size: nothing may
// panic, no line may be wider than the terminal, and there are exactly as
// many lines as rows.
func TestViewFitsEverySize(t *testing.T) {
	store := newSeeded(t)
	for _, sc := range screens {
		for _, sz := range sizes {
			w, h := sz[0], sz[1]
			t.Run(fmt.Sprintf("%s/%dx%d", sc.name, w, h), func(t *testing.T) {
				d := store.driver(t, 160, 48)
				sc.setup(d)
				d.send(resize(w, h))
				v := d.view()
				lines := strings.Split(v, "\n")
				if len(lines) != h {
					t.Errorf("%d lines, want %d", len(lines), h)
				}
				for i, l := range lines {
					if lw := ansi.StringWidth(l); lw > w {
						t.Errorf("line %d is %d wide, terminal %d: %q", i, lw, w, l)
					}
				}
				checkMode(t, sc.name, w, h, lines)
			})
		}
	}
}

// checkMode checks the arrangement the issue asks for at each width.
func checkMode(t *testing.T, screen string, w, h int, lines []string) {
	t.Helper()
	if w < minWidth || h < minHeight {
		if !strings.Contains(strings.Join(lines, "\n"), "too small") && w >= 18 {
			t.Errorf("%dx%d: no 'too small' message:\n%s", w, h, strings.Join(lines, "\n"))
		}
		return
	}
	if screen != "incident" && screen != "note" {
		return
	}
	// The first body row holds the panes' top borders.
	top := lines[headerRows]
	corners := strings.Count(top, "╭")
	switch {
	case w >= 120:
		if corners != 3 {
			t.Errorf("%dx%d: %d panes side by side, want 3: %q", w, h, corners, top)
		}
	case w >= 80:
		if corners != 2 {
			t.Errorf("%dx%d: %d panes at the top, want 2 (timeline | stepper): %q", w, h, corners, top)
		}
		// The RACI pane starts lower down on the right.
		l := computeLayout(w, h)
		row := ansi.Strip(lines[l.RACI.Y])
		if !strings.Contains(row, "RACI") {
			t.Errorf("%dx%d: no RACI pane under the stepper at row %d: %q", w, h, l.RACI.Y, row)
		}
	default:
		tabs := ansi.Strip(top)
		for _, name := range []string{"1 Timeline", "2 Runbook", "3 RACI"} {
			if !strings.Contains(tabs, name) {
				t.Errorf("%dx%d: tab %q missing from %q", w, h, name, tabs)
			}
		}
		if n := strings.Count(lines[headerRows+1], "╭"); n != 1 {
			t.Errorf("%dx%d: %d panes shown, want 1", w, h, n)
		}
	}
}

// TestComputeLayout checks the pure layout: the panes tile the body
// without overlap, and each mode starts at its width.
func TestComputeLayout(t *testing.T) {
	for _, sz := range append(sizes, [2]int{0, 0}, [2]int{-5, 3}, [2]int{1000, 1000}) {
		w, h := sz[0], sz[1]
		l := computeLayout(w, h)
		var want layoutMode
		switch {
		case w < minWidth || h < minHeight:
			want = modeTooSmall
		case w < 80:
			want = modeTabs
		case w < 120:
			want = modeSplit
		default:
			want = modeWide
		}
		if l.Mode != want {
			t.Errorf("%dx%d: mode %s, want %s", w, h, l.Mode, want)
			continue
		}
		bodyH := h - headerRows - footerRows
		switch l.Mode {
		case modeWide:
			if l.Timeline.W+l.Stepper.W+l.RACI.W != w || l.Stepper.X != l.Timeline.W || l.RACI.X != l.Stepper.X+l.Stepper.W {
				t.Errorf("%dx%d: columns %+v %+v %+v do not tile the width", w, h, l.Timeline, l.Stepper, l.RACI)
			}
			for _, r := range []rect{l.Timeline, l.Stepper, l.RACI} {
				if r.H != bodyH || r.W < 20 {
					t.Errorf("%dx%d: pane %+v", w, h, r)
				}
			}
		case modeSplit:
			if l.Timeline.W+l.Stepper.W != w || l.Stepper.W != l.RACI.W || l.Stepper.H+l.RACI.H != bodyH || l.RACI.Y != l.Stepper.Y+l.Stepper.H {
				t.Errorf("%dx%d: split %+v %+v %+v", w, h, l.Timeline, l.Stepper, l.RACI)
			}
		case modeTabs:
			if l.Timeline != l.Stepper || l.Stepper != l.RACI || l.Timeline.H != bodyH-tabRows || l.Timeline.W != w {
				t.Errorf("%dx%d: tabs %+v %+v %+v", w, h, l.Timeline, l.Stepper, l.RACI)
			}
		}
	}
}

// TestGolden compares whole screens with testdata/*.golden, drawn with
// the Ascii profile and a fixed clock. go test ./ui -update rewrites them.
func TestGolden(t *testing.T) {
	store := newSeeded(t)
	for _, sc := range screens {
		for _, sz := range [][2]int{{160, 48}, {100, 30}, {60, 20}} {
			name := fmt.Sprintf("%s-%dx%d", sc.name, sz[0], sz[1])
			t.Run(name, func(t *testing.T) {
				d := store.driver(t, sz[0], sz[1])
				sc.setup(d)
				checkGolden(t, name, d.view())
			})
		}
	}
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (go test ./ui -run TestGolden -update writes it): %v", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s (-update rewrites it)\n--- got\n%s\n--- want\n%s", name, path, got, want)
	}
	if strings.Contains(got, "\x1b") {
		t.Errorf("%s: escape sequences in an Ascii-profile view", name)
	}
}

// TestHostileTextIsDrawnHarmless: escape sequences and control characters
// in titles, notes, names, kinds, roles and reasons never reach the
// terminal. Sync and import refuse such fields, and so does a change made
// here, so the events are written straight into the log (as sqlite3 or a
// modified sitrep would) and projected by a rebuild: what is drawn must be
// harmless whatever a store holds.
func TestHostileTextIsDrawnHarmless(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	lib := bundled(t)
	seed(t, st, c, lib)
	evil := "\x1b[2J\x1b[31mred\x1b[0m \x1b]52;c;ZXZpbA==\x07 bell\x07 back\bspace\r\nnewline\x9b31m"
	f := &storagetest.Forger{Origin: "mallory-store", Author: "mallory\x1b]0;pwned\x07@host", At: c.Now()}
	forge := func(incident string, kind model.EventKind, p any) model.Event {
		e := f.Event(incident, kind, p, nil)
		if err := storagetest.Insert(context.Background(), st, e); err != nil {
			t.Fatal(err)
		}
		return e
	}
	forge(incA, model.EventNote, model.NotePayload{Kind: model.NoteKindNote, Text: "note " + evil})
	forge(incA, model.EventNote, model.NotePayload{Kind: model.NoteKind("decision" + evil), Text: "kind of note"})
	forge(incA, model.EventRoleAssigned, model.RoleAssignedPayload{Role: model.RoleOperations, Holder: "ops" + evil})
	forge(incA, model.EventRoleAssigned, model.RoleAssignedPayload{Role: model.Role("role" + evil), Holder: "someone"})
	forge(incA, model.EventStepChanged, model.StepPayload{Runbook: "major-incident", Step: 4, Title: "t" + evil, State: model.StepBlocked, Reason: "why" + evil})
	forge(incA, model.EventKind("evil"+evil), model.NotePayload{Kind: model.NoteKindNote, Text: "unknown kind"})
	hostile := forge("", model.EventDeclared, model.DeclaredPayload{Title: "title" + evil, Kind: "outage" + evil, Severity: model.SEV1, Status: model.StatusInvestigating})
	forge(hostile.IncidentID, model.EventNote, model.NotePayload{Kind: model.NoteKindNote, Text: "note " + evil})
	forge(hostile.IncidentID, model.EventReviewSaved, model.ReviewPayload{Review: model.Review{
		Summary: "summary " + evil, ActionItems: []model.ActionItem{{Title: "act" + evil, Owner: "own" + evil, Status: model.ActionOpen}}}})
	if err := st.Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Columns of the projection edited directly, as sqlite3 would.
	if _, err := st.DB().Exec(`UPDATE incidents SET short = ?, status = ? WHERE id = ?`, "ab"+evil, "mitigated"+evil, hostile.IncidentID); err != nil {
		t.Fatal(err)
	}
	for _, sz := range [][2]int{{160, 48}, {100, 30}, {60, 20}} {
		d := newDriver(t, Options{Store: st, Now: c.Now, Cadence: model.DefaultCadence()}, sz[0], sz[1])
		views := []string{d.view()}
		d.press("enter")
		views = append(views, d.view())
		if !strings.Contains(views[1], "note") || !strings.Contains(views[1], "red") {
			t.Errorf("%dx%d: the hostile note is not drawn at all:\n%s", sz[0], sz[1], views[1])
		}
		d.press("2", "3")
		views = append(views, d.view())
		d.press("R")
		views = append(views, d.view())
		d.press("enter") // the summary, in the editor
		views = append(views, d.view())
		d.press("esc", "G")
		views = append(views, d.view())
		d.press("esc", "m", "enter") // an update filled from the hostile note
		views = append(views, d.view())
		if !strings.Contains(views[len(views)-4], "summary") {
			t.Errorf("%dx%d: the hostile review is not drawn:\n%s", sz[0], sz[1], views[len(views)-4])
		}
		// The working incident, where the forged notes, roles and step sit.
		d = newDriver(t, Options{Store: st, Now: c.Now, Incident: incA}, sz[0], sz[1])
		d.press("G")
		views = append(views, d.view())
		d.press("3")
		views = append(views, d.view())
		if sz[0] >= 120 && !strings.Contains(views[len(views)-1], "ops") {
			t.Errorf("%dx%d: the forged role holder is not drawn:\n%s", sz[0], sz[1], views[len(views)-1])
		}
		for i, v := range views {
			for _, bad := range []string{"\x1b", "\x07", "\b", "\r", "\x9b"} {
				if strings.Contains(v, bad) {
					t.Errorf("%dx%d view %d holds %q:\n%s", sz[0], sz[1], i, bad, v)
				}
			}
			if n := len(strings.Split(v, "\n")); n != sz[1] {
				t.Errorf("%dx%d view %d: %d lines (a newline got through?)", sz[0], sz[1], i, n)
			}
		}
	}
}

// A resolved incident's header says how long it took, every digit of it.
func TestHeaderResolvedAfter(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	in, err := st.Incident(context.Background(), incA)
	if err != nil {
		t.Fatal(err)
	}
	resolved := in.Started().Add(34*time.Minute + 36*time.Second)
	mustAppend(t, st, model.Change{IncidentID: incA, Kind: model.EventStatusChanged, Occurred: resolved,
		Payload: model.StatusPayload{Status: model.StatusResolved, From: in.Status}})
	d := newDriver(t, Options{Store: st, Now: c.Now, Incident: incA}, 120, 40)
	if v := d.view(); !strings.Contains(v, "resolved after 34m36s") {
		t.Errorf("header lacks %q:\n%s", "resolved after 34m36s", strings.Join(strings.Split(v, "\n")[:2], "\n"))
	}
}

// formatChars is text as pasted from web pages and documents: a soft hyphen,
// zero-width characters, a byte-order mark, bidi controls and a tag
// character. Terminals disagree on their widths, and bidi controls reorder
// what follows them.
const formatChars = "Fail\u00adover of pri\u00admary done; zero\u200bwidth\u200d join, \ufeffBOM, \u202eReversed\u202c and \u2066isolated\u2069, tag\U000E0041 end"

// TestGoldenFormatCharacters: a note holding Unicode format characters is
// drawn with each shown as a visible <U+XXXX> marker (soft hyphens and joiners
// dropped), so what is on screen is what is stored and every line of the
// cockpit keeps the terminal's width.
func TestGoldenFormatCharacters(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	mustAppend(t, st, model.Change{IncidentID: incA, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: formatChars}})
	mustAppend(t, st, model.Change{IncidentID: incA, Kind: model.EventRoleAssigned, Payload: model.RoleAssignedPayload{Role: model.RoleOperations, Holder: "ops"}})
	for _, sz := range [][2]int{{160, 48}, {100, 30}, {60, 20}} {
		name := fmt.Sprintf("format-chars-%dx%d", sz[0], sz[1])
		t.Run(name, func(t *testing.T) {
			d := newDriver(t, Options{Store: st, Now: c.Now, Incident: incA}, sz[0], sz[1])
			d.press("G")
			v := d.view()
			checkGolden(t, name, v)
			if !strings.Contains(v, "<U+200B>") || !strings.Contains(v, "Failover") {
				t.Errorf("the note is not drawn with markers:\n%s", v)
			}
			lines := strings.Split(v, "\n")
			if len(lines) != sz[1] {
				t.Errorf("%d lines, want %d", len(lines), sz[1])
			}
			for i, l := range lines {
				for _, r := range l {
					if unicode.Is(unicode.Cf, r) {
						t.Errorf("line %d draws the format character %U: %q", i, r, l)
					}
				}
				if w := ansi.StringWidth(l); w != sz[0] {
					t.Errorf("line %d is %d wide, want %d: %q", i, w, sz[0], l)
				}
			}
		})
	}
}
