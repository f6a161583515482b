// Command sitrep is a terminal cockpit for incident responders: the timeline,
// the runbook being worked and who holds which role, on one screen, saved to
// a local SQLite file and synced to a team's shared file over SSH.
//
// The command line lives in package cli; this file only hands it the
// process's arguments and streams.
package main

import (
	"context"
	"os"

	"github.com/sitrep-dev/sitrep/cli"
)

func main() {
	cli.TakeStartupAnswers()
	os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
