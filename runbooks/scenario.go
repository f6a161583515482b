package runbooks

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/yuin/goldmark/ast"
	"gopkg.in/yaml.v3"

	"github.com/sitrep-dev/sitrep/model"
)

var scenarioKeys = []string{"title", "kind", "severity", "duration", "runbooks", "objectives", "cadence", "type"}

// unitWords are a time unit written out ("minutes", "hrs"), as headings,
// objectives and briefs write them; unitLetter makes one an offset's unit.
const unitWords = `minutes?|mins?|hours?|hrs?`

func unitLetter(word string) string { return strings.ToLower(word[:1]) }

var (
	// offsetHeading: "+5m Title", "T+1h30m: Title", "+10m — Title", and
	// the run-sheet's "T+15 Title" and "T+1:30 Title".
	offsetHeading = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^([Tt]?\+(?:\d+:\d\d|[^\s:|,–—]*))[\s:|,–—-]*(.*)$`)
	})
	// unitWord is a unit written out after a bare offset: "+5 minutes".
	unitWord = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)^(` + unitWords + `)\b[\s:|,–—-]*(.*)$`)
	})
	bareNumber = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[Tt]?\+\d+$`) })
	// clockHeading: "10:40 - Disable AZ A", the run-sheet style of game days
	// planned against the wall clock.
	clockHeading = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(\d{1,2}):(\d{2})(?:\s|$|[:|,–—-])[\s:|,–—-]*(.*)$`)
	})
	// moduleHeading: "Module 1: Initial detection", "Inject 2 – Ransom
	// note", the numbered parts a tabletop exercise (CISA's packages and
	// most templates after them) is written in, with no times: the
	// facilitator moves on when the discussion is done.
	moduleHeading = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)^(?:module|inject|scenario update|situation update|phase|part|stage|scene|session)\s+(?:\d{1,2}|[ivx]{1,5}|one|two|three|four|five|six|seven|eight|nine|ten)\b`)
	})
	// durationLabel: "**Exercise duration:** 2 hours" in a tabletop's brief.
	durationLabel = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?im)^\W*(?:exercise\s+|total\s+)?(?:duration|length|time\s*box|timebox)\W*\s*(\d+(?:\.\d+)?)\s*(` + unitWords + `|h|m)\b`)
	})
	// withinSuffix: "Customers informed within 30m" as a one-line objective.
	withinSuffix = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)^(.*?)\s+within\s+(\S+)\s*$`) })
	// withinWords: "Service restored within 45 minutes", as prose has it.
	withinWords = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)^(.*?)\s+within\s+(\d+)\s*(` + unitWords + `|days?)\.?\s*$`)
	})
)

// ParseScenario reads a drill scenario from a file's exact bytes. Injects
// are the headings that start with their offset (`### +5m Title`), or every
// heading under an "Injects" heading; their checklist items, or a list after
// an "Expected" line, are the actions the facilitator looks for.
func ParseScenario(filePath string, src []byte) (*model.Scenario, []Diagnostic) {
	if IsSheet(filePath) {
		sc, diags, ok := parseSheet(filePath, src)
		if !ok {
			sc = &model.Scenario{Name: NameFor(filePath), Path: filePath, Title: TitleFor(filePath)}
		}
		return sc, diags
	}
	s := newSource(filePath, src)
	sc := parseScenario(s, readFrontMatter(s))
	return sc, s.done()
}

// parseScenario is parseRunbook for scenarios.
func parseScenario(s *source, f *frontMatter) *model.Scenario {
	f.checkKeys(scenarioKeys)
	sc := &model.Scenario{Name: NameFor(s.path), Path: s.path, Text: s.str, Hash: hashOf(s.src)}
	sb := &scenarioBuilder{s: s, sc: sc}
	sb.frontMatter(f)
	sb.body()
	sb.lint()
	return sc
}

type scenarioBuilder struct {
	s  *source
	sc *model.Scenario
}

