package runbooks

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// frontMatter is the YAML at the top of a file, kept as yaml.Node so every
// value still knows its line: a wrong severity is reported where it is
// written, not at the top of the file.
type frontMatter struct {
	s      *source
	fields []field
	// unreadable is set when the YAML could not be read; fields is then empty
	// and the file is used as plain Markdown.
	unreadable bool
}

type field struct{ key, value *yaml.Node }

// The package's patterns are compiled on first use, not at start: every
// sitrep command starts this package, and a 'sitrep note' from a script
// never reads a runbook.

// templateValue: a value that opens a Go template action unquoted.
var templateValue = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?m)^[^#\n]*:[ \t]*\{\{`) })

var yamlLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^yaml: line (\d+): (.*)$`) })

// readFrontMatter decodes s's front matter. Its keys are checked later, by
// checkKeys, once the front matter's `type:` has said which keys apply.
func readFrontMatter(s *source) *frontMatter {
	f := &frontMatter{s: s}
	if s.fmLine == 0 || len(bytes.TrimSpace(s.fm)) == 0 {
		return f
	}
	if m := templateValue().FindIndex(s.fm); m != nil {
		// `title: {{ .Name }}` is a Go template (a Hugo archetype), and
		// would otherwise read as a YAML mapping of nonsense.
		line := s.fmLine + bytes.Count(s.fm[:m[0]], []byte{'\n'})
		s.add(Warning, line, 1, "front matter is a template, not YAML (a value starts with {{); ignoring it")
		f.unreadable = true
		return f
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(s.fm, &doc); err != nil {
		f.unreadable = true
		line, msg := s.fmLine, err.Error()
		if m := yamlLine().FindStringSubmatch(msg); m != nil {
			if n, convErr := strconv.Atoi(m[1]); convErr == nil {
				line = s.yamlLineInFile(n)
			}
			msg = m[2]
		}
		msg = strings.TrimPrefix(msg, "yaml: ")
		// yaml.v3 may place "unexpected end" past the last line it was
		// given; the closing --- is the last line that belongs to it.
		line = min(line, s.fmLine+bytes.Count(s.fm, []byte{'\n'}))
		switch {
		case bytes.Contains(s.fm, []byte("{{")):
			// A Hugo archetype or other template: not meant to be YAML
			// until rendered, and not the team's mistake to fix.
			s.add(Warning, line, 1, "front matter is a template, not YAML (%s); ignoring it", msg)
		case meantForSitrep(s.fm):
			// It names RACI, roles, escalation or objectives: a runbook
			// written for sitrep whose settings are now silently lost.
			s.add(Error, line, 1, "front matter is not valid YAML: %s; its settings (RACI, roles, escalation) are ignored until it is fixed", msg)
		default:
			// Another tool's front matter (Hugo, Jekyll, MkDocs): the
			// Markdown is still walkable, so only say it was skipped.
			s.add(Warning, line, 1, "front matter is not valid YAML (%s); ignoring it and reading the file as plain Markdown", msg)
		}
		return f
	}
	if len(doc.Content) == 0 {
		return f
	}
	root := resolve(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		f.unreadable = true
		f.errorf(root, "front matter must be `key: value` lines")
		return f
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		f.fields = append(f.fields, field{key: resolve(root.Content[i]), value: resolve(root.Content[i+1])})
	}
	return f
}

// checkKeys reports keys given twice. Keys sitrep does not know are left
// alone (Hugo and Jekyll keep their own there) unless one looks like a
// misspelling of a key in known, which is the mistake worth pointing out.
func (f *frontMatter) checkKeys(known []string) {
	seen := map[string]bool{}
	for _, fl := range f.fields {
		k := fl.key
		key := strings.ToLower(k.Value)
		if seen[key] {
			f.errorf(k, "%q is given twice", k.Value)
		}
		seen[key] = true
		if !contains(known, key) {
			if guess := closest(key, known); guess != "" {
				f.warnf(k, "unknown key %q: did you mean %q?", k.Value, guess)
			}
		}
	}
}

// sitrepKeys are front matter keys no other common tool uses: a file that
// has one at the start of a line was written with sitrep in mind.
var sitrepKeys = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?m)^(raci|roles|escalation|severities|objectives|runbooks|injects)\s*:`)
})

