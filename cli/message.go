package cli

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sitrep-dev/sitrep/clipboard"
	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

func messageCommands(a *session) []*cobra.Command {
	return []*cobra.Command{a.messageCmd()}
}

// cadencePolicy is the default cadence with the config's overrides, read
// once per command line (so a line it cannot read is said once):
//
//	cadence.sev1.customers = first=5m every=20m for=2h then=1h
//	cadence.sev3.customers = none
func (a *session) cadencePolicy() model.CadencePolicy {
	if a.cadence == nil {
		a.cadence = a.readCadence()
	}
	return a.cadence
}

func (a *session) readCadence() model.CadencePolicy {
	p := model.DefaultCadence()
	for key, value := range a.cfg.Extra {
		rest, ok := strings.CutPrefix(key, "cadence.")
		if !ok {
			continue
		}
		sevText, audText, ok := strings.Cut(rest, ".")
		sev, err1 := model.ParseSeverity(sevText)
		aud, err2 := model.ParseAudience(audText)
		if !ok || err1 != nil || err2 != nil {
			fmt.Fprintf(a.errOut, "sitrep: config %s: ignoring %q: write cadence.sevN.AUDIENCE (internal, customers, executive)\n", a.cfg.path, key)
			continue
		}
		if p[sev] == nil {
			p[sev] = map[model.Audience]model.Cadence{}
		}
		if strings.EqualFold(strings.TrimSpace(value), "none") {
			delete(p[sev], aud)
			continue
		}
		c, err := model.ParseCadence(value)
		if err != nil {
			fmt.Fprintf(a.errOut, "sitrep: config %s: %s: %s\n", a.cfg.path, key, oneLineError(err))
			continue
		}
		p[sev][aud] = c
	}
	return p
}

func (a *session) messageCmd() *cobra.Command {
	var templateName, text, channel string
	var send, edit, due, copyText bool
	cmd := &cobra.Command{
		Use:   "message [ID] --template internal|customer|executive [--send | --edit]",
		Short: "Fill an update from a template; --send or --edit logs it as sent",
		Long: `Prints a predefined update filled from the incident: an internal update, a
customer notice or an executive update. --edit opens it in $EDITOR and logs
what you save as sent; --send logs it as it is (or --text / '-' for your
own words). Sent messages go into the timeline, and the cadence timer
counts from them: 'sitrep message ID --due' says when each audience is due
its next update. Cadence per severity comes from PagerDuty's practice and
can be changed in the config (cadence.sev1.customers = first=5m every=20m
for=2h then=1h).`,
		Example: `  sitrep message 9f3c --template customer
  sitrep message 9f3c --template customer --edit --channel "status page"
  sitrep message 9f3c --template internal --send
  sitrep message 9f3c --due`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: a.completeArgs(incidentIDs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withIncident(cmd, firstArg(args), func(ctx context.Context, st *storage.Store, in model.Incident) error {
				msgs, err := st.Messages(ctx, in.ID)
				if err != nil {
					return err
				}
				// A drill's updates fall due on its exercise clock.
				var drill *model.Exercise
				if x, ok, err := st.Exercise(ctx, in.ID); err != nil {
					return err
				} else if ok {
					drill = &x
				}
				now := a.now()
				policy := a.cadencePolicy()
				if due {
					a.printDue(in, drill, msgs, policy, now)
					return nil
				}
				if templateName == "" {
					return model.Invalidf("name a template with --template: internal, customer or executive")
				}
				t, err := model.FindTemplate(templateName)
				if err != nil {
					return err
				}
				body := text
				if text == "-" {
					b, err := readInput(a.in, "-")
					if err != nil {
						return err
					}
					body = string(b)
				}
				if body == "" {
					facts, err := st.MessageFacts(ctx, in.ID)
					if err != nil {
						return err
					}
					if body, err = model.ComposeMessage(t, in, drill, facts, msgs, policy, now); err != nil {
						return err
					}
				}
				if edit {
					edited, path, err := a.editText("sitrep-message-"+in.Short()+"-*.txt", body)
					if err != nil {
						return err // the error names the file the text is kept in
					}
					defer removeQuietly(path)
					if strings.TrimSpace(edited) == "" {
						fmt.Fprintln(a.out, "message empty: nothing sent")
						return nil
					}
					body, send = edited, true
				}
				if copyText {
					// As the cockpit's y: tmux's buffer, the desktop's
					// clipboard, or OSC 52 through the terminal on standard
					// error (so it works over SSH and never lands in piped
					// output). What was done is said on standard error too.
					r, err := clipboard.Copy(ctx, a.clipboardEnv(), body)
					if err != nil {
						return fmt.Errorf("copy the message: %w", err)
					}
					fmt.Fprintln(a.errOut, r.Describe("the message"))
				}
				if !send {
					fmt.Fprint(a.out, model.Neutralise(body))
					return nil
				}
				e, err := a.respond(st).LogMessage(ctx, in.ID, t, body, channel)
				if err != nil {
					return err
				}
				fmt.Fprint(a.out, model.Neutralise(body))
				fmt.Fprintf(a.errOut, "logged as sent to %s (%s)\n", t.Audience, model.ShortID(e.ID))
				return nil
			})
		},
	}
	cmd.Flags().StringVarP(&templateName, "template", "t", "", "internal, customer or executive")
	cmd.Flags().BoolVar(&send, "send", false, "log the message as sent")
	cmd.Flags().BoolVar(&edit, "edit", false, "edit it in $EDITOR first, then log it as sent")
	cmd.Flags().StringVar(&text, "text", "", "your own text instead of the template ('-' reads standard input)")
	cmd.Flags().StringVar(&channel, "channel", "", "where it went: status page, email, #incident")
	cmd.Flags().BoolVar(&due, "due", false, "show when each audience is due its next update")
	cmd.Flags().BoolVar(&copyText, "copy", false, "also copy the text: to tmux's buffer inside tmux, the desktop clipboard where there is one, and OSC 52 (works over SSH)")
	a.completeFlags(cmd, map[string]completer{"template": words("internal", "customer", "executive")})
	return cmd
}

func removeQuietly(path string) { _ = os.Remove(path) }

// clipboardEnv is where 'message --copy' copies: this process's tmux and
// desktop, and OSC 52 on standard error.
func (a *session) clipboardEnv() clipboard.Env { return clipboard.System(a.errOut) }

// printDue says when each audience is due its next update, on the drill's
// clock for an exercise ('message --due').
func (a *session) printDue(in model.Incident, drill *model.Exercise, msgs []model.Message, policy model.CadencePolicy, now time.Time) {
	dues := model.UpdatesDue(in, drill, msgs, policy, now)
	switch {
	case len(dues) == 0 && drill != nil && drill.Over(now):
		fmt.Fprintf(a.out, "%s: no updates due (the drill ended %s)\n", in.Short(), drill.Ended.UTC().Format("15:04:05Z"))
	case len(dues) == 0:
		fmt.Fprintf(a.out, "%s: no updates due (%s, %s)\n", in.Short(), in.Severity, in.Status)
	case drill != nil && drill.Paused(now):
		fmt.Fprintf(a.out, "%s: exercise clock paused at %s; deadlines wait for it\n", in.Short(), model.TPlus(drill.Elapsed(now)))
	}
	for _, d := range dues {
		state := "in " + model.FormatAge(d.At.Sub(now))
		if d.Late {
			state = "LATE by " + model.FormatAge(d.LateBy)
		}
		fmt.Fprintf(a.out, "%-9s due %s (%s)\n", d.Audience, d.At.UTC().Format("15:04:05Z"), state)
	}
}
