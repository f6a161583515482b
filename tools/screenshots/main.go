// Command screenshots regenerates the README's pictures of the cockpit
// (docs/img/*.svg) from real runs: it builds sitrep, seeds a store in a
// temp folder through the CLI, runs the cockpit in a tmux server of its own
// at a fixed size, walks to each screen with real keys, captures the pane
// with its colours and renders it to SVG. Run it from the repository after
// a change to the UI:
//
//	go run ./tools/screenshots
//
// It needs tmux and go on the PATH. Clocks in the pictures are those of the
// run, so each run differs a little; nothing else does.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	out := flag.String("out", "", "folder to write the SVGs to (default: docs/img in the repository)")
	bin := flag.String("bin", "", "a built sitrep to run (default: build one from the repository)")
	flag.Parse()
	if err := run(context.Background(), *out, *bin, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "screenshots:", err)
		os.Exit(1)
	}
}

// The size every picture is taken at: the three-pane layout starts at 120
// columns; 36 lines shows a runbook's steps and the selected step's text.
const (
	cols  = 120
	lines = 36
)

// shot is one picture: how to reach the screen from the incident list,
// and text that shows it has been drawn.
type shot struct {
	file, title string
	steps       func(s *session) error
}

func run(ctx context.Context, outDir, bin string, log io.Writer) error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	if outDir == "" {
		outDir = filepath.Join(root, "docs", "img")
	}
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		return fmt.Errorf("tmux is needed to run the cockpit in a terminal of a fixed size: %w", err)
	}
	work, err := os.MkdirTemp("", "sitrep-screenshots")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	if bin == "" {
		bin = filepath.Join(work, "sitrep")
		build := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
		build.Dir = root
		if b, err := build.CombinedOutput(); err != nil {
			return fmt.Errorf("go build: %w\n%s", err, b)
		}
	}
	env := []string{
		"SITREP_DB=" + filepath.Join(work, "sitrep.db"),
		"SITREP_AUTHOR=alice@laptop",
		"XDG_CONFIG_HOME=" + filepath.Join(work, "config"),
		"XDG_DATA_HOME=" + filepath.Join(work, "data"),
		"SITREP_REMOTE=", "NO_COLOR=", "CLICOLOR_FORCE=",
		"VISUAL=", "EDITOR=true",
	}
	ids, err := seed(ctx, bin, env, work)
	if err != nil {
		return fmt.Errorf("seeding the store: %w", err)
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	shots := []shot{
		{"incident-list.svg", "sitrep: the incident list", func(s *session) error {
			return s.waitFor("Checkout returns 500", "PAST")
		}},
		{"incident-view.svg", "sitrep: an incident, with its timeline, runbook and roles", func(s *session) error {
			if err := s.open(ids.checkout, "Timeline", "Runbook", "Roles", "Checkout returns 500"); err != nil {
				return err
			}
			// Two steps done, as ten minutes into a real incident.
			s.keys("2", "x", "j", "x", "j")
			return s.waitFor("2/38 done")
		}},
		{"drill-facilitator.svg", "sitrep: a drill's facilitator panel", func(s *session) error {
			if err := s.open(ids.drill, "Timeline", "drill T+"); err != nil {
				return err
			}
			s.keys("O")
			return s.waitFor("MET", "RELEASED")
		}},
		{"review.svg", "sitrep: the post-incident review", func(s *session) error {
			if err := s.open(ids.dns, "Timeline"); err != nil {
				return err
			}
			s.keys("R")
			return s.waitFor("Root cause", "What went well")
		}},
	}
	for _, sh := range shots {
		s, err := startSession(ctx, tmux, bin, env)
		if err != nil {
			return err
		}
		err = sh.steps(s)
		var captured string
		if err == nil {
			captured, err = s.settled()
		}
		s.close()
		if err != nil {
			return fmt.Errorf("%s: %w", sh.file, err)
		}
		path := filepath.Join(outDir, sh.file)
		if err := os.WriteFile(path, []byte(ANSIToSVG(captured, cols, lines, sh.title)), 0o644); err != nil {
			return err
		}
		fmt.Fprintln(log, "wrote", path)
	}
	return nil
}

