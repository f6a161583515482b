package main

import "github.com/spf13/cobra"

// runTUI opens the cockpit. Until the UI lands it prints the help.
func (a *app) runTUI(cmd *cobra.Command) error { return cmd.Help() }
