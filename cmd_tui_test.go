package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
	"github.com/sitrep-dev/sitrep/ui"
)

// TestSearchIndex searches a real store's full-text indexes the way the
// cockpit's list does: by title, by what was said in the timeline, with
// prefixes, and safely with FTS syntax in the words.
func TestSearchIndex(t *testing.T) {
	ctx := context.Background()
	st, err := storage.Open(ctx, filepath.Join(t.TempDir(), "s.db"), storage.Options{Author: "alice@laptop"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	declare := func(title string) string {
		e, err := st.Append(ctx, model.Draft{Kind: model.EventDeclared, Payload: model.DeclaredPayload{Title: title, Kind: "outage", Severity: model.SEV2, Status: model.StatusInvestigating}})
		if err != nil {
			t.Fatal(err)
		}
		return e.IncidentID
	}
	note := func(id, text string) {
		if _, err := st.Append(ctx, model.Draft{IncidentID: id, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: text}}); err != nil {
			t.Fatal(err)
		}
	}
	dns := declare("Stale DNS cache after registrar change")
	pay := declare("Payments API timing out")
	note(pay, "Connection pool exhausted on payments-db; raised max_connections")
	note(dns, "Flushed resolvers in eu-west")

	search := searchIndex(st)
	for _, c := range []struct {
		words []string
		want  map[string]string // incident → where
	}{
		{[]string{"registrar"}, map[string]string{dns: "title"}},
		{[]string{"pool", "exhausted"}, map[string]string{pay: "timeline"}},
		{[]string{"resolv"}, map[string]string{dns: "timeline"}},
		{[]string{"payments"}, map[string]string{pay: "title"}},
		{[]string{"nothing-like-this"}, map[string]string{}},
		{[]string{`"`, "pool", "AND", "OR", "NEAR(", "*"}, map[string]string{}},
	} {
		hits, err := search(ctx, c.words)
		if err != nil {
			t.Errorf("%q: %v", c.words, err)
			continue
		}
		got := map[string]string{}
		for _, h := range hits {
			got[h.IncidentID] = h.Where
			if h.Where == "timeline" && !strings.Contains(h.Snippet, ui.SnippetStart) {
				t.Errorf("%q: snippet %q has no match marked", c.words, h.Snippet)
			}
		}
		if len(got) != len(c.want) {
			t.Errorf("%q: hits %v, want %v", c.words, got, c.want)
			continue
		}
		for id, where := range c.want {
			if got[id] != where {
				t.Errorf("%q: %s found in %q, want %q", c.words, id, got[id], where)
			}
		}
	}
}
