package export

import (
	"strings"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
)

var reviewNow = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func TestReviewTemplateRoundTrip(t *testing.T) {
	in := model.Incident{ID: "0190aaaa-bbbb-7ccc-8ddd-eeeeffff0001", Title: "Checkout 500s", Severity: model.SEV1}
	r := model.Review{
		Summary: "Checkout failed for 40 minutes.\n\nA bad deploy.", Impact: "30% of orders", ImpactStart: time.Date(2026, 11, 23, 13, 55, 0, 0, time.UTC),
		RootCause: "Config flag", ContributingFactors: "- no canary\n- alert too slow", Detection: "Pager", Resolution: "Rollback",
		WentWell: "Fast rollback", WentPoorly: "### Paging\nSlow", Lucky: "Low traffic", Lessons: "Canary everything",
		ActionItems: []model.ActionItem{{Title: "Add canary", Owner: "bob", Due: "2026-12-01", Status: model.ActionOpen}, {Title: "Alert", Status: model.ActionDone}},
	}
	pinned := []model.TimelineEntry{{Kind: model.EventNote, NoteKind: model.NoteKindDecision, Text: "Roll back -- now", Author: "alice", Occurred: r.ImpactStart}}
	doc := RenderReviewTemplate(in, r, pinned)
	got, err := ParseReviewTemplate(doc, reviewNow)
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, doc)
	}
	if !got.Equal(r) {
		t.Fatalf("round trip changed the review:\n got %+v\nwant %+v\n%s", got, r, doc)
	}
	empty, err := ParseReviewTemplate(RenderReviewTemplate(in, model.Review{}, nil), reviewNow)
	if err != nil || !empty.Empty() {
		t.Fatalf("empty template: %+v %v", empty, err)
	}
}

func TestReviewTemplateErrors(t *testing.T) {
	cases := map[string]string{
		"## Summary\nok\n## Root cuase\nx\n":                     "line 3: unknown section",
		"## Action Items\n\n- [ ] fix | bob | soon | open\n":     "not YYYY-MM-DD",
		"## Action Items\n\nfix the thing\n":                     "line 3",
		"## Action Items\n- [ ] a | b | 2026-01-01 | maybe\n":    "invalid action status",
		"## Summary\na\n## Summary\nb\n":                         "appears twice",
		"## Impact Started\nyesterday-ish\n":                     "impact start",
		"## Action Items\n- [ ] a | b | 2026-01-01 | open | x\n": "5 fields",
	}
	for doc, want := range cases {
		if _, err := ParseReviewTemplate(doc, reviewNow); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", doc, err, want)
		}
	}
	r, err := ParseReviewTemplate("## Action Items\n- [x] Done thing | amy\n", reviewNow)
	if err != nil || r.ActionItems[0].Status != model.ActionDone {
		t.Errorf("checked box: %+v %v", r, err)
	}
}

// Action items grouped under ### headings, as the template suggests, keep
// their groups through $EDITOR and back: a document written by hand reads
// with categories, and the template written from it reads the same again.
func TestReviewActionCategoriesRoundTrip(t *testing.T) {
	doc := "## Summary\nBad deploy.\n\n## Action Items\n\n- [ ] Page earlier | amy\n\n### Process\n\n" +
		"- [ ] Add a canary stage | bob | 2026-12-01 | open\n- [ ] Write the rollback runbook | cy\n\n" +
		"### Monitoring\n- [x] Alert on 5xx rate | dan\n\n#### Process\n- [ ] Freeze deploys on Fridays | eve\n"
	r, err := ParseReviewTemplate(doc, reviewNow)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	want := []model.ActionItem{
		{Title: "Page earlier", Owner: "amy", Status: model.ActionOpen},
		{Title: "Add a canary stage", Owner: "bob", Due: "2026-12-01", Status: model.ActionOpen, Category: "Process"},
		{Title: "Write the rollback runbook", Owner: "cy", Status: model.ActionOpen, Category: "Process"},
		{Title: "Alert on 5xx rate", Owner: "dan", Status: model.ActionDone, Category: "Monitoring"},
		{Title: "Freeze deploys on Fridays", Owner: "eve", Status: model.ActionOpen, Category: "Process"},
	}
	if !r.Equal(model.Review{Summary: "Bad deploy.", ActionItems: want}) {
		t.Fatalf("parsed %+v\nwant %+v", r.ActionItems, want)
	}
	in := model.Incident{ID: "0190aaaa-bbbb-7ccc-8ddd-eeeeffff0001", Title: "Checkout 500s", Severity: model.SEV1}
	again := RenderReviewTemplate(in, r, nil)
	if strings.Count(again, "\n### Process\n") != 1 || !strings.Contains(again, "\n### Monitoring\n") {
		t.Errorf("the template does not group the items under their headings:\n%s", again)
	}
	back, err := ParseReviewTemplate(again, reviewNow)
	if err != nil {
		t.Fatalf("parse the template again: %v\n%s", err, again)
	}
	// Grouped on the way out: the Process items come together.
	if len(back.ActionItems) != 5 || back.ActionItems[3].Title != "Freeze deploys on Fridays" || back.ActionItems[3].Category != "Process" ||
		back.ActionItems[4].Category != "Monitoring" {
		t.Errorf("second round trip: %+v\n%s", back.ActionItems, again)
	}
	if _, err := ParseReviewTemplate("## Action items\n###\n- [ ] x\n", reviewNow); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("an empty ### heading: %v", err)
	}
}

