package runbooks

import (
	"regexp"
	"strings"
	"sync"
	"unicode"

	"github.com/yuin/goldmark/ast"

	"github.com/sitrep-dev/sitrep/model"
)

// Step rules: how a file's steps are found. Step events store a step's
// index, so the rules an incident's attachment was read with must be the
// rules it is read with again: RulesPerFile is kept for attachments made
// before per-section rules existed.
const (
	// RulesPerSection decides for each section on its own (the default).
	RulesPerSection = "per-section"
	// RulesPerFile is the rule before: any numbered or checklist item in
	// the file makes only list items steps, else each section is a step.
	RulesPerFile = "per-file"
	// RulesLists (front matter `steps: lists`): only numbered and
	// checklist items are steps, whatever the sections look like.
	RulesLists = "lists"
	// RulesSections (front matter `steps: sections`): each section with
	// text is one step, lists or not.
	RulesSections = "sections"
	// RulesPerSection2 is RulesPerSection that also reads a section's
	// paragraphs opening with a bold step number ("**Step 1:** Revoke
	// access", as the AWS playbooks write them), and the rows of its table
	// of steps ("| # | Action | Command |", as wiki exports have them), as
	// its steps. Before, such a section was one step; a runbook is
	// recorded under these rules only when it has such steps, so those
	// attached before keep theirs.
	RulesPerSection2 = "per-section/2"
)

var knownRules = map[string]bool{RulesPerSection: true, RulesPerFile: true, RulesLists: true, RulesSections: true, RulesPerSection2: true}

// sectionKind is what a section is read as under per-section rules.
type sectionKind int

const (
	secEmpty     sectionKind = iota // a heading with nothing under it
	secProse                        // text: one step when the file has no other steps
	secList                         // numbered or checklist items are steps
	secActions                      // an action heading over bullets: each bullet is a step
	secHeading                      // a numbered heading: the section is one step
	secParaSteps                    // step paragraphs ("**Step 1:** …"), or a table of steps' rows, are its steps
	secReference                    // references, see also, not-responsibilities: never steps
)

var (
	// numberedHeading: "1. Obtain", "2) Promote", "Step 2: Fail over".
	// A dotted "2.3 Severity" numbers a document's sections, not steps.
	numberedHeading = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)^(?:step\s*\d+\s*[.):\-–—]?|\d+[.):])\s+(\S.*)$`)
	})
	numberPrefix   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(?:[A-Za-z]\.|\d+(?:\.\d+)*[.):]?)\s+`) })
	referenceTitle = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)^(?:references?|citations?|sources|see also|related(?:\s+\w+)?|(?:useful |external |reference )?links|resources|additional (?:information|resources|reading|links)|further (?:reading|information)|more information|bibliography|footnotes|acknowledge?ments?|credits|changelog|revision history|(?:document|version|change) history|not (?:my |our |your |the )?responsibilit(?:y|ies)|non-?responsibilities|out of scope|what (?:this|it) is not|appendix|glossary|terminology|definitions)\b`)
	})
	// negativeIntro: the paragraph before a list says what is not done.
	negativeIntro = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)(?:\bnot responsib|\bdo not\b|\bdon'?t\b|\bnever\b|\bshould not\b|\bmust not\b|\bavoid\b|\bnot (?:our|my|your|the)\b)[^.]*:\s*$`)
	})
)

