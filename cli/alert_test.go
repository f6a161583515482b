package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/adrg/xdg"

	"github.com/sitrep-dev/sitrep/alerts"
)

func alertFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "alerts", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// alertTeamRunbook puts a runbook named for the fixture's runbook_url in the
// team folder sitrep reads ($XDG_CONFIG_HOME/sitrep/runbooks), as a team
// keeping the Prometheus Operator's runbooks would have it.
func alertTeamRunbook(t *testing.T) {
	t.Helper()
	dir := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "sitrep", "runbooks")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	text := "# NodeFilesystemSpaceFillingUp\n\n## Mitigation\n\n1. Find what grew: `du -xh /var/lib/postgresql | sort -h | tail`\n2. Free space or grow the volume\n"
	if err := os.WriteFile(filepath.Join(dir, "NodeFilesystemSpaceFillingUp.md"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// declareAlert runs declare --from-alert - with body on standard input.
func (c *cli) declareAlert(body string) (id, stderr string) {
	c.t.Helper()
	out, errOut, code := c.run(body, "declare", "--from-alert", "-")
	if code != 0 {
		c.t.Fatalf("declare --from-alert: exit %d: %s", code, errOut)
	}
	return strings.TrimSpace(out), errOut
}

// TestDeclareFromAlertmanagerWebhook: the webhook declares an incident with
// the alert's title, severity, kind and detection time, the runbook its
// runbook_url names attached and the alert as the first note; the same
// group firing again adds a note to it; the group resolving adds a note
// and leaves the status as it was.
func TestDeclareFromAlertmanagerWebhook(t *testing.T) {
	c := newCLI(t)
	alertTeamRunbook(t)
	id, info := c.declareAlert(alertFixture(t, "alertmanager-webhook-firing.json"))
	if len(id) != 8 || !strings.Contains(info, "runbook nodefilesystemspacefillingup attached") {
		t.Fatalf("printed %q, said %q", id, info)
	}
	show := c.ok("show", id)
	for _, want := range []string{
		"NodeFilesystemSpaceFillingUp: Filesystem is predicted to run out of space within the next 4 hours. (2 alerts)",
		"SEV1 · outage · investigating",
		"detected 2026-11-23 13:58:41",
		"Runbook attached: NodeFilesystemSpaceFillingUp (nodefilesystemspacefillingup",
		"Declared from an alert (Alertmanager webhook): 2 firing",
		`Group: alertmanager:{}/{severity=~"warning|critical"}:{alertname="NodeFilesystemSpaceFillingUp"}`,
		"Source: http://prometheus.prod:9090/graph",
		"instance=db-4.prod:9100",
	} {
		if !strings.Contains(show, want) {
			t.Errorf("show lacks %q:\n%s", want, show)
		}
	}
	if strings.Contains(show, "not a runbook in the library") {
		t.Errorf("a found runbook is reported missing:\n%s", show)
	}

	again, info := c.declareAlert(alertFixture(t, "alertmanager-webhook-firing.json"))
	if again != id || !strings.Contains(info, "fired again") {
		t.Fatalf("the same group again printed %q (%q), want the open incident %s", again, info, id)
	}
	c.ok("status", id, "mitigated")
	resolved, info := c.declareAlert(alertFixture(t, "alertmanager-webhook-resolved.json"))
	if resolved != id || !strings.Contains(info, "stays mitigated") {
		t.Fatalf("resolved printed %q (%q)", resolved, info)
	}
	show = c.ok("show", id)
	for _, want := range []string{"Alert fired again (Alertmanager webhook)", "Alert resolved at 2026-11-23 14:41:11Z", "The incident stays mitigated", "'sitrep status " + id + " resolved'"} {
		if !strings.Contains(show, want) {
			t.Errorf("show lacks %q:\n%s", want, show)
		}
	}
	if !strings.Contains(show, "· mitigated") {
		t.Errorf("a resolved alert changed the status:\n%s", show)
	}
	if ls := c.ok("ls"); strings.Count(ls, "\n") != 2 {
		t.Errorf("want one incident:\n%s", ls)
	}

	// Once a person resolves it, the group firing again is a new incident.
	c.ok("status", id, "resolved")
	fresh, _ := c.declareAlert(alertFixture(t, "alertmanager-webhook-firing.json"))
	if fresh == id || fresh == "" {
		t.Errorf("after the incident was resolved the group declared %q, want a new incident", fresh)
	}
}

// TestDeclareFromAlertRunbookNotInLibrary: a runbook_url that names no
// runbook in the library becomes a note naming the URL.
func TestDeclareFromAlertRunbookNotInLibrary(t *testing.T) {
	c := newCLI(t)
	id, info := c.declareAlert(alertFixture(t, "alertmanager-api-alerts.json"))
	if strings.Contains(info, "attached") {
		t.Errorf("said %q", info)
	}
	show := c.ok("show", id)
	for _, want := range []string{"CheckoutHighErrorRate: checkout-api is failing 7.3% of requests (2 alerts)", "SEV2",
		`runbook_url https://git.example.com/sre/runbooks/-/blob/main/checkout/CheckoutHighErrorRate.md names "CheckoutHighErrorRate", which is not a runbook in the library`,
		"[suppressed since 2026-11-23 14:07:11Z]"} {
		if !strings.Contains(show, want) {
			t.Errorf("show lacks %q:\n%s", want, show)
		}
	}
	if strings.Contains(show, "Runbook attached") {
		t.Errorf("a runbook was attached:\n%s", show)
	}
	// The command the note suggests is one that works.
	_, hint, ok := strings.Cut(show, "attach one with 'sitrep ")
	hint, _, _ = strings.Cut(hint, "'")
	if !ok || !strings.HasSuffix(hint, " NAME") {
		t.Fatalf("no command suggested:\n%s", show)
	}
	c.ok(strings.Fields(strings.TrimSuffix(hint, "NAME") + "major-incident")...)
	if show := c.ok("show", id); !strings.Contains(show, "Runbook attached") {
		t.Errorf("the suggested command attached nothing:\n%s", show)
	}
}

// TestDeclareFromAlertBundledRunbookAndConfig: a runbook_url naming a
// bundled runbook attaches it; the config's severity-map and
// alert-kind-label decide severity and kind.
func TestDeclareFromAlertBundledRunbookAndConfig(t *testing.T) {
	c := newCLI(t)
	conf := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "sitrep", "config")
	if err := os.MkdirAll(filepath.Dir(conf), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(conf, []byte("severity-map = page=1, ticket=4\nalert-kind-label = category\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	xdg.Reload() // newCLI pointed XDG_CONFIG_HOME at a temp dir
	t.Cleanup(xdg.Reload)
	body := `{"version":"4","groupKey":"{}:{alertname=\"LoginFailures\"}","status":"firing","receiver":"sec",
	"alerts":[{"status":"firing","labels":{"alertname":"LoginFailures","severity":"page","category":"security"},
	"annotations":{"summary":"Failed logins 40x normal","runbook_url":"https://wiki.example.com/runbooks/security-incident.md"},
	"startsAt":"2026-11-23T09:00:00Z","fingerprint":"aa11"}]}`
	id, info := c.declareAlert(body)
	if !strings.Contains(info, "declared "+id+" SEV1 security") || !strings.Contains(info, "runbook security-incident attached") {
		t.Fatalf("said %q", info)
	}
	if show := c.ok("show", id); !strings.Contains(show, `Severity: SEV1, from "page"`) {
		t.Errorf("show:\n%s", show)
	}
	if err := os.WriteFile(conf, []byte("severity-map = page\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c.fails(1, conf+":1: severity-map entry \"page\": expected VALUE=SEV", "declare", "--from-alert", "-")
}

// TestDeclareFromAlertPagerDuty: a triggered event declares, a resolved one
// of the same incident notes it.
func TestDeclareFromAlertPagerDuty(t *testing.T) {
	c := newCLI(t)
	id, _ := c.declareAlert(alertFixture(t, "pagerduty-incident-triggered.json"))
	again, info := c.declareAlert(alertFixture(t, "pagerduty-incident-resolved.json"))
	if again != id || !strings.Contains(info, "stays investigating") {
		t.Fatalf("resolved: %q %q", again, info)
	}
	show := c.ok("show", id)
	for _, want := range []string{"Payments API: Card authorisations failing at the payment provider", "SEV1", "Group: pagerduty:Q2KX7RA9PL4MZB",
		"Alert resolved at 2026-11-23 15:10:02Z (PagerDuty webhook)"} {
		if !strings.Contains(show, want) {
			t.Errorf("show lacks %q:\n%s", want, show)
		}
	}
}

// TestDeclareFromAlertRefusals: bad input gets one line saying what was
// expected, and nothing is written: the store is not even created.
func TestDeclareFromAlertRefusals(t *testing.T) {
	c := newCLI(t)
	for _, bad := range []struct{ body, want string }{
		{"<html>502 Bad Gateway</html>", "is not JSON"},
		{`{"status":"firing"}`, `none of "alerts", "event", "alert", "AlarmName", "detail-type", "incident" or "schemaId"`},
		{`{"version":"4","alerts":[]}`, "holds no alerts"},
		{`[]`, "array of alerts is empty"},
		{alertFixture(t, "pagerduty-incident-acknowledged.json"), "the PagerDuty event is incident.acknowledged"},
	} {
		out, errOut, code := c.run(bad.body, "declare", "--from-alert", "-")
		if code != 1 || !strings.Contains(errOut, bad.want) || !strings.Contains(errOut, "expected") || strings.Count(errOut, "\n") != 1 || out != "" {
			t.Errorf("%.30q: exit %d, stdout %q, stderr %q; want exit 1 and one line with %q", bad.body, code, out, errOut, bad.want)
		}
	}
	c.fails(1, "leave out --sev", "declare", "--from-alert", "-", "--sev", "2")
	c.fails(1, "no such file", "declare", "--from-alert", filepath.Join(t.TempDir(), "missing.json"))
	c.fails(1, `required flag(s) "title", "sev" not set`, "declare")
	if _, err := os.Stat(c.db); !os.IsNotExist(err) {
		t.Errorf("the store was created by refused input (%v)", err)
	}
	// A resolved group no incident has writes nothing either.
	if _, errOut, code := c.run(alertFixture(t, "alertmanager-webhook-resolved.json"), "declare", "--from-alert", "-"); code != 0 || !strings.Contains(errOut, "nothing written") {
		t.Errorf("resolved without incident: exit %d %q", code, errOut)
	}
	if ls := c.ok("ls"); !strings.Contains(ls, "no incidents yet") {
		t.Errorf("ls:\n%s", ls)
	}
}

// hugeBody is n bytes of an alert payload's start and spaces, made as it
// is read.
type hugeBody struct{ n, read int64 }

func (h *hugeBody) Read(p []byte) (int, error) {
	if h.read >= h.n {
		return 0, io.EOF
	}
	k := min(int64(len(p)), h.n-h.read)
	for i := range p[:k] {
		p[i] = ' '
	}
	if h.read == 0 {
		copy(p, `{"version":"4","alerts":[`)
	}
	h.read += k
	return int(k), nil
}

// TestDeclareFromAlertRefusesHugeBody: 100 MB on standard input, or in a
// file, is refused after at most MaxBody bytes, with nothing written to a
// store that already holds an incident.
func TestDeclareFromAlertRefusesHugeBody(t *testing.T) {
	c := newCLI(t)
	c.ok("declare", "--title", "Already here", "--sev", "3")
	before := c.ok("show", "--ids")
	body := &hugeBody{n: 100 << 20}
	var out, errOut bytes.Buffer
	code := Main(context.Background(), []string{"--db", c.db, "declare", "--from-alert", "-"}, body, &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "over 10 MB") || out.Len() != 0 {
		t.Fatalf("100 MB on stdin: exit %d, %q %q", code, out.String(), errOut.String())
	}
	if body.read > alerts.MaxBody+1<<16 {
		t.Errorf("read %d bytes of it", body.read)
	}
	file := filepath.Join(t.TempDir(), "huge.json")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(100 << 20); err != nil { // sparse: no 100 MB written to the disk
		t.Fatal(err)
	}
	f.Close()
	c.fails(1, "huge.json: the alert payload is over 10 MB", "declare", "--from-alert", file)
	if after := c.ok("show", "--ids"); after != before {
		t.Errorf("the store changed:\n%s\nwas\n%s", after, before)
	}
	if ls := c.ok("ls"); strings.Count(ls, "\n") != 2 {
		t.Errorf("ls:\n%s", ls)
	}
}
