package ui

import (
	"context"
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sitrep-dev/sitrep/model"
)

// confirmation asks one yes/no question before a change that is easy to
// make by mistake and lands in the permanent log: taking command from
// someone else, resolving with steps unfinished, changing severity. Every
// other key is held, so text typed by mistake runs nothing.
type confirmation struct {
	question  string
	yes       func(a *App) tea.Cmd
	under     modal // what it was asked over, open again once answered
	enterOnly bool  // only enter says yes: y is what the runbook pane copies with
}

func (a *App) ask(question string, yes func(a *App) tea.Cmd) {
	a.slot.over(&confirmation{question: question, yes: yes})
}

// askEnter asks a question only enter answers yes to: running a command.
func (a *App) askEnter(question string, yes func(a *App) tea.Cmd) {
	a.slot.over(&confirmation{question: question, yes: yes, enterOnly: true})
}

// act is what a key does to a question: y runs what it asked about, n
// gives the input it covered back.
func (c *confirmation) act(a *App, msg tea.KeyMsg) tea.Cmd {
	k := a.keys
	switch {
	case key.Matches(msg, k.Yes) && (!c.enterOnly || msg.Type == tea.KeyEnter):
		a.slot.close()
		return c.yes(a)
	case key.Matches(msg, k.No):
		a.slot.close()
		if p := a.slot.prompt(); p != nil && p.kind == promptAssign {
			p.release() // back to the input, text kept
		}
	}
	return nil
}

// lines are the footer's two lines while a question is open.
func (c *confirmation) lines(s *Styles, k *keyMap, w int) []string {
	yes := k.Yes
	if c.enterOnly {
		yes = key.NewBinding(key.WithKeys(k.Submit.Keys()...), key.WithHelp(k.Submit.Help().Key, "run it"))
	}
	return []string{s.Warn.Render(clip(c.question, w)), shortHelp(s, []key.Binding{yes, k.No}, w)}
}

// severityChange asks before the severity changes: it pages people and
// sets every deadline.
func (a *App) severityChange(to model.Severity) tea.Cmd {
	from := a.inc.Severity
	a.ask(fmt.Sprintf("Change severity from %s to %s?", from, to), func(a *App) tea.Cmd {
		a.nextReq++
		rs, id := a.rs, a.incID
		return record(a.nextReq, id, func(ctx context.Context) (model.Event, error) {
			return rs.SetSeverity(ctx, id, to, "")
		})
	})
	return nil
}

// statusChange records a new status; resolving with steps still open or
// blocked asks first.
func (a *App) statusChange(to model.Status) tea.Cmd {
	save := func(a *App) tea.Cmd {
		a.nextReq++
		rs, id := a.rs, a.incID
		return record(a.nextReq, id, func(ctx context.Context) (model.Event, error) {
			return rs.SetStatus(ctx, id, to, "", time.Time{})
		})
	}
	if to == model.StatusResolved {
		if open, blocked := a.stepper.unfinished(); open+blocked > 0 {
			what := model.Count(open, "step") + " open"
			if blocked > 0 {
				what += " and " + fmt.Sprint(blocked) + " blocked"
			}
			a.ask("Resolve with "+what+"?", save)
			return nil
		}
	}
	return save(a)
}

// handOverNeedsAsking reports whether giving role to holder takes command
// from someone else, and the question to ask.
func (a *App) handOverNeedsAsking(role model.Role, holder string) (string, bool) {
	cur := a.raci.holder(role)
	if role != model.RoleCommander || cur == "" || cur == holder {
		return "", false
	}
	if holder == "" {
		return fmt.Sprintf("Release %s, held by %s?", a.raci.title(role), cur), true
	}
	return fmt.Sprintf("Hand %s from %s over to %s?", a.raci.title(role), cur, model.OneLine(holder)), true
}
