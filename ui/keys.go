package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// keyMap is every key the cockpit answers to. It is built by newKeyMap and
// shared by the panes (which match on it) and the help view (which lists
// it), so help can never disagree with what a key does.
type keyMap struct {
	// Moving around.
	NextPane      key.Binding
	PrevPane      key.Binding
	FocusTimeline key.Binding
	FocusRunbook  key.Binding
	FocusRACI     key.Binding
	Up            key.Binding
	Down          key.Binding
	PageUp        key.Binding
	PageDown      key.Binding
	Top           key.Binding
	Bottom        key.Binding

	// Timeline.
	Note     key.Binding
	Decision key.Binding
	Action   key.Binding
	Pin      key.Binding
	Amend    key.Binding
	Retract  key.Binding

	Find     key.Binding
	FindOpen key.Binding
	FindPrev key.Binding
	FindNext key.Binding

	// Runbook stepper.
	Done        key.Binding
	Skip        key.Binding
	Block       key.Binding
	Reopen      key.Binding
	Copy        key.Binding
	Links       key.Binding
	Run         key.Binding
	PrevRunbook key.Binding
	NextRunbook key.Binding
	Attach      key.Binding

	// RACI.
	Assign key.Binding

	// Incident.
	Status   key.Binding
	Severity key.Binding
	Review   key.Binding
	Write    key.Binding

	// Drill facilitator.
	DrillPause   key.Binding
	DrillFaster  key.Binding
	DrillSlower  key.Binding
	DrillRelease key.Binding
	DrillSkip    key.Binding
	DrillEnd     key.Binding
	DrillPanel   key.Binding

	// Replay (replay.go).
	Replay       key.Binding
	ReplayPrev   key.Binding
	ReplayNext   key.Binding
	ReplayBack10 key.Binding
	ReplayOn10   key.Binding
	ReplayLive   key.Binding

	// Stats.
	Stats       key.Binding
	StatsSwitch key.Binding

	// Messages.
	Message     key.Binding
	CopyText    key.Binding
	SendMessage key.Binding

	// Review screen.
	EditSection key.Binding
	EditAll     key.Binding
	SaveText    key.Binding

	// Lists, screens, program.
	Open    key.Binding
	Declare key.Binding
	Drill   key.Binding
	Filter  key.Binding
	Help    key.Binding
	Back    key.Binding
	Quit    key.Binding
	ForceQ  key.Binding
	SyncNow key.Binding

	// Inside inputs, pickers and the declare form.
	Submit    key.Binding
	Cancel    key.Binding
	Toggle    key.Binding
	FillMe    key.Binding
	Yes       key.Binding
	No        key.Binding
	FieldNext key.Binding
	FieldPrev key.Binding
	Left      key.Binding
	Right     key.Binding
}