// imperatives are verbs a heading over a list of actions starts with.
var imperatives = map[string]bool{
	"check": true, "verify": true, "confirm": true, "restart": true, "stop": true, "start": true,
	"run": true, "restore": true, "rotate": true, "revoke": true, "isolate": true, "disable": true,
	"enable": true, "notify": true, "escalate": true, "declare": true, "page": true, "update": true,
	"create": true, "delete": true, "remove": true, "scale": true, "roll": true, "rollback": true,
	"drain": true, "promote": true, "deploy": true, "collect": true, "gather": true, "preserve": true,
	"identify": true, "investigate": true, "communicate": true, "ensure": true, "apply": true,
	"block": true, "reset": true, "back": true, "monitor": true, "validate": true, "assess": true,
	"determine": true, "inform": true, "contact": true, "engage": true, "reboot": true, "replace": true,
	"increase": true, "clean": true, "clear": true, "kill": true, "patch": true, "upgrade": true,
	"snapshot": true, "take": true, "capture": true, "quarantine": true, "terminate": true,
	"lock": true, "fail": true, "failover": true, "switch": true, "open": true, "close": true,
	"prepare": true, "review": true, "document": true, "record": true, "follow": true, "do": true,
}

// sectionTitle is a heading's text for matching: no number, no markup.
func sectionTitle(h string) string {
	t := strings.TrimSpace(plainInline(h))
	t = numberPrefix().ReplaceAllString(t, "")
	t = strings.TrimLeft(t, "-–—:.) ")
	return strings.TrimSpace(t)
}

// negativeIntroduces: a sentence ending in ":" that says what is not done.
// Only such a sentence can match, so the unanchored pattern is not tried
// on every paragraph before a list.
func negativeIntroduces(p string) bool {
	return strings.HasSuffix(strings.TrimSpace(p), ":") && negativeIntro().MatchString(p)
}

// isReferenceTitle: a heading over text to read, not to do. The words
// that may stand anywhere in it are looked up word by word rather than
// by an unanchored regexp, which tried every position of every heading
// (a 1 MB file of headings took over a second).
func isReferenceTitle(t string) bool {
	if t == "" {
		return false
	}
	st := sectionTitle(t)
	if referenceTitle().MatchString(st) {
		return true
	}
	words := titleWords(st)
	for i, w := range words {
		if w == "references" || w == "reference" && i+1 < len(words) && words[i+1] == "links" {
			return true
		}
	}
	return false
}

// actionWords name what to do wherever they stand in a heading
// (Containment, Mitigation steps, What to do).
var actionWords = map[string]bool{
	"contain": true, "containment": true, "eradicate": true, "eradication": true,
	"mitigate": true, "mitigation": true, "mitigations": true, "remediate": true, "remediation": true,
	"recover": true, "recovery": true, "respond": true, "resolution": true, "resolve": true,
	"action": true, "actions": true, "procedure": true, "steps": true, "checklist": true, "runbook": true,
}

// titleWords is a heading's words, lower-cased, split where a regexp's \b
// would split them.
func titleWords(t string) []string {
	return strings.FieldsFunc(strings.ToLower(t), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_')
	})
}

// isActionTitle: a heading that names what to do (Contain, Mitigation) or
// starts with an imperative (Restart the pods).
func isActionTitle(t string) bool {
	st := sectionTitle(t)
	words := titleWords(st)
	for i, w := range words {
		if actionWords[w] || w == "what" && i+2 < len(words) && words[i+1] == "to" && words[i+2] == "do" {
			return true
		}
	}
	first := strings.ToLower(strings.Trim(strings.SplitN(st, " ", 2)[0], ",:;.!"))
	return imperatives[first]
}

// headingStepTitle is a numbered heading's text without its number, and
// whether it is one.
func headingStepTitle(t string) (string, bool) {
	m := numberedHeading().FindStringSubmatch(strings.TrimSpace(t))
	if m == nil {
		return "", false
	}
	return strings.TrimSpace(m[1]), true
}

// citationList: a numbered list whose every item is a link or a URL (a
// reference list at the bottom of a page), or that follows a sentence
// saying what is not done.
func (s *source) citationList(l *ast.List) bool {
	if prev, ok := l.PreviousSibling().(*ast.Paragraph); ok && negativeIntroduces(s.inlineText(prev)) {
		return true
	}
	n := 0
	for c := l.FirstChild(); c != nil; c = c.NextSibling() {
		fc := c.FirstChild()
		if fc == nil || fc.Lines().Len() == 0 {
			return false
		}
		if !startsWithLink(s.inlineText(fc)) {
			return false
		}
		n++
	}
	return n > 0
}

