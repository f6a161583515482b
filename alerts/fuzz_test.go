package alerts

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sitrep-dev/sitrep/model"
)

// FuzzDecode: whatever arrives, Decode either refuses it with one line
// that matches model.ErrInvalid, or returns a group whose every field can
// be declared and stored: a valid title, severity and kind, a bounded key,
// and text without controls.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`[{"labels":{"alertname":"A"},"status":{"state":"active"}}]`))
	f.Add([]byte(`{"event":{"event_type":"incident.triggered","data":{"id":"P"}}}`))
	f.Add([]byte(`{"version":"4","alerts":[{"status":"resolved","endsAt":"2026-01-01T00:00:00Z"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		g, err := DecodeBytes(body, Options{})
		if err != nil {
			if !errors.Is(err, model.ErrInvalid) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("refusal %q is not one invalid-input line", err)
			}
			return
		}
		d := model.Declaration{Title: g.Title, Kind: g.Kind, Severity: g.Severity}
		if err := d.Validate(); err != nil {
			t.Fatalf("decoded group cannot be declared: %v (%+v)", err, d)
		}
		if err := model.ValidLabel("title", g.Title, model.MaxTitle); err != nil {
			t.Fatal(err)
		}
		if g.Key == "" || len(g.Key) > MaxKey+len(":sha256:")+64 {
			t.Fatalf("key %q", g.Key)
		}
		for _, s := range []string{g.Key, g.Runbook, g.RunbookURL, g.URL, g.FirstNote(), g.FiredAgainNote(model.SEV2, "9f3c2a1b"), g.ResolvedNote("investigating", "9f3c2a1b")} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in %q", s)
			}
			for _, r := range s {
				if r != '\n' && (r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0) {
					t.Fatalf("control %U in %q", r, s)
				}
			}
		}
		if len(g.FirstNote()) > model.MaxNote {
			t.Fatalf("first note of %d bytes", len(g.FirstNote()))
		}
	})
}