func (b *scenarioBuilder) frontMatter(f *frontMatter) {
	sc := b.sc
	if fl := f.get("title"); fl != nil {
		sc.Title, _ = f.scalar(fl.value, "title")
	}
	if fl := f.get("kind"); fl != nil {
		if v, ok := f.scalar(fl.value, "kind"); ok {
			kind := strings.ToLower(v)
			if err := model.ValidSlug("kind", kind); err != nil {
				f.errorf(fl.value, "%v", err)
			} else {
				sc.Kind = kind
			}
		}
	}
	if fl := f.get("severity"); fl != nil {
		if v, ok := f.scalar(fl.value, "severity"); ok {
			sev, err := model.ParseSeverity(v)
			if err != nil {
				f.errorf(fl.value, "%v", err)
			}
			sc.Severity = sev
		}
	}
	if fl := f.get("duration"); fl != nil {
		if v, ok := f.scalar(fl.value, "duration"); ok {
			d, err := model.ParseOffset(v)
			if err != nil {
				f.errorf(fl.value, "duration: %v", err)
			}
			sc.Duration = d
		}
	}
	if fl := f.get("runbooks"); fl != nil {
		for _, it := range f.list(fl.value, "runbooks") {
			sc.Runbooks = append(sc.Runbooks, NameFor(it.text))
		}
	}
	if fl := f.get("objectives"); fl != nil {
		b.objectives(f, fl.value)
	}
	if fl := f.get("cadence"); fl != nil {
		sc.Cadence = readCadence(f, fl.value)
	}
	if fl := f.get("type"); fl != nil {
		if t := f.fileType(); t != "" && t != "scenario" {
			f.warnf(fl.value, "type %q in a scenario file: read as a scenario", t)
		}
	}
}

// objectives reads a list whose entries are either one line ("Customers
// informed within 30m") or a mapping with one of rto, rpo, milestone or
// runbook, and optional within, title and id.
func (b *scenarioBuilder) objectives(f *frontMatter, n *yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		f.errorf(n, "objectives must be a list, like `- rto: 1h` or `- Customers informed within 30m`")
		return
	}
	for _, e := range n.Content {
		e = resolve(e)
		o, given, ok := b.objective(f, e)
		if ok && !b.addObjective(o, given) {
			f.errorf(e, "objective id %q is used twice: give one of them another `id:`", o.ID)
		}
	}
}

// addObjective adds o, numbering its id when another has it already ("two
// titles that start alike"); an id the file gave twice is refused (false).
func (b *scenarioBuilder) addObjective(o model.Objective, given bool) bool {
	taken := func(id string) bool {
		for _, have := range b.sc.Objectives {
			if have.ID == id {
				return true
			}
		}
		return false
	}
	if taken(o.ID) {
		if given {
			return false
		}
		base := o.ID
		for i := 2; taken(o.ID); i++ {
			o.ID = fmt.Sprintf("%s-%d", base, i)
		}
	}
	b.sc.Objectives = append(b.sc.Objectives, o)
	return true
}

// lineObjective is an objective written as one line of text: "Customers
// informed within 30m" is met when a note tagged with it comes within 30
// minutes.
func lineObjective(text string) model.Objective {
	o := model.Objective{Kind: model.ObjectiveMilestone, Title: strings.TrimSpace(text)}
	if m := withinSuffix().FindStringSubmatch(o.Title); m != nil {
		if d, err := model.ParseOffset(m[2]); err == nil {
			o.Title, o.Target = m[1], d
			return o
		}
	}
	if m := withinWords().FindStringSubmatch(o.Title); m != nil {
		if d, err := model.ParseOffset(m[2] + unitLetter(m[3])); err == nil {
			o.Title, o.Target = m[1], d
		}
	}
	return o
}

// maxTagLen is the longest objective id made from a title: it is the
// #tag a note gives as evidence, typed mid-drill, and shown beside the
// objective in a panel a third of a terminal wide.
const maxTagLen = 24

