package evidence

import (
	"regexp"
	"strings"
	"sync"
)

// secretPattern is one shape of secret. When keep is set, the pattern's
// first group (a key name, "Bearer ") stays and only the rest is masked, so
// the reader still sees what was there.
type secretPattern struct {
	name string
	re   *regexp.Regexp
	keep bool
}

// secretPatterns are the shapes of the secrets responders most often print
// by accident: the token formats the providers document (and that GitHub's
// secret scanning looks for), private keys, and credentials in key=value
// pairs, headers and URLs. Masking too much is better than too little: a
// masked value can be run again, a leaked key must be rotated.
//
// They are compiled on first use: compiling them took 3.9 ms at the start
// of every sitrep command, 'sitrep note' included, which never masks.
var secretPatterns = sync.OnceValue(func() []secretPattern {
	return []secretPattern{
		{"private key", regexp.MustCompile(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----(?s:.*?)(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\z)`), false},
		{"aws access key", regexp.MustCompile(`\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|APKA)[A-Z0-9]{16}\b`), false},
		{"github token", regexp.MustCompile(`\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b`), false},
		{"gitlab token", regexp.MustCompile(`\bgl(?:pat|dt|ptt|rt|soat|ft|imt|agent|oas|cbt)-[A-Za-z0-9_-]{20,}`), false},
		{"slack token", regexp.MustCompile(`\bxox[abposre]-[A-Za-z0-9-]{10,}`), false},
		{"slack webhook", regexp.MustCompile(`https://hooks\.slack\.com/services/[A-Za-z0-9/_-]+`), false},
		{"google api key", regexp.MustCompile(`\bAIza[0-9A-Za-z_-]{35}\b`), false},
		{"stripe key", regexp.MustCompile(`\b[rs]k_(?:live|test)_[0-9A-Za-z]{16,}\b`), false},
		{"jwt", regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`), false},
		{"bearer token", regexp.MustCompile(`(?i)(\b(?:bearer|token)\s+)[A-Za-z0-9._~+/=-]{12,}`), true},
		{"url password", regexp.MustCompile(`(\b[a-z][a-z0-9+.-]*://[^\s:/@]+:)[^\s@/]+(?:@)`), true},
		{"password", regexp.MustCompile(`(?i)(\b[a-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|client[_-]?secret|auth[_-]?token|credentials?)["']?\s*[:=]\s*)("[^"\n]*"|'[^'\n]*'|[^\s,;]+)`), true},
	}
})

// maskSecrets replaces what looks like a secret in text with a marker
// naming its kind, and counts how many it masked.
func maskSecrets(text string) (string, int) {
	n := 0
	for _, p := range secretPatterns() {
		if !p.re.MatchString(text) {
			continue
		}
		marker := "[masked " + p.name + "]"
		text = p.re.ReplaceAllStringFunc(text, func(m string) string {
			if strings.HasPrefix(m, "[masked") {
				return m
			}
			n++
			if !p.keep {
				return marker
			}
			sub := p.re.FindStringSubmatch(m)
			if p.name == "url password" {
				return sub[1] + marker + "@"
			}
			if len(sub) > 2 && strings.HasPrefix(sub[2], "[masked") {
				n-- // the value was masked already by a more specific pattern
				return m
			}
			return sub[1] + marker
		})
	}
	return text, n
}

var keyEnd = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----`)
})

// maskTail masks the start of a tail of output that begins inside a
// private key whose BEGIN line was left out with the middle: everything up
// to its END line.
func maskTail(text string) (string, int) {
	loc := keyEnd().FindStringIndex(text)
	if loc == nil || strings.Contains(text[:loc[0]], "-----BEGIN") {
		return text, 0
	}
	return "[masked private key]" + text[loc[1]:], 1
}
