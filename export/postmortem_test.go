package export

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
)

// The review sitrep writes reads back the same through the reader for
// postmortems from elsewhere, with nothing to report.
func TestReadPostmortemOwnTemplate(t *testing.T) {
	in := model.Incident{ID: "0190aaaa-bbbb-7ccc-8ddd-eeeeffff0001", Title: "Checkout 500s", Severity: model.SEV1}
	r := model.Review{
		Summary: "Checkout failed for 40 minutes.\n\nA bad deploy.", Impact: "30% of orders", ImpactStart: time.Date(2026, 11, 23, 13, 55, 0, 0, time.UTC),
		RootCause: "Config flag", ContributingFactors: "- no canary\n- alert too slow", Detection: "Pager", Resolution: "Rollback\n\n```sh\n# not a heading\nkubectl rollout undo deploy/checkout\n```",
		WentWell: "Fast rollback", WentPoorly: "### Paging\nSlow", Lucky: "Low traffic", Lessons: "Canary everything",
		ActionItems: []model.ActionItem{
			{Title: "Add canary", Owner: "bob", Due: "2026-12-01", Status: model.ActionOpen, Category: "Process"},
			{Title: "Alert", Status: model.ActionDone, Category: "Process"},
			{Title: "Dashboards", Status: model.ActionWontDo, Category: "Monitoring"},
		},
	}
	pinned := []model.TimelineEntry{{Kind: model.EventNote, NoteKind: model.NoteKindDecision, Text: "Roll back -- now", Author: "alice", Occurred: r.ImpactStart}}
	got, notes, err := ReadPostmortem(RenderReviewTemplate(in, r, pinned), reviewNow)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(r) || len(notes) > 0 {
		t.Fatalf("own template read back changed:\n got %+v\nwant %+v\nnotes %q", got, r, notes)
	}
}

// A postmortem in the shape of the Google SRE book's example: bold labels
// before the first heading, an action item table, lessons under ###
// headings, and a timeline the review has no section for.
const sreShaped = `# Search outage postmortem (incident #12)

**Date:** 2026-10-21

**Authors:** ana, bo

**Summary:** Search was down for 66 minutes during a traffic spike.

**Impact:** About 1.2B queries lost.
No revenue impact.

**Root Causes:** A resource leak when searches failed.

**Trigger:** A sudden 80x rise in traffic.

**Resolution:** Traffic moved to a spare cluster and capacity added.

**Detection:** Alerting paged on-call on HTTP 500s.

## Action Items

| Action Item | Type | Owner | Bug |
|---|---|---|---|
| Update playbook for cascading failure | mitigate | ana | n/a **DONE** |
| Balance load between clusters | prevent | bo | Bug 5554823 **TODO** |
| Load test at 100x |  |  |  |

## Lessons Learned

### What went well
* Monitoring alerted quickly

### What went wrong
* Little practice with cascading failure

### Where we got lucky
* A mirror of the data was at hand

## Timeline

* 14:51 Traffic starts to rise
* 14:54 **OUTAGE BEGINS**

## Supporting information
* Dashboard: http://monitor/search
`

