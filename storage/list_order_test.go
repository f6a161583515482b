package storage_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// TestActiveListOrder: active incidents list most severe first, then the
// most recently declared first, and a note does not move one; past ones
// follow, most recently changed first. Ordered by last change, active rows
// jumped every time a note arrived. Pages put together are the whole list.
func TestActiveListOrder(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	st, err := storage.Open(ctx, t.TempDir()+"/sitrep.db", storage.Options{Author: "alice@laptop", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ids := map[string]string{}
	add := func(title string, sev model.Severity, resolved bool) {
		now = now.Add(time.Minute)
		e, err := st.Append(ctx, model.Change{Kind: model.EventDeclared, Payload: model.DeclaredPayload{Title: title, Kind: "outage", Severity: sev, Status: model.StatusInvestigating}})
		if err != nil {
			t.Fatal(err)
		}
		ids[title] = e.IncidentID
		if resolved {
			now = now.Add(time.Minute)
			if _, err := st.Append(ctx, model.Change{IncidentID: e.IncidentID, Kind: model.EventStatusChanged, Payload: model.StatusPayload{Status: model.StatusResolved}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	add("old sev2", model.SEV2, false)
	add("past a", model.SEV1, true)
	add("sev1", model.SEV1, false)
	add("new sev2", model.SEV2, false)
	add("past b", model.SEV3, true)
	add("sev3", model.SEV3, false)
	now = now.Add(time.Minute)
	if _, err := st.Append(ctx, model.Change{IncidentID: ids["old sev2"], Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: "still on it"}}); err != nil {
		t.Fatal(err)
	}
	all, err := st.Incidents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, in := range all {
		got = append(got, in.Title)
	}
	want := []string{"sev1", "new sev2", "old sev2", "sev3", "past b", "past a"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("list order %q, want %q", got, want)
	}
	for size := 1; size <= 7; size++ {
		var paged []string
		for off := 0; off < 10; off += size {
			page, err := st.IncidentsPage(ctx, off, size)
			if err != nil {
				t.Fatal(err)
			}
			for _, in := range page {
				paged = append(paged, in.Title)
			}
		}
		if fmt.Sprint(paged) != fmt.Sprint(want) {
			t.Errorf("pages of %d: %q", size, paged)
		}
	}
	sev2, err := st.IncidentsWhere(ctx, storage.SearchFilter{Severity: model.SEV2})
	if err != nil || len(sev2) != 2 || sev2[0].Title != "new sev2" {
		t.Errorf("SEV2 filter: %v %v", sev2, err)
	}
}
