// Package runbooks reads runbooks and drill scenarios written as plain
// GitHub-flavoured Markdown, checks them, and holds the library sitrep
// offers: the bundled runbooks plus every team folder given to it.
//
// Teams already keep runbooks in git as Markdown, so the format asks nothing
// of them: checklist and numbered items are steps, headings are phases, a
// code block under a step is that step's command to copy. Front matter and
// a trailing `{R: …, A: …}` on a step line add what Markdown cannot say.
// Parsing never fails on content: whatever a file holds becomes some
// runbook, and what looks wrong becomes a diagnostic with its line.
package runbooks

import (
	"strings"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"gopkg.in/yaml.v3"

	"github.com/sitrep-dev/sitrep/model"
)

var runbookKeys = []string{"title", "kind", "kinds", "severity", "severities", "roles", "raci", "escalation", "type", "steps"}

// Parse reads a runbook from a file's exact bytes with today's step rules.
// filePath names the file in diagnostics and gives the runbook its name.
func Parse(filePath string, src []byte) (*model.Runbook, []Diagnostic) {
	return ParseRules(filePath, src, "")
}

// ParseRules reads a runbook with the step rules given (RulesPerFile for
// an attachment made before per-section rules; "" for today's). A
// `steps:` key in the file's front matter decides over today's rules, as
// it did when such a file was attached.
func ParseRules(filePath string, src []byte, rules string) (*model.Runbook, []Diagnostic) {
	s := newSource(filePath, src)
	rb := parseRunbook(s, readFrontMatter(s), rules)
	return rb, s.done()
}

// parseRunbook builds a runbook from a file already split and its front
// matter decoded, adding what it finds to s's diagnostics.
func parseRunbook(s *source, f *frontMatter, rules string) *model.Runbook {
	f.checkKeys(runbookKeys)
	rb := &model.Runbook{Name: NameFor(s.path), Path: s.path, Text: s.str, Hash: hashOf(s.src)}
	b := &builder{s: s, rb: rb}
	b.frontMatter(f)
	if forced := b.forcedRules(f); forced != "" && rules != RulesPerFile {
		rules = forced
	}
	// Rules this sitrep does not know were recorded by a newer one: read
	// as today's, its closest, rather than as prose, which would put
	// every tick on another step.
	today := rules == "" || !knownRules[rules]
	if today {
		rules = RulesPerSection
	}
	switch n := countSteps(s.doc); {
	case rules == RulesPerSection || rules == RulesPerSection2:
		// Recorded only where the second edition's steps were found, so a
		// runbook without them reads the same in a sitrep from before.
		if b.buildPerSection(today || rules == RulesPerSection2) {
			rules = RulesPerSection2
		} else {
			rules = RulesPerSection
		}
	case rules == RulesLists || rules == RulesPerFile && n > 0:
		b.buildLists(n)
	default:
		rb.Prose = true
		b.buildProse(false)
	}
	rb.Rules = rules
	b.finish()
	lintRunbook(s, rb)
	return rb
}

// forcedRules reads `steps: lists | sections` from the front matter.
func (b *builder) forcedRules(f *frontMatter) string {
	fl := f.get("steps")
	if fl == nil {
		return ""
	}
	v, _ := f.scalar(fl.value, "steps")
	switch strings.ToLower(v) {
	case "lists", "list":
		return RulesLists
	case "sections", "section", "prose":
		return RulesSections
	case "auto", "":
		return ""
	}
	f.warnf(fl.value, "steps: %q is neither lists nor sections; finding steps section by section", v)
	return ""
}

type builder struct {
	s      *source
	rb     *model.Runbook
	roles  *roles
	raci   model.RACI // the front matter's default
	phases []draftPhase
	steps  []model.Step   // in reading order, so each phase's steps are a run of them
	meta   []stepMeta     // beside steps, what finish needs to complete them
	titles []headingTitle // every top-level heading, for the runbook's title
}

type headingTitle struct {
	level int
	text  string
}

type draftPhase struct {
	phase model.Phase
	intro []string
	raci  model.RACI // steps' default in this phase: heading annotation over front matter
}

type stepMeta struct {
	phase int
	body  []string
}

