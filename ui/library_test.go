package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/runbooks"
)

// slowLibrary loads on first use, as the binary's does, and takes until
// release is closed to do it. Read before it has loaded, it fails the test:
// that read would be Update blocking on the team folders.
type slowLibrary struct {
	t       *testing.T
	lib     *runbooks.Library
	release chan struct{}
	loaded  chan struct{}
}

func (l *slowLibrary) Notice() string {
	<-l.release
	close(l.loaded)
	return ""
}

func (l *slowLibrary) ready() bool {
	select {
	case <-l.loaded:
		return true
	default:
		l.t.Error("the library was read before it had loaded (inside Update)")
		return false
	}
}

func (l *slowLibrary) RunbooksForKind(kind string) []*model.Runbook {
	if !l.ready() {
		return nil
	}
	return l.lib.RunbooksForKind(kind)
}

func (l *slowLibrary) Scenarios() []*model.Scenario {
	if !l.ready() {
		return nil
	}
	return l.lib.Scenarios()
}

// TestKeysWaitForTheLibrary: N pressed before the runbook library has
// loaded does not read it in Update; it says it is loading, holds the
// title typed after it, and opens the form with that title once the load
// (a command from Init) answers.
func TestKeysWaitForTheLibrary(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	lib := &slowLibrary{t: t, lib: bundled(t), release: make(chan struct{}), loaded: make(chan struct{})}
	var m tea.Model = New(Options{Store: st, Now: c.Now, Library: lib, Poll: -1, Renderer: asciiRenderer(), DraftDelay: -1})
	m, _ = m.Update(resize(120, 40))
	m, _ = m.Update(readIncidents(context.Background(), st, listPage))
	done := make(chan tea.Model)
	go func() {
		m, _ := m.Update(keyMsg("N"))
		for _, r := range "Disk full" {
			m, _ = m.Update(keyMsg(string(r)))
		}
		done <- m
	}()
	select {
	case m = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("N blocked the keyboard on the library's load")
	}
	if a := m.(App); a.slot.form() != nil || !strings.Contains(m.View(), "Loading runbooks…") {
		t.Fatalf("before the library loaded: form %v, screen:\n%s", a.slot.form() != nil, m.View())
	}
	close(lib.release)
	m, _ = m.Update(loadLibrary(lib)())
	a := m.(App)
	if f := a.slot.form(); f == nil || f.title.Value() != "Disk full" {
		t.Fatalf("after the library loaded: form %+v, want it open with the title typed while waiting", f)
	}
	if strings.Contains(m.View(), "Loading runbooks…") {
		t.Errorf("still says loading after the load:\n%s", m.View())
	}
}

// TestEscStopsWaitingForTheLibrary: esc while N waits for the library
// drops the wait, so a load that takes long opens nothing later.
func TestEscStopsWaitingForTheLibrary(t *testing.T) {
	c := newClock()
	st := openStore(t, c, "alice@laptop")
	lib := &slowLibrary{t: t, lib: bundled(t), release: make(chan struct{}), loaded: make(chan struct{})}
	var m tea.Model = New(Options{Store: st, Now: c.Now, Library: lib, Poll: -1, Renderer: asciiRenderer(), DraftDelay: -1})
	m, _ = m.Update(resize(120, 40))
	m, _ = m.Update(readIncidents(context.Background(), st, listPage))
	m, _ = m.Update(keyMsg("N"))
	m, _ = m.Update(keyMsg("esc"))
	if strings.Contains(m.View(), "Loading runbooks…") {
		t.Errorf("esc left the wait on screen:\n%s", m.View())
	}
	close(lib.release)
	m, _ = m.Update(loadLibrary(lib)())
	if a := m.(App); a.slot.form() != nil {
		t.Error("the form opened after esc dropped the wait")
	}
}
