package respond

import (
	"context"

	"github.com/sitrep-dev/sitrep/evidence"
	"github.com/sitrep-dev/sitrep/model"
)

// RecordEvidence logs a command a responder ran (sitrep run, or ! on a
// runbook step) on an incident's timeline: the command, where and when it
// ran, how it ended and, unless keepOutput is false, what it printed as
// evidence.Run kept it. link ties it to the runbook step it came from. The
// entry is placed at the command's start, when what it shows was true.
func (s *Service) RecordEvidence(ctx context.Context, incidentID string, c evidence.Command, res evidence.Result, keepOutput bool, link *evidence.Link) (model.Event, error) {
	if link != nil {
		atts, err := s.st.Attachments(ctx, incidentID)
		if err != nil {
			return model.Event{}, err
		}
		if !attached(atts, link.Runbook) {
			return model.Event{}, model.Invalidf("the runbook %q is not attached to this incident", model.OneLine(link.Runbook))
		}
	}
	p := res.Payload(c, keepOutput, link)
	return s.st.Append(ctx, model.Change{IncidentID: incidentID, Kind: model.EventEvidence, Occurred: p.Started, Payload: p})
}

func attached(atts []model.Attachment, name string) bool {
	for _, a := range atts {
		if a.Name == name {
			return true
		}
	}
	return false
}