func (b *builder) frontMatter(f *frontMatter) {
	rb := b.rb
	if fl := f.get("title"); fl != nil {
		rb.Title, _ = f.scalar(fl.value, "title")
	}
	if fl := f.get("kind", "kinds"); fl != nil {
		for _, it := range f.list(fl.value, "kind") {
			kind := strings.ToLower(it.text)
			if err := model.ValidSlug("kind", kind); err != nil {
				f.errorf(it.node, "%v", err)
				continue
			}
			rb.Kinds = append(rb.Kinds, kind)
		}
	}
	if fl := f.get("severities", "severity"); fl != nil {
		for _, it := range f.list(fl.value, "severities") {
			sev, err := model.ParseSeverity(it.text)
			if err != nil {
				f.errorf(it.node, "%v", err)
				continue
			}
			rb.Severities = append(rb.Severities, sev)
		}
	}
	if fl := f.get("roles"); fl != nil {
		b.declareRoles(f, fl.value)
	}
	b.roles = newRoles(b.s, rb)
	if fl := f.get("raci"); fl != nil {
		b.raci = b.roles.yamlRACI(f, fl.value)
		if !b.raci.IsZero() && len(b.raci.Accountable) == 0 {
			f.warnf(fl.key, "default RACI names no Accountable: every step needs exactly one (add A: <role>)")
		}
		rb.DefaultRACI = b.raci
	}
	if fl := f.get("escalation"); fl != nil {
		rb.Escalation = readEscalation(f, fl.value)
	}
	if fl := f.get("type"); fl != nil {
		if t := f.fileType(); t != "" && t != "runbook" && t != "scenario" {
			f.warnf(fl.value, "type %q is not runbook or scenario; read as a runbook", t)
		}
	}
}

// declareRoles reads `roles:` as a list of names or a mapping of name to
// display title.
func (b *builder) declareRoles(f *frontMatter, n *yaml.Node) {
	add := func(name string, at *yaml.Node, title string) {
		role, err := model.ParseRole(name)
		if err != nil {
			f.errorf(at, "%v", err)
			return
		}
		for _, have := range b.rb.Roles {
			if have == role {
				return
			}
		}
		b.rb.Roles = append(b.rb.Roles, role)
		if title != "" {
			if b.rb.RoleTitles == nil {
				b.rb.RoleTitles = map[model.Role]string{}
			}
			b.rb.RoleTitles[role] = title
		}
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
			title := ""
			if v.Kind == yaml.ScalarNode {
				title = strings.TrimSpace(v.Value)
			}
			add(k.Value, k, title)
		}
		return
	}
	for _, it := range f.list(n, "roles") {
		add(it.text, it.node, "")
	}
}

func readEscalation(f *frontMatter, n *yaml.Node) []model.Escalation {
	var entries []*yaml.Node
	switch n.Kind {
	case yaml.SequenceNode:
		for _, c := range n.Content {
			entries = append(entries, resolve(c))
		}
	case yaml.MappingNode:
		entries = []*yaml.Node{n}
	default:
		f.errorf(n, "escalation must be a list of `after:` and `who:` entries")
		return nil
	}
	var out []model.Escalation
	for _, e := range entries {
		if e.Kind != yaml.MappingNode {
			f.errorf(e, "each escalation needs `who:` and `after:` keys")
			continue
		}
		esc := model.Escalation{Line: f.line(e)}
		var afterNode *yaml.Node
		for i := 0; i+1 < len(e.Content); i += 2 {
			k, v := resolve(e.Content[i]), resolve(e.Content[i+1])
			val, ok := f.scalar(v, "escalation "+k.Value)
			if !ok {
				continue
			}
			switch strings.ToLower(k.Value) {
			case "who", "to", "contact":
				esc.Who = val
			case "after", "within":
				afterNode = v
				d, err := model.ParseOffset(val)
				if err != nil {
					f.errorf(v, "escalation after: %v", err)
					continue
				}
				esc.After = d
			case "via", "how", "channel", "page":
				esc.Via = val
			default:
				f.warnf(k, "unknown escalation key %q: use who, after and via", k.Value)
			}
		}
		if esc.Who == "" {
			f.errorf(e, "escalation entry names nobody: add `who:`")
			continue
		}
		if afterNode == nil {
			f.errorf(e, "escalation to %s does not say when: add `after:` (like 30m)", esc.Who)
			continue
		}
		out = append(out, esc)
	}
	return out
}

