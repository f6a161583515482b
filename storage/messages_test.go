package storage_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/sitrep-dev/sitrep/model"
)

// An update is filled from the newest note still standing, however many
// automatic entries came after it, with its amended text; a retracted note
// is passed over.
func TestMessageFacts(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	in := declare(t, st, "facts")
	note := func(text string) model.Event {
		e, err := st.Append(ctx, model.Change{IncidentID: in, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: text}})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	if f, err := st.MessageFacts(ctx, in); err != nil || f != (model.MessageFacts{}) {
		t.Fatalf("no notes yet: %+v %v", f, err)
	}
	kept := note("rolled back deploy 4812")
	if _, err := st.Append(ctx, model.Change{IncidentID: in, Kind: model.EventAmended, Payload: model.AmendedPayload{Entry: kept.ID, Text: "rolled back deploy 4813"}}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 250; i++ { // more than a screenful of automatic entries
		sev := model.SEV2
		if i%2 == 0 {
			sev = model.SEV3
		}
		if _, err := st.Append(ctx, model.Change{IncidentID: in, Kind: model.EventSeverityChanged, Payload: model.SeverityPayload{Severity: sev}}); err != nil {
			t.Fatal(fmt.Errorf("entry %d: %w", i, err))
		}
	}
	wrong := note("it was DNS")
	if _, err := st.Append(ctx, model.Change{IncidentID: in, Kind: model.EventRetracted, Payload: model.RetractedPayload{Entry: wrong.ID, Reason: "it was not"}}); err != nil {
		t.Fatal(err)
	}
	f, err := st.MessageFacts(ctx, in)
	if err != nil || f.Latest != "rolled back deploy 4813" {
		t.Fatalf("latest note: %q (%v), want the amended, unretracted one", f.Latest, err)
	}
}
