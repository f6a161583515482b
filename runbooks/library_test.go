package runbooks

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sitrep-dev/sitrep/model"
)

// TestBundledFilesLintClean reads every file go:embed carries, as the
// library does, and wants no diagnostics at all: the bundled library is the
// example every team copies from.
func TestBundledFilesLintClean(t *testing.T) {
	n := 0
	err := fs.WalkDir(bundledFiles, "library", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if path.Ext(p) != ".md" {
			t.Errorf("%s: bundled file that is not Markdown is never loaded", p)
			return nil
		}
		src, err := bundledFiles.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		var diags []Diagnostic
		if strings.HasPrefix(p, "library/scenarios/") {
			_, diags = ParseScenario(p, src)
		} else {
			_, diags = Parse(p, src)
		}
		for _, d := range diags {
			t.Errorf("%s", d)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 13 {
		t.Errorf("only %d bundled files", n)
	}
}

func TestBundledRunbooks(t *testing.T) {
	lib, diags, err := Load(nil)
	if err != nil || len(diags) > 0 {
		t.Fatalf("Load(nil): %v %v", err, diags)
	}
	for _, name := range []string{"major-incident", "security-incident", "unauthorised-access", "data-exposure",
		"denial-of-service", "third-party-disruption", "dr-validation-review", "customer-data-return", "soc2-evidence"} {
		rb, err := lib.Runbook(name)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if rb.Source != BundledSource || rb.Prose || len(rb.Phases) < 3 {
			t.Errorf("%s: source %q, prose %v, %d phases", name, rb.Source, rb.Prose, len(rb.Phases))
		}
		if rb.DefaultRACI.Check() != nil {
			t.Errorf("%s: default RACI %v: %v", name, rb.DefaultRACI, rb.DefaultRACI.Check())
		}
		used := map[model.Role]bool{}
		for _, st := range rb.Steps() {
			if err := st.RACI.Check(); err != nil {
				t.Errorf("%s step %d (line %d): %v", name, st.Index+1, st.Line, err)
			}
			if len(st.RACI.Responsible) == 0 {
				t.Errorf("%s step %d (line %d): nobody Responsible", name, st.Index+1, st.Line)
			}
			for _, r := range st.RACI.Roles() {
				if !rb.KnowsRole(r) {
					t.Errorf("%s: unknown role %s", name, r)
				}
				used[r] = true
			}
		}
		if !used[model.RoleCommander] && name != "customer-data-return" { // a request, not an incident: legal answers for it
			t.Errorf("%s never involves the incident commander", name)
		}
		if hash := model.TextHash(rb.Text); hash != rb.Hash {
			t.Errorf("%s: hash %s does not match its text", name, rb.Hash)
		}
	}
	// Between them the bundled runbooks give every standard role work.
	used := map[model.Role]bool{}
	for _, rb := range lib.Runbooks() {
		for _, st := range rb.Steps() {
			for _, r := range st.RACI.Roles() {
				used[r] = true
			}
		}
	}
	for _, r := range model.StandardRoles {
		if !used[r] {
			t.Errorf("no bundled step involves %s", r)
		}
	}
	dr, _ := lib.Runbook("dr-validation-review")
	if dr != nil && (!strings.Contains(dr.Text, "RTO") || !strings.Contains(dr.Text, "RPO")) {
		t.Errorf("DR review does not state RTO/RPO criteria")
	}
	ret, _ := lib.Runbook("customer-data-return")
	if ret != nil {
		steps := strings.ToLower(stepTitles(ret))
		for _, want := range []string{"authenticate", "verify", "csv", "json", "encrypt", "notify", "record"} {
			if !strings.Contains(steps, want) {
				t.Errorf("data-return runbook has no step about %q", want)
			}
		}
	}
}

func stepTitles(rb *model.Runbook) string {
	var b strings.Builder
	for _, st := range rb.Steps() {
		b.WriteString(st.Title + "\n")
	}
	return b.String()
}

func TestBundledScenarios(t *testing.T) {
	lib, _, err := Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"region-outage-dr": false, "credential-stuffing": false, "public-bucket-exposure": false, "payment-provider-outage": false}
	if len(lib.Scenarios()) < 4 {
		t.Errorf("%d bundled scenarios, want at least 4", len(lib.Scenarios()))
	}
	for _, sc := range lib.Scenarios() {
		if _, ok := want[sc.Name]; ok {
			want[sc.Name] = true
		}
		if n := len(sc.Injects); n < 6 || n > 12 {
			t.Errorf("%s: %d injects, want 6-12", sc.Name, n)
		}
		if len(sc.Objectives) == 0 || len(sc.Runbooks) == 0 || sc.Severity == 0 || sc.Duration == 0 {
			t.Errorf("%s: objectives %d, runbooks %v, severity %v, duration %v", sc.Name, len(sc.Objectives), sc.Runbooks, sc.Severity, sc.Duration)
		}
		for _, name := range sc.Runbooks {
			if _, err := lib.Runbook(name); err != nil {
				t.Errorf("%s exercises a runbook the library lacks: %v", sc.Name, err)
			}
		}
		for i, in := range sc.Injects {
			if in.Title == "" || in.Text == "" || len(in.Expected) == 0 {
				t.Errorf("%s inject %d at %s: title %q, text %d bytes, %d expected actions", sc.Name, i, model.FormatOffset(in.Offset), in.Title, len(in.Text), len(in.Expected))
			}
			if in.Offset > sc.Duration {
				t.Errorf("%s inject %d after the scenario ends", sc.Name, i)
			}
		}
		if sc.Injects[0].Offset != 0 {
			t.Errorf("%s: first inject at %s, want the start", sc.Name, model.FormatOffset(sc.Injects[0].Offset))
		}
	}
	for name, found := range want {
		if !found {
			t.Errorf("scenario %s missing", name)
		}
	}
	dr, err := lib.Scenario("region-outage-dr")
	if err != nil {
		t.Fatal(err)
	}
	rto, _ := dr.Objective("rto")
	rpo, _ := dr.Objective("rpo")
	if rto.Kind != model.ObjectiveRTO || rto.Target == 0 || rpo.Kind != model.ObjectiveRPO || rpo.Target == 0 {
		t.Errorf("DR scenario objectives: rto %+v rpo %+v", rto, rpo)
	}
	bucket, err := lib.Scenario("public-bucket-exposure")
	if err != nil {
		t.Fatal(err)
	}
	if o, ok := bucket.Objective("regulator-notice"); !ok || o.Target != 72*60*60*1e9 {
		t.Errorf("bucket scenario has no 72h regulator clock: %+v", o)
	}
}

func writeTeamFile(t *testing.T, dir, rel, text string) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadTeamFolders(t *testing.T) {
	first, second := t.TempDir(), t.TempDir()
	writeTeamFile(t, first, "major-incident.md", "# Ours\n\n- [ ] Page {A: ic}\n")
	writeTeamFile(t, first, "ops/db.md", "# DB v1\n\n- [ ] One {A: ic}\n")
	writeTeamFile(t, second, "db.md", "# DB v2\n\n- [ ] One {A: ic}\n- [ ] Two {A: ic}\n")
	writeTeamFile(t, second, "other/db.markdown", "# DB v3\n\n- [ ] x {A: ic}\n")
	writeTeamFile(t, second, "empty.md", "---\ntitle: Placeholder\n---\n<!-- to be written -->\n")
	writeTeamFile(t, second, "drills/fire.md", "---\nobjectives: [Out within 10m]\n---\n# Fire\n\n### +0m Smoke\nSmoke.\n")
	writeTeamFile(t, second, "anywhere.md", "---\ntype: scenario\n---\n# Flood\n\n### +0m Water\nWet.\n")
	writeTeamFile(t, second, "drills/checklist.md", "---\ntype: runbook\n---\n# Checklist\n\n- [ ] Book the room {A: ic}\n")
	writeTeamFile(t, second, "NodeDown", "# NodeDown\n\n## Meaning\n\nDown.\n")
	writeTeamFile(t, second, ".git/HEAD.md", "# not me\n\n- [ ] x\n")
	writeTeamFile(t, second, "README.md", "# Readme\n\n- [ ] x\n")

	lib, diags, err := Load([]string{first, second})
	if err != nil {
		t.Fatal(err)
	}
	mi, err := lib.Runbook("Major Incident")
	if err != nil || mi.Title != "Ours" || mi.Source != first {
		t.Errorf("override of a bundled runbook: %+v %v", mi, err)
	}
	if got := lib.RunbookOverrides("major-incident"); len(got) != 1 || got[0] != BundledSource {
		t.Errorf("overrides of major-incident: %v", got)
	}
	db, _ := lib.Runbook("db")
	if db == nil || db.Title != "DB v3" {
		t.Fatalf("later folder, then the later file in it, does not win: %+v", db)
	}
	if got := lib.RunbookOverrides("db"); len(got) < 1 || !strings.HasSuffix(got[0], filepath.Join("ops", "db.md")) {
		t.Errorf("db overrides: %v", got)
	}
	if _, err := lib.Runbook("empty"); err == nil {
		t.Errorf("a file with nothing to walk was loaded")
	}
	if _, err := lib.Runbook("nodedown"); err != nil {
		t.Errorf("file without extension not loaded: %v", err)
	}
	for _, name := range []string{"fire", "anywhere"} {
		if sc, err := lib.Scenario(name); err != nil || len(sc.Injects) != 1 {
			t.Errorf("scenario %s: %v", name, err)
		}
		if _, err := lib.Runbook(name); err == nil {
			t.Errorf("scenario %s also loaded as a runbook", name)
		}
	}
	if _, err := lib.Runbook("checklist"); err != nil {
		t.Errorf("type: runbook under a drills folder is not read as a runbook: %v", err)
	}
	for _, name := range []string{"readme", "head"} {
		if _, err := lib.Runbook(name); err == nil {
			t.Errorf("%s loaded as a runbook", name)
		}
	}
	text := diagList(diags)
	for _, want := range []string{"runbook has no steps; not loaded", `runbook name "db" is also taken by`, "file has no extension"} {
		if !strings.Contains(text, want) {
			t.Errorf("load diagnostics lack %q:\n%s", want, text)
		}
	}
	if HasErrors(diags) {
		t.Errorf("errors loading clean files:\n%s", text)
	}

	if _, _, err := Load([]string{filepath.Join(first, "missing")}); err == nil {
		t.Errorf("a missing folder named on purpose is not an error")
	}
	_, err = lib.Runbook("dbb")
	if err == nil || !strings.Contains(err.Error(), `did you mean "db"`) {
		t.Errorf("no suggestion for a typo: %v", err)
	}
}