func newKeyMap() keyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return keyMap{
		NextPane:      b([]string{"tab"}, "tab", "next pane"),
		PrevPane:      b([]string{"shift+tab"}, "shift+tab", "previous pane"),
		FocusTimeline: b([]string{"1"}, "1", "focus timeline"),
		FocusRunbook:  b([]string{"2"}, "2", "focus runbook"),
		FocusRACI:     b([]string{"3"}, "3", "focus RACI"),
		Up:            b([]string{"k", "up"}, "k/↑", "up"),
		Down:          b([]string{"j", "down"}, "j/↓", "down"),
		PageUp:        b([]string{"pgup", "ctrl+b"}, "pgup", "page up"),
		PageDown:      b([]string{"pgdown", "ctrl+f"}, "pgdn", "page down"),
		Top:           b([]string{"g", "home"}, "g", "first"),
		Bottom:        b([]string{"G", "end"}, "G", "last (follow new)"),

		Note:     b([]string{"n"}, "n", "add note"),
		Decision: b([]string{"d"}, "d", "log decision"),
		Action:   b([]string{"a"}, "a", "log action item"),
		Pin:      b([]string{"p"}, "p", "pin/unpin entry"),
		Amend:    b([]string{"e"}, "e", "amend (correct) entry"),
		Retract:  b([]string{"X"}, "X", "retract entry (why?)"),
		Find:     b([]string{"/"}, "/", "find in the timeline, or the runbook when focused"),
		FindOpen: b([]string{"enter"}, "enter", "go to the match"),
		FindPrev: b([]string{"up", "ctrl+p"}, "↑", "previous match"),
		FindNext: b([]string{"down", "ctrl+n"}, "↓", "next match"),

		Done:        b([]string{"x", " "}, "x/space", "step done"),
		Skip:        b([]string{"s"}, "s", "skip step (why?)"),
		Block:       b([]string{"b"}, "b", "step blocked (why?)"),
		Reopen:      b([]string{"u"}, "u", "reopen step"),
		Copy:        b([]string{"y"}, "y", "copy the code block"),
		Links:       b([]string{"o"}, "o", "links in the step or entry: copy one"),
		Run:         b([]string{"!"}, "!", "run the code block, log its output"),
		PrevRunbook: b([]string{"["}, "[", "previous runbook"),
		NextRunbook: b([]string{"]"}, "]", "next runbook"),

		Assign: b([]string{"r"}, "r", "assign/hand over role"),
		Attach: b([]string{"A"}, "A", "attach a runbook"),

		Status:   b([]string{"S"}, "S", "change status"),
		Severity: b([]string{"V"}, "V", "change severity"),
		Review:   b([]string{"R"}, "R", "post-incident review"),
		Write:    b([]string{"W"}, "W", "write the review (a drill's report) to a file"),

		DrillPause:   b([]string{"P"}, "P", "pause/resume the exercise clock"),
		DrillFaster:  b([]string{"+", "="}, "+", "clock twice as fast"),
		DrillSlower:  b([]string{"-"}, "-", "clock half as fast"),
		DrillRelease: b([]string{"I"}, "I", "release the next inject now"),
		DrillSkip:    b([]string{"K"}, "K", "skip the next inject (why?)"),
		DrillEnd:     b([]string{"E"}, "E", "end the drill"),
		DrillPanel:   b([]string{"O"}, "O", "facilitator panel: injects, objectives"),

		Replay:       b([]string{"H"}, "H", "replay: the incident as it stood"),
		ReplayPrev:   b([]string{"left"}, "←", "previous entry"),
		ReplayNext:   b([]string{"right"}, "→", "next entry"),
		ReplayBack10: b([]string{"shift+left"}, "shift+←", "10 minutes back"),
		ReplayOn10:   b([]string{"shift+right"}, "shift+→", "10 minutes on"),
		ReplayLive:   b([]string{"esc"}, "esc", "back to live"),

		Stats:       b([]string{"T"}, "T", "response-time stats"),
		StatsSwitch: b([]string{"tab"}, "tab", "real incidents / exercises"),

		Message:     b([]string{"m"}, "m", "send an update (templates)"),
		CopyText:    b([]string{"ctrl+y"}, "ctrl+y", "copy the message"),
		SendMessage: b([]string{"ctrl+s"}, "ctrl+s", "log it as sent"),

		EditSection: b([]string{"enter"}, "enter", "edit section"),
		EditAll:     b([]string{"e"}, "e", "edit all in $EDITOR"),
		SaveText:    b([]string{"ctrl+s"}, "ctrl+s", "save the section"),

		Open:    b([]string{"enter"}, "enter", "open incident"),
		Declare: b([]string{"N"}, "N", "declare incident"),
		Drill:   b([]string{"D"}, "D", "start a drill (exercise)"),
		Filter:  b([]string{"/"}, "/", "filter"),
		Help:    b([]string{"?"}, "?", "help"),
		Back:    b([]string{"esc"}, "esc", "back"),
		Quit:    b([]string{"q"}, "q", "back/quit"),
		ForceQ:  b([]string{"ctrl+c"}, "ctrl+c", "quit"),
		SyncNow: b([]string{"ctrl+s"}, "ctrl+s", "sync now"),

		Submit:    b([]string{"enter"}, "enter", "save"),
		Cancel:    b([]string{"esc"}, "esc", "cancel"),
		Toggle:    b([]string{" "}, "space", "toggle"),
		FillMe:    b([]string{"ctrl+o"}, "ctrl+o", "fill in yourself (role input)"),
		Yes:       b([]string{"y", "Y", "enter"}, "y/enter", "confirm"),
		No:        b([]string{"n", "N", "esc"}, "n/esc", "do not"),
		FieldNext: b([]string{"tab", "down"}, "tab/↓", "next field"),
		FieldPrev: b([]string{"shift+tab", "up"}, "shift+tab/↑", "previous field"),
		Left:      b([]string{"left"}, "←", "previous choice"),
		Right:     b([]string{"right"}, "→", "next choice"),
	}
}