// checkbox is a list item's task-list box, if it has one.
func checkbox(li *ast.ListItem) *extast.TaskCheckBox {
	fc := li.FirstChild()
	if fc == nil || (fc.Kind() != ast.KindTextBlock && fc.Kind() != ast.KindParagraph) {
		return nil
	}
	cb, _ := fc.FirstChild().(*extast.TaskCheckBox)
	return cb
}

// isStep: checklist items and numbered items are steps; plain bullets are
// notes inside whatever step or phase they sit in. A MkDocs callout's
// items are its note's, never steps: its indented text read as a code
// block or a paragraph before sitrep knew callouts, and step events store
// a step's index, so runbooks attached then must keep their steps.
func isStep(li *ast.ListItem) bool {
	l, ok := li.Parent().(*ast.List)
	if !ok || !l.IsOrdered() && checkbox(li) == nil {
		return false
	}
	for p := l.Parent(); p != nil; p = p.Parent() {
		if c, ok := p.(*Callout); ok && c.fence == 0 {
			return false
		}
	}
	return true
}

// countSteps is how many step items doc holds: none makes it a prose
// runbook, and a list runbook sizes its step list by it.
func countSteps(doc ast.Node) int {
	n := 0
	_ = ast.Walk(doc, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if li, ok := c.(*ast.ListItem); ok && entering && isStep(li) {
			n++
		}
		return skipInlines(c), nil
	})
	return n
}

// skipInlines tells a walk over blocks not to descend into a paragraph's
// or heading's inline nodes: no step, list or code block is ever inside
// them, and they are most of a tree's nodes.
func skipInlines(n ast.Node) ast.WalkStatus {
	if fc := n.FirstChild(); fc != nil && fc.Type() == ast.TypeInline {
		return ast.WalkSkipChildren
	}
	return ast.WalkContinue
}

// outerSteps are the step items under n (n itself excluded) that are not
// inside another step item: the children n will hand down.
func outerSteps(n ast.Node, isStep func(*ast.ListItem) bool) []*ast.ListItem {
	var out []*ast.ListItem
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || c == n {
			return ast.WalkContinue, nil
		}
		if li, ok := c.(*ast.ListItem); ok && isStep(li) {
			out = append(out, li)
			return ast.WalkSkipChildren, nil
		}
		return skipInlines(c), nil
	})
	return out
}

// fencedCode lists the fenced code blocks under n, leaving out those inside
// step items below n, which belong to those steps.
func (b *builder) fencedCode(n ast.Node, isStep func(*ast.ListItem) bool) []codeRef {
	var out []codeRef
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if li, ok := c.(*ast.ListItem); ok && c != n && isStep(li) {
			return ast.WalkSkipChildren, nil
		}
		if fc, ok := c.(*ast.FencedCodeBlock); ok {
			out = append(out, b.s.codeBlock(fc))
		}
		return skipInlines(c), nil
	})
	return out
}

// buildLists makes a phase of every heading and a step of every checklist or
// numbered item. Text and code between a step and the next step or heading
// belong to that step, which is how runbooks put "run this:" and its
// command right under the item. steps is how many step items there are.
func (b *builder) buildLists(steps int) {
	// size the step list once: a 70 KB checklist has hundreds of steps,
	// and growing a slice of large structs by doubling is most of the
	// garbage a parse makes
	b.steps = make([]model.Step, 0, steps)
	b.meta = make([]stepMeta, 0, steps)
	for n := b.s.doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok {
			b.openPhase(h)
			continue
		}
		if len(b.phases) == 0 {
			b.phases = append(b.phases, draftPhase{phase: model.Phase{Line: b.s.bodyLine(max(start(n), 0))}, raci: b.raci})
		}
		sp := b.s.nodeSpan(n)
		code := b.fencedCode(n, isStep)
		cursor := sp.first
		for _, li := range outerSteps(n, isStep) {
			lsp := b.s.nodeSpan(li)
			b.loose(span{cursor, lsp.first - 1}, code)
			b.step(li, 0, b.phases[len(b.phases)-1].raci, isStep)
			cursor = lsp.last + 1
		}
		b.loose(span{cursor, sp.last}, code)
	}
}