// notSteps are the lists per-section rules never read as steps.
type notSteps map[*ast.List]bool

func (ns notSteps) rule() func(*ast.ListItem) bool {
	return func(li *ast.ListItem) bool {
		l, _ := li.Parent().(*ast.List)
		return isStep(li) && (ns == nil || !ns[l])
	}
}

// secOf is one section and what it is read as.
type secOf struct {
	section
	kind  sectionKind
	title string
}

// splitSections cuts the document at every heading.
func splitSections(doc ast.Node) []section {
	var secs []section
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok {
			secs = append(secs, section{heading: h})
			continue
		}
		if len(secs) == 0 {
			secs = append(secs, section{})
		}
		secs[len(secs)-1].blocks = append(secs[len(secs)-1].blocks, n)
	}
	return secs
}

// classify reads each section on its own, marking the lists in it that
// are citations or negative lists so no rule reads them as steps.
func (b *builder) classify(secs []section, paraSteps bool) ([]secOf, notSteps) {
	ns := notSteps{}
	out := make([]secOf, len(secs))
	for i, sec := range secs {
		title := ""
		if sec.heading != nil {
			title = b.s.inlineText(sec.heading)
		}
		out[i] = secOf{section: sec, title: title}
		ref := isReferenceTitle(title)
		for _, n := range sec.blocks {
			_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
				if l, ok := c.(*ast.List); ok && entering && l.IsOrdered() && (ref || b.s.citationList(l)) {
					ns[l] = true
				}
				return skipInlines(c), nil
			})
		}
		switch {
		case !sec.hasContent():
			out[i].kind = secEmpty
		case ref:
			out[i].kind = secReference
		case b.hasSteps(sec.blocks, ns):
			out[i].kind = secList
		case paraSteps && (b.stepParagraphs(sec.blocks) >= 2 || hasStepTable(b.s, sec.blocks)):
			// before a numbered heading's one step: "## 3. Contain" over
			// "**Step 1:** …" paragraphs is a phase of steps
			out[i].kind = secParaSteps
		case sec.heading != nil && isNumbered(title):
			out[i].kind = secHeading
		case sec.heading != nil && isActionTitle(title) && hasBullets(sec.blocks):
			out[i].kind = secActions
		default:
			out[i].kind = secProse
		}
		b.lintSection(out[i], ns)
	}
	return out, ns
}

// lintSection warns where the rules may have read a section the wrong
// way: a numbered list under a references heading that reads like steps,
// and steps that are mostly links.
func (b *builder) lintSection(sec secOf, ns notSteps) {
	for _, n := range sec.blocks {
		l, ok := n.(*ast.List)
		if !ok || !l.IsOrdered() {
			continue
		}
		items, links := 0, 0
		for c := l.FirstChild(); c != nil; c = c.NextSibling() {
			items++
			if fc := c.FirstChild(); fc != nil && fc.Lines().Len() > 0 && startsWithLink(b.s.inlineText(fc)) {
				links++
			}
		}
		line := b.s.bodyLine(max(start(l), 0))
		switch {
		case sec.kind == secReference && links < items:
			hl := b.s.bodyLine(max(start(sec.heading), 0))
			b.s.add(Warning, hl, 1, "section %q is read as references, so the %d numbered items at line %d are not steps; if they are steps, rename the heading or put `steps: lists` in the front matter", model.OneLine(plainInline(sec.title)), items, line)
		case sec.kind == secList && !ns[l] && items >= 2 && 2*links > items:
			b.s.add(Warning, line, 1, "numbered items that are mostly links are read as steps; if they are references, put them under a References heading")
		}
	}
}

