package export

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/sitrep-dev/sitrep/model"
)

// The Resolution sentence names only what happened.
func TestResolutionLine(t *testing.T) {
	mit, res := 60.0, 3*3600.0+5*60
	for _, tc := range []struct {
		mit, res *float64
		want     string
	}{
		{&mit, &res, "Mitigated 1m and resolved 3h05m after detection."},
		{&mit, nil, "Mitigated 1m after detection; not resolved yet."},
		{nil, &res, "Resolved 3h05m after detection."},
		{nil, nil, ""},
	} {
		if got := resolutionLine(tc.mit, tc.res); got != tc.want {
			t.Errorf("resolutionLine = %q, want %q", got, tc.want)
		}
	}
}

// A multi-line timeline entry (paragraphs, a pasted command and its
// output, even a fence of its own) keeps its shape in the review document:
// its table row holds the first line, and the entry follows the table as
// typed, in a fenced block that nothing in it can close. A decision in
// "What happened" carries its block under its bullet. Single-line entries
// stay one compact row. Checked by rendering with GitHub's Markdown
// (goldmark with the GFM extensions).
func TestMarkdownMultiLineEntries(t *testing.T) {
	at := time.Date(2026, 2, 10, 14, 0, 0, 0, time.UTC)
	det := at
	decision := "Fail over to eu-west.\n\nWhy:\n  - replica healthy\n  - lag 2s"
	pasted := "Pods crashing:\n```\n$ kubectl get pods\napi-1   0/1   CrashLoopBackOff\n```\n# not a heading\n<details>"
	in := Incident{ID: "0190aaaa-bbbb-7ccc-8ddd-eeeeffff0001", Short: "ffff0001", Title: "Checkout 500s", Severity: "SEV1", Status: "resolved",
		DeclaredAt: at, Milestones: Milestones{Detected: &det},
		entries: []model.TimelineEntry{
			{Kind: model.EventNote, NoteKind: model.NoteKindNote, Occurred: at.Add(time.Minute), Typed: at.Add(time.Minute), Author: "bob", Text: "Rolled back deploy 4812"},
			{Kind: model.EventNote, NoteKind: model.NoteKindDecision, Occurred: at.Add(5 * time.Minute), Typed: at.Add(5 * time.Minute), Author: "alice", Text: decision},
			{Kind: model.EventNote, NoteKind: model.NoteKindNote, Occurred: at.Add(7 * time.Minute), Typed: at.Add(7 * time.Minute), Author: "bob", Text: pasted},
		}}
	in.clock = model.IncidentClock{Start: det}
	var b strings.Builder
	if err := Markdown(&b, in); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{
		"| 2026-02-10 14:01:00 | T+1:00 | bob | note | Rolled back deploy 4812 |\n",
		"| alice | decision | Fail over to eu-west. … _(in full below)_ |\n",
		"| bob | note | Pods crashing: … _(in full below)_ |\n",
		"- **2026-02-10 14:05Z** Fail over to eu-west.\n\n  ```text\n  Fail over to eu-west.\n\n  Why:\n    - replica healthy\n    - lag 2s\n  ```\n",
		"### Longer entries in full\n\n**2026-02-10 14:05:00** · alice · decision\n\n```text\n" + decision + "\n```\n",
		"**2026-02-10 14:07:00** · bob · note\n\n````text\n" + pasted + "\n````\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the document lacks %q:\n%s", want, md)
		}
	}

	// As GitHub renders it: each entry is one code block holding exactly
	// its text, and nothing of it escaped into the document.
	var html bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert([]byte(md), &html); err != nil {
		t.Fatal(err)
	}
	h := html.String()
	esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
	for _, text := range []string{decision, pasted} {
		if !strings.Contains(h, `<pre><code class="language-text">`+esc.Replace(text)+"\n</code></pre>") {
			t.Errorf("no code block holds %q as typed:\n%s", text, h)
		}
	}
	if strings.Contains(h, "<h1>not a heading") || strings.Contains(h, "<details>") {
		t.Errorf("text of an entry became part of the document:\n%s", h)
	}
	if !strings.Contains(h, "<td>Rolled back deploy 4812</td>") {
		t.Errorf("single-line entry is not one table cell:\n%s", h)
	}
}

// A review's own headings are moved below the section they are in, so a
// postmortem's "## Timeline" kept in the lessons is a part of them in the
// export's outline, and code keeps its lines as written.
func TestNestHeadings(t *testing.T) {
	in := "## Timeline\n- 10:00 alert\n### Detail\ntext\n```sh\n# a comment\n```\n#hashtag"
	want := "#### Timeline\n- 10:00 alert\n##### Detail\ntext\n```sh\n# a comment\n```\n#hashtag"
	if got := nestHeadings(in, 3); got != want {
		t.Errorf("nestHeadings(…, 3):\n%s\nwant:\n%s", got, want)
	}
	if got := nestHeadings("#### Deep already\nx", 2); got != "#### Deep already\nx" {
		t.Errorf("a heading below the level moved: %q", got)
	}
	if got := nestHeadings("# A\n###### F", 4); got != "##### A\n###### F" {
		t.Errorf("levels past 6: %q", got)
	}
}