// objectiveSlug is an objective's title as a tag: lower case, words joined
// by "-", cut at a word to at most maxTagLen characters.
func objectiveSlug(title string) string {
	slug := NameFor(title)
	if len(slug) <= maxTagLen {
		return slug
	}
	// the words that say least go first, so the tag keeps the ones that
	// name the objective
	var kept []string
	for _, w := range strings.Split(slug, "-") {
		if !slugStopWords[w] {
			kept = append(kept, w)
		}
	}
	if len(kept) > 0 {
		slug = strings.Join(kept, "-")
	}
	if len(slug) <= maxTagLen {
		return slug
	}
	cut := strings.LastIndexByte(slug[:maxTagLen+1], '-')
	if cut < maxTagLen/2 { // one long word: cut inside it
		cut = maxTagLen
	}
	return strings.Trim(slug[:cut], "-_")
}

var slugStopWords = map[string]bool{"a": true, "an": true, "the": true, "and": true, "or": true, "of": true, "on": true,
	"in": true, "to": true, "for": true, "by": true, "with": true, "is": true, "are": true, "be": true, "this": true,
	"that": true, "whether": true, "within": true, "at": true, "from": true, "its": true, "their": true}

// validTag: an id a note can name as #id, so evidence can be found.
func validTag(id string) bool {
	if id == "" {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// objective reads one objective; given says its id was written in the file.
func (b *scenarioBuilder) objective(f *frontMatter, e *yaml.Node) (o model.Objective, given, ok bool) {
	o = model.Objective{Line: f.line(e), Kind: model.ObjectiveMilestone}
	var idNode *yaml.Node
	duration := func(v *yaml.Node, what string) (time.Duration, bool) {
		text, ok := f.scalar(v, what)
		if !ok {
			return 0, false
		}
		d, err := model.ParseOffset(text)
		if err != nil {
			f.errorf(v, "%s: %v", what, err)
			return 0, false
		}
		return d, true
	}
	switch e.Kind {
	case yaml.ScalarNode:
		line := o.Line
		o = lineObjective(e.Value)
		o.Line = line
	case yaml.MappingNode:
		kinds := 0
		for i := 0; i+1 < len(e.Content); i += 2 {
			k, v := resolve(e.Content[i]), resolve(e.Content[i+1])
			switch key := strings.ToLower(k.Value); key {
			case "rto", "rpo":
				kinds++
				o.Kind = model.ObjectiveKind(key)
				d, ok := duration(v, strings.ToUpper(key))
				if !ok {
					return o, false, false
				}
				o.Target = d
			case "milestone":
				kinds++
				o.Kind = model.ObjectiveMilestone
				o.Title, _ = f.scalar(v, "milestone")
			case "runbook":
				kinds++
				o.Kind = model.ObjectiveRunbook
				name, _ := f.scalar(v, "runbook")
				o.Runbook = NameFor(name)
			case "within", "target":
				d, ok := duration(v, key)
				if !ok {
					return o, false, false
				}
				o.Target = d
			case "title":
				o.Title, _ = f.scalar(v, "title")
			case "id":
				o.ID, _ = f.scalar(v, "id")
				idNode = v
			default:
				f.warnf(k, "unknown objective key %q: use rto, rpo, milestone or runbook, with within, title and id", k.Value)
			}
		}
		if kinds != 1 {
			f.errorf(e, "an objective needs exactly one of rto, rpo, milestone or runbook")
			return o, false, false
		}
	default:
		f.errorf(e, "an objective is one line of text or a mapping like `rto: 1h`")
		return o, false, false
	}
	switch o.Kind {
	case model.ObjectiveRTO:
		if o.Title == "" {
			o.Title = "Service restored within the recovery time objective"
		}
	case model.ObjectiveRPO:
		if o.Title == "" {
			o.Title = "Data lost stays within the recovery point objective"
		}
	case model.ObjectiveRunbook:
		if o.Title == "" {
			o.Title = "Runbook " + o.Runbook + " completed"
		}
	}
	if strings.TrimSpace(o.Title) == "" {
		f.errorf(e, "objective has no text: say what the team must achieve")
		return o, false, false
	}
	if o.ID != "" {
		if !validTag(o.ID) {
			f.errorf(idNode, "objective id %q cannot be typed as a #tag: use lower-case letters, digits, - and _, like %q", o.ID, objectiveSlug(o.ID))
			return o, false, false
		}
		if len(o.ID) > maxTagLen {
			f.warnf(idNode, "objective id %q is %d characters: players type it as #%s in notes; keep it to %d or fewer", o.ID, len(o.ID), o.ID, maxTagLen)
		}
		return o, true, true
	}
	switch o.Kind {
	case model.ObjectiveRTO, model.ObjectiveRPO:
		o.ID = string(o.Kind)
	case model.ObjectiveRunbook:
		o.ID = objectiveSlug("runbook-" + o.Runbook)
	default:
		o.ID = objectiveSlug(o.Title)
	}
	return o, false, true
}

// injectHead is a heading recognised as an inject, before its offset is
// made relative to the first clock time.
type injectHead struct {
	heading *ast.Heading // nil for a run-sheet's list item or table row
	offset  time.Duration
	clock   bool
	module  bool // a numbered module of a tabletop: its offset is set by its place
	title   string
	blocks  []ast.Node
	// A list item's or table row's line and content, read already.
	line     int
	text     string
	expected []string
}

func (b *scenarioBuilder) body() {
	s, sc := b.s, b.sc
	var heads []*injectHead
	var cur *injectHead
	var brief []string
	injectsLevel := 0    // level of an "Injects" heading we are under, 0 if none
	objectivesLevel := 0 // the same for an "Objectives" heading
	fromFront := len(sc.Objectives) > 0
	firstH1 := true
	modules := modular(s)
	for n := s.doc.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok {
			if cur == nil && injectsLevel > 0 {
				// A run-sheet's list of timed items, or its table.
				if rows := b.runSheet(n); rows != nil {
					heads = append(heads, rows...)
					continue
				}
			}
			if l, isList := n.(*ast.List); isList && cur == nil && objectivesLevel > 0 && !fromFront {
				b.listObjectives(l)
			}
			if cur != nil {
				cur.blocks = append(cur.blocks, n)
			} else if t := s.text([]span{s.nodeSpan(n)}, false); t != "" {
				brief = append(brief, t)
			}
			continue
		}
		if cur != nil && h.Level > cur.heading.Level {
			cur.blocks = append(cur.blocks, n)
			continue
		}
		cur = nil
		if injectsLevel > 0 && h.Level <= injectsLevel {
			injectsLevel = 0
		}
		if objectivesLevel > 0 && h.Level <= objectivesLevel {
			objectivesLevel = 0
		}
		text := s.inlineText(h)
		line, col := s.headingPos(h)
		switch sectionOf(text) {
		case injectsSection, timelineSection:
			injectsLevel = h.Level
			continue
		case objectivesSection:
			// Kept in the brief too: the facilitator reads them out.
			objectivesLevel = h.Level
		}
		head, recognised := b.injectHeading(text, line, col, injectsLevel > 0)
		if !recognised && modules && moduleHeading().MatchString(text) {
			head, recognised = &injectHead{module: true, title: text}, true
		}
		if !recognised {
			if h.Level == 1 && firstH1 {
				firstH1 = false
				if sc.Title == "" {
					sc.Title = text
				}
				continue
			}
			brief = append(brief, s.text([]span{s.nodeSpan(h)}, false))
			continue
		}
		if head == nil {
			// an inject whose offset does not parse: reported, and its
			// text kept out of the brief so it is not read out by mistake
			cur = &injectHead{heading: h}
			continue
		}
		head.heading = h
		heads = append(heads, head)
		cur = head
	}
	sc.Brief = strings.Join(brief, "\n\n")
	if sc.Title == "" {
		sc.Title = sc.Name
	}
	if modules && sc.Duration == 0 {
		sc.Duration = briefDuration(sc.Brief)
	}
	b.injects(heads)
}

// modular reports whether a scenario is written as numbered modules at
// one heading level ("Module 1", "Module 2"…), with no inject that says
// its time: then each module is an inject.
func modular(s *source) bool {
	count := map[int]int{}
	for n := s.doc.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok {
			continue
		}
		text := s.inlineText(h)
		// An Injects, Run sheet or Timeline section, or a timed heading,
		// says the file's times: its numbered headings stay headings.
		if sec := sectionOf(text); sec == injectsSection || sec == timelineSection || timed(text) {
			return false
		}
		if moduleHeading().MatchString(text) {
			count[h.Level]++
		}
	}
	for _, c := range count {
		if c >= 2 {
			return true
		}
	}
	return false
}

