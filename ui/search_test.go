package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/sitrep-dev/sitrep/storage"
)

// scanSearch is a full-text search done the slow way, over the real store:
// an incident hits when one of its timeline entries holds every word.
func scanSearch(st Store) SearchFunc {
	return func(ctx context.Context, words []string) ([]SearchHit, error) {
		list, err := st.Incidents(ctx)
		if err != nil {
			return nil, err
		}
		var hits []SearchHit
		for _, in := range list {
			entries, err := st.Timeline(ctx, in.ID, storage.TimelinePage{})
			if err != nil {
				return nil, err
			}
			for _, e := range entries {
				low := strings.ToLower(e.Text)
				all := true
				for _, w := range words {
					all = all && strings.Contains(low, w)
				}
				if all {
					i := strings.Index(low, words[0])
					snip := e.Text[:i] + SnippetStart + e.Text[i:i+len(words[0])] + SnippetEnd + e.Text[i+len(words[0]):]
					hits = append(hits, SearchHit{IncidentID: in.ID, Where: "timeline", Snippet: snip})
					break
				}
			}
		}
		return hits, nil
	}
}

// TestListSearch: text words find incidents by what was said in them,
// field words filter by severity, status, kind and exercise.
func TestListSearch(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	d := newDriver(t, Options{Store: st, Now: c.Now, Search: scanSearch(st), SearchDelay: -1}, 120, 30)
	shown := func() []string {
		var ids []string
		l := d.app().list
		for _, i := range l.shown {
			ids = append(ids, l.all[i].ID)
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
	} {
		d.press("/")
		d.typeText(c.q)
		d.press("enter")
		got := shown()
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("%q shows %v, want %v", c.q, got, c.want)
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
