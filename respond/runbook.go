package respond

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/runbooks"
)

// Attached is one runbook Attach recorded, and the hash of the version it
// replaced ("" when it is new to the incident).
type Attached struct {
	Payload  model.RunbookAttachedPayload
	Replaced string
}

// Attach attaches runbooks (library names or paths of Markdown files) to
// an incident mid-response: each one's exact text and hash are recorded,
// together in one transaction. An unknown name attaches nothing; the same
// version attached twice is refused; a changed version replaces the old.
func (s *Service) Attach(ctx context.Context, in model.Incident, names []string) ([]Attached, error) {
	changes, err := s.attachChanges(in.ID, names)
	if err != nil {
		return nil, err
	}
	have, err := s.st.Attachments(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	var out []Attached
	for _, c := range changes {
		p := c.Payload.(model.RunbookAttachedPayload)
		a := Attached{Payload: p}
		for _, h := range have {
			if h.Name == p.Name && h.Hash == p.Hash {
				return nil, model.Invalidf("runbook %s (sha256 %.12s) is already attached to %s; nothing was attached", p.Name, p.Hash, in.Short())
			}
			if h.Name == p.Name {
				a.Replaced = h.Hash
			}
		}
		out = append(out, a)
	}
	if _, err := s.st.AppendAll(ctx, changes); err != nil {
		return nil, err
	}
	return out, nil
}

// attachChanges turns runbook names into runbook.attached events for an
// incident. Names are resolved in the library (a path needs none); an
// unknown name fails the whole call with the closest match, so a typo
// attaches nothing. A name given twice is attached once.
func (s *Service) attachChanges(incidentID string, names []string) ([]model.Change, error) {
	if len(names) == 0 {
		return nil, nil
	}
	lib, err := s.Library()
	if err != nil {
		return nil, err
	}
	return attachChangesFrom(lib, incidentID, names)
}

func attachChangesFrom(lib *runbooks.Library, incidentID string, names []string) ([]model.Change, error) {
	var changes []model.Change
	seen := map[string]bool{}
	for _, name := range names {
		rb, err := RunbookByRef(lib, name)
		if err != nil {
			return nil, err
		}
		if seen[rb.Name] {
			continue
		}
		seen[rb.Name] = true
		p, err := rb.Attachment()
		if err != nil {
			return nil, err
		}
		changes = append(changes, model.Change{IncidentID: incidentID, Kind: model.EventRunbookAttached, Payload: p})
	}
	return changes, nil
}

// RunbookByRef is the runbook a command names: a file when ref is the path
// of one (so a runbook from a checkout can be shown or attached as it is),
// else the library's runbook of that name.
func RunbookByRef(lib *runbooks.Library, ref string) (*model.Runbook, error) {
	if LooksLikePath(ref) && runbooks.IsSheet(ref) {
		return nil, model.Invalidf("%s is a spreadsheet, read as a drill's run-sheet, not a runbook: run it with 'sitrep drill %s'", ref, model.ShellQuote(ref))
	}
	if LooksLikePath(ref) {
		src, err := runbooks.ReadFile(ref)
		if err != nil {
			return nil, err
		}
		rb, _ := runbooks.Parse(ref, src)
		rb.Source = ref
		return rb, nil
	}
	if lib == nil {
		return nil, model.Invalidf("no runbook library here to find %s in", ref)
	}
	return lib.Runbook(ref)
}

// ScenarioByRef is RunbookByRef for drill scenarios: a facilitator's
// run-sheet file (Markdown, or a spreadsheet's CSV) runs as it is.
func ScenarioByRef(lib *runbooks.Library, ref string) (*model.Scenario, error) {
	if LooksLikePath(ref) {
		src, err := runbooks.ReadFile(ref)
		if err != nil {
			return nil, err
		}
		sc, diags := runbooks.ParseScenario(ref, src)
		if len(sc.Injects) == 0 {
			why := "add headings like `### +5m What happens`, or a run-sheet table"
			if len(diags) > 0 {
				why = strings.TrimPrefix(diags[0].Message, "no injects: ")
			}
			return nil, model.Invalidf("%s has no injects to run: %s", ref, why)
		}
		sc.Source = ref
		return sc, nil
	}
	if lib == nil {
		return nil, model.Invalidf("no runbook library here to find %s in", ref)
	}
	return lib.Scenario(ref)
}

// LooksLikePath says whether ref names an existing file (Markdown, or a
// run-sheet exported from a spreadsheet) rather than a library name.
func LooksLikePath(ref string) bool {
	lower := strings.ToLower(ref)
	if strings.ContainsAny(ref, `/\`) || strings.HasSuffix(lower, ".md") || strings.HasSuffix(lower, ".csv") || strings.HasSuffix(lower, ".tsv") {
		if _, err := os.Stat(ref); err == nil {
			return true
		}
	}
	return false
}

// AttachedRunbook parses the text stored with an attachment: the exact
// file the incident follows, not the library's current copy, so step
// numbers in the incident's events keep their meaning after the file
// changes. Parsing never fails on content; findings in the text are the
// linter's business, not the responder's at 3 a.m. The stepper, the drill
// objectives, exports and reports all read attachments back through it.
//
// It reads the text with the step rules the attachment recorded (those
// before per-section rules when it recorded none): step events store a
// step's index, and other rules would number the steps differently.
func AttachedRunbook(at model.Attachment) (*model.Runbook, error) {
	d, err := AttachedDoc(at)
	if err != nil {
		return nil, err
	}
	return d.Runbook, nil
}

// AttachedDoc is AttachedRunbook keeping the parsed Markdown, which the
// runbook pane renders at each width without reading the text again.
func AttachedDoc(at model.Attachment) (*runbooks.Doc, error) {
	d := runbooks.ParseAttachedDoc(at)
	if d == nil || d.Runbook == nil {
		return nil, model.Invalidf("runbook %s: nothing to walk through", at.Name)
	}
	return d, nil
}

// StepCount counts the steps of a runbook from its recorded text and
// rules (0 when it does not parse), for judging a drill's runbook
// objectives in exports.
func StepCount(at model.Attachment) int {
	rb, err := AttachedRunbook(at)
	if err != nil {
		return 0
	}
	return rb.StepCount()
}

// StepTitles are each attached runbook's step titles by index, and its
// number of steps, from the recorded texts.
func StepTitles(atts []model.Attachment) (map[string]map[int]string, map[string]int) {
	titles, counts := map[string]map[int]string{}, map[string]int{}
	for _, at := range atts {
		rb, err := AttachedRunbook(at)
		if err != nil {
			continue
		}
		steps := rb.Steps()
		counts[at.Name] = len(steps)
		titles[at.Name] = map[int]string{}
		for _, s := range steps {
			titles[at.Name][s.Index] = s.Title
		}
	}
	return titles, counts
}

// describeError is err on one line, for a warning shown beside a success.
func describeError(err error) string {
	return strings.Join(strings.Fields(model.Neutralise(fmt.Sprint(err))), " ")
}