func TestReadPostmortemSREShape(t *testing.T) {
	r, notes, err := ReadPostmortem(sreShaped, reviewNow)
	if err != nil {
		t.Fatal(err)
	}
	for field, want := range map[string]string{
		"summary": "Search was down for 66 minutes", "impact": "1.2B queries lost.\nNo revenue impact.",
		"root cause": "A resource leak", "contributing": "80x rise", "resolution": "spare cluster", "detection": "paged on-call",
		"went well": "alerted quickly", "went poorly": "Little practice", "lucky": "mirror of the data",
		"lessons": "### Timeline", "lessons ": "14:54 **OUTAGE BEGINS**", "lessons  ": "### Supporting information",
		"summary ": "**Authors:** ana, bo",
	} {
		got := map[string]string{
			"summary": r.Summary, "summary ": r.Summary, "impact": r.Impact, "root cause": r.RootCause, "contributing": r.ContributingFactors,
			"resolution": r.Resolution, "detection": r.Detection, "went well": r.WentWell, "went poorly": r.WentPoorly,
			"lucky": r.Lucky, "lessons": r.Lessons, "lessons ": r.Lessons, "lessons  ": r.Lessons,
		}[field]
		if !strings.Contains(got, want) {
			t.Errorf("%s = %q, want it to hold %q", strings.TrimSpace(field), got, want)
		}
	}
	if strings.Contains(r.Summary, "Search outage postmortem") {
		t.Errorf("the document's title went into the summary: %q", r.Summary)
	}
	want := []model.ActionItem{
		{Title: "Update playbook for cascading failure (Type: mitigate; Bug: n/a DONE)", Owner: "ana", Status: model.ActionDone},
		{Title: "Balance load between clusters (Type: prevent; Bug: Bug 5554823 TODO)", Owner: "bo", Status: model.ActionOpen},
		{Title: "Load test at 100x", Status: model.ActionOpen},
	}
	sameItems(t, r.ActionItems, want)
	lineOf := func(s string) string {
		return strconv.Itoa(strings.Count(sreShaped[:strings.Index(sreShaped, s)], "\n") + 1)
	}
	wantNotes := []string{"lines 3-5: text before the first section",
		`line ` + lineOf("## Timeline") + `: "Timeline" is not a section a review has: kept under Lessons learned`,
		`line ` + lineOf("## Supporting") + `: "Supporting information"`}
	if len(notes) != len(wantNotes) {
		t.Fatalf("notes %q, want %d", notes, len(wantNotes))
	}
	for i, w := range wantNotes {
		if !strings.Contains(notes[i], w) {
			t.Errorf("note %d = %q, want it to hold %q", i, notes[i], w)
		}
	}
}

// Headings by other names and at other levels, list items in every form
// teams write them, a code block whose comments are not headings, and an
// impact start that is not a time.
func TestReadPostmortemOtherShapes(t *testing.T) {
	doc := "### 1. Executive summary\nDisk filled.\n\n" +
		"### Customer impact:\nUploads failed.\n\n" +
		"### Impact started\naround lunch\n\n" +
		"### Root cause analysis\n```\n# du -sh /var/log\n## 98G\n```\n\n" +
		"### Follow-ups\n" +
		"1. Rotate logs\n   - hourly, not daily\n" +
		"2. [x] Alert at 80%\n" +
		"- [ ] Resize disk | cara | soon | open\n" +
		"- [ ] Write runbook | dev | 2026-12-24 | in progress\n" +
		"\nCheck the other hosts\n  as well\n\n" +
		"### Misc\nmore words\n"
	r, notes, err := ReadPostmortem(doc, reviewNow)
	if err != nil {
		t.Fatal(err)
	}
	if r.Summary != "Disk filled." || !strings.HasPrefix(r.Impact, "Uploads failed.") || !strings.Contains(r.Impact, "around lunch") {
		t.Errorf("summary %q, impact %q", r.Summary, r.Impact)
	}
	if !strings.Contains(r.RootCause, "# du -sh /var/log\n## 98G") {
		t.Errorf("the code block's comment lines were taken for headings: root cause %q", r.RootCause)
	}
	want := []model.ActionItem{
		{Title: "Rotate logs; hourly, not daily", Status: model.ActionOpen},
		{Title: "Alert at 80%", Status: model.ActionDone},
		{Title: "Resize disk (due: soon)", Owner: "cara", Status: model.ActionOpen},
		{Title: "Write runbook", Owner: "dev", Due: "2026-12-24", Status: model.ActionInProgress},
		{Title: "Check the other hosts as well", Status: model.ActionOpen},
	}
	sameItems(t, r.ActionItems, want)
	// "### Misc" follows the action items, at the level of the sections
	// before it: kept with the last free-text one, the root cause.
	if !strings.Contains(r.RootCause, "### Misc\nmore words") {
		t.Errorf("root cause %q lacks the Misc section", r.RootCause)
	}
	if len(notes) != 2 || !strings.HasPrefix(notes[0], `line 8: "around lunch"`) || !strings.Contains(notes[1], `"Misc"`) {
		t.Errorf("notes %q", notes)
	}
}