func (b *builder) openPhase(h *ast.Heading) {
	title, own, found := b.headingText(h)
	raci := b.over(own, found, b.raci, b.s.bodyLine(start(h)))
	b.phases = append(b.phases, draftPhase{phase: model.Phase{Title: title, Level: h.Level, Line: b.s.bodyLine(start(h))}, raci: raci})
}

// headingText is a heading's text as written, with any RACI annotation
// taken off and returned.
func (b *builder) headingText(h *ast.Heading) (string, model.RACI, bool) {
	text := b.s.inlineText(h)
	line, col := b.s.headingPos(h)
	rest, raci, found := b.roles.splitAnnotation(text, line, col)
	rest = plainInline(strings.TrimSpace(rest))
	b.titles = append(b.titles, headingTitle{h.Level, rest})
	return rest, raci, found
}

// intro adds a section that is no step to the introduction of the phase
// it is read in.
func (b *builder) intro(sec section) {
	if len(sec.blocks) == 0 || len(b.phases) == 0 {
		return
	}
	sp := span{b.s.nodeSpan(sec.blocks[0]).first, b.s.nodeSpan(sec.blocks[len(sec.blocks)-1]).last}
	if text := b.s.text([]span{sp}, false); text != "" {
		cur := len(b.phases) - 1
		b.phases[cur].intro = append(b.phases[cur].intro, text)
	}
}

// loose attaches text that is not a step to the step before it, or to the
// phase's introduction when no step came yet.
func (b *builder) loose(sp span, code []codeRef) {
	if sp.empty() {
		return
	}
	text := b.s.text([]span{sp}, false)
	if text == "" {
		return
	}
	cur := len(b.phases) - 1
	last := len(b.steps) - 1
	if last < 0 || b.meta[last].phase != cur {
		b.phases[cur].intro = append(b.phases[cur].intro, text)
		return
	}
	b.meta[last].body = append(b.meta[last].body, text)
	st := &b.steps[last]
	for _, c := range code {
		if c.line >= sp.first && c.line <= sp.last {
			st.Code = append(st.Code, model.CodeBlock{Lang: c.lang, Text: c.text, Line: c.line})
		}
	}
}

// checkboxLen is the length of the "[ ] " a checklist line starts with (0
// if none): `^\[[\sxX]\]\s*` without a regexp, since it runs on every step.
func checkboxLen(line string) int {
	if len(line) < 3 || line[0] != '[' || line[2] != ']' || !strings.ContainsRune(" \t\n\f\rxX", rune(line[1])) {
		return 0
	}
	i := 3
	for i < len(line) && strings.IndexByte(" \t\n\f\r", line[i]) >= 0 {
		i++
	}
	return i
}

// step adds li and, after it, the steps nested in it.
func (b *builder) step(li *ast.ListItem, depth int, inherited model.RACI, isStep func(*ast.ListItem) bool) {
	sp := b.s.nodeSpan(li)
	st := model.Step{Line: sp.first, Depth: depth, RACI: inherited}
	bodyFrom := sp.first
	if fc := li.FirstChild(); fc != nil && (fc.Kind() == ast.KindTextBlock || fc.Kind() == ast.KindParagraph) && fc.Lines().Len() > 0 {
		seg := fc.Lines().At(0)
		raw := strings.TrimRight(b.s.str[b.s.bodyAt+seg.Start:b.s.bodyAt+seg.Stop], "\r\n")
		skip := 0
		if checkbox(li) != nil {
			skip = checkboxLen(raw)
		}
		line, col := b.s.bodyPos(seg.Start + skip)
		title, own, found := b.roles.splitAnnotation(raw[skip:], line, col)
		st.Title = plainInline(dropBreak(strings.TrimSpace(title)))
		st.Line = line
		st.OwnRACI = found
		st.RACI = b.over(own, found, inherited, line)
		bodyFrom = line + 1
	}
	nested := outerSteps(li, isStep)
	holes := make([]span, len(nested))
	for i, c := range nested {
		holes[i] = b.s.nodeSpan(c)
	}
	body := b.s.text(subtract(span{bodyFrom, sp.last}, holes), true)
	for _, c := range b.fencedCode(li, isStep) {
		st.Code = append(st.Code, model.CodeBlock{Lang: c.lang, Text: c.text, Line: c.line})
	}
	m := stepMeta{phase: len(b.phases) - 1}
	if body != "" {
		m.body = append(m.body, body)
	}
	b.steps = append(b.steps, st)
	b.meta = append(b.meta, m)
	for _, c := range nested {
		b.step(c, depth+1, st.RACI, isStep)
	}
}

