package respond

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sitrep-dev/sitrep/alerts"
	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

func alertGroup(t *testing.T, fixture, body string) alerts.Group {
	t.Helper()
	b := []byte(body)
	if fixture != "" {
		var err error
		if b, err = os.ReadFile(filepath.Join("..", "alerts", "testdata", fixture)); err != nil {
			t.Fatal(err)
		}
	}
	g, err := alerts.DecodeBytes(b, alerts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func timelineText(t *testing.T, st *storage.Store, id string) string {
	t.Helper()
	entries, err := st.Timeline(context.Background(), id, storage.TimelinePage{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range entries {
		b.WriteString(e.Text + "\n")
	}
	return b.String()
}

// TestDeclareFromAlertRules: a firing group declares once, with the
// bundled runbook its runbook_url names and the detection time from its
// alerts; firing again and resolving are notes on that incident; a
// resolved alert leaves the status; a resolved group with no incident
// writes nothing; a detection time ahead of the clock is not taken.
func TestDeclareFromAlertRules(t *testing.T) {
	s, st, _ := newService(t)
	ctx := context.Background()
	body := `{"version":"4","groupKey":"{}:{alertname=\"Breach\"}","status":"firing","alerts":[{"status":"firing",
	"labels":{"alertname":"Breach","severity":"critical","kind":"security"},
	"annotations":{"summary":"Logins from a leaked key","runbook_url":"https://wiki.example.com/security-incident.md"},
	"startsAt":"2026-11-23T13:50:00Z","fingerprint":"f1"}]}`
	out, err := s.DeclareFromAlert(ctx, alertGroup(t, "", body), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	in := out.Incident
	if !out.Declared || out.Runbook != "security-incident" || in.Severity != model.SEV1 || in.Kind != "security" ||
		in.Milestones.Detected.Format("15:04") != "13:50" || in.Commander != "alice@laptop" {
		t.Fatalf("outcome %+v", out)
	}
	atts, err := st.Attachments(ctx, in.ID)
	if err != nil || len(atts) != 1 || atts[0].Name != "security-incident" {
		t.Fatalf("attachments %+v, %v", atts, err)
	}
	if cur, err := st.Current(ctx); err != nil || cur.ID != in.ID {
		t.Errorf("current incident %q, %v", cur.ID, err)
	}

	if again, err := s.DeclareFromAlert(ctx, alertGroup(t, "", body), "", nil); err != nil || again.Declared || again.Incident.ID != in.ID {
		t.Fatalf("again: %+v, %v", again, err)
	}
	resolved := strings.ReplaceAll(body, `"status":"firing"`, `"status":"resolved"`)
	res, err := s.DeclareFromAlert(ctx, alertGroup(t, "", resolved), "", nil)
	if err != nil || res.Declared || res.Incident.ID != in.ID || res.Incident.Status != model.StatusInvestigating {
		t.Fatalf("resolved: %+v, %v", res, err)
	}
	text := timelineText(t, st, in.ID)
	for _, want := range []string{"Declared from an alert", "Alert fired again", "Alert resolved now", "The incident stays investigating"} {
		if !strings.Contains(text, want) {
			t.Errorf("timeline lacks %q:\n%s", want, text)
		}
	}

	before, _ := st.CountEvents(ctx)
	none, err := s.DeclareFromAlert(ctx, alertGroup(t, "alertmanager-webhook-resolved.json", ""), "", nil)
	if after, _ := st.CountEvents(ctx); err != nil || !none.Nothing || after != before {
		t.Errorf("resolved with no incident: %+v, %v, %d events written", none, err, after-before)
	}

	pd, err := s.DeclareFromAlert(ctx, alertGroup(t, "pagerduty-incident-triggered.json", ""), "bob@laptop", []string{"third-party-disruption"})
	if err != nil || !pd.Declared || pd.Incident.Commander != "bob@laptop" {
		t.Fatalf("pagerduty: %+v, %v", pd, err)
	}
	// created_at 14:03:27 is ahead of the clock (14:00): detection is the declaration.
	if !pd.Incident.Milestones.Detected.Equal(pd.Incident.DeclaredAt) {
		t.Errorf("detected %s, declared %s", pd.Incident.Milestones.Detected, pd.Incident.DeclaredAt)
	}
	if atts, _ := st.Attachments(ctx, pd.Incident.ID); len(atts) != 1 || atts[0].Name != "third-party-disruption" {
		t.Errorf("attachments %+v", atts)
	}
}
