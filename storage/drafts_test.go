package storage_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDrafts(t *testing.T) {
	st, _ := openTemp(t)
	in := "01900000-0000-7000-8000-00000000abcd"
	text := "Rolled back 4812 — EU error rate falling\n\x1b[31mstill red\x1b[0m"
	if err := st.SaveDraft(in, "note", text); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveDraft(in, "action", "page the DBA"); err != nil {
		t.Fatal(err)
	}
	drafts, err := st.Drafts(in)
	if err != nil || len(drafts) != 2 {
		t.Fatalf("drafts %+v %v", drafts, err)
	}
	byKind := map[string]string{}
	for _, d := range drafts {
		byKind[d.Slot] = d.Text
	}
	if byKind["note"] != text || byKind["action"] != "page the DBA" {
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
	if err := st.SaveDraft(in, "note", "  "); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveDraft(in, "action", ""); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(st.DraftsDir()); len(left) != 0 {
		t.Errorf("left in the drafts folder: %v", left)
	}
	// An id from someone else's store never becomes a path.
	for _, bad := range []string{"../../etc/passwd", "", "a/b", strings.Repeat("a", 65)} {
		if err := st.SaveDraft(bad, "note", "x"); err == nil {
			t.Errorf("kept a draft for incident id %q", bad)
		}
	}
	for _, bad := range []string{"", "../x", "a.b", "Note"} {
		if err := st.SaveDraft(in, bad, "x"); err == nil {
			t.Errorf("kept a draft under %q", bad)
		}
	}
	// Another incident's drafts are not this one's.
	if err := st.SaveDraft("01900000-0000-7000-8000-00000000ffff", "review-summary", "theirs"); err != nil {
		t.Fatal(err)
	}
	if mine, err := st.Drafts(in); err != nil || len(mine) != 0 {
		t.Errorf("drafts of %s: %+v %v", in, mine, err)
	}
}