// briefDuration is the length a tabletop's brief gives itself ("Exercise
// duration: 2 hours"), 0 if none.
func briefDuration(brief string) time.Duration {
	m := durationLabel().FindStringSubmatch(brief)
	if m == nil {
		return 0
	}
	n, err := strconv.ParseFloat(m[1], 64)
	if err != nil || n <= 0 || n > 1000 {
		return 0
	}
	unit := time.Minute
	if unitLetter(m[2]) == "h" {
		unit = time.Hour
	}
	return time.Duration(n * float64(unit)).Round(time.Minute)
}

// moduleGap is the time between a tabletop's modules on the exercise
// clock: its duration shared out, else half an hour each. The facilitator
// releases the next one early ('drill release') when the talk is done.
func moduleGap(duration time.Duration, modules int) time.Duration {
	if duration <= 0 || modules == 0 {
		return 30 * time.Minute
	}
	return max((duration / time.Duration(modules)).Round(time.Minute), time.Minute)
}

// scenarioSection is what a heading in a scenario opens.
type scenarioSection int

const (
	otherSection      scenarioSection = iota
	injectsSection                    // "Injects", "Run sheet": only a drill has one
	timelineSection                   // "Timeline", "Schedule": postmortems and cut-over plans have one too
	objectivesSection                 // "Objectives", "Goals"
)