func startsWithLink(t string) bool {
	t = strings.TrimSpace(t)
	return strings.HasPrefix(t, "[") && strings.Contains(t, "](") || strings.HasPrefix(t, "<http") || strings.HasPrefix(t, "http://") || strings.HasPrefix(t, "https://") || strings.HasPrefix(t, "!")
}

func isNumbered(title string) bool { _, ok := headingStepTitle(title); return ok }

func (b *builder) hasSteps(blocks []ast.Node, ns notSteps) bool {
	rule := ns.rule()
	for _, n := range blocks {
		if len(outerSteps(n, rule)) > 0 {
			return true
		}
	}
	return false
}

func hasBullets(blocks []ast.Node) bool {
	for _, n := range blocks {
		if l, ok := n.(*ast.List); ok && !l.IsOrdered() {
			return true
		}
	}
	return false
}

// buildPerSection finds steps section by section. A file in which no
// section has list, action or numbered-heading steps is walked as before
// (buildProse: sections nest as their headings do); otherwise each section
// is read on its own, a section of prose being one step. With paraSteps
// (RulesPerSection2), step paragraphs and tables of steps are steps too;
// it reports whether any were.
func (b *builder) buildPerSection(paraSteps bool) (usedParaSteps bool) {
	secs, ns := b.classify(splitSections(b.s.doc), paraSteps)
	procedural := false
	for _, sec := range secs {
		procedural = procedural || sec.kind == secList || sec.kind == secActions || sec.kind == secHeading || sec.kind == secParaSteps
		usedParaSteps = usedParaSteps || sec.kind == secParaSteps
	}
	if !procedural {
		b.rb.Prose = true
		b.buildProse(true)
		return
	}
	b.steps = make([]model.Step, 0, countSteps(b.s.doc))
	rule := ns.rule()
	for _, sec := range secs {
		if sec.heading != nil {
			b.openPhase(sec.heading)
		} else if len(sec.blocks) > 0 {
			b.phases = append(b.phases, draftPhase{phase: model.Phase{Line: b.s.bodyLine(max(start(sec.blocks[0]), 0))}, raci: b.raci})
		}
		switch {
		case sec.kind == secHeading:
			b.headingStep(sec, true)
		case sec.kind == secProse && sec.level() > 1:
			// the text under the document's title is its introduction,
			// not a step; any other section of prose is one
			b.headingStep(sec, false)
		case sec.kind == secActions:
			b.listBlocks(sec.blocks, rule, true)
		case sec.kind == secParaSteps:
			b.paraSteps(sec.blocks)
		case sec.kind == secList:
			b.listBlocks(sec.blocks, rule, false)
		default:
			b.listBlocks(sec.blocks, func(*ast.ListItem) bool { return false }, false)
		}
	}
	return usedParaSteps
}

// listBlocks makes steps of the items rule picks (and, with bullets, of
// every item of a top-level bullet list); text between them belongs to
// the step before.
func (b *builder) listBlocks(blocks []ast.Node, rule func(*ast.ListItem) bool, bullets bool) {
	for _, n := range blocks {
		sp := b.s.nodeSpan(n)
		code := b.fencedCode(n, rule)
		items := outerSteps(n, rule)
		if l, ok := n.(*ast.List); ok && bullets && !l.IsOrdered() {
			items = items[:0]
			for c := l.FirstChild(); c != nil; c = c.NextSibling() {
				items = append(items, c.(*ast.ListItem))
			}
		}
		cursor := sp.first
		for _, li := range items {
			lsp := b.s.nodeSpan(li)
			b.loose(span{cursor, lsp.first - 1}, code)
			b.step(li, 0, b.phases[len(b.phases)-1].raci, rule)
			cursor = lsp.last + 1
		}
		b.loose(span{cursor, sp.last}, code)
	}
}

