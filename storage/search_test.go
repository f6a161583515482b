package storage_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
	"github.com/sitrep-dev/sitrep/storage/storagetest"
)

func TestSearch(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	db := declare(t, st, "Database failover stuck")
	web := declare(t, st, "Web tier 500s")
	drill, err := st.Append(ctx, model.Change{Kind: model.EventDeclared, Payload: model.DeclaredPayload{Title: "DR drill", Kind: "dr", Severity: model.SEV1,
		Status: model.StatusInvestigating, Exercise: true}})
	if err != nil {
		t.Fatal(err)
	}
	note := func(in, text string) {
		if _, err := st.Append(ctx, model.Change{IncidentID: in, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: text}}); err != nil {
			t.Fatal(err)
		}
	}
	note(web, "Load balancer health checks failing\non two targets")
	note(web, "Rolled back the canary")
	note(drill.IncidentID, "Simulated failover of the primary database")
	if _, err := st.Append(ctx, model.Change{IncidentID: web, Kind: model.EventReviewSaved, Payload: model.ReviewPayload{Review: model.Review{
		RootCause: "A misconfigured quokka flag in the load balancer"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Append(ctx, model.Change{IncidentID: web, Kind: model.EventStatusChanged, Payload: model.StatusPayload{Status: model.StatusResolved}}); err != nil {
		t.Fatal(err)
	}

	ids := func(hits []storage.SearchHit) map[string]string {
		out := map[string]string{}
		for _, h := range hits {
			out[h.Incident.ID] = h.Where
		}
		return out
	}
	hits, err := st.Search(ctx, "failover", storage.SearchFilter{})
	if err != nil {
		t.Fatal(err)
	}
	got := ids(hits)
	if got[db] != "title" || got[drill.IncidentID] != "timeline" || len(got) != 2 {
		t.Fatalf("failover: %+v", got)
	}
	// Highlights point at the matched words in the one-line snippet.
	for _, h := range hits {
		if len(h.Matches) == 0 {
			t.Fatalf("no match offsets in %+v", h)
		}
		for _, m := range h.Matches {
			if w := strings.ToLower(h.Snippet[m[0]:m[1]]); !strings.HasPrefix(w, "failover") {
				t.Errorf("offsets %v mark %q in %q", m, w, h.Snippet)
			}
		}
		if strings.Contains(h.Snippet, "\n") {
			t.Errorf("snippet not on one line: %q", h.Snippet)
		}
	}
	if got := ids(mustSearch(t, st, "quokka", storage.SearchFilter{})); got[web] != "review" {
		t.Errorf("review text not found: %+v", got)
	}
	if got := ids(mustSearch(t, st, "health target", storage.SearchFilter{})); got[web] != "timeline" || len(got) != 1 {
		t.Errorf("two words across a line break: %+v", got)
	}
	if got := ids(mustSearch(t, st, `"checks on"`, storage.SearchFilter{})); len(got) != 0 {
		t.Errorf("a phrase that is not in the text matched: %+v", got)
	}
	no, yes := false, true
	for name, c := range map[string]struct {
		f    storage.SearchFilter
		want []string
	}{
		"real only":     {storage.SearchFilter{Exercise: &no}, []string{db}},
		"drills only":   {storage.SearchFilter{Exercise: &yes}, []string{drill.IncidentID}},
		"sev1":          {storage.SearchFilter{Severity: model.SEV1}, []string{drill.IncidentID}},
		"kind dr":       {storage.SearchFilter{Kind: "dr"}, []string{drill.IncidentID}},
		"investigating": {storage.SearchFilter{Statuses: []model.Status{model.StatusInvestigating}}, []string{db, drill.IncidentID}},
		"future":        {storage.SearchFilter{From: st.Now().Add(24 * 3600e9)}, nil},
	} {
		got := ids(mustSearch(t, st, "failover", c.f))
		if len(got) != len(c.want) {
			t.Errorf("%s: %+v, want %v", name, got, c.want)
		}
		for _, w := range c.want {
			if _, ok := got[w]; !ok {
				t.Errorf("%s: %s missing from %+v", name, w, got)
			}
		}
	}
	if got := ids(mustSearch(t, st, "rolled", storage.SearchFilter{Active: true})); len(got) != 0 {
		t.Errorf("a resolved incident matched --active: %+v", got)
	}
	// Query syntax from a person is never an FTS5 syntax error.
	for _, q := range []string{`AND OR NOT`, `"unbalanced`, `NEAR(a b)`, `a:b`, `*`, `(failover`, `-x`, `title:failover`} {
		if _, err := st.Search(ctx, q, storage.SearchFilter{}); err != nil && !strings.Contains(err.Error(), "nothing to search") {
			t.Errorf("query %q: %v", q, err)
		}
	}
}

func mustSearch(t *testing.T, st *storage.Store, q string, f storage.SearchFilter) []storage.SearchHit {
	t.Helper()
	hits, err := st.Search(context.Background(), q, f)
	if err != nil {
		t.Fatal(err)
	}
	return hits
}

// BenchmarkSearchSelective searches the million-entry store for a term in
// one incident's title and declaration. Target: at most 20 ms.
func BenchmarkSearchSelective(b *testing.B) {
	st, _, _ := storagetest.OpenMillion(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		hits, err := st.Search(ctx, "4321", storage.SearchFilter{})
		if err != nil || len(hits) == 0 {
			b.Fatalf("%d hits, %v", len(hits), err)
		}
	}
}

// BenchmarkSearchBroad searches for a word in a tenth of the million
// entries: the scan cap keeps it bounded.
func BenchmarkSearchBroad(b *testing.B) {
	st, _, _ := storagetest.OpenMillion(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		hits, err := st.Search(ctx, "rotated", storage.SearchFilter{})
		if err != nil || len(hits) == 0 {
			b.Fatalf("%d hits, %v", len(hits), err)
		}
	}
}

// One word that reads as an incident id finds that incident first, marked
// as found by id, and only when it passes the filter.
func TestSearchByID(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	in := declare(t, st, "Replica lag in eu-west")
	declare(t, st, "Other")
	short := model.ShortID(in)
	hits, err := st.Search(ctx, short, storage.SearchFilter{})
	if err != nil || len(hits) != 1 || hits[0].Incident.ID != in || hits[0].Where != "id" || hits[0].Snippet != short {
		t.Fatalf("search %s: %+v %v", short, hits, err)
	}
	if hits, err := st.Search(ctx, short, storage.SearchFilter{Severity: model.SEV1}); err != nil || len(hits) != 0 {
		t.Errorf("search %s outside the filter: %+v %v", short, hits, err)
	}
	if hits, err := st.Search(ctx, "eu-west", storage.SearchFilter{}); err != nil || len(hits) != 1 || hits[0].Where != "title" {
		t.Errorf("a word that is not an id: %+v %v", hits, err)
	}
}

// Finding within one incident's timeline: that incident's entries only,
// newest first, with the matches marked; and where each stands in the
// timeline, for opening the timeline at it.
func TestSearchTimeline(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	a := declare(t, st, "Checkout 500s")
	b := declare(t, st, "Other incident")
	note := func(in, text string) model.Event {
		e, err := st.Append(ctx, model.Change{IncidentID: in, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: text}})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	first := note(a, "Restarted the primary database")
	note(a, "Error rate back to normal")
	note(b, "Restarted the cache")
	second := note(a, "Restarted the database again\nafter the\x1b[31m second spike")
	hits, err := st.SearchTimeline(ctx, a, "restart datab", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 2 || hits[0].Entry.EventID != second.ID || hits[1].Entry.EventID != first.ID {
		t.Fatalf("hits %+v, want the two database restarts of %s, newest first", hits, a)
	}
	h := hits[0]
	if strings.ContainsAny(h.Snippet, "\n\x1b") || len(h.Matches) != 2 {
		t.Errorf("snippet %q with matches %v: want one printable line, two matches", h.Snippet, h.Matches)
	}
	for _, m := range h.Matches {
		if w := strings.ToLower(h.Snippet[m[0]:m[1]]); w != "restarted" && w != "database" {
			t.Errorf("match %q", w)
		}
	}
	if hits, err := st.SearchTimeline(ctx, a, "cache", 0); err != nil || len(hits) != 0 {
		t.Errorf("another incident's entry found: %+v %v", hits, err)
	}
	if _, err := st.SearchTimeline(ctx, a, `"" ***`, 0); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("nothing to search for: %v", err)
	}
	all, err := st.Timeline(ctx, a, storage.TimelinePage{})
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range all {
		pos, err := st.TimelinePosition(ctx, a, storage.KeyOf(e))
		if err != nil || pos != i {
			t.Errorf("entry %d (%s): position %d, %v", i, e.Text, pos, err)
		}
	}
}
