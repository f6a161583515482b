package runbooks

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/sitrep-dev/sitrep/model"
)

func titlesOf(src string) []string {
	rb, _ := Parse("t.md", []byte(src))
	var out []string
	for _, st := range rb.Steps() {
		out = append(out, st.Title)
	}
	return out
}

// TestStepsPerSection: each section is read on its own, as the issue's
// examples say.
func TestStepsPerSection(t *testing.T) {
	cases := []struct {
		name, src string
		want      []string
	}{
		{"numbered headings, their code their detail",
			"# Restore\n\nRead first.\n\n### 1. Obtain the backup\n\n```sh\ngsutil cp x .\n```\n\n### 2. Promote the replica\n\n- check it\n- then this\n\n## Step 3: Tell people\n\nSay so.\n",
			[]string{"Obtain the backup", "Promote the replica", "Tell people"}},
		{"a reference list does not turn an alert runbook into one step",
			"# Alert\n\n## Meaning\n\nIt fires.\n\n## Impact\n\nBad.\n\n## Diagnosis\n\nLook.\n\n## Mitigation\n\nFix it.\n\n## References\n\n1. [upstream](https://x)\n2. [docs](https://y)\n",
			[]string{"Meaning", "Impact", "Diagnosis", "Mitigation"}},
		{"bullets under action headings are steps",
			"# Playbook\n\n## Contain\n\n- isolate the host\n- revoke the keys\n\n## Eradicate\n\n* remove the implant\n\n## Lessons\n\n- we were slow\n- we were lucky\n",
			[]string{"isolate the host", "revoke the keys", "remove the implant", "Lessons"}},
		{"an imperative heading over bullets",
			"# T\n\n## Restart the pods\n\n- api\n- worker\n",
			[]string{"api", "worker"}},
		{"lists and prose sections side by side",
			"# T\n\nIntro.\n\n## Overview\n\nWhat this is.\n\n## Steps\n\n1. one\n2. two\n\n## Not responsibilities\n\n1. billing\n2. hiring\n",
			[]string{"Overview", "one", "two"}},
		{"a negative list is not steps",
			"# T\n\n## Do\n\n1. page\n2. fix\n\nYou do not:\n\n1. reboot prod\n2. delete data\n",
			[]string{"page", "fix"}},
		{"titles lose their Markdown",
			"# T\n\n- [ ] **Determine the type** of [incident](#types) with `kubectl`\n",
			[]string{"Determine the type of incident with kubectl"}},
		{"a prose-only file is walked as before",
			"# Alert\n\n## Meaning\n\nIt fires.\n\n## Mitigation\n\n### Scale up\n\nMore.\n\n### Roll back\n\nLess.\n",
			[]string{"Meaning", "Mitigation", "Scale up", "Roll back"}},
	}
	for _, c := range cases {
		if got := titlesOf(c.src); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}

// TestStepsForced: front matter `steps:` forces one reading for the file.
func TestStepsForced(t *testing.T) {
	src := "# T\n\n## Meaning\n\nText.\n\n## Do\n\n1. one\n2. two\n"
	if got := titlesOf("---\nsteps: lists\n---\n" + src); fmt.Sprint(got) != "[one two]" {
		t.Errorf("lists: %q", got)
	}
	if got := titlesOf("---\nsteps: sections\n---\n" + src); fmt.Sprint(got) != "[T Meaning Do]" && fmt.Sprint(got) != "[Meaning Do]" {
		t.Errorf("sections: %q", got)
	}
	if _, diags := Parse("t.md", []byte("---\nsteps: maybe\n---\n"+src)); !strings.Contains(diagList(diags), "neither lists nor sections") {
		t.Errorf("a bad steps: value is not pointed out:\n%s", diagList(diags))
	}
}

// TestPerFileRulesKeepOldNumbering: an attachment made before per-section
// rules is read with the rules it was made under, so its step events land
// on the steps they were made for.
func TestPerFileRulesKeepOldNumbering(t *testing.T) {
	src := []byte("# Alert\n\n## Meaning\n\nIt fires.\n\n## Mitigation\n\nFix it.\n\n## References\n\n1. [upstream](https://x)\n")
	rb, _ := ParseRules("a.md", src, RulesPerFile)
	if rb.StepCount() != 1 || rb.Rules != RulesPerFile {
		t.Errorf("per-file rules: %d steps (%s), want the one reference item", rb.StepCount(), rb.Rules)
	}
	rb, _ = Parse("a.md", src)
	if rb.StepCount() != 2 || rb.Rules != RulesPerSection {
		t.Errorf("per-section rules: %d steps (%s)", rb.StepCount(), rb.Rules)
	}
}

// TestTitlesAndNames: front matter, else the first # heading, else the
// file's name in words; names drop .md and .html.md.
func TestTitlesAndNames(t *testing.T) {
	cases := []struct{ path, src, title, name string }{
		{"howto-backup-and-restore.html.md", "## Dos\n\n- [ ] a\n", "Howto backup and restore", "howto-backup-and-restore"},
		{"x/db_failover.md", "# Database failover\n\n- [ ] a\n", "Database failover", "db_failover"},
		{"y.md", "---\ntitle: From front matter\n---\n# Heading\n", "From front matter", "y"},
		{"z.md", "# **Bold** title\n", "Bold title", "z"},
	}
	for _, c := range cases {
		rb, _ := Parse(c.path, []byte(c.src))
		if rb.Title != c.title || rb.Name != c.name {
			t.Errorf("%s: title %q name %q, want %q %q", c.path, rb.Title, rb.Name, c.title, c.name)
		}
	}
}

// genMarkdown writes a random runbook from the shapes real ones take:
// headings (numbered, action, reference), numbered, task and bullet
// lists, nested items, code blocks (some shell sessions), quotes,
// tables, links and emphasis.
func genMarkdown(r *rand.Rand) string {
	words := []string{"restart", "the", "api", "pods", "check", "replica", "lag", "page", "on-call", "**bold**", "`code`", "[link](https://x.example/a)", "_em_", "snake_case", "<pod-name>", "50%"}
	sentence := func() string {
		n := 2 + r.Intn(8)
		ws := make([]string, n)
		for i := range ws {
			ws[i] = words[r.Intn(len(words))]
		}
		return strings.Join(ws, " ")
	}
	headings := []string{"Contain", "Eradicate", "Mitigation", "Meaning", "Impact", "References", "See also", "Restart the pods", "1. Obtain", "Step 2: Promote", "Overview", "Not responsibilities"}
	var b strings.Builder
	if r.Intn(2) == 0 {
		b.WriteString("# " + sentence() + "\n\n")
	}
	for sec := 0; sec < 1+r.Intn(6); sec++ {
		fmt.Fprintf(&b, "%s %s\n\n", strings.Repeat("#", 2+r.Intn(3)), headings[r.Intn(len(headings))])
		for blk := 0; blk < 1+r.Intn(4); blk++ {
			switch r.Intn(8) {
			case 0:
				b.WriteString(sentence() + "\n" + sentence() + "\n\n")
			case 1, 2:
				marker := []string{"- ", "1. ", "- [ ] ", "* "}[r.Intn(4)]
				for i := 0; i < 1+r.Intn(4); i++ {
					b.WriteString(marker + sentence() + "\n")
					if r.Intn(3) == 0 {
						b.WriteString("   - " + sentence() + "\n")
					}
					if r.Intn(4) == 0 {
						b.WriteString("   ```sh\n   kubectl get pods -n " + words[r.Intn(len(words))] + "\n   ```\n")
					}
				}
				b.WriteString("\n")
			case 3:
				if r.Intn(2) == 0 {
					b.WriteString("```console\n$ kubectl get pods\nNAME READY\n$ echo " + sentence() + "\n```\n\n")
				} else {
					b.WriteString("```\n" + sentence() + "\n\n" + sentence() + "\n```\n\n")
				}
			case 4:
				b.WriteString("> " + sentence() + "\n\n")
			case 5:
				b.WriteString("| a | b |\n|---|---|\n| " + sentence() + " | " + sentence() + " |\n\n")
			case 6:
				b.WriteString("1. [" + sentence() + "](https://x.example)\n2. <https://y.example/z>\n\n")
			case 7:
				kind := []string{"note", "warning", "danger", "tip"}[r.Intn(4)]
				switch r.Intn(4) {
				case 0:
					b.WriteString("> [!" + strings.ToUpper(kind) + "]\n> " + sentence() + "\n\n")
				case 1:
					fmt.Fprintf(&b, "!!! %s \"%s\"\n\n    %s\n\n    - %s\n\n", kind, sentence(), sentence(), sentence())
				case 2:
					fmt.Fprintf(&b, ":::%s %s\n%s\n\n1. %s\n:::\n\n", kind, sentence(), sentence(), sentence())
				default:
					fmt.Fprintf(&b, "??? %s\n    ```sh\n    kubectl get pods -n %s\n    ```\n\n", kind, words[r.Intn(len(words))])
				}
			}
		}
	}
	return b.String()
}

// checkRendered: the properties the corpus test checks, on any file.
func checkRendered(t *testing.T, src []byte) {
	rb, _ := Parse("gen.md", src)
	want := words(sourceText(src))
	blocks := fencedBlocks(src)
	for _, width := range []int{20, 60, 100, 160} {
		d := Render(rb, width)
		if _, missing := shownShare(want, words(rb.Title+"\n"+d.Joined())); len(missing) > 0 {
			t.Fatalf("width %d: words not shown %q in:\n%s\n--- rendered:\n%s", width, missing, src, d.PlainText())
		}
		have := map[string]int{}
		for _, c := range d.Code {
			have[normCode(c.Block.Text)]++
		}
		for _, b := range blocks {
			if have[normCode(b)] == 0 {
				t.Fatalf("width %d: code block %q not copyable in:\n%s", width, b, src)
			}
			have[normCode(b)]--
		}
		for i, a := range d.Steps {
			if a.Start < 0 || a.Start >= max(len(d.Lines), 1) || a.End < a.Start {
				t.Fatalf("width %d: step %d anchored at %+v of %d lines", width, i, a, len(d.Lines))
			}
		}
		for _, l := range d.Lines {
			if w := segsWidth(l.Segs); w > width {
				t.Fatalf("width %d: line %q is %d wide", width, l.Text(), w)
			}
		}
		// Every word shown is found, and the match is that word.
		shown := words(d.Joined())
		for i := 0; i < len(shown); i += max(len(shown)/7, 1) {
			hits := d.Find(shown[i], 1)
			if len(hits) == 0 {
				t.Fatalf("width %d: %q is shown but not found in:\n%s", width, shown[i], d.PlainText())
			}
			m := hits[0].Matches[0]
			if got := hits[0].Text[m[0]:m[1]]; !strings.EqualFold(got, shown[i]) {
				t.Fatalf("width %d: finding %q matched %q in %q", width, shown[i], got, hits[0].Text)
			}
		}
	}
}

// TestRenderGenerated runs the fidelity properties over generated runbooks.
func TestRenderGenerated(t *testing.T) {
	r := rand.New(rand.NewSource(13))
	for i := 0; i < 300; i++ {
		checkRendered(t, []byte(genMarkdown(r)))
	}
}

// FuzzRender: the fidelity properties hold for any seed's generated file.
func FuzzRender(f *testing.F) {
	for _, s := range []int64{1, 2, 3, 13} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, seed int64) {
		checkRendered(t, []byte(genMarkdown(rand.New(rand.NewSource(seed)))))
	})
}