// over is the RACI under an annotation found on line: own laid over
// parent, or parent when there is no annotation. It warns where an
// annotation leaves nobody accountable; two or more are already an error
// where they were written.
func (b *builder) over(own model.RACI, found bool, parent model.RACI, line int) model.RACI {
	if !found {
		return parent
	}
	raci := own.Over(parent)
	if !raci.IsZero() && len(raci.Accountable) == 0 {
		b.s.add(Warning, line, 1, "no Accountable role: a step needs exactly one (add A: <role> here or a default raci in the front matter)")
	}
	return raci
}

// section is a heading and the top-level blocks up to the next heading.
type section struct {
	heading *ast.Heading // nil for text before the first heading
	blocks  []ast.Node
}

func (sec section) level() int {
	if sec.heading == nil {
		return 0
	}
	return sec.heading.Level
}

// hasContent ignores what a reader would not see as text: HTML comments
// (markdownlint pragmas, generator markers) and rules.
func (sec section) hasContent() bool {
	for _, n := range sec.blocks {
		switch n := n.(type) {
		case *ast.ThematicBreak:
			continue
		case *ast.HTMLBlock:
			if n.HTMLBlockType == ast.HTMLBlockType2 {
				continue
			}
		}
		return true
	}
	return false
}

// buildProse walks a file with no list steps ("Meaning / Impact /
// Diagnosis / Mitigation" alert runbooks): the shallowest headings are the
// phases, and every section with text is one step, nested as its headings
// are, so the file can still be worked through and ticked off.
//
// With noRefs (per-section rules), reference sections are no steps: their
// text is the phase's introduction.
func (b *builder) buildProse(noRefs bool) {
	secs := splitSections(b.s.doc)
	ref := make([]bool, len(secs))
	for i, sec := range secs {
		ref[i] = noRefs && sec.heading != nil && isReferenceTitle(b.s.inlineText(sec.heading))
	}
	phaseLevel := 7
	for _, sec := range secs {
		if l := sec.level(); l > 0 && l < phaseLevel {
			phaseLevel = l
		}
	}
	// emit[i]: section i or one of its subsections has text, so it is a
	// step (an empty "Mitigation" over "Scale up" and "Roll back" groups them).
	emit := make([]bool, len(secs))
	var below [7]bool
	for i := len(secs) - 1; i >= 0; i-- {
		l := secs[i].level()
		if l == 0 {
			continue
		}
		emit[i] = !ref[i] && (secs[i].hasContent() || below[l])
		for k := 1; k <= 6; k++ {
			if k >= l {
				below[k] = false
			} else if emit[i] {
				below[k] = true
			}
		}
	}
	type open struct {
		level int
		raci  model.RACI
	}
	var stack []open
	for i, sec := range secs {
		if sec.heading == nil {
			if sec.hasContent() {
				b.phases = append(b.phases, draftPhase{phase: model.Phase{Line: b.s.nodeSpan(sec.blocks[0]).first}, raci: b.raci})
				b.proseStep(sec, "", 0, 0, b.raci)
			}
			continue
		}
		title, own, found := b.headingText(sec.heading)
		line := b.s.bodyLine(start(sec.heading))
		l := sec.heading.Level
		if l <= phaseLevel {
			raci := b.over(own, found, b.raci, line)
			b.phases = append(b.phases, draftPhase{phase: model.Phase{Title: title, Level: l, Line: line}, raci: raci})
			stack = append(stack[:0], open{l, raci})
			if emit[i] && sec.hasContent() {
				b.proseStep(sec, title, line, 0, raci)
			} else {
				b.intro(sec)
			}
			continue
		}
		if len(b.phases) == 0 {
			// a subheading before the file's first phase-level heading
			// ("### Note" above "# Title"): an untitled opening phase
			// holds it, as text before any heading is held.
			b.phases = append(b.phases, draftPhase{phase: model.Phase{Line: line}, raci: b.raci})
		}
		for len(stack) > 1 && stack[len(stack)-1].level >= l {
			stack = stack[:len(stack)-1]
		}
		parent := b.raci
		if len(stack) > 0 {
			parent = stack[len(stack)-1].raci
		}
		raci := b.over(own, found, parent, line)
		depth := max(len(stack)-1, 0)
		stack = append(stack, open{l, raci})
		if emit[i] {
			b.proseStep(sec, title, line, depth, raci)
		} else {
			b.intro(sec)
		}
	}
}

