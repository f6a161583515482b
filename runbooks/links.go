package runbooks

import (
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/sitrep-dev/sitrep/model"
)

// Link is a link in a rendered runbook: the words shown and where they
// point. Runbooks are full of them (the dashboard to check, the log query,
// the runbook to go to next), and a terminal shows only the words: the
// cockpit offers them to copy.
type Link struct {
	Text   string
	Target string
	Line   int // the rendered line it starts on
}

// Links lists the links drawn on lines [from, to), in order, once per
// target: Markdown and HTML links with their words, reference links
// ("[text][1]") with their definition's target, and web addresses
// written out as text.
func (d *Rendered) Links(from, to int) []Link {
	from, to = max(from, 0), min(to, len(d.Lines))
	var out []Link
	seen := map[string]bool{}
	add := func(l Link) {
		// A reference definition's line is drawn as written; its address
		// is offered with the links that name it, not on its own.
		if l.Text == l.Target && d.refs.defines(l.Target) {
			return
		}
		l.Text = strings.Join(strings.Fields(model.Printable(l.Text)), " ")
		l.Target = model.OneLine(model.Printable(l.Target))
		if l.Target == "" || seen[l.Target] {
			return
		}
		seen[l.Target] = true
		if l.Text == "" {
			l.Text = l.Target
		}
		out = append(out, l)
	}
	// A link's words may be cut by the wrap over several segments and
	// lines: they run on while the segments name the same link, with
	// only the wrap's spaces and the pane's frames between.
	var cur *Link
	var raw *string
	for i := from; i < to; i++ {
		if cur != nil && !d.Lines[i].Cont {
			cur.Text += " "
		}
		segs := d.Lines[i].Segs
		if d.Lines[i].Cont && d.Lines[i].ContAt <= len(segs) {
			segs = segs[d.Lines[i].ContAt:]
		}
		for _, sg := range segs {
			switch {
			case sg.Link != nil && cur != nil && sg.Link == raw:
				cur.Text += sg.Text
			case sg.Link != nil:
				if cur != nil {
					add(*cur)
				}
				cur, raw = &Link{Text: sg.Text, Target: d.target(*sg.Link), Line: i}, sg.Link
			case cur != nil && (strings.TrimSpace(sg.Text) == "" || sg.Role == RoleFrame || sg.Role == RoleMark):
				if sg.Role == RoleText {
					cur.Text += sg.Text
				}
			case cur != nil:
				add(*cur)
				cur = nil
			}
		}
	}
	if cur != nil {
		add(*cur)
	}
	for _, u := range d.addresses(from, to) {
		add(u)
	}
	slices.SortStableFunc(out, func(a, b Link) int { return a.Line - b.Line })
	return out
}

// target is where a segment's Link points: a reference's definition, or
// the target as written.
func (d *Rendered) target(link string) string {
	if label, ok := strings.CutPrefix(link, refPrefix); ok {
		return d.refs.byLabel[refKey(label)]
	}
	return link
}

// refKey is a reference label as CommonMark matches it: case and runs of
// spaces do not count.
func refKey(label string) string {
	return strings.ToLower(strings.Join(strings.Fields(label), " "))
}

// addresses are the web addresses written as text on lines [from, to),
// read with each cut word joined again.
func (d *Rendered) addresses(from, to int) []Link {
	var b strings.Builder
	var starts []int // offset in b where each line's text starts
	for i := from; i < to; i++ {
		l := d.Lines[i]
		if i > from && !l.Cont {
			b.WriteByte('\n')
		}
		starts = append(starts, b.Len())
		segs := l.Segs
		if l.Cont && l.ContAt <= len(segs) {
			segs = segs[l.ContAt:]
		}
		for _, sg := range segs {
			if sg.Link == nil && sg.Role != RoleFrame && sg.Role != RoleMark {
				b.WriteString(sg.Text)
			} else {
				b.WriteByte(' ')
			}
		}
	}
	text := b.String()
	var out []Link
	k := 0 // the line the address starts on: they come in order
	for _, a := range model.WebAddresses(text) {
		for k+1 < len(starts) && starts[k+1] <= a.At {
			k++
		}
		out = append(out, Link{Text: a.URL, Target: a.URL, Line: from + k})
	}
	return out
}

// linkDefinition is a line defining a link reference: "[label]: target".
var linkDefinition = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^ {0,3}\[([^\]]+)\]:[ \t]*(?:<([^>]*)>|(\S+))`)
})

// linkRefs are a file's link reference definitions: each label's target
// (refKey writes the label), and the targets they define.
type linkRefs struct {
	byLabel map[string]string
	targets map[string]bool
}

func (r linkRefs) defines(target string) bool { return r.targets[target] }

// linkDefinitions reads the file's link reference definitions. They stay
// drawn as the file wrote them (every word of a runbook is shown; sitrep's
// reader does not take them out of the text as GitHub does), and the
// links that name them are offered with their targets. The first
// definition of a label wins, as in CommonMark.
func (s *source) linkDefinitions() linkRefs {
	var refs linkRefs
	if !strings.Contains(s.str, "]:") {
		return refs
	}
	refs.byLabel, refs.targets = map[string]string{}, map[string]bool{}
	for _, line := range strings.Split(s.str[s.bodyAt:], "\n") {
		m := linkDefinition().FindStringSubmatch(strings.TrimRight(line, "\r"))
		if m == nil {
			continue
		}
		if k := refKey(m[1]); refs.byLabel[k] == "" {
			target := unescapeLink(m[2] + m[3])
			refs.byLabel[k], refs.targets[target] = target, true
		}
	}
	return refs
}
