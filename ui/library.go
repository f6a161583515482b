package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// The runbook library may load on first use (the binary's does: it reads
// the team folders). The App loads it in a command at start; N, D and A,
// which offer its runbooks and scenarios, wait for it when pressed before
// it has loaded, saying so, and so do the keys typed after them, so a
// title typed straight after N still lands in the form.

// lazyLibrary is a Library that loads when first asked; Notice loads it
// and says what went wrong, if anything.
type lazyLibrary interface {
	Library
	Notice() string
}

const loadingLibrary = "Loading runbooks…"

// waitForLibrary holds a key that needs the library until it has loaded.
func (a *App) waitForLibrary(msg tea.KeyMsg) bool {
	if a.libReady {
		return false
	}
	k := a.keys
	needs := key.Matches(msg, k.Declare) ||
		a.screen == screenList && key.Matches(msg, k.Drill) ||
		a.screen == screenIncident && a.loaded && key.Matches(msg, k.Attach)
	if !needs {
		return false
	}
	a.libWait = append(a.libWait, msg)
	a.setFlash(loadingLibrary, false)
	return true
}

// holdForLibrary holds a key typed after one waiting for the library; esc
// stops waiting, and drops the keys held.
func (a *App) holdForLibrary(msg tea.KeyMsg) {
	if key.Matches(msg, a.keys.Cancel) {
		a.libWait = nil
		if a.flash == loadingLibrary {
			a.flash = ""
		}
		return
	}
	a.libWait = append(a.libWait, msg)
}

// onLibrary takes the library loaded, says what went wrong loading it, and
// gives the keys that waited for it their turn, in order.
func (a *App) onLibrary(msg libraryMsg) tea.Cmd {
	a.libReady = true
	if a.flash == loadingLibrary {
		a.flash = ""
	}
	if msg != "" {
		a.setFlash(string(msg), true)
	}
	keys := a.libWait
	a.libWait = nil
	var cmds []tea.Cmd
	for _, k := range keys {
		var cmd tea.Cmd
		*a, cmd = a.handleKey(k)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}