// proseStep makes one step of a section. Text before the first heading has
// no heading to name it, so its first line does.
func (b *builder) proseStep(sec section, title string, line, depth int, raci model.RACI) {
	st := model.Step{Title: title, Line: line, Depth: depth, RACI: raci}
	var body string
	if len(sec.blocks) > 0 {
		sp := span{b.s.nodeSpan(sec.blocks[0]).first, b.s.nodeSpan(sec.blocks[len(sec.blocks)-1]).last}
		if sec.heading == nil {
			st.Line, st.Title = b.firstLine(sec.blocks)
			sp.first = st.Line + 1
		}
		body = b.s.text([]span{sp}, false)
		for _, n := range sec.blocks {
			for _, c := range b.fencedCode(n, func(*ast.ListItem) bool { return false }) {
				st.Code = append(st.Code, model.CodeBlock{Lang: c.lang, Text: c.text, Line: c.line})
			}
		}
	}
	m := stepMeta{phase: len(b.phases) - 1}
	if body != "" {
		m.body = []string{body}
	}
	b.steps = append(b.steps, st)
	b.meta = append(b.meta, m)
}

// firstLine is the first line of text among blocks, without list or quote
// markers, and the line it is on.
func (b *builder) firstLine(blocks []ast.Node) (int, string) {
	for _, n := range blocks {
		var leaf ast.Node
		_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
			if entering && c.Type() == ast.TypeBlock && c.Lines().Len() > 0 {
				leaf = c
				return ast.WalkStop, nil
			}
			return ast.WalkContinue, nil
		})
		if leaf == nil {
			continue
		}
		seg := leaf.Lines().At(0)
		text := dropBreak(strings.TrimSpace(string(b.s.body[seg.Start:seg.Stop])))
		if text != "" {
			return b.s.bodyLine(seg.Start), text
		}
	}
	return b.s.nodeSpan(blocks[0]).first, ""
}

// finish numbers the steps, gathers them under their phases, names the
// runbook, and drops phases that hold nothing at all (a title heading
// directly followed by a subheading).
func (b *builder) finish() {
	rb := b.rb
	if rb.Title == "" {
		rb.Title = b.defaultTitle()
	}
	// Steps are made in reading order and phases only ever open, so each
	// phase's steps are one run of b.steps: the phases share its array.
	perPhase := make([][]model.Step, len(b.phases))
	from := 0
	for i := range b.steps {
		b.steps[i].Index = i
		b.steps[i].Body = strings.Join(b.meta[i].body, "\n\n")
		if i+1 == len(b.steps) || b.meta[i+1].phase != b.meta[i].phase {
			p := b.meta[i].phase
			perPhase[p] = b.steps[from : i+1 : i+1]
			from = i + 1
		}
	}
	for i, dp := range b.phases {
		p := dp.phase
		p.Intro = strings.Join(dp.intro, "\n\n")
		p.Steps = perPhase[i]
		if len(p.Steps) == 0 && p.Intro == "" {
			continue
		}
		rb.Phases = append(rb.Phases, p)
	}
}

// defaultTitle is the first level-1 heading, else the file's name in
// words: a page that opens with "## Overview" is not called "Overview".
func (b *builder) defaultTitle() string {
	for _, h := range b.titles {
		if h.level == 1 && h.text != "" {
			return h.text
		}
	}
	return TitleFor(b.s.path)
}
