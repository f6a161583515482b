package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/sitrep-dev/sitrep/export"
	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
	"github.com/sitrep-dev/sitrep/storage/storagetest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./export -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run with -update after checking the change):\n%s", path, got)
	}
}

func exportAll(t *testing.T, format string, events []model.Event) []byte {
	t.Helper()
	ctx := context.Background()
	st := storeWith(t, events)
	var b bytes.Buffer
	switch format {
	case "json":
		doc, err := export.One(ctx, st, fixtureIncident, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := export.WriteJSON(&b, doc); err != nil {
			t.Fatal(err)
		}
	default:
		in, err := export.Load(ctx, st, fixtureIncident, nil)
		if err != nil {
			t.Fatal(err)
		}
		if format == "md" {
			err = export.Markdown(&b, in)
		} else {
			err = export.CSV(&b, in)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()
}

func TestGoldenExports(t *testing.T) {
	events := incidentFixture(t)
	for _, f := range []string{"md", "json", "csv"} {
		golden(t, "incident."+f+".golden", exportAll(t, f, events))
	}
}

func TestMarkdownReadsRight(t *testing.T) {
	md := string(exportAll(t, "md", incidentFixture(t)))
	for _, want := range []string{"| Time to resolve | 43m |", "| Time to detect | 7m |", "`\\| pipes \\|`", "~~DB is down~~",
		"_(pinned)_", "_(amended)_", "deploys already frozen for the holiday", "> Some customers cannot pay.",
		"| Add a canary stage for checkout | bob | 2026-03-01 | in-progress |", "| Communications Lead | bob@desk |"} {
		if !strings.Contains(md, strings.ReplaceAll(want, "`", "")) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	if strings.Contains(md, "EXERCISE") {
		t.Error("a real incident is marked EXERCISE")
	}
	if csvText := string(exportAll(t, "csv", incidentFixture(t))); strings.Contains(csvText, "EXERCISE") {
		t.Error("a real incident's CSV is marked EXERCISE")
	}
	var got []string
	for _, l := range strings.Split(md, "\n") {
		if h, ok := strings.CutPrefix(l, "## "); ok {
			got = append(got, h)
		}
	}
	if strings.Join(got, "|") != strings.Join(export.MarkdownSections, "|") {
		t.Errorf("sections %q, want %q", got, export.MarkdownSections)
	}
}

func TestCSVRows(t *testing.T) {
	r := csv.NewReader(bytes.NewReader(exportAll(t, "csv", incidentFixture(t))))
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	st := storeWith(t, incidentFixture(t))
	entries, _ := st.Timeline(context.Background(), fixtureIncident, storage.TimelinePage{})
	if len(rows) != len(entries)+1 || strings.Join(rows[0], ",") != strings.Join(export.CSVHeader, ",") {
		t.Fatalf("%d rows for %d entries; header %v", len(rows), len(entries), rows[0])
	}
	for _, row := range rows[1:] {
		if strings.HasPrefix(row[6], "=") {
			t.Errorf("formula cell not defused: %q", row[6])
		}
	}
}

// The JSON round trip: export, import into an empty store, export again:
// the same bytes, and every hash chain still checks out.
func TestJSONRoundTrip(t *testing.T) {
	ctx := context.Background()
	events := append(incidentFixture(t), drillFixture(t)...)
	src := storeWith(t, events)
	var first bytes.Buffer
	if err := export.WriteAll(ctx, src, &first, nil); err != nil {
		t.Fatal(err)
	}
	read := decode(t, first.Bytes())
	if len(read.Incidents) != 2 || len(read.Events) != len(events) {
		t.Fatalf("export holds %d incidents and %d events, want 2 and %d", len(read.Incidents), len(read.Events), len(events))
	}
	// Written an element at a time, the export is byte for byte what
	// encoding the whole document at once writes.
	var whole bytes.Buffer
	if err := export.WriteJSON(&whole, read); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), whole.Bytes()) {
		t.Fatalf("the streamed export differs from the document encoded whole:\n%s", firstDiff(first.String(), whole.String()))
	}
	file := writeTemp(t, first.Bytes())
	dst := storeWith(t, nil)
	res, err := export.Import(ctx, dst, file)
	if err != nil || res.Applied != len(events) || res.Incidents != 2 || len(res.Conflicts) != 0 {
		t.Fatalf("import: %+v %v", res, err)
	}
	if rep, err := dst.Verify(ctx); err != nil || len(rep.Problems) != 0 {
		t.Fatalf("verify after import: %v %v", rep.Problems, err)
	}
	var second bytes.Buffer
	if err := export.WriteAll(ctx, dst, &second, nil); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Fatalf("round trip changed the export:\n%s", firstDiff(first.String(), second.String()))
	}
	// Importing again adds nothing.
	if res, err := export.Import(ctx, dst, file); err != nil || res.Applied != 0 || res.Known != len(events) {
		t.Fatalf("second import: %+v %v", res, err)
	}
	// A tampered export is refused whole.
	i := bytes.LastIndex(first.Bytes(), []byte("Roll back deploy 4812")) // in the events, after the incidents
	tampered := append(append(append([]byte(nil), first.Bytes()[:i]...), "Roll forward"...), first.Bytes()[i+len("Roll back"):]...)
	empty := storeWith(t, nil)
	if _, err := export.Import(ctx, empty, writeTemp(t, tampered)); err == nil || !strings.Contains(err.Error(), "hash") {
		t.Fatalf("tampered import: %v", err)
	}
	if n := countEvents(t, empty); n != 0 {
		t.Errorf("a tampered import wrote %d events", n)
	}
	// Not an export, or a truncated one: refused, nothing stored. Keys in
	// another order are still an export.
	for _, junk := range []string{`{"format":"other","version":1,"events":[]}`, `{"format":"sitrep-export","version":99}`, `not json`, `[]`,
		`{"events":[],"format":"sitrep-export"}`, string(first.Bytes()[:len(first.Bytes())/2])} {
		if _, err := export.Import(ctx, empty, writeTemp(t, []byte(junk))); err == nil || !errors.Is(err, model.ErrInvalid) {
			t.Errorf("import %.60q: %v, want a refusal", junk, err)
		}
	}
	if n := countEvents(t, empty); n != 0 {
		t.Errorf("refused imports wrote %d events", n)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(first.Bytes(), &top); err != nil {
		t.Fatal(err)
	}
	reordered := `{"events":` + string(top["events"]) + `,"incidents":` + string(top["incidents"]) + `,"version":1,"format":"sitrep-export"}`
	if res, err := export.Import(ctx, empty, writeTemp(t, []byte(reordered))); err != nil || res.Applied != len(events) || res.Incidents != 2 {
		t.Errorf("import with the events first: %+v %v", res, err)
	}
}

// Payload bytes that are not compact JSON survive the trip unchanged.
func TestOddPayloadBytesSurvive(t *testing.T) {
	events := incidentFixture(t)[:1]
	e := events[0]
	e.Payload = []byte("{ \"title\": \"Spaced <out>\", \"kind\": \"outage\", \"severity\": 2, \"status\": \"investigating\", \"detected_at\": \"0001-01-01T00:00:00Z\" }")
	e.Hash = e.ComputeHash()
	st := storeWith(t, []model.Event{e})
	doc, err := export.One(context.Background(), st, fixtureIncident, nil)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	export.WriteJSON(&b, doc)
	read := decode(t, b.Bytes())
	if got := read.Events[0].Model(); !bytes.Equal(got.Payload, e.Payload) || got.ComputeHash() != e.Hash {
		t.Fatalf("payload changed: %s", got.Payload)
	}
}

// decode reads a whole export, for looking inside one.
func decode(t *testing.T, b []byte) export.Document {
	t.Helper()
	var doc export.Document
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func writeTemp(t *testing.T, b []byte) string {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "export-*.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(b); err != nil {
		t.Fatal(err)
	}
	return f.Name()
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return "line " + itoa(i+1) + ":\n  " + al[i] + "\n  " + bl[i]
		}
	}
	return "lengths differ"
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

func TestDrillMarkedExercise(t *testing.T) {
	ctx := context.Background()
	st := storeWith(t, drillFixture(t))
	in, err := export.Load(ctx, st, drillIncident, nil)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := export.Markdown(&b, in); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{"> **EXERCISE**", "| Type | **EXERCISE** |", "## Exercise", "Objective `rto`", "met", "Inject 1 (+0m): Alerts"} {
		if !strings.Contains(md, want) {
			t.Errorf("drill markdown lacks %q:\n%s", want, md)
		}
	}
	var c bytes.Buffer
	export.CSV(&c, in)
	for i, l := range strings.Split(strings.TrimSpace(c.String()), "\n")[1:] {
		if !strings.Contains(l, ",EXERCISE,") {
			t.Errorf("CSV row %d of a drill not marked EXERCISE: %s", i+1, l)
		}
	}
	if in.ExerciseInfo == nil || in.ExerciseInfo.Injects[1].State != "released" || in.ExerciseInfo.Objectives[0].State != "met" {
		t.Errorf("exercise info: %+v", in.ExerciseInfo)
	}
}

// An empty store exports a valid, empty document, written as WriteJSON
// writes one, and a CSV of just the header.
func TestExportAllEmptyStore(t *testing.T) {
	ctx := context.Background()
	st := storeWith(t, nil)
	var streamed, whole bytes.Buffer
	if err := export.WriteAll(ctx, st, &streamed, nil); err != nil {
		t.Fatal(err)
	}
	doc := export.Document{Format: export.FormatName, Version: export.Version, Incidents: []export.Incident{}, Events: []export.Event{}}
	if err := export.WriteJSON(&whole, doc); err != nil {
		t.Fatal(err)
	}
	if streamed.String() != whole.String() {
		t.Fatalf("empty export:\n%s\nwant\n%s", streamed.String(), whole.String())
	}
	var csvOut bytes.Buffer
	if err := export.WriteAllCSV(ctx, st, &csvOut, nil); err != nil {
		t.Fatal(err)
	}
	if want := strings.Join(export.CSVHeader, ",") + "\n"; csvOut.String() != want {
		t.Errorf("empty CSV %q, want the header %q", csvOut.String(), want)
	}
}

// An export too big for one import batch, edited in its last event, is
// refused before anything is stored.
func TestImportRefusesTamperingAnywhere(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "big.db")
	if err := storagetest.Generate(ctx, path, storagetest.Spec{Incidents: 5, Entries: 6000, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	src, err := storage.Open(ctx, path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var out bytes.Buffer
	if err := export.WriteAll(ctx, src, &out, nil); err != nil {
		t.Fatal(err)
	}
	doc := decode(t, out.Bytes())
	if len(doc.Events) <= 5000 {
		t.Fatalf("%d events: the test needs more than one import batch", len(doc.Events))
	}
	last := &doc.Events[len(doc.Events)-1]
	var payload map[string]any
	if err := json.Unmarshal(last.Payload, &payload); err != nil {
		t.Fatal(err)
	}
	payload["text"] = "edited after the fact"
	if last.Payload, err = json.Marshal(payload); err != nil {
		t.Fatal(err)
	}
	dst := storeWith(t, nil)
	var edited bytes.Buffer
	if err := export.WriteJSON(&edited, doc); err != nil {
		t.Fatal(err)
	}
	if _, err := export.Import(ctx, dst, writeTemp(t, edited.Bytes())); err == nil || !strings.Contains(err.Error(), "hash") {
		t.Fatalf("import of an edited export: %v", err)
	}
	if n := countEvents(t, dst); n != 0 {
		t.Errorf("the refused import stored %d events", n)
	}
}

// countEvents is how many events st holds. A refused import must leave
// none: a count that failed must fail the test, not read as zero.
func countEvents(t *testing.T, st *storage.Store) int64 {
	t.Helper()
	n, err := st.CountEvents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// rewrite decodes an export, lets edit change its events, and writes it
// back as export does.
func rewrite(t *testing.T, b []byte, edit func([]export.Event) []export.Event) []byte {
	t.Helper()
	doc := decode(t, b)
	doc.Events = edit(doc.Events)
	var out bytes.Buffer
	if err := export.WriteJSON(&out, doc); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// A file with an event cut out of a chain is refused whole, naming the
// author and the missing place: imported, it would leave the store failing
// verify for good.
func TestImportRefusesChainGaps(t *testing.T) {
	ctx := context.Background()
	events := append(incidentFixture(t), drillFixture(t)...)
	var full bytes.Buffer
	if err := export.WriteAll(ctx, storeWith(t, events), &full, nil); err != nil {
		t.Fatal(err)
	}
	// events[9] is bob's 4th event; [10] and [11] are his 5th and 6th.
	cases := []struct {
		name string
		drop func(i int, e export.Event) bool
		want string
	}{
		{"one event", func(i int, e export.Event) bool { return i == 9 }, "event(s) 4 of bob@desk's chain are neither in the file nor in this store (deleted from the file?)"},
		{"a run", func(i int, e export.Event) bool { return i >= 9 && i <= 11 }, "event(s) 4-6 of bob@desk's chain"},
		{"the first", func(i int, e export.Event) bool { return e.ID == fixtureIncident }, "event(s) 1 of alice@laptop's chain"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cut := rewrite(t, full.Bytes(), func(evs []export.Event) []export.Event {
				var keep []export.Event
				for i, e := range evs {
					if !c.drop(i, e) {
						keep = append(keep, e)
					}
				}
				return keep
			})
			dst := storeWith(t, nil)
			_, err := export.Import(ctx, dst, writeTemp(t, cut))
			if err == nil || !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "nothing imported") {
				t.Fatalf("import of a file with a hole: %v, want %q", err, c.want)
			}
			if n := countEvents(t, dst); n != 0 {
				t.Errorf("the refused import stored %d events", n)
			}
			// Into a store that holds the missing events, the same file
			// joins up and imports.
			have := storeWith(t, events)
			if _, err := export.Import(ctx, have, writeTemp(t, cut)); err != nil {
				t.Fatalf("import into a store holding the rest: %v", err)
			}
		})
	}
	// An event replaced by another (rehashed) event at its place is refused.
	forged := rewrite(t, full.Bytes(), func(evs []export.Event) []export.Event {
		m := evs[9].Model()
		m.ID = "01900000-0000-7000-8000-0000000f0f0f"
		m.Hash = m.ComputeHash()
		evs[9] = export.Event{ID: m.ID, IncidentID: m.IncidentID, Kind: string(m.Kind), Payload: m.Payload, Author: m.Author, Origin: m.Origin,
			At: m.At, Occurred: m.Occurred, HLC: int64(m.HLC), ChainSeq: m.ChainSeq, Prev: m.Prev, Hash: m.Hash}
		return evs
	})
	if _, err := export.Import(ctx, storeWith(t, nil), writeTemp(t, forged)); err == nil || !strings.Contains(err.Error(), "event 5 of bob@desk's chain does not link to event 4") {
		t.Fatalf("import of a file with a replaced event: %v", err)
	}
	alone := rewrite(t, forged, func(evs []export.Event) []export.Event { return evs[9:10] })
	if _, err := export.Import(ctx, storeWith(t, events), writeTemp(t, alone)); err == nil || !strings.Contains(err.Error(), "event 4 of bob@desk's chain differs from the one this store holds") {
		t.Fatalf("import of a replaced event into a store holding the original: %v", err)
	}
}

// One incident's export holds only part of its authors' chains: refused by
// a store that lacks the rest, with a message saying what to export
// instead; taken by a store that has the rest. Either way the store still
// verifies.
func TestImportSingleIncidentExport(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "src.db")
	if err := storagetest.Generate(ctx, path, storagetest.Spec{Incidents: 3, Entries: 60, Seed: 4}); err != nil {
		t.Fatal(err)
	}
	src, err := storage.Open(ctx, path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	list, err := src.Incidents(ctx)
	if err != nil || len(list) != 3 {
		t.Fatalf("%d incidents, %v", len(list), err)
	}
	var full bytes.Buffer
	if err := export.WriteAll(ctx, src, &full, nil); err != nil {
		t.Fatal(err)
	}
	refused := 0
	for _, in := range list {
		doc, err := export.One(ctx, src, in.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		var one bytes.Buffer
		if err := export.WriteJSON(&one, doc); err != nil {
			t.Fatal(err)
		}
		file := writeTemp(t, one.Bytes())
		empty := storeWith(t, nil)
		_, err = export.Import(ctx, empty, file)
		if err != nil {
			refused++
			if !strings.Contains(err.Error(), "the file holds only part of") || !strings.Contains(err.Error(), "(a single-incident export, or events deleted from it)") ||
				!strings.Contains(err.Error(), "sitrep export --all --format json") {
				t.Errorf("single-incident import: %v", err)
			}
		}
		if rep, err := empty.Verify(ctx); err != nil || len(rep.Problems) != 0 {
			t.Errorf("after importing one incident's export: %v %v", rep.Problems, err)
		}
		// A store holding everything takes it: nothing new.
		have := storeWith(t, nil)
		if _, err := export.Import(ctx, have, writeTemp(t, full.Bytes())); err != nil {
			t.Fatal(err)
		}
		if res, err := export.Import(ctx, have, file); err != nil || res.Applied != 0 {
			t.Errorf("one incident into a store holding it: %+v %v", res, err)
		}
	}
	if refused == 0 {
		t.Fatal("no single-incident export was partial: the test proves nothing")
	}
}

// An export re-indented or re-encoded by another JSON tool imports: each
// payload is put back in the bytes its hash covers.
func TestImportReencodedExport(t *testing.T) {
	ctx := context.Background()
	events := append(incidentFixture(t), drillFixture(t)...)
	var full bytes.Buffer
	if err := export.WriteAll(ctx, storeWith(t, events), &full, nil); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(full.Bytes(), []byte(`\u003chtml\u003e \u0026 stuff`)) {
		t.Fatal("the fixture's payload no longer holds escaped HTML characters: the test proves nothing")
	}
	var indented, compact bytes.Buffer
	if err := json.Indent(&indented, full.Bytes(), "", "\t"); err != nil {
		t.Fatal(err)
	}
	if err := json.Compact(&compact, full.Bytes()); err != nil {
		t.Fatal(err)
	}
	// As Python writes it: <, > and & bare, "/" escaped, spaces after
	// separators.
	python := []byte(strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&", `":`, `": `, `/`, `\/`).Replace(full.String()))
	// As jq 1.6 writes it: numbers read as doubles, so every HLC (past 2^53)
	// comes back rounded to 17 digits.
	rounded := 0
	jq := regexp.MustCompile(`"hlc": (\d+)`).ReplaceAllFunc(indented.Bytes(), func(m []byte) []byte {
		n, err := strconv.ParseInt(string(m[len(`"hlc": `):]), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		r := strconv.FormatFloat(float64(n), 'f', -1, 64)
		if r != strconv.FormatInt(n, 10) {
			rounded++
		}
		return []byte(`"hlc": ` + r)
	})
	if rounded == 0 {
		t.Fatal("no HLC changed when rounded to a double: the jq case proves nothing")
	}
	for name, b := range map[string][]byte{"indented": indented.Bytes(), "compact": compact.Bytes(), "python": python, "jq 1.6": jq} {
		t.Run(name, func(t *testing.T) {
			dst := storeWith(t, nil)
			res, err := export.Import(ctx, dst, writeTemp(t, b))
			if err != nil || res.Applied != len(events) {
				t.Fatalf("import: %+v %v", res, err)
			}
			if rep, err := dst.Verify(ctx); err != nil || len(rep.Problems) != 0 {
				t.Fatalf("verify after import: %v %v", rep.Problems, err)
			}
			var again bytes.Buffer
			if err := export.WriteAll(ctx, dst, &again, nil); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again.Bytes(), full.Bytes()) {
				t.Fatalf("export after import differs:\n%s", firstDiff(full.String(), again.String()))
			}
		})
	}
	// A real change is still refused, and says what may have happened.
	edited := bytes.Replace(indented.Bytes(), []byte(`<html> & stuff`), []byte(`<b> & stuff`), 1)
	edited = bytes.Replace(edited, []byte(`\u003chtml\u003e`), []byte(`\u003cb\u003e`), -1)
	_, err := export.Import(ctx, storeWith(t, nil), writeTemp(t, edited))
	if err == nil || !strings.Contains(err.Error(), "its hash does not match its content: the event was edited, or re-encoded in a way that changed its payload") {
		t.Fatalf("import of an edited export: %v", err)
	}
}
