package storage_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sitrep-dev/sitrep/model"
)

func TestDrafts(t *testing.T) {
	st, _ := openTemp(t)
	in := "01900000-0000-7000-8000-00000000abcd"
	text := "Rolled back 4812 — EU error rate falling\n\x1b[31mstill red\x1b[0m"
	if err := st.SaveDraft(in, model.NoteKindNote, text); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveDraft(in, model.NoteKindAction, "page the DBA"); err != nil {
		t.Fatal(err)
	}
	drafts, err := st.Drafts(in)
	if err != nil || len(drafts) != 2 {
		t.Fatalf("drafts %+v %v", drafts, err)
	}
	byKind := map[model.NoteKind]string{}
	for _, d := range drafts {
		byKind[d.Kind] = d.Text
	}
	if byKind[model.NoteKindNote] != text || byKind[model.NoteKindAction] != "page the DBA" {
		t.Errorf("read back %q", byKind)
	}
	// A plain text file a person can find, private like the store.
	path := filepath.Join(st.DraftsDir(), in+".note.txt")
	if b, err := os.ReadFile(path); err != nil || string(b) != text {
		t.Errorf("%s: %q %v", path, b, err)
	}
	if info, err := os.Stat(st.DraftsDir()); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("drafts folder mode %v %v", info.Mode(), err)
	}
	// Emptied, it is gone; nothing else is left behind.
	if err := st.SaveDraft(in, model.NoteKindNote, "  "); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveDraft(in, model.NoteKindAction, ""); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(st.DraftsDir()); len(left) != 0 {
		t.Errorf("left in the drafts folder: %v", left)
	}
	// An id from someone else's store never becomes a path.
	for _, bad := range []string{"../../etc/passwd", "", "a/b", strings.Repeat("a", 65)} {
		if err := st.SaveDraft(bad, model.NoteKindNote, "x"); err == nil {
			t.Errorf("kept a draft for incident id %q", bad)
		}
	}
	if err := st.SaveDraft(in, "rant", "x"); err == nil {
		t.Error("kept a draft of an unknown kind")
	}
}