func meantForSitrep(fm []byte) bool { return sitrepKeys().Match(fm) }

// resolve follows YAML aliases (*name), a bounded number of times so a
// cycle cannot hang the parser.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; i < 8 && n != nil && n.Kind == yaml.AliasNode && n.Alias != nil; i++ {
		n = n.Alias
	}
	if n == nil {
		return &yaml.Node{}
	}
	return n
}

func (f *frontMatter) get(keys ...string) *field {
	for i := range f.fields {
		for _, k := range keys {
			if strings.EqualFold(f.fields[i].key.Value, k) {
				return &f.fields[i]
			}
		}
	}
	return nil
}

func (f *frontMatter) line(n *yaml.Node) int {
	if n == nil || n.Line == 0 {
		return f.s.fmLine
	}
	return f.s.yamlLineInFile(n.Line)
}

// yamlLineInFile is the file line of line n of the front matter as yaml.v3
// numbers it. yaml.v3 also ends a line at a lone \r and at U+0085, U+2028
// and U+2029, where the file's lines end only at \n: in a file holding
// those its numbers run past the file's (a fuzzed "---\n\r\r0\n---"
// was told at line 4 of 3).
func (s *source) yamlLineInFile(n int) int {
	fm, line := s.fm, 1
	for i := 0; i < len(fm) && line < n; {
		size := 0
		switch {
		case fm[i] == '\r' && i+1 < len(fm) && fm[i+1] == '\n':
			size = 2
		case fm[i] == '\r' || fm[i] == '\n':
			size = 1
		case bytes.HasPrefix(fm[i:], []byte("\u0085")), bytes.HasPrefix(fm[i:], []byte("\u2028")), bytes.HasPrefix(fm[i:], []byte("\u2029")):
			size = len("\u2028")
			if fm[i] == 0xc2 {
				size = len("\u0085")
			}
		default:
			i++
			continue
		}
		i += size
		if line++; line == n {
			return s.fmLine + bytes.Count(fm[:i], []byte{'\n'})
		}
	}
	return s.fmLine + min(n-1, bytes.Count(fm, []byte{'\n'}))
}

func (f *frontMatter) errorf(n *yaml.Node, format string, args ...any) {
	f.s.add(Error, f.line(n), col(n), format, args...)
}

func (f *frontMatter) warnf(n *yaml.Node, format string, args ...any) {
	f.s.add(Warning, f.line(n), col(n), format, args...)
}

func col(n *yaml.Node) int {
	if n == nil {
		return 1
	}
	return n.Column
}

// scalar is a plain value; anything else is reported.
func (f *frontMatter) scalar(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		f.errorf(n, "%s must be a single value", what)
		return "", false
	}
	return strings.TrimSpace(n.Value), true
}

// item is one entry of a list value, with where it was written.
type item struct {
	text string
	node *yaml.Node
}

// list accepts a YAML sequence of values or one value with commas, since
// `severities: SEV1, SEV2` and `severities: [SEV1, SEV2]` mean the same to
// whoever wrote them.
func (f *frontMatter) list(n *yaml.Node, what string) []item {
	var out []item
	switch n.Kind {
	case yaml.ScalarNode:
		for _, part := range strings.Split(n.Value, ",") {
			if p := strings.TrimSpace(part); p != "" {
				out = append(out, item{p, n})
			}
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			c = resolve(c)
			if c.Kind != yaml.ScalarNode {
				f.errorf(c, "each of %s must be a single value", what)
				continue
			}
			if p := strings.TrimSpace(c.Value); p != "" {
				out = append(out, item{p, c})
			}
		}
	default:
		f.errorf(n, "%s must be a list", what)
	}
	return out
}

// fileType is the front matter's `type:`, which lets a scenario live
// outside a scenarios folder and vice versa.
func (f *frontMatter) fileType() string {
	if fl := f.get("type"); fl != nil && fl.value.Kind == yaml.ScalarNode {
		return strings.ToLower(strings.TrimSpace(fl.value.Value))
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// closest is the known key within a typo's reach of key, or "". Short keys
// get less slack so Hugo's "date" is not taken for a misspelt "type".
func closest(key string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		limit := 2
		if len(k) <= 5 {
			limit = 1
		}
		if d := editDistance(key, k); d <= limit && d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 64
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
