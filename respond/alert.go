package respond

import (
	"context"
	"fmt"

	"github.com/sitrep-dev/sitrep/alerts"
	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// AlertOutcome says what one alert notification did.
type AlertOutcome struct {
	Incident model.Incident
	Declared bool   // a new incident; else a note on the group's open one
	Runbook  string // the runbook attached from runbook_url, if any
	Nothing  bool   // resolved, and no open incident has the group: nothing written
}

// DeclareFromAlert declares an incident from an alert group, with the
// runbook its runbook_url names attached, or, when the group already has
// an open incident, notes on it that the alert fired again or resolved.
// A resolved alert never resolves the incident: a person decides that.
// Finding the group's incident and writing are one transaction, so two
// notifications arriving at once make one incident.
func (s *Service) DeclareFromAlert(ctx context.Context, g alerts.Group, commander string, runbookNames []string) (AlertOutcome, error) {
	var out AlertOutcome
	var declare []model.Change
	if g.Firing {
		d := model.Declaration{Title: g.Title, Kind: g.Kind, Severity: g.Severity, Commander: commander, AlertGroup: g.Key}
		if !g.Detected.IsZero() && !g.Detected.After(s.now()) {
			d.DetectedAt = g.Detected // a sender's clock ahead of ours would put detection after the declaration
		}
		if err := d.Validate(); err != nil {
			return out, err
		}
		var err error
		if declare, out.Runbook, err = s.alertDeclaration(g, d, runbookNames); err != nil {
			return out, err
		}
	}
	in, found, err := s.st.AppendForAlertGroup(ctx, g.Key, declare, func(in model.Incident) []model.Change {
		text := g.FiredAgainNote(in.Severity, in.Short())
		if !g.Firing {
			text = g.ResolvedNote(string(in.Status), in.Short())
		}
		return []model.Change{alertNote(in.ID, text)}
	})
	switch {
	case err != nil:
		return out, err
	case found:
		out.Runbook = ""
	case len(declare) == 0:
		out.Nothing = true
		return out, nil
	default:
		out.Declared = true
		in.ID = declare[0].IncidentID
		if err := s.st.SetCurrent(ctx, in.ID); err != nil {
			return out, err
		}
	}
	out.Incident, err = s.st.Incident(ctx, in.ID)
	return out, err
}

// alertDeclaration is a new incident's events: declared, its commander,
// the runbook runbook_url names when the library has it (and any named),
// the alert as the first note, and a note naming the runbook URL when the
// library has no runbook by that name. The name is only looked up in the
// library, never read as a path: a payload must not make sitrep read a
// file.
func (s *Service) alertDeclaration(g alerts.Group, d model.Declaration, names []string) ([]model.Change, string, error) {
	id := storage.NewID()
	changes := s.declarationChanges(id, d, d.At)
	attached, missing := "", ""
	if g.Runbook != "" || len(names) > 0 {
		lib, err := s.Library()
		if err != nil {
			return nil, "", err
		}
		if g.Runbook != "" {
			if rb, err := lib.Runbook(g.Runbook); err == nil {
				names, attached = append([]string{rb.Name}, names...), rb.Name
			} else {
				missing = fmt.Sprintf("The alert's runbook_url %s names %q, which is not a runbook in the library (bundled or your team's folders): follow the link, or attach one with 'sitrep attach %s NAME'.",
					g.RunbookURL, g.Runbook, model.ShortID(id))
			}
		}
		attach, err := attachChangesFrom(lib, id, names)
		if err != nil {
			return nil, "", err
		}
		changes = append(changes, attach...)
	}
	changes = append(changes, alertNote(id, g.FirstNote()))
	if missing != "" {
		changes = append(changes, alertNote(id, missing))
	}
	return changes, attached, nil
}

func alertNote(incidentID, text string) model.Change {
	return model.Change{IncidentID: incidentID, Kind: model.EventNote, Payload: model.NotePayload{Kind: model.NoteKindNote, Text: text}}
}