// Atlassian's template, and headings that vary around a telling word
// ("Blameless lessons learned", "Follow-up tasks", "Five whys"), find their
// sections; two headings for one section each keep their part's name.
func TestReadPostmortemTellingWords(t *testing.T) {
	doc := "# Postmortem: checkout errors\n\n" +
		"## Incident summary\n12% of checkouts failed.\n\n" +
		"## Fault\nPool size 5, not 50.\n\n" +
		"## Impact on customers\n3,400 could not pay.\n\n" +
		"## Response\nPaged payments.\n\n" +
		"## Recovery\nRolled back.\n\n" +
		"## Five whys\n1. Why? The pool was exhausted.\n\n" +
		"## Blameless lessons learned\nConfig changes need a canary.\n\n" +
		"## Follow-up tasks\n\n| Task | Owner | Due |\n|---|---|---|\n| Add a canary | @sam | 2026-12-01 |\n\n" +
		"## Things that we believe were the root causes of how this incident happened and how it was handled\nnot a section's name\n"
	r, notes, err := ReadPostmortem(doc, reviewNow)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.Summary, "12% of checkouts failed.") || !strings.Contains(r.Summary, "### Fault\nPool size 5") {
		t.Errorf("summary %q", r.Summary)
	}
	if r.Impact != "3,400 could not pay." {
		t.Errorf("impact %q", r.Impact)
	}
	if r.Resolution != "Paged payments.\n\n### Recovery\nRolled back." {
		t.Errorf("resolution %q", r.Resolution)
	}
	if r.RootCause != "1. Why? The pool was exhausted." {
		t.Errorf("root cause %q", r.RootCause)
	}
	if !strings.HasPrefix(r.Lessons, "Config changes need a canary.") || !strings.Contains(r.Lessons, "not a section's name") {
		t.Errorf("lessons %q", r.Lessons)
	}
	sameItems(t, r.ActionItems, []model.ActionItem{{Title: "Add a canary", Owner: "@sam", Due: "2026-12-01", Status: model.ActionOpen}})
	if len(notes) != 2 || !strings.Contains(notes[0], `"Fault"`) || !strings.Contains(notes[1], `"Things that we believe`) {
		t.Errorf("notes %q", notes)
	}
}

// A postmortem written without heading styles (a Google Doc, a wiki page)
// heads its sections with lines that are bold and nothing else; its action
// items name their owner and due date in brackets.
func TestReadPostmortemBoldHeadings(t *testing.T) {
	doc := "**Incident: login outage 2026-10-02**\n\n**Summary**\n\nUsers could not log in.\n\n**Impact:**\n\n40% of logins failed.\n\n" +
		"**Root Cause**\n\nAn expired certificate.\n\n**Note** it was the intermediate.\n\n**Timeline**\n\n09:10 alerts fire\n\n" +
		"__Action Items__\n\n* Alert 30 days before expiry (owner: Dana, due: 2026-11-01)\n* Automate rotation (owner: Eli, due: soon)\n* Read the TLS RFC (see PR 12)\n"
	r, notes, err := ReadPostmortem(doc, reviewNow)
	if err != nil {
		t.Fatal(err)
	}
	if r.Summary != "**Incident: login outage 2026-10-02**\n\nUsers could not log in." || r.Impact != "40% of logins failed." {
		t.Errorf("summary %q, impact %q", r.Summary, r.Impact)
	}
	if r.RootCause != "An expired certificate.\n\n**Note** it was the intermediate.\n\n### Timeline\n\n09:10 alerts fire" {
		t.Errorf("root cause %q", r.RootCause)
	}
	sameItems(t, r.ActionItems, []model.ActionItem{
		{Title: "Alert 30 days before expiry", Owner: "Dana", Due: "2026-11-01", Status: model.ActionOpen},
		{Title: "Automate rotation (due: soon)", Owner: "Eli", Status: model.ActionOpen},
		{Title: "Read the TLS RFC (see PR 12)", Status: model.ActionOpen},
	})
	if len(notes) != 2 || !strings.Contains(notes[1], `"Timeline"`) {
		t.Errorf("notes %q", notes)
	}
	// In a document with Markdown headings, a bold line that names no
	// section is text.
	r, _, _ = ReadPostmortem("## Impact\n\n**Customers**\n\nAll of them.\n", reviewNow)
	if r.Impact != "**Customers**\n\nAll of them." {
		t.Errorf("impact %q", r.Impact)
	}
}