func sectionOf(heading string) scenarioSection {
	switch strings.ToLower(strings.Trim(heading, " :")) {
	case "injects", "inject schedule", "run sheet", "run-sheet":
		return injectsSection
	case "timeline", "schedule":
		return timelineSection
	case "objectives", "exercise objectives", "goals", "success criteria":
		return objectivesSection
	}
	return otherSection
}

// injectHeading reads an inject's offset and title from its heading. It
// reports whether the heading is an inject at all; a nil head with true
// means it is one but its offset is wrong (already reported).
func (b *scenarioBuilder) injectHeading(text string, line, col int, underInjects bool) (*injectHead, bool) {
	if m := offsetHeading().FindStringSubmatch(text); m != nil {
		offset, title := m[1], m[2]
		// "+5 minutes Title", "T+2 hours: Title": the unit as a word
		if u := unitWord().FindStringSubmatch(title); u != nil && bareNumber().MatchString(offset) {
			offset += unitLetter(u[1])
			title = u[2]
		}
		d, err := model.ParseOffset(offset)
		if err != nil {
			b.s.add(Error, line, col, "inject offset %v", trimInvalid(err))
			return nil, true
		}
		return &injectHead{offset: d, title: strings.TrimSpace(title)}, true
	}
	if m := clockHeading().FindStringSubmatch(text); m != nil {
		h, _ := strconv.Atoi(m[1])
		min, _ := strconv.Atoi(m[2])
		if h > 23 || min > 59 {
			b.s.add(Error, line, col, "inject time %s:%s is not a time of day", m[1], m[2])
			return nil, true
		}
		return &injectHead{offset: time.Duration(h)*time.Hour + time.Duration(min)*time.Minute, clock: true, title: strings.TrimSpace(m[3])}, true
	}
	if underInjects {
		b.s.add(Error, line, col, "inject %q does not start with its offset: write it like `+5m %s`", text, text)
		return nil, true
	}
	return nil, false
}

// trimInvalid drops the leading "offset" ParseOffset's messages start with.
func trimInvalid(err error) string {
	return strings.TrimPrefix(err.Error(), "offset ")
}

