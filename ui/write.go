package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/sitrep-dev/sitrep/model"
)

// WriteFunc writes an incident's Markdown review ('sitrep export ID
// --format md'), or a drill's after-action report ('sitrep drill report
// ID'), to the file at path, through a temporary file renamed over it.
type WriteFunc func(ctx context.Context, incidentID, path string) error

// openWrite asks where to write, offering a file in the working directory
// named for the incident, selected so typing a path replaces it.
func (a *App) openWrite() {
	if !a.loaded || a.opts.Respond == nil {
		return
	}
	label, name := "Write the review to:", "sitrep-"+a.inc.Short()+"-review.md"
	if a.drill.x != nil {
		label, name = "Write the after-action report to:", "sitrep-"+a.inc.Short()+"-after-action.md"
	}
	a.openPrompt(promptWrite, label, promptAbout{}).fill(name, true)
}

// expandPath makes a path typed in the cockpit absolute: ~/ is the home
// directory, a relative path is under the directory sitrep started in.
func expandPath(path string) (string, error) {
	if path == "" {
		return "", model.Invalidf("type a file name, or esc to cancel")
	}
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find your home directory for %s: %w", path, err)
		}
		path = filepath.Join(home, rest)
	}
	return filepath.Abs(path)
}

func (a *App) onWritten(msg writtenMsg) {
	p := a.slot.prompt()
	if p == nil || p.kind != promptWrite || p.req != msg.Req {
		if msg.Err != nil {
			a.setFlash("Not written: "+msg.Err.Error(), true)
		}
		return
	}
	if msg.Err != nil {
		p.saved(msg.Err) // the error under the path typed, kept
		return
	}
	a.slot.remove(p)
	what := "the review"
	if msg.Drill {
		what = "the after-action report"
	}
	a.setFlash("Wrote "+what+" to "+msg.Path, false)
}
