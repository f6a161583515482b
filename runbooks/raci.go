package runbooks

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/sitrep-dev/sitrep/model"
)

// roles is what a file may name in a RACI: the standard roles and the ones
// its front matter declares. Anything else is reported where it is written.
type roles struct {
	s  *source
	rb *model.Runbook // knows the roles its front matter declares
	// parsed remembers what each spelling read as: a runbook names the
	// same few roles on every step, and model.ParseRole is not free.
	parsed map[string]parsedRole
}

type parsedRole struct {
	role model.Role
	err  error
}

func newRoles(s *source, rb *model.Runbook) *roles {
	return &roles{s: s, rb: rb, parsed: map[string]parsedRole{}}
}

// role reads one role name (slug, title or alias) written at line:col.
func (r *roles) role(text string, line, col int) (model.Role, bool) {
	pr, ok := r.parsed[text]
	if !ok {
		pr.role, pr.err = model.ParseRole(text)
		r.parsed[text] = pr
	}
	role, err := pr.role, pr.err
	if err != nil {
		r.s.add(Error, line, col, "%v", err)
		return "", false
	}
	if !r.rb.KnowsRole(role) {
		r.s.add(Error, line, col, "role %q is not defined: use a standard role (%s) or declare it under `roles:` in the front matter", text, standardRoleList())
		return "", false
	}
	return role, true
}

func standardRoleList() string {
	names := make([]string, len(model.StandardRoles))
	for i, r := range model.StandardRoles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

// raciLetter maps what people write before the colon to the RACI letter.
func raciLetter(key string) byte {
	switch strings.ToLower(strings.TrimSpace(key)) {
	case "r", "responsible":
		return 'R'
	case "a", "accountable":
		return 'A'
	case "c", "consulted":
		return 'C'
	case "i", "informed":
		return 'I'
	}
	return 0
}

func addRole(raci *model.RACI, letter byte, role model.Role) {
	list := map[byte]*[]model.Role{'R': &raci.Responsible, 'A': &raci.Accountable, 'C': &raci.Consulted, 'I': &raci.Informed}[letter]
	for _, have := range *list {
		if have == role {
			return
		}
	}
	*list = append(*list, role)
}

// splitAnnotation takes a trailing `{R: ops-lead, A: incident-commander}`
// off a step or heading line. A brace group that does not start with a RACI
// letter is ordinary text (`{{ $labels.pod }}`, `{foo: bar}`) and stays.
// col is the column of line's first byte in the file.
func (r *roles) splitAnnotation(line string, lineNo, col int) (rest string, raci model.RACI, found bool) {
	trimmed := strings.TrimRight(line, " \t\r")
	if !strings.HasSuffix(trimmed, "}") {
		return line, raci, false
	}
	open := strings.LastIndexByte(trimmed, '{')
	if open < 0 || (open > 0 && trimmed[open-1] == '{') {
		return line, raci, false
	}
	inner := trimmed[open+1 : len(trimmed)-1]
	key, _, hasColon := strings.Cut(inner, ":")
	if !hasColon || raciLetter(key) == 0 {
		return line, raci, false
	}
	raci = r.parseRACI(inner, lineNo, col+open+1)
	return strings.TrimRight(trimmed[:open], " \t"), raci, true
}

// parseRACI reads "R: ops-lead, sme; A: ic, I: support": entries separated
// by commas or semicolons, a role without a letter joining the letter
// before it. col is the column of text's first byte.
func (r *roles) parseRACI(text string, line, col int) model.RACI {
	var raci model.RACI
	var letter byte
	off := 0
	for _, part := range splitKeep(text, ",;") {
		partCol := col + off + len(part) - len(strings.TrimLeft(part, " \t"))
		off += len(part) + 1
		// brackets are what YAML habit puts around a list: "C: [sme, legal]"
		p := strings.Trim(part, " \t[]")
		if p == "" {
			continue
		}
		if key, value, ok := strings.Cut(p, ":"); ok {
			letter = raciLetter(key)
			if letter == 0 {
				r.s.add(Error, line, partCol, "%q is not a RACI letter: use R, A, C or I", strings.TrimSpace(key))
				continue
			}
			p = strings.Trim(value, " \t[]")
			partCol += len(key) + 1 + len(value) - len(strings.TrimLeft(value, " \t"))
			if p == "" {
				r.s.add(Error, line, partCol, "no role after %c:", letter)
				continue
			}
		}
		if letter == 0 {
			r.s.add(Error, line, partCol, "role %q has no RACI letter before it: write R: %s", p, p)
			continue
		}
		if role, ok := r.role(p, line, partCol); ok {
			addRole(&raci, letter, role)
		}
	}
	if len(raci.Accountable) > 1 {
		r.s.add(Error, line, col, "%v", raci.Check())
	}
	return raci
}

// splitKeep splits s at any of seps, keeping empty parts so offsets add up.
func splitKeep(s, seps string) []string {
	var out []string
	for {
		i := strings.IndexAny(s, seps)
		if i < 0 {
			return append(out, s)
		}
		out = append(out, s[:i])
		s = s[i+1:]
	}
}

// yamlRACI reads the front matter's default RACI, either as a mapping
// (`A: incident-commander`, `C: [sme, legal]`) or in the annotation syntax
// (`raci: "R: ops-lead, A: incident-commander"`).
func (r *roles) yamlRACI(f *frontMatter, n *yaml.Node) model.RACI {
	if n.Kind == yaml.ScalarNode {
		text := strings.TrimSpace(n.Value)
		text = strings.TrimSuffix(strings.TrimPrefix(text, "{"), "}")
		return r.parseRACI(text, f.line(n), col(n))
	}
	if n.Kind != yaml.MappingNode {
		f.errorf(n, "raci must map letters to roles, like `A: incident-commander`")
		return model.RACI{}
	}
	var raci model.RACI
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		letter := raciLetter(k.Value)
		if letter == 0 {
			f.errorf(k, "%q is not a RACI letter: use R, A, C or I", k.Value)
			continue
		}
		for _, it := range f.list(v, "raci "+string(letter)) {
			if role, ok := r.role(it.text, f.line(it.node), col(it.node)); ok {
				addRole(&raci, letter, role)
			}
		}
	}
	if len(raci.Accountable) > 1 {
		f.errorf(n, "%v", raci.Check())
	}
	return raci
}