func (b *scenarioBuilder) injects(heads []*injectHead) {
	s, sc := b.s, b.sc
	var origin time.Duration
	originSet := false
	modules := 0
	for _, h := range heads {
		if h.module {
			modules++
		}
	}
	gap, nth := moduleGap(sc.Duration, modules), 0
	for i, h := range heads {
		if h.module {
			h.offset = time.Duration(nth) * gap
			nth++
		}
		line, text, expected := h.line, h.text, h.expected
		if h.heading != nil {
			line = s.bodyLine(start(h.heading))
			text, expected = b.injectContent(h.blocks)
		}
		if i > 0 && h.clock != heads[0].clock {
			s.add(Warning, line, 1, "injects mix clock times and +offsets; clock times count from the first one, +offsets from the start")
		}
		if h.clock {
			if !originSet {
				origin, originSet = h.offset, true
			}
			h.offset -= origin
			if h.offset < 0 { // the run-sheet crossed midnight
				h.offset += 24 * time.Hour
			}
		}
		sc.Injects = append(sc.Injects, model.Inject{Offset: h.offset, Title: h.title, Text: text, Expected: expected, Line: line})
	}
	for i := 1; i < len(sc.Injects); i++ {
		if sc.Injects[i].Offset < sc.Injects[i-1].Offset {
			in := sc.Injects[i]
			s.add(Warning, in.Line, 1, "inject at %s comes after one at %s: injects are released in time order, not file order", model.FormatOffset(in.Offset), model.FormatOffset(sc.Injects[i-1].Offset))
			break
		}
	}
	sort.SliceStable(sc.Injects, func(i, j int) bool { return sc.Injects[i].Offset < sc.Injects[j].Offset })
	for i := range sc.Injects {
		sc.Injects[i].Index = i
	}
}

// injectContent splits an inject into what is read out and what the
// facilitator looks for: checklist items, or the list after a line that
// starts with "Expected".
func (b *scenarioBuilder) injectContent(blocks []ast.Node) (string, []string) {
	var text, expected []string
	labelled := false
	for _, n := range blocks {
		if l, ok := n.(*ast.List); ok && (labelled || isTaskList(l)) {
			for c := l.FirstChild(); c != nil; c = c.NextSibling() {
				if t := b.itemText(c); t != "" {
					expected = append(expected, t)
				}
			}
			labelled = false
			continue
		}
		labelled = false
		if n.Kind() == ast.KindParagraph || n.Kind() == ast.KindHeading {
			if isExpectedLabel(b.s.inlineText(n)) {
				labelled = true
				continue
			}
		}
		if t := b.s.text([]span{b.s.nodeSpan(n)}, false); t != "" {
			text = append(text, t)
		}
	}
	return strings.Join(text, "\n\n"), expected
}

func isTaskList(l *ast.List) bool {
	for c := l.FirstChild(); c != nil; c = c.NextSibling() {
		if li, ok := c.(*ast.ListItem); ok && checkbox(li) != nil {
			return true
		}
	}
	return false
}

func isExpectedLabel(text string) bool {
	t := strings.ToLower(strings.Trim(text, "*_ "))
	return strings.HasPrefix(t, "expected") || strings.HasPrefix(t, "look for")
}

// itemText is a list item's first paragraph on one line, checkbox removed.
func (b *scenarioBuilder) itemText(item ast.Node) string {
	fc := item.FirstChild()
	if fc == nil || (fc.Kind() != ast.KindTextBlock && fc.Kind() != ast.KindParagraph) {
		return ""
	}
	t := b.s.inlineText(fc)
	if li, ok := item.(*ast.ListItem); ok && checkbox(li) != nil {
		t = t[checkboxLen(t):]
	}
	return strings.TrimSpace(t)
}

