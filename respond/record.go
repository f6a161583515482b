package respond

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/sitrep-dev/sitrep/export"
	"github.com/sitrep-dev/sitrep/model"
)

// SaveReview records review r unless it is what the store already has;
// saved says whether it was recorded.
func (s *Service) SaveReview(ctx context.Context, incidentID string, r model.Review) (saved bool, err error) {
	cur, _, err := s.st.Review(ctx, incidentID)
	if err != nil {
		return false, err
	}
	if r.Equal(cur) {
		return false, nil
	}
	if _, err := s.st.Append(ctx, model.Change{IncidentID: incidentID, Kind: model.EventReviewSaved, Payload: model.ReviewPayload{Review: r}}); err != nil {
		return false, err
	}
	return true, nil
}

// FillMessage fills template t from the incident: the impact from the
// review, the newest note, and when the next update will be due once this
// one is sent (on the drill's clock when x is not nil).
func (s *Service) FillMessage(ctx context.Context, in model.Incident, x *model.Exercise, msgs []model.Message, t model.MessageTemplate) (string, error) {
	facts, err := s.st.MessageFacts(ctx, in.ID)
	if err != nil {
		return "", err
	}
	return model.ComposeMessage(t, in, x, facts, msgs, s.policy(), s.now())
}

// LogMessage records an update as sent to t's audience (channel says where
// it went, if known); its update timer starts again.
func (s *Service) LogMessage(ctx context.Context, incidentID string, t model.MessageTemplate, text, channel string) (model.Event, error) {
	if strings.TrimSpace(text) == "" {
		return model.Event{}, model.Invalidf("the message is empty: nothing to log as sent")
	}
	return s.st.Append(ctx, model.Change{IncidentID: incidentID, Kind: model.EventMessageSent, Payload: model.MessagePayload{
		Audience: t.Audience, Template: t.Name, Text: strings.TrimRight(text, "\n") + "\n", Channel: channel}})
}

// WriteReport writes an incident's review in Markdown to path (what
// 'sitrep export ID --format md' prints), or for a drill its after-action
// report (what 'sitrep drill report ID' prints): the cockpit's W.
func (s *Service) WriteReport(ctx context.Context, incidentID, path string) error {
	in, err := s.st.Incident(ctx, incidentID)
	if err != nil {
		return err
	}
	x, drill, err := s.st.Exercise(ctx, incidentID)
	if err != nil {
		return err
	}
	if drill {
		aa, err := s.AfterAction(ctx, in, x)
		if err != nil {
			return err
		}
		return WriteFile(path, func(w io.Writer) error {
			_, err := io.WriteString(w, model.Neutralise(export.AfterActionReport(aa)))
			return err
		})
	}
	if s.file == nil {
		return errors.New("write a report: this store is not a file export can read")
	}
	return WriteFile(path, func(w io.Writer) error {
		doc, err := export.Load(ctx, s.file, incidentID, StepCount)
		if err != nil {
			return err
		}
		return export.Markdown(w, doc)
	})
}
