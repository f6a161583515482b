package storage_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// TestAttachmentKeepsItsRules: the step rules an attachment was read with
// come back with it, and one recorded before rules were ("") stays empty,
// so the cockpit reads each with the rules its step events were made under.
func TestAttachmentKeepsItsRules(t *testing.T) {
	ctx := context.Background()
	st, err := storage.Open(ctx, filepath.Join(t.TempDir(), "s.db"), storage.Options{Author: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	in := declare(t, st, "rules")
	for _, p := range []model.RunbookAttachedPayload{
		{Name: "old", Title: "Old", Hash: model.TextHash("- [ ] a"), Text: "- [ ] a"},
		{Name: "new", Title: "New", Hash: model.TextHash("- [ ] b"), Text: "- [ ] b", Rules: "per-section"},
	} {
		if _, err := st.Append(ctx, model.Change{IncidentID: in, Kind: model.EventRunbookAttached, Payload: p}); err != nil {
			t.Fatal(err)
		}
	}
	check := func(when string) {
		atts, err := st.Attachments(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, a := range atts {
			got[a.Name] = a.Rules
		}
		if len(got) != 2 || got["old"] != "" || got["new"] != "per-section" {
			t.Errorf("%s: rules %v", when, got)
		}
	}
	check("projected")
	if err := st.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	check("rebuilt")
}
