package cli

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// Shell completion: cobra's 'sitrep completion bash|zsh|fish' prints the
// script, and the script asks 'sitrep __complete ARGS' for candidates. The
// functions here give those candidates for a command's arguments and flags:
// incident ids from the store, runbook and scenario names from the library
// every command loads, and the fixed words (statuses, roles, severities).

// completer lists the candidates for one argument. Each is a value, or
// "value\tdescription" (zsh and fish show the description).
type completer func(a *session, cmd *cobra.Command) []cobra.Completion

// completeArgs completes positional argument i with each[i]; arguments past
// the list get nothing (and no file names).
func (a *session) completeArgs(each ...completer) cobra.CompletionFunc {
	return a.completeArgsThen(nil, each...)
}

// completeArgsThen is completeArgs for a command taking any number of
// arguments after the listed ones, each completed with rest.
func (a *session) completeArgsThen(rest completer, each ...completer) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		c := rest
		if len(args) < len(each) {
			c = each[len(args)]
		}
		if c == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return matching(c(a, cmd), toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// completeFlag is a flag's completion function, for RegisterFlagCompletionFunc.
func (a *session) completeFlag(c completer) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return matching(c(a, cmd), toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// matching keeps the candidates that start with what is typed, ignoring
// case: short ids are hex, and a responder may type them in capitals.
func matching(all []cobra.Completion, prefix string) []cobra.Completion {
	var out []cobra.Completion
	for _, c := range all {
		value, _, _ := strings.Cut(c, "\t")
		if strings.HasPrefix(strings.ToLower(value), strings.ToLower(prefix)) {
			out = append(out, c)
		}
	}
	return out
}

// describe is one line for a completion's description: no tabs, newlines
// or terminal control sequences from a title someone else typed.
func describe(format string, v ...any) string {
	return strings.Join(strings.Fields(model.Neutralise(fmt.Sprintf(format, v...))), " ")
}

// incidentsIn lists incidents (those keep passes) as short ids described by
// severity, status and title. Pressing tab must not create a store, so a
// store that does not exist yet offers nothing; nor may it print an error
// into the middle of a command line, so failures offer nothing too.
func incidentsIn(keep func(model.Incident) bool) completer {
	return func(a *session, cmd *cobra.Command) []cobra.Completion {
		if _, err := os.Stat(a.dbPath); err != nil {
			return nil
		}
		st, err := storage.Open(cmd.Context(), a.dbPath, storage.Options{Author: a.author(), Now: a.now})
		if err != nil {
			return nil
		}
		defer st.Close()
		list, err := st.Incidents(cmd.Context())
		if err != nil {
			return nil
		}
		var out []cobra.Completion
		for _, in := range list {
			if keep != nil && !keep(in) {
				continue
			}
			mark := ""
			if in.Exercise {
				mark = " [EXERCISE]"
			}
			out = append(out, cobra.CompletionWithDesc(model.ShortID(in.ID), describe("%s %s%s · %s", in.Severity, in.Status, mark, in.Title)))
		}
		return out
	}
}

var (
	incidentIDs = incidentsIn(nil)
	exerciseIDs = incidentsIn(func(in model.Incident) bool { return in.Exercise })
)

// libraryRunbooks lists the runbooks of the library the commands load.
func libraryRunbooks(a *session, _ *cobra.Command) []cobra.Completion {
	lib, _, err := a.library()
	if err != nil {
		return nil
	}
	var out []cobra.Completion
	for _, rb := range lib.Runbooks() {
		out = append(out, cobra.CompletionWithDesc(rb.Name, describe("%s", rb.Title)))
	}
	return out
}

// libraryScenarios lists the drill scenarios of the library.
func libraryScenarios(a *session, _ *cobra.Command) []cobra.Completion {
	lib, _, err := a.library()
	if err != nil {
		return nil
	}
	var out []cobra.Completion
	for _, sc := range lib.Scenarios() {
		out = append(out, cobra.CompletionWithDesc(sc.Name, describe("%s", sc.Title)))
	}
	return out
}

func statusNames(*session, *cobra.Command) []cobra.Completion {
	var out []cobra.Completion
	for _, s := range model.Statuses {
		out = append(out, string(s))
	}
	return out
}

func roleNames(*session, *cobra.Command) []cobra.Completion {
	var out []cobra.Completion
	for _, r := range model.StandardRoles {
		out = append(out, string(r))
	}
	return out
}

func severityNumbers(*session, *cobra.Command) []cobra.Completion {
	return []cobra.Completion{"1\tcritical", "2\tmajor", "3\tminor", "4\tlow"}
}

func kindNames(*session, *cobra.Command) []cobra.Completion {
	return append([]cobra.Completion(nil), model.IncidentKinds...)
}

// words completes from a fixed list.
func words(w ...string) completer {
	return func(*session, *cobra.Command) []cobra.Completion { return w }
}

// completeNameOrFile completes a library name, and file names too, for the
// commands that take either ('runbook show ./draft.md').
func (a *session) completeNameOrFile(c completer) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return matching(c(a, cmd), toComplete), cobra.ShellCompDirectiveDefault
	}
}

// completeFlags registers completions for flags of cmd. Registering can
// fail only for a flag the command does not have, which the completion
// tests would show, so the error is not passed on.
func (a *session) completeFlags(cmd *cobra.Command, flags map[string]completer) {
	for name, c := range flags {
		_ = cmd.RegisterFlagCompletionFunc(name, a.completeFlag(c))
	}
}