// helpGroup is one section of the help view.
type helpGroup struct {
	Title    string
	Bindings []key.Binding
}

// groups lists every key, in the sections the help view shows.
func (k keyMap) groups() []helpGroup {
	return []helpGroup{
		{"Anywhere", []key.Binding{k.Help, k.Back, k.Quit, k.ForceQ, k.SyncNow}},
		{"Incident list", []key.Binding{k.Open, k.Declare, k.Drill, k.Filter, k.Stats}},
		{"Stats", []key.Binding{k.StatsSwitch}},
		{"Panes", []key.Binding{k.NextPane, k.PrevPane, k.FocusTimeline, k.FocusRunbook, k.FocusRACI, k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}},
		{"Timeline", []key.Binding{k.Note, k.Decision, k.Action, k.Pin, k.Amend, k.Retract, k.Find}},
		{"Find", []key.Binding{k.FindOpen, k.FindPrev, k.FindNext}},
		{"Runbook", []key.Binding{k.Done, k.Skip, k.Block, k.Reopen, k.Copy, k.Links, k.Run, k.PrevRunbook, k.NextRunbook, k.Attach}},
		{"RACI and incident", []key.Binding{k.Assign, k.Status, k.Severity, k.Review, k.Write, k.Message}},
		{"Message", []key.Binding{k.CopyText, k.SendMessage}},
		{"Review", []key.Binding{k.EditSection, k.EditAll, k.SaveText}},
		{"Replay (read-only)", []key.Binding{k.Replay, k.ReplayPrev, k.ReplayNext, k.ReplayBack10, k.ReplayOn10, k.ReplayLive}},
		{"Drill (facilitator)", []key.Binding{k.DrillPause, k.DrillFaster, k.DrillSlower, k.DrillRelease, k.DrillSkip, k.DrillEnd, k.DrillPanel}},
		{"Inputs and pickers", []key.Binding{k.Submit, k.Cancel, k.FieldNext, k.FieldPrev, k.Left, k.Right, k.Toggle, k.FillMe, k.Yes, k.No}},
	}
}

// toEnd is a distance past the end of any list or page: Top and Bottom
// move by it, and the caller clamps.
const toEnd = 1 << 30

// move is how far a movement key takes a cursor or a scrolled page: a
// line, page lines, or to either end. ok is false for any other key.
func (k *keyMap) move(msg tea.KeyMsg, page int) (delta int, ok bool) {
	switch {
	case key.Matches(msg, k.Up):
		return -1, true
	case key.Matches(msg, k.Down):
		return 1, true
	case key.Matches(msg, k.PageUp):
		return -page, true
	case key.Matches(msg, k.PageDown):
		return page, true
	case key.Matches(msg, k.Top):
		return -toEnd, true
	case key.Matches(msg, k.Bottom):
		return toEnd, true
	}
	return 0, false
}