// repoRoot is the folder holding sitrep's go.mod, found from here upwards.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && strings.Contains(string(b), "module github.com/sitrep-dev/sitrep\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("run this inside the sitrep repository (no go.mod of github.com/sitrep-dev/sitrep above %s)", dir)
		}
		dir = parent
	}
}

type seeded struct{ checkout, dns, drill string }

// seed fills the store the way a day of on-call would, through the CLI.
func seed(ctx context.Context, bin string, env []string, work string) (seeded, error) {
	var ids seeded
	var failed error
	sitrep := func(args ...string) string {
		if failed != nil {
			return ""
		}
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Env = append(os.Environ(), env...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			failed = fmt.Errorf("sitrep %s: %w: %s", strings.Join(args, " "), err, stderr.String())
		}
		return strings.TrimSpace(string(out))
	}
	first := func(s string) string { line, _, _ := strings.Cut(s, "\n"); return strings.TrimSpace(line) }

	// Past incidents first, so the active ones are the newest.
	ids.dns = first(sitrep("declare", "--title", "DNS resolution errors for api.example.com", "--sev", "2", "--kind", "outage", "--detected", "-3h", "--runbook", "major-incident"))
	sitrep("note", "--incident", ids.dns, "--at", "-170m", "Resolvers in eu-west return SERVFAIL for api.example.com")
	sitrep("note", "--incident", ids.dns, "--kind", "decision", "--at", "-150m", "Roll back the zone change from this morning")
	sitrep("status", ids.dns, "mitigated", "--at", "-140m")
	sitrep("status", ids.dns, "resolved", "--at", "-120m")
	review := filepath.Join(work, "review.md")
	if err := os.WriteFile(review, []byte(reviewText(time.Now().Add(-3*time.Hour-5*time.Minute))), 0o600); err != nil {
		return ids, err
	}
	sitrep("review", ids.dns, "--from", review)
	backup := first(sitrep("declare", "--title", "Nightly backup of reports-db failed", "--sev", "3", "--kind", "other", "--detected", "-6h"))
	sitrep("status", backup, "resolved", "--at", "-5h")

	login := first(sitrep("declare", "--title", "Login latency above SLO in us-east", "--sev", "2", "--kind", "outage", "--detected", "-50m"))
	sitrep("status", login, "mitigated", "--at", "-20m")
	sitrep("declare", "--title", "Suspicious admin logins from a new ASN", "--sev", "2", "--kind", "security", "--runbook", "unauthorised-access")

	ids.checkout = first(sitrep("declare", "--title", "Checkout returns 500 for EU customers", "--sev", "1", "--kind", "outage", "--detected", "-25m", "--runbook", "major-incident"))
	sitrep("note", "--incident", ids.checkout, "--at", "-24m", "PagerDuty: checkout-api 5xx above 20% in eu-west-1")
	sitrep("assign", ids.checkout, "scribe", "bob@laptop")
	sitrep("assign", ids.checkout, "comms", "carol@laptop")
	sitrep("note", "--incident", ids.checkout, "--at", "-18m", "Error rate at 38% on the EU edge; US fine. Started with deploy 4812")
	sitrep("note", "--incident", ids.checkout, "--kind", "decision", "--at", "-12m", "Roll back deploy 4812 (payments client upgrade)")
	sitrep("note", "--incident", ids.checkout, "--at", "-6m", "Rollback done; 5xx down to 9% and falling")
	sitrep("note", "--incident", ids.checkout, "--kind", "action", "Add a canary stage for payments-client upgrades")

	ids.drill = first(sitrep("drill", "region-outage-dr", "--commander", "alice@laptop"))
	sitrep("drill", "release", "2", ids.drill)
	sitrep("drill", "release", "3", ids.drill)
	sitrep("drill", "skip", "4", ids.drill, "--reason", "covered by inject 3")
	sitrep("note", "--incident", ids.drill, "#rpo 4m of orders lost between the last replicated write and the failover")
	return ids, failed
}