// stepParagraph: "**Step 1:** Download…", "**2.** Reload…", "**Step 3 –
// Reload nginx**": a paragraph that opens with a bold step number.
// "Step 4: Reload" unbolded counts too: the word says it is a step (a bare
// "4." or "4)" would have been a list item).
var stepParagraph = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)^(?:(?:\*\*|__)(?:step\s*\d+|\d+[.):])|step\s*\d+\s*[:.)–—-]\s*\S)`)
})

// stepParagraphTitle is the step a paragraph opens with a step number names, and
// whether it is one.
func (s *source) stepParagraphTitle(n ast.Node) (string, bool) {
	p, ok := n.(*ast.Paragraph)
	if !ok || p.Lines().Len() == 0 {
		return "", false
	}
	seg := p.Lines().At(0)
	first := strings.TrimSpace(string(seg.Value(s.body)))
	if !stepParagraph().MatchString(first) {
		return "", false
	}
	plain := strings.TrimSpace(plainInline(dropBreak(first)))
	if t, ok := headingStepTitle(plain); ok {
		return t, true
	}
	return strings.TrimLeft(plain, "0123456789.):–—- "), true
}

func (b *builder) stepParagraphs(blocks []ast.Node) int {
	n := 0
	for _, c := range blocks {
		if _, ok := b.s.stepParagraphTitle(c); ok {
			n++
		}
	}
	return n
}

// paraSteps makes a step of each paragraph that opens with a bold step
// number, and of each row of a table of steps; what follows a paragraph,
// code included, up to the next is its body, and what comes before the
// first is the phase's introduction.
func (b *builder) paraSteps(blocks []ast.Node) {
	none := func(*ast.ListItem) bool { return false }
	for _, n := range blocks {
		sp := b.s.nodeSpan(n)
		if rows := b.s.stepRows(n); rows != nil {
			raci := b.phases[len(b.phases)-1].raci
			for _, row := range rows {
				st := model.Step{Title: row.title, Line: row.line, RACI: raci}
				for _, c := range row.code {
					st.Code = append(st.Code, model.CodeBlock{Text: c, Line: row.line})
				}
				m := stepMeta{phase: len(b.phases) - 1}
				if len(row.notes) > 0 {
					m.body = []string{strings.Join(row.notes, "\n")}
				}
				b.steps = append(b.steps, st)
				b.meta = append(b.meta, m)
			}
			continue
		}
		if title, ok := b.s.stepParagraphTitle(n); ok {
			b.steps = append(b.steps, model.Step{Title: title, Line: b.s.bodyLine(start(n)), RACI: b.phases[len(b.phases)-1].raci})
			b.meta = append(b.meta, stepMeta{phase: len(b.phases) - 1})
			if n.Lines().Len() > 1 {
				b.loose(sp, nil)
			}
			continue
		}
		b.loose(sp, b.fencedCode(n, none))
	}
}

// headingStep makes a section one step: its title the heading (without
// its number when numbered), its body everything under it.
func (b *builder) headingStep(sec secOf, numbered bool) {
	ph := &b.phases[len(b.phases)-1]
	title := ph.phase.Title
	if numbered {
		title, _ = headingStepTitle(title)
	}
	st := model.Step{Title: title, Line: ph.phase.Line, RACI: ph.raci}
	sp := span{b.s.nodeSpan(sec.blocks[0]).first, b.s.nodeSpan(sec.blocks[len(sec.blocks)-1]).last}
	none := func(*ast.ListItem) bool { return false }
	for _, n := range sec.blocks {
		for _, c := range b.fencedCode(n, none) {
			st.Code = append(st.Code, model.CodeBlock{Lang: c.lang, Text: c.text, Line: c.line})
		}
	}
	m := stepMeta{phase: len(b.phases) - 1}
	if body := b.s.text([]span{sp}, false); body != "" {
		m.body = []string{body}
	}
	b.steps = append(b.steps, st)
	b.meta = append(b.meta, m)
}