// TestReviewActionItemsWithControlCharacters: an action item is saved as
// the document will show it next time, so a title of control characters
// is refused on the line the user wrote, and one that held some is edited
// again without error. A review from elsewhere (sync, import) with a
// title that would be written as nothing, or with a "|", still renders
// to a document that reads back.
func TestReviewActionItemsWithControlCharacters(t *testing.T) {
	in := model.Incident{ID: "x", Title: "t"}
	if _, err := ParseReviewTemplate("## Action items\n- [ ] \x1b[ | me | | open\n", reviewNow); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("a title that is only an escape sequence: %v, want an error at line 2", err)
	}
	r, err := ParseReviewTemplate("## Action items\n- [ ] restart\x01 api\x1b[31m | bob\x07 | | open\n", reviewNow)
	if err != nil {
		t.Fatal(err)
	}
	if a := r.ActionItems[0]; a.Title != "restart\ufffd api" || a.Owner != "bob\ufffd" {
		t.Fatalf("saved %q / %q, not what the document will show", a.Title, a.Owner)
	}
	again, err := ParseReviewTemplate(RenderReviewTemplate(in, r, nil), reviewNow)
	if err != nil || !again.Equal(r) {
		t.Fatalf("editing again: %v\n%+v\n%+v", err, again, r)
	}
	foreign := model.Review{ActionItems: []model.ActionItem{{Title: "\x1b[2J", Status: model.ActionOpen}, {Title: "a | b", Owner: "c|d", Status: model.ActionOpen}}}
	doc := RenderReviewTemplate(in, foreign, nil)
	back, err := ParseReviewTemplate(doc, reviewNow)
	if err != nil {
		t.Fatalf("a review from elsewhere no longer reads back: %v\n%s", err, doc)
	}
	if len(back.ActionItems) != 2 || back.ActionItems[1].Title != "a ¦ b" || back.ActionItems[1].Owner != "c¦d" {
		t.Fatalf("read back %+v", back.ActionItems)
	}
}

// A review document either fails with an error or parses to a review that,
// once rendered and parsed (which trims text, puts action fields on one
// line and times to the second), renders and parses back to itself.
func FuzzParseReviewTemplate(f *testing.F) {
	f.Add(RenderReviewTemplate(model.Incident{ID: "x", Title: "t"}, model.Review{Summary: "s", ActionItems: []model.ActionItem{{Title: "a", Status: model.ActionOpen}}}, nil))
	f.Add("## Summary\n\n<!-- c -->text\n## Action Items\n- [x] done | me | 2026-01-02 | done\n")
	f.Add("## Impact Started\n2026-11-23 14:02\n")
	f.Fuzz(func(t *testing.T, doc string) {
		r, err := ParseReviewTemplate(doc, reviewNow)
		if err != nil {
			return
		}
		settles(t, r, func(doc string) (model.Review, error) { return ParseReviewTemplate(doc, reviewNow) })
	})
}

// settles checks that r, written as the review document and read back by
// read, reads back the same the second time round: the first settles
// trimming, one-line action fields and times to the second.
func settles(t *testing.T, r model.Review, read func(string) (model.Review, error)) {
	t.Helper()
	roundTrip := func(r model.Review) model.Review {
		t.Helper()
		out, err := read(RenderReviewTemplate(model.Incident{ID: "x", Title: "t"}, r, nil))
		if err != nil {
			t.Fatalf("re-reading a rendered review failed: %v", err)
		}
		return out
	}
	once := roundTrip(r)
	if twice := roundTrip(once); !twice.Equal(once) {
		t.Fatalf("render and read changed the review:\n%+v\n%+v", once, twice)
	}
}