// TestParseAttached: an attachment recorded before rules were is read per
// file; one recorded with per-section rules is read with them.
func TestParseAttached(t *testing.T) {
	text := "# Alert\n\n## Meaning\n\nIt fires.\n\n## Mitigation\n\nFix it.\n\n## References\n\n1. [upstream](https://x)\n"
	old := ParseAttached(model.Attachment{Name: "a", Title: "A", Text: text})
	now := ParseAttached(model.Attachment{Name: "a", Title: "A", Text: text, Rules: RulesPerSection})
	if old.StepCount() != 1 || now.StepCount() != 2 || old.Name != "a" || old.Title != "A" {
		t.Errorf("old %d steps, new %d steps, name %q title %q", old.StepCount(), now.StepCount(), old.Name, old.Title)
	}
	rb, _ := Parse("a.md", []byte(text))
	if at, err := rb.Attachment(); err != nil || at.Rules != RulesPerSection {
		t.Errorf("a new attachment records rules %q (%v)", at.Rules, err)
	}
}

// A backslash that ends a line breaks it in Markdown (Google Docs puts one
// on every wrapped line of a list item): it is not drawn as a "\".
func TestBackslashLineBreak(t *testing.T) {
	rb, _ := Parse("gdocs.md", []byte("# R\n\n1. **Check the dashboard** \\\n   Go to the error rate.\n2. Keep a literal \\\\\n   here\n"))
	steps := rb.Steps()
	if len(steps) != 2 || steps[0].Title != "Check the dashboard" || steps[1].Title != `Keep a literal \` {
		t.Fatalf("steps %q", []string{steps[0].Title, steps[1].Title})
	}
	if strings.Contains(steps[0].Body, `\`) || !strings.Contains(steps[0].Body, "Go to the error rate.") {
		t.Errorf("body %q", steps[0].Body)
	}
}

// An HTML image shows its alt text, as a Markdown image does: a runbook's
// diagram is often the only place the topology is written down.
func TestHTMLImageAlt(t *testing.T) {
	src := "# R\n\n## Look\n\n<p align=\"center\"><img src=\"topo.png\" alt=\"Topology: primary &amp; two replicas\" width=\"400\"></p>\n\n" +
		"Inline <IMG SRC='x.png' ALT='the dashboard'> and <img src=\"y.png\"> here.\n\n![Markdown image](z.png)\n"
	rb, _ := Parse("img.md", []byte(src))
	got := Render(rb, 80).PlainText()
	for _, want := range []string{"Topology: primary & two replicas", "Inline the dashboard and", "Markdown image"} {
		if !strings.Contains(got, want) {
			t.Errorf("rendered text lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "<img") || strings.Contains(got, "topo.png") {
		t.Errorf("the tag shows:\n%s", got)
	}
}

// Callouts as GitHub, Obsidian, MkDocs, Docusaurus and Quarto write them
// read as a quote headed by their kind and title, not as "[!WARNING]", a
// code block or one run-on paragraph; what they hold keeps its meaning.
func TestCallouts(t *testing.T) {
	src := `# Fail over the database

> [!WARNING]
> Only when the primary is down.

> [!tip]- Shortcut
> Use the script.

!!! danger "Read this first"

    Flushing sends every request to origin.

    1. Purge by tag.
    - [ ] Never by hand.

!!! note
    Join #inc-db first.

Back outside.

!!! DO NOT RUN THIS IN PROD

???+ info "Folded"
    Open by default.

1. Find the tag.

    !!! tip
        The tag is in the Surrogate-Key header.

2. Purge it:

    ` + "```" + `
    fastly purge --key "$TAG"
    ` + "```" + `

    === "Staging"

        ` + "```" + `
        fastly purge --key "$TAG" --service staging
        ` + "```" + `

:::caution Origin load
Watch origin CPU.

3. Check the asset loads.
:::

:::tip[Bracketed]
Docusaurus 3.
:::

::: {.callout-important title="Quarto"}
From a Quarto book.
:::

::::note Outer
:::warning Inner
Nested.
:::
Still outer.
::::

> A plain quote stays a quote.

:::image type="content" source="media/x.png" alt-text="Diagram":::

::: zone pivot="linux"
Linux only.
::: zone-end
`
	rb, _ := Parse("failover.md", []byte(src))
	got := Render(rb, 60).PlainText()
	for _, want := range []string{
		"│ Warning\n│ Only when the primary is down.\n",
		"│ Tip: Shortcut\n│ Use the script.\n",
		"│ Danger: Read this first\n│ Flushing sends every request to origin.\n│ 1. Purge by tag.\n│ • [ ] Never by hand.\n",
		"│ Note\n│ Join #inc-db first.\n\nBack outside.\n",
		"!!! DO NOT RUN THIS IN PROD\n",
		"│ Info: Folded\n│ Open by default.\n",
		"│ Tip\n",
		"│ The tag is in the Surrogate-Key header.\n",
		"│ Caution: Origin load\n│ Watch origin CPU.\n",
		"│ Tip: Bracketed\n│ Docusaurus 3.\n",
		"│ Important: Quarto\n│ From a Quarto book.\n",
		"│ Note: Outer\n│ │ Warning: Inner\n│ │ Nested.\n\n│ Still outer.\n",
		"│ A plain quote stays a quote.\n",
		"│ Staging\n       │ ┃ fastly purge --key \"$TAG\" --service staging\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("rendered text lacks %q:\n%s", want, got)
		}
	}
	for _, gone := range []string{"[!", "!!! danger", "!!! note", ":::caution", ":::tip", "::::", "???"} {
		if strings.Contains(got, gone) {
			t.Errorf("rendered text still shows %q:\n%s", gone, got)
		}
	}
	// Other directives' colon fences are not callouts: shown as written,
	// and nothing after them is swallowed.
	for _, want := range []string{":::image type=\"content\" source=\"media/x.png\"\nalt-text=\"Diagram\":::\n", "::: zone pivot=\"linux\" Linux only. ::: zone-end\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("rendered text lacks %q:\n%s", want, got)
		}
	}
	// The steps are the numbered items in and out of callouts, but for a
	// MkDocs callout's: its indented text was a code block or a paragraph
	// before sitrep read callouts, and runbooks attached then must keep
	// their step numbers. The purge command is still the second step's.
	steps := rb.Steps()
	var titles []string
	for _, st := range steps {
		titles = append(titles, st.Title)
	}
	if fmt.Sprint(titles) != "[Find the tag. Purge it: Check the asset loads.]" {
		t.Fatalf("steps %q", titles)
	}
	// A content tab's code, a code block before tabs were read, is the
	// step's to copy too.
	if len(steps[1].Code) != 2 || steps[1].Code[0].Text != `fastly purge --key "$TAG"` || steps[1].Code[1].Text != `fastly purge --key "$TAG" --service staging` || len(steps[0].Code) != 0 {
		t.Errorf("step code: %+v / %+v", steps[0].Code, steps[1].Code)
	}
}

// Paragraphs that open with a bold step number ("**Step 1: Revoke
// access**", as the AWS playbooks write their containment actions) are a
// section's steps, each with the text and code up to the next. Only a
// runbook that has them is recorded under the rules that read them, and
// one attached under the rules before keeps its section as one step, so
// its ticks stay on the steps they were made on.
func TestBoldStepNumbers(t *testing.T) {
	src := []byte("# Rotate the TLS certificate\n\n## 1. Rotate\n\nDo this in a quiet hour.\n\n" +
		"**Step 1: Download the new certificate**\n\n```\nvault read -field=cert secret/tls/api > api.crt\n```\n\n" +
		"**Step 2:** Check its expiry date,\nthen tell the team.\n\n```\nopenssl x509 -in api.crt -noout -enddate\n```\n\n" +
		"**3.** Reload nginx.\n\n```\nsudo systemctl reload nginx\n```\n\n" +
		"Step 4: Check the site.\n\n" +
		"## After\n\n**Note:** bold, but not a step number.\n\nWatch the error rate.\n")
	rb, diags := Parse("tls.md", src)
	if HasErrors(diags) {
		t.Fatalf("diagnostics:\n%s", diagList(diags))
	}
	var got []string
	for _, st := range rb.Steps() {
		got = append(got, fmt.Sprintf("%d %s %d", st.Line, st.Title, len(st.Code)))
	}
	want := []string{"7 Download the new certificate 1", "13 Check its expiry date, 1", "20 Reload nginx. 1", "26 Check the site. 0", "28 After 0"}
	if fmt.Sprint(got) != fmt.Sprint(want) || rb.Rules != RulesPerSection2 {
		t.Fatalf("steps %q under %s, want %q under %s", got, rb.Rules, want, RulesPerSection2)
	}
	if st, _ := rb.Step(1); !strings.Contains(st.Body, "then tell the team.") || strings.Contains(rb.Steps()[0].Body, "quiet hour") {
		t.Errorf("bodies %q / %q", rb.Steps()[0].Body, st.Body)
	}
	// the renderer puts each step's mark on its paragraph
	d := Render(rb, 80)
	if text := d.PlainText(); !strings.Contains(text, "[ ] Step 1: Download the new certificate") || !strings.Contains(text, "[ ] 3. Reload nginx.") {
		t.Errorf("rendered:\n%s", text)
	}
	// The attachment records the rules, and reads back the same.
	at, err := rb.Attachment()
	if err != nil {
		t.Fatal(err)
	}
	if again := ParseAttached(model.Attachment{Name: at.Name, Title: at.Title, Text: at.Text, Rules: at.Rules}); again.StepCount() != 5 || again.Rules != RulesPerSection2 {
		t.Errorf("attached copy: %d steps under %s", again.StepCount(), again.Rules)
	}
	// Attached before: the section is one step.
	old, _ := ParseRules("tls.md", src, RulesPerSection)
	if old.StepCount() != 2 || old.Steps()[0].Title != "Rotate" || len(old.Steps()[0].Code) != 3 || old.Rules != RulesPerSection {
		// (a numbered heading: the section was one step, "Rotate")
		t.Errorf("under the rules before: %d steps, first %+v", old.StepCount(), old.Steps()[0])
	}
	// A runbook without bold step numbers is recorded as before, so a
	// sitrep from before reads it alike.
	if plain, _ := Parse("p.md", []byte("# P\n\n## Do\n\n1. One\n2. Two\n")); plain.Rules != RulesPerSection {
		t.Errorf("a runbook without bold steps is recorded under %s", plain.Rules)
	}
	// One bold number alone is emphasis, not a list of steps.
	if one, _ := Parse("o.md", []byte("# O\n\n## Do\n\n**Step 1:** the only one.\n\nText.\n")); one.StepCount() != 1 || one.Rules != RulesPerSection {
		t.Errorf("a single bold step number: %d steps under %s", one.StepCount(), one.Rules)
	}
}

// A table of steps, as wiki exports write a procedure, is read as its
// rows: each a step with its title from the action column, its commands
// from the command column to copy, and the other cells as its notes. A
// table without both columns stays a table.
func TestTableOfSteps(t *testing.T) {
	src := []byte("# Restart the payment workers\n\n## Restart\n\n" +
		"| Step | Action | Command | Expected |\n|---|---|---|---|\n" +
		"| 1 | Stop the consumers | `kubectl scale deploy/pay --replicas=0` | no pods |\n" +
		"| 2 | Drain the queue | ./drain.sh payments |  |\n" +
		"| 3 | **Start** them | `kubectl scale deploy/pay --replicas=6` then `kubectl get pods \\| grep pay` | 6 ready |\n\n" +
		"## Who\n\n| Role | Who |\n|---|---|\n| IC | Ana |\n| Scribe | Bo |\n")
	rb, diags := Parse("restart.md", src)
	if HasErrors(diags) {
		t.Fatalf("diagnostics:\n%s", diagList(diags))
	}
	var got []string
	for _, st := range rb.Steps() {
		var code []string
		for _, c := range st.Code {
			code = append(code, c.Text)
		}
		got = append(got, fmt.Sprintf("%d %s %q", st.Line, st.Title, code))
	}
	want := []string{
		`7 Stop the consumers ["kubectl scale deploy/pay --replicas=0"]`,
		`8 Drain the queue ["./drain.sh payments"]`,
		`9 Start them ["kubectl scale deploy/pay --replicas=6" "kubectl get pods | grep pay"]`,
		`11 Who []`,
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || rb.Rules != RulesPerSection2 {
		t.Fatalf("steps %q under %s, want %q", got, rb.Rules, want)
	}
	d := Render(rb, 80)
	text := d.PlainText()
	for _, w := range []string{"[ ] Stop the consumers\n    ┃ kubectl scale deploy/pay --replicas=0\n    Expected: no pods\n", "[ ] Drain the queue\n    ┃ ./drain.sh payments\n\n", "IC     │ Ana"} {
		if !strings.Contains(text, w) {
			t.Errorf("rendered text lacks %q:\n%s", w, text)
		}
	}
	// Each row's commands are its own to copy, one per press.
	owners := map[int]int{}
	for _, c := range d.Code {
		owners[c.Step]++
	}
	if owners[0] != 1 || owners[1] != 1 || owners[2] != 2 {
		t.Errorf("code blocks by step: %v", owners)
	}
	for i, a := range d.Steps {
		if a.Start < 0 || a.End < a.Start {
			t.Errorf("step %d anchored at %+v", i, a)
		}
	}
	// Rules a newer sitrep recorded are read as today's, not as prose.
	if newer, _ := ParseRules("restart.md", src, "per-section/9"); newer.StepCount() != rb.StepCount() {
		t.Errorf("under rules from a newer sitrep: %d steps, want today's %d", newer.StepCount(), rb.StepCount())
	}
	// Attached under the rules before, the section is one step, drawn as
	// the table it is.
	old, _ := ParseRules("restart.md", src, RulesPerSection)
	if old.StepCount() != 2 || old.Steps()[0].Title != "Restart" {
		t.Errorf("under the rules before: %d steps, first %q", old.StepCount(), old.Steps()[0].Title)
	}
	if text := Render(old, 100).PlainText(); !strings.Contains(text, "Step │ Action") {
		t.Errorf("under the rules before the table is not drawn as one:\n%s", text)
	}
}
