package model

import (
	"regexp"
	"strings"
	"sync"
)

// WebAddress is a web address written out in text, and where it starts.
type WebAddress struct {
	URL string
	At  int // byte offset in the text
}

// webAddress is an address written out in text, up to a space or a
// character no address holds unescaped.
var webAddress = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\bhttps?://[^\s<>"'` + "`" + `]+`)
})

// WebAddresses finds the web addresses written out in text: the dashboard
// or ticket pasted into a note or a runbook, for the cockpit to copy.
// Punctuation that ends a sentence is not part of one, nor a closing
// bracket it did not open ("(see https://x/y)").
func WebAddresses(text string) []WebAddress {
	if !strings.Contains(text, "://") {
		return nil
	}
	var out []WebAddress
	for _, m := range webAddress().FindAllStringIndex(text, -1) {
		out = append(out, WebAddress{URL: trimAddress(text[m[0]:m[1]]), At: m[0]})
	}
	return out
}

func trimAddress(u string) string {
	for {
		n := len(u)
		u = strings.TrimRight(u, ".,;:!?*_")
		for _, pair := range [][2]string{{"(", ")"}, {"[", "]"}} {
			if strings.HasSuffix(u, pair[1]) && strings.Count(u, pair[1]) > strings.Count(u, pair[0]) {
				u = u[:len(u)-1]
			}
		}
		if len(u) == n {
			return u
		}
	}
}