func (b *scenarioBuilder) lint() {
	s, sc := b.s, b.sc
	if len(sc.Injects) == 0 {
		s.add(Error, 1, 1, "no injects: add headings like `### +5m What happens` with the text the facilitator reads out")
	}
	for _, in := range sc.Injects {
		if in.Title == "" && in.Text == "" && len(in.Expected) == 0 {
			s.add(Warning, in.Line, 1, "inject at %s has nothing to read out", model.FormatOffset(in.Offset))
		}
		if sc.Duration > 0 && in.Offset > sc.Duration {
			s.add(Warning, in.Line, 1, "inject at %s comes after the scenario's %s duration", model.FormatOffset(in.Offset), model.FormatOffset(sc.Duration))
		}
	}
	switch {
	case len(sc.Objectives) > 0:
	case IsSheet(s.path):
		// a spreadsheet has no front matter to hold them
		s.add(Warning, 1, 1, "no objectives: a spreadsheet run-sheet has none, so the drill is judged by its injects' expected responses; for objectives, keep the run-sheet as Markdown with an `## Objectives` list")
	default:
		s.add(Warning, 1, 1, "no objectives: say in the front matter what the drill must show (`objectives: [\"Customers informed within 30m\"]`)")
	}
	if sc.Kind == "dr" {
		var rto, rpo bool
		for _, o := range sc.Objectives {
			rto = rto || o.Kind == model.ObjectiveRTO
			rpo = rpo || o.Kind == model.ObjectiveRPO
		}
		if !rto || !rpo {
			s.add(Warning, 1, 1, "a disaster-recovery drill should state the RTO and RPO it must meet (`- rto: 1h`, `- rpo: 5m`)")
		}
	}
	lintSourceLines(s)
}

// readCadence reads a scenario's `cadence:`, the update cadence its drills
// are scored against in place of the team's:
//
//	cadence: none                      # no updates expected
//	cadence: 30m                       # every 30 minutes
//	cadence: [5m, 30m]                 # first within 5m, then every 30m
//	cadence: first=5m every=20m for=2h then=1h
//	cadence: {customers: 15m, executive: none}
//
// A single cadence applies to the audiences the team's policy expects to
// hear at the drill's severity; a mapping sets audiences one by one.
func readCadence(f *frontMatter, n *yaml.Node) *model.DrillCadence {
	if n.Kind == yaml.MappingNode {
		dc := &model.DrillCadence{Audiences: map[model.Audience]model.Cadence{}}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
			a, err := model.ParseAudience(k.Value)
			if err != nil {
				f.errorf(k, "cadence: %v", err)
				continue
			}
			if c, ok := readOneCadence(f, v); ok {
				dc.Audiences[a] = c
			}
		}
		return dc
	}
	c, ok := readOneCadence(f, n)
	if !ok {
		return nil
	}
	if c == (model.Cadence{}) {
		return &model.DrillCadence{}
	}
	return &model.DrillCadence{All: &c}
}

// readOneCadence reads none, one interval, a list of first, every (and
// for, then), or the key=duration form of the config file. ok is false
// when it did not read, already reported.
func readOneCadence(f *frontMatter, n *yaml.Node) (model.Cadence, bool) {
	const how = "write none, an interval like 30m, a list like [5m, 30m] (first, then every), or first=5m every=20m"
	var ds []time.Duration
	switch n.Kind {
	case yaml.ScalarNode:
		text := strings.TrimSpace(n.Value)
		switch strings.ToLower(text) {
		case "none", "off", "no", "false", "never":
			return model.Cadence{}, true
		}
		if strings.Contains(text, "=") {
			c, err := model.ParseCadence(text)
			if err != nil {
				f.errorf(n, "%v", err)
				return c, false
			}
			return c, true
		}
		d, err := model.ParseOffset(text)
		if err != nil {
			f.errorf(n, "cadence %q: %s", text, how)
			return model.Cadence{}, false
		}
		ds = []time.Duration{d}
	case yaml.SequenceNode:
		for _, it := range n.Content {
			it = resolve(it)
			text, ok := f.scalar(it, "cadence")
			if !ok {
				return model.Cadence{}, false
			}
			d, err := model.ParseOffset(text)
			if err != nil {
				f.errorf(it, "cadence: %v", err)
				return model.Cadence{}, false
			}
			ds = append(ds, d)
		}
	default:
		f.errorf(n, "cadence: %s", how)
		return model.Cadence{}, false
	}
	switch len(ds) {
	case 1:
		return model.Cadence{Every: ds[0]}, true
	case 2:
		return model.Cadence{First: ds[0], Every: ds[1]}, true
	case 4:
		return model.Cadence{First: ds[0], Every: ds[1], EarlyFor: ds[2], EveryAfter: ds[3]}, true
	}
	f.errorf(n, "cadence: a list is [every], [first, every] or [first, every, for, then]; got %d", len(ds))
	return model.Cadence{}, false
}
