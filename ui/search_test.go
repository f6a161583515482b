package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestListSearch: text words find incidents by what was said in them,
// field words filter by severity, status, kind and exercise.
func TestListSearch(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	d := newDriver(t, Options{Store: st, Now: c.Now, SearchDelay: -1}, 120, 30)
	shown := func() []string {
		var ids []string
		l := d.app().list
		for _, in := range l.items() {
			ids = append(ids, in.ID)
		}
		return ids
	}

	d.press("/")
	d.typeText("rollback") // the decision says "Roll back": no match
	if got := shown(); len(got) != 0 {
		t.Errorf("'rollback' shows %v, want none", got)
	}
	for range "rollback" {
		d.press("backspace")
	}
	d.typeText("traffic numbers")
	if got := shown(); len(got) != 1 || got[0] != incA {
		t.Fatalf("'traffic numbers' shows %v, want only %s (a step's blocked reason)", got, incA)
	}
	v := ansi.Strip(d.view())
	if !strings.Contains(v, "timeline:") || !strings.Contains(v, "traffic") {
		t.Errorf("the hit does not say where it matched:\n%s", v)
	}
	d.press("esc")
	if got := shown(); len(got) != 3 {
		t.Errorf("esc left %d incidents shown, want 3", len(got))
	}

	for _, c := range []struct {
		q    string
		want []string
	}{
		{"exercise", []string{incB}},
		{"sev3", []string{incC}},
		{"resolved", []string{incC}},
		{"active", []string{incA, incB}},
		{"past", []string{incC}},
		{"checkout", []string{incA}},
		{"sev2 failover", []string{incB}},
		{"sev1 failover", nil},
		{"fail", []string{incB}},                      // a prefix
		{"roll back", []string{incA}},                 // a decision in the timeline
		{`" pool AND OR NEAR( *`, nil},                // FTS syntax is only words
		{"since:2026-03-14 exercise", []string{incB}}, // the seed's day
		{"since:2026-03-15", nil},                     // the day after
		{"until:2026-03-13", nil},                     // the day before
		{"real past", []string{incC}},
		{"sev3 past", []string{incC}},
		{"00000002", []string{incB}}, // a short id
		{"00000003 past", []string{incC}},
		{"resolved investigating", []string{incA, incB, incC}}, // any of the statuses
	} {
		d.press("/")
		d.typeText(c.q)
		d.press("enter")
		got := shown()
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("%q shows %v, want %v", c.q, got, c.want)
		}
		if l := d.app().list; l.searchErr != "" {
			t.Errorf("%q: %s", c.q, l.searchErr)
		}
		d.press("esc")
	}
}

func TestDrawSnippet(t *testing.T) {
	s := NewStyles(asciiRenderer())
	got := drawSnippet(s, "…the EU "+SnippetStart+"traffic"+SnippetEnd+" numbers\x1b[31m now")
	if got != "…the EU traffic numbers now" {
		t.Errorf("snippet %q", got)
	}
	two := drawSnippet(s, "Connection "+SnippetStart+"pool"+SnippetEnd+" "+SnippetStart+"exhausted"+SnippetEnd+" on db")
	if two != "Connection pool exhausted on db" {
		t.Errorf("two matches: %q", two)
	}
}
