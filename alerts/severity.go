package alerts

import (
	"sort"
	"strings"

	"github.com/sitrep-dev/sitrep/model"
)

// SeverityMap maps a severity label's value (lower case) to a severity.
type SeverityMap map[string]model.Severity

// DefaultSeverities are the values Prometheus rules and PagerDuty use most:
// Prometheus's critical, error, warning and info, PagerDuty's urgencies and
// its default priorities P1 to P5, New Relic's critical, high, medium and
// low.
var DefaultSeverities = SeverityMap{
	"critical": model.SEV1, "error": model.SEV2, "high": model.SEV2, "warning": model.SEV3, "medium": model.SEV3, "info": model.SEV4,
	"low": model.SEV4, "p1": model.SEV1, "p2": model.SEV2, "p3": model.SEV3, "p4": model.SEV4, "p5": model.SEV4,
}

// lookup finds a label value in the overrides, then the defaults, then as
// a severity itself ("1", "sev2").
func lookup(word string, overrides SeverityMap) (model.Severity, bool) {
	w := strings.ToLower(strings.TrimSpace(word))
	if w == "" {
		return 0, false
	}
	if s, ok := overrides[w]; ok {
		return s, true
	}
	if s, ok := DefaultSeverities[w]; ok {
		return s, true
	}
	if s, err := model.ParseSeverity(w); err == nil {
		return s, true
	}
	return 0, false
}

// ParseSeverityMap reads the severity-map setting: VALUE=SEV pairs
// separated by commas or spaces, like "critical=1, page=1, warning=4";
// "*=2" sets the severity for values no entry knows.
func ParseSeverityMap(text string) (SeverityMap, error) {
	m := SeverityMap{}
	for _, part := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		word, sev, ok := strings.Cut(part, "=")
		if !ok {
			word, sev, ok = strings.Cut(part, ":")
		}
		word = strings.ToLower(strings.TrimSpace(word))
		if !ok || word == "" {
			return nil, model.Invalidf("severity-map entry %q: expected VALUE=SEV, like critical=1", oneLine(part))
		}
		s, err := model.ParseSeverity(sev)
		if err != nil {
			return nil, model.Invalidf("severity-map entry %q: %s is not a severity: use 1-4 or SEV1-SEV4", oneLine(part), oneLine(sev))
		}
		m[word] = s
	}
	return m, nil
}

// String is the map as the setting would say it, sorted.
func (m SeverityMap) String() string {
	parts := make([]string, 0, len(m))
	for k, v := range m {
		parts = append(parts, k+"="+itoa(int(v)))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}
