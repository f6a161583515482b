package model

import (
	"strings"
	"testing"
	"unicode"
)

// isFormat's shortcuts skip no format character Go's tables know.
func TestIsFormatCoversEveryFormatCharacter(t *testing.T) {
	for r := rune(0x0600); r <= unicode.MaxRune; r++ {
		want := r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Cf, r)
		if isFormat(r) != want {
			t.Fatalf("isFormat(%U) = %v, want %v", r, !want, want)
		}
	}
}

// Format characters show as markers and soft hyphens go, the same way for
// the cockpit (Printable) and plain-text output (Neutralise); nothing of
// category Cf is left.
func TestFormatCharactersShownAsMarkers(t *testing.T) {
	in := "soft\u00adhyphen zero\u200bwidth \u202eRTL\u202c \u2066iso\u2069 \ufeffbom tag\U000E0041 line\u2028sep"
	want := "softhyphen zero<U+200B>width <U+202E>RTL<U+202C> <U+2066>iso<U+2069> <U+FEFF>bom tag<U+E0041> line<U+2028>sep"
	for name, f := range map[string]func(string) string{"Printable": Printable, "Neutralise": Neutralise} {
		got := f(in)
		if got != want {
			t.Errorf("%s(%q) = %q, want %q", name, in, got, want)
		}
		if strings.IndexFunc(got, func(r rune) bool { return unicode.Is(unicode.Cf, r) }) >= 0 {
			t.Errorf("%s left a format character in %q", name, got)
		}
	}
	// Text in other scripts, and emoji sequences' other parts, pass as they are.
	for _, s := range []string{"Équipe réseau", "障害対応チーム", "Ελληνικά", "עברית", "✅ 📉"} {
		if got := Printable(s); got != s {
			t.Errorf("Printable(%q) = %q", s, got)
		}
	}
}

// The joiners are dropped, not marked: Persian words and joined emoji are
// ordinary text, and still read without them. So is the emoji variation
// selector, on whose width terminals disagree.
func TestJoinersDropped(t *testing.T) {
	for in, want := range map[string]string{
		"می\u200cخواهم سرور را ریستارت کنم":    "میخواهم سرور را ریستارت کنم",
		"on call: \U0001F469\u200d\U0001F4BB":  "on call: \U0001F469\U0001F4BB",
		"क्\u200dष":                            "क्ष",
		"\u26a0\ufe0f Disclaimer \u2764\ufe0f": "\u26a0 Disclaimer \u2764",
	} {
		for name, f := range map[string]func(string) string{"Printable": Printable, "Neutralise": Neutralise} {
			if got := f(in); got != want {
				t.Errorf("%s(%q) = %q, want %q", name, in, got, want)
			}
		}
	}
}

// OneLine's shortcut for plain text gives what the full fold gives.
func TestOneLineShortcut(t *testing.T) {
	for _, s := range []string{"", " ", "a", "a b", " a", "a ", "a  b", "a\nb", "a\tb", "a\rb", "\n", "Checkout returns 500"} {
		if got, want := OneLine(s), strings.Join(strings.Fields(Printable(s)), " "); got != want {
			t.Errorf("OneLine(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestShellLine: argv written back as a shell reads it.
func TestShellLine(t *testing.T) {
	got := ShellLine([]string{"kubectl", "get", "pods", "-l", "app=web server", "it's", ""})
	if want := `kubectl get pods -l 'app=web server' 'it'\''s' ''`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