// A pipe in a table cell is written "\|" (sitrep's own export does so):
// it is part of the cell, not a column (and in an action item's title
// it shows as ¦, since sitrep's own lines use | between fields).
func TestReadPostmortemEscapedPipe(t *testing.T) {
	r, _, err := ReadPostmortem("## Action items\n\n| Action | Owner |\n|---|---|\n| Alert on `ps \\| grep x` | dee |\n", reviewNow)
	if err != nil {
		t.Fatal(err)
	}
	sameItems(t, r.ActionItems, []model.ActionItem{{Title: "Alert on `ps ¦ grep x`", Owner: "dee", Status: model.ActionOpen}})
}

// Every postmortem in the corpus reads, with its main sections found and
// every word of it kept somewhere in the review.
func TestReadPostmortemCorpus(t *testing.T) {
	files := corpusPostmortems(t)
	word := regexp.MustCompile(`[\pL\pN]{4,}`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		r, _, err := ReadPostmortem(string(b), reviewNow)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		if r.Summary == "" || r.Impact == "" || r.RootCause == "" || r.Resolution == "" || len(r.ActionItems) == 0 {
			t.Errorf("%s: a main section is empty: summary %d, impact %d, root cause %d, resolution %d bytes, %d action items",
				filepath.Base(f), len(r.Summary), len(r.Impact), len(r.RootCause), len(r.Resolution), len(r.ActionItems))
		}
		kept := r.SearchText()
		for _, a := range r.ActionItems {
			kept += " " + a.Category + " " + a.Due
		}
		have := map[string]bool{}
		for _, w := range word.FindAllString(kept, -1) {
			have[w] = true
		}
		for i, l := range strings.Split(stripComments(string(b)), "\n") {
			if i == 0 || headingLine().MatchString(l) && sectionKey(headingLine().FindStringSubmatch(l)[2]) != "" {
				continue // the title, and the headings the review's sections replace
			}
			for _, w := range word.FindAllString(l, -1) {
				if !have[w] {
					t.Errorf("%s:%d: %q was lost: %q", filepath.Base(f), i+1, w, l)
					break
				}
			}
		}
	}
}

// Any document reads without a panic, to an error or a valid review; a
// review read from one, written as sitrep's review document and read back
// (which settles trimming and headings in text once), reads back the same.
func FuzzReadPostmortem(f *testing.F) {
	f.Add(sreShaped)
	f.Add("### Follow-ups\n1. a\n   - b\n| Item | Owner | Due | Status |\n|--|--|--|--|\n| x | y | 2026-01-01 | done |\n")
	f.Add("# T\n**Impact:** x\n```\n## not\n```\n## Timeline\n- 1\n## Impact started\n2026-11-23 14:02\n")
	f.Fuzz(func(t *testing.T, doc string) {
		r, _, err := ReadPostmortem(doc, reviewNow)
		if err != nil {
			return
		}
		settles(t, r, func(doc string) (model.Review, error) {
			r, _, err := ReadPostmortem(doc, reviewNow)
			return r, err
		})
	})
}

// CorpusPostmortems (for this package's external tests too) are the
// Kubernetes test-infra postmortems in ../shared/corpus; the test skips
// without them, unless SITREP_REQUIRE_CORPUS=1 says it must have them.
var CorpusPostmortems = corpusPostmortems

func corpusPostmortems(t *testing.T) []string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "corpus", "kubernetes-test-infra-postmortems", "docs", "post-mortems")
	files, _ := filepath.Glob(filepath.Join(dir, "2*.md"))
	if len(files) == 0 {
		if os.Getenv("SITREP_REQUIRE_CORPUS") == "1" {
			t.Fatalf("corpus not found at %s", dir)
		}
		t.Skip("corpus not present; set SITREP_REQUIRE_CORPUS=1 to require it")
	}
	return files
}

func sameItems(t *testing.T, got, want []model.ActionItem) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("action items %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("action item %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