// reviewText is the DNS incident's review; impact began a little before
// it was detected.
func reviewText(impactStart time.Time) string {
	return `## Summary

A zone change removed the glue records for api.example.com's delegated
subdomain; resolvers in eu-west cached SERVFAIL for 40 minutes.

## Impact

API clients in Europe could not resolve api.example.com: about 30% of API
traffic failed for 52 minutes.

## Impact started

` + impactStart.UTC().Format("2006-01-02 15:04") + `

## Root cause

The zone file is edited by hand and the change was not checked by a
resolver before it was published.

## Detection

Synthetic checks from three regions paged the on-call 6 minutes in.

## Resolution

The zone change was rolled back and the resolvers' caches flushed.

## What went well

- Rolling back the zone took two minutes.

## What went poorly

- Nobody knew who owned the zone file.

## Action items

- [ ] Check zone changes with a resolver in CI | bob@laptop | 2026-12-20 | open
- [ ] Name an owner for the public zones | alice@laptop | 2026-12-14 | in-progress
`
}

// session is the cockpit running in a tmux server of its own.
type session struct {
	ctx          context.Context
	tmux, socket string
}

func startSession(ctx context.Context, tmux, bin string, env []string) (*session, error) {
	s := &session{ctx: ctx, tmux: tmux, socket: fmt.Sprintf("sitrep-shots-%d-%d", os.Getpid(), time.Now().UnixNano())}
	command := []string{"env", "TERM=xterm-256color", "COLORTERM=truecolor"}
	command = append(command, env...)
	command = append(command, bin)
	for i, c := range command {
		command[i] = "'" + strings.ReplaceAll(c, "'", `'\''`) + "'"
	}
	cmd := exec.CommandContext(ctx, tmux, "-L", s.socket, "-f", "/dev/null", "new-session", "-d", "-s", "cockpit",
		"-x", fmt.Sprint(cols), "-y", fmt.Sprint(lines), strings.Join(command, " "))
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("tmux new-session: %w: %s", err, out)
	}
	if err := s.waitFor("Incidents"); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

func (s *session) tmuxRun(args ...string) (string, error) {
	out, err := exec.CommandContext(s.ctx, s.tmux, append([]string{"-L", s.socket}, args...)...).Output()
	return string(out), err
}

func (s *session) close() { s.tmuxRun("kill-server") }

func (s *session) keys(keys ...string) {
	s.tmuxRun(append([]string{"send-keys", "-t", "cockpit"}, keys...)...)
}

func (s *session) screen(colour bool) string {
	args := []string{"capture-pane", "-p", "-t", "cockpit"}
	if colour {
		args = append(args, "-e")
	}
	out, _ := s.tmuxRun(args...)
	return out
}

// waitFor polls until every want is on the screen.
func (s *session) waitFor(want ...string) error {
	deadline := time.Now().Add(15 * time.Second)
	var scr string
	for time.Now().Before(deadline) {
		scr = s.screen(false)
		missing := false
		for _, w := range want {
			if !strings.Contains(scr, w) {
				missing = true
				break
			}
		}
		if !missing {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%q not on screen in time:\n%s", want, scr)
}

// open goes from the list to an incident: '/' searches for its id, which
// the filter puts first, and enter opens it.
func (s *session) open(id string, want ...string) error {
	s.keys("/")
	if err := s.waitFor("/"); err != nil {
		return err
	}
	s.tmuxRun("send-keys", "-t", "cockpit", "-l", id)
	if err := s.waitFor(id); err != nil {
		return err
	}
	s.keys("Enter")
	// Open once the store has answered: the search line has closed when
	// the footer offers to open an incident, and the one incident the id
	// names is listed when the header says so. An enter before that (a
	// busy machine) finds nothing to open yet.
	if err := s.waitFor("enter open incident", "1 found"); err != nil {
		return err
	}
	s.keys("Enter")
	return s.waitFor(append([]string{id}, want...)...)
}

// settled captures the screen once two captures a moment apart agree, so a
// picture is never taken halfway through a redraw (the clock may tick
// between them, hence a few tries).
func (s *session) settled() (string, error) {
	prev := s.screen(true)
	for i := 0; i < 20; i++ {
		time.Sleep(150 * time.Millisecond)
		cur := s.screen(true)
		if cur == prev {
			return cur, nil
		}
		prev = cur
	}
	return prev, nil
}
