package cli

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// A command that changes an incident (status, severity, assign, retitle,
// attach) takes the incident's id first, and never falls back to the
// current incident: a change must not land on an incident nobody named.
// 'note' does fall back, because a note in the wrong place is amended in
// a keystroke. A responder used to 'note' leaves the id out; the error
// then gives the command to type, with the current incident's id.

// needID checks the arguments of such a command, need of them counting
// the id, and says what is missing. Its Args check lets fewer through,
// so this runs in RunE, once the store's path is known.
func (a *session) needID(cmd *cobra.Command, args []string, need int) error {
	slots := strings.Fields(cmd.Use)[1:] // "ID", "STATUS"...
	if len(args) == 0 || !couldBeID(args[0]) {
		return a.idLeftOut(cmd, args, slots[min(1+len(args), need):need])
	}
	if len(args) < need {
		missing := slots[len(args):need]
		return model.Invalidf("%s missing: %s", strings.Join(missing, " and "), commandLine(cmd, args, missing))
	}
	return nil
}

// withNamedIncident runs fn on the incident id names, in the store this
// command works on.
func (a *session) withNamedIncident(cmd *cobra.Command, id string, fn func(context.Context, *storage.Store, model.Incident) error) error {
	return a.withStore(cmd, func(ctx context.Context, st *storage.Store) error {
		in, err := st.ResolveIncident(ctx, id)
		if err != nil {
			return err
		}
		return fn(ctx, st, in)
	})
}

// couldBeID says whether s was meant as an incident id: hex, two
// characters or more (an id or its start; a severity is one digit), or
// empty (an unset $ID), which storage refuses by name.
func couldBeID(s string) bool {
	s = strings.TrimSpace(s)
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F' || r == '-') {
			return false
		}
	}
	return len(s) != 1
}

// idLeftOut says the command takes the incident's id first, with the
// command line to type: the current incident's id, when the store has
// one, else ID, then args and the placeholders still missing.
func (a *session) idLeftOut(cmd *cobra.Command, args, missing []string) error {
	id, which := "ID", "; 'sitrep ls' lists the ids"
	if _, err := os.Stat(a.dbPath); err == nil {
		if st, err := a.openStore(cmd.Context()); err == nil {
			if in, err := st.Current(cmd.Context()); err == nil {
				id, which = in.Short(), fmt.Sprintf(" (%s is the current incident, %q)", in.Short(), model.OneLine(in.Title))
			}
			st.Close()
		}
	}
	return model.Invalidf("%s takes the incident's id first, so a change never lands on the wrong incident: %s%s",
		cmd.Name(), commandLine(cmd, append([]string{id}, args...), missing), which)
}

// commandLine is the command line to type: cmd with args, then the
// placeholders still to fill.
func commandLine(cmd *cobra.Command, args, placeholders []string) string {
	return strings.Join(append([]string{cmd.CommandPath() + " " + model.ShellLine(args)}, placeholders...), " ")
}
