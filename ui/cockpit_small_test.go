package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/runbooks"
)

// TestReviewSaveFailureInStatusLine: a save of the review that fails says
// so in the status line too; it went on saying "Review saved" from the
// save before.
func TestReviewSaveFailureInStatusLine(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	fail := false
	d := newDriver(t, Options{Store: failingStore{st, &fail}, Now: c.Now, Incident: incA}, 160, 48)
	d.press("R", "enter")
	d.typeText("A bad TLS config")
	d.press("ctrl+s")
	if a := d.app(); !strings.Contains(a.flash, "Review saved") {
		t.Fatalf("first save: flash %q", a.flash)
	}
	fail = true
	d.press("enter")
	d.typeText(" in deploy 4812")
	d.press("ctrl+s")
	a := d.app()
	if strings.Contains(a.flash, "Review saved") || !strings.Contains(a.flash, "not saved") || !a.isErr {
		t.Errorf("after a failed save the status line says %q", a.flash)
	}
}

// TestDeclareFormTicksTheBestRunbook: the form ticks the one runbook that
// fits the kind and severity best, not every runbook of the kind (four for
// an outage); space ticks more.
func TestDeclareFormTicksTheBestRunbook(t *testing.T) {
	lib := bundled(t)
	s := NewStyles(asciiRenderer())
	k := newKeyMap()
	f := newDeclareForm(s, &k, lib)
	for _, c := range []struct {
		kind string
		sev  model.Severity
		want string
	}{
		{"outage", model.SEV1, "major-incident"},
		{"outage", model.SEV3, "denial-of-service"},
		{"ddos", model.SEV1, "denial-of-service"},
		{"security", model.SEV2, "security-incident"},
		{"data-request", model.SEV4, "customer-data-return"},
	} {
		for i, kind := range model.IncidentKinds {
			if kind == c.kind {
				f.kind = i
			}
		}
		f.severity = c.sev
		f.offer()
		_, names, _ := f.declaration(time.Now())
		if len(names) != 1 || names[0] != c.want {
			t.Errorf("%s %s: ticked %v (of %d offered), want [%s]", c.kind, c.sev, names, len(f.offered), c.want)
		}
	}
	// Space on a runbook row ticks it as well.
	f.kind = 0
	for i, kind := range model.IncidentKinds {
		if kind == "outage" {
			f.kind = i
		}
	}
	f.severity = model.SEV1
	f.offer()
	f.setField(fieldRunbooks)
	if f.checked[f.offered[0].Name] {
		f.setField(fieldRunbooks + 1)
	}
	f.Update(keyMsg("space"))
	if _, names, _ := f.declaration(time.Now()); len(names) != 2 {
		t.Errorf("after space: %v", names)
	}
}

// TestWrappedCodeIsMarked: a command longer than the pane goes on under
// a mark, so its wrapped part does not read as a command of its own.
func TestWrappedCodeIsMarked(t *testing.T) {
	src := "# T\n\n- [ ] look\n\n  ```sh\n  curl -s 'https://prometheus.example.internal/api/v1/query' --data-urlencode 'query=sum(rate(x[5m]))'\n  echo done\n  ```\n"
	rb, _ := runbooks.Parse("t.md", []byte(src))
	var plain []string
	for _, l := range runbooks.Render(rb, 40).Lines {
		if t := strings.TrimSpace(l.Text()); strings.HasPrefix(t, "┃") {
			plain = append(plain, t)
		}
	}
	if len(plain) < 4 || !strings.HasPrefix(plain[0], "┃ curl") || !strings.HasPrefix(plain[1], "┃↪") || !strings.HasPrefix(plain[len(plain)-1], "┃ echo done") {
		t.Errorf("wrapped code:\n%s", strings.Join(plain, "\n"))
	}
}

// TestRoleNamesFitAt160: at 160 columns the RACI pane shows every role's
// name whole; "Subject Matter Expert" was cut to "Subject Matter Exp…".
func TestRoleNamesFitAt160(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	d := newDriver(t, Options{Store: st, Now: c.Now, Incident: incA}, 160, 48)
	v := d.view()
	for _, line := range strings.Split(v, "\n") {
		if strings.Contains(line, "Exp…") {
			t.Errorf("a role name is cut: %q", line)
		}
	}
	for _, role := range model.StandardRoles {
		if !strings.Contains(v, role.Title()) {
			t.Errorf("%q is not whole in the RACI pane:\n%s", role.Title(), v)
		}
	}
	if !strings.Contains(v, "Scribe") || !strings.Contains(v, "bob@desk") {
		t.Errorf("holders not shown:\n%s", v)
	}
}

// TestFilterReopensSelected: / on a list filtered by "checkout" shows the
// filter selected; typing replaces it (it used to append: "checkoutdns"),
// and an arrow key keeps it to edit.
func TestFilterReopensSelected(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	d := newDriver(t, Options{Store: st, Now: c.Now, SearchDelay: -1}, 120, 40)
	d.press("/")
	d.typeText("checkout")
	d.press("enter", "/")
	d.typeText("dns")
	a := d.app()
	if v := a.list.filter.Value(); v != "dns" {
		t.Errorf("/ then typing: filter %q, want dns", v)
	}
	if v := d.view(); !strings.Contains(v, "Stale DNS cache") || strings.Contains(v, "Checkout returns 500") {
		t.Errorf("the list is not filtered by dns:\n%s", v)
	}
	d.press("enter", "/", "left")
	d.typeText("x")
	if v := d.app().list.filter.Value(); v != "dnxs" {
		t.Errorf("/ then ← then x: filter %q, want dnxs", v)
	}
}

// TestEnterWhileSearchingOpensTheMatch: '/', an id, enter, enter typed
// faster than the store answers the filter opens the incident the id names
// when the answer arrives; it used to open nothing (the list was still
// empty when the second enter came).
func TestEnterWhileSearchingOpensTheMatch(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	seed(t, st, c, bundled(t))
	list, err := st.Incidents(t.Context())
	if err != nil || len(list) < 2 {
		t.Fatalf("seeded incidents: %v %d", err, len(list))
	}
	want := list[len(list)-1]
	d := newDriver(t, Options{Store: st, Now: c.Now, SearchDelay: -1}, 120, 40)
	d.press("/")
	// Typed with the search's answers held back, as when keys come faster
	// than the store answers.
	var held []tea.Cmd
	for _, r := range model.ShortID(want.ID) {
		var cmd tea.Cmd
		d.m, cmd = d.m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		held = append(held, cmd)
	}
	for _, k := range []string{"enter", "enter"} {
		var cmd tea.Cmd
		d.m, cmd = d.m.Update(keyMsg(k))
		held = append(held, cmd)
	}
	if d.app().screen != screenList {
		t.Fatalf("opened before the search answered")
	}
	for _, cmd := range held {
		d.run(cmd)
	}
	if a := d.app(); a.screen != screenIncident || a.incID != want.ID {
		t.Errorf("after the answer: screen %v, incident %q; want %s open:\n%s", a.screen, a.incID, want.ID, d.view())
	}
}
