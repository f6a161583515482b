package storage_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

func TestVerifyCleanStore(t *testing.T) {
	st, _ := openTemp(t)
	randomHistory(t, st, rand.New(rand.NewPCG(5, 6)), 100)
	rep, err := st.Verify(context.Background())
	if err != nil || len(rep.Problems) != 0 || rep.Events != 100 || rep.Chains != 1 {
		t.Fatalf("clean store: %+v %v", rep, err)
	}
}

// Tampering with plain SQL is found and names the event and its author.
func TestVerifyFindsTampering(t *testing.T) {
	exec := func(t *testing.T, st *storage.Store, q, id string) {
		if _, err := st.DB().Exec(q, id); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name string
		// tamper changes the log behind sitrep's back and returns the event
		// id verify must name.
		tamper func(t *testing.T, st *storage.Store, ids []string) string
		want   string
	}{
		{"edited text", func(t *testing.T, st *storage.Store, ids []string) string {
			exec(t, st, `UPDATE events SET payload = '{"kind":"note","text":"nothing happened"}' WHERE id = ?`, ids[5])
			return ids[5]
		}, "does not match its hash"},
		{"deleted middle row", func(t *testing.T, st *storage.Store, ids []string) string {
			exec(t, st, `DELETE FROM events WHERE id = ?`, ids[5])
			return ids[6] // the event whose link now points at nothing
		}, "missing"},
		{"deleted newest row", func(t *testing.T, st *storage.Store, ids []string) string {
			exec(t, st, `DELETE FROM events WHERE id = ?`, ids[len(ids)-1])
			return ids[len(ids)-1]
		}, "missing from the log"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, _ := openTemp(t)
			ctx := context.Background()
			in := declare(t, st, "tamper")
			ids := []string{in}
			for i := 0; i < 9; i++ {
				e, err := st.Append(ctx, model.Draft{IncidentID: in, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: fmt.Sprint("note ", i)}})
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, e.ID)
			}
			named := c.tamper(t, st, ids)
			rep, err := st.Verify(ctx)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, p := range rep.Problems {
				if p.EventID == named && p.Author == "alice@laptop" && strings.Contains(p.String(), c.want) {
					found = true
				}
			}
			if !found {
				t.Fatalf("verify did not name %s by alice@laptop with %q: %v", named, c.want, rep.Problems)
			}
		})
	}
}
