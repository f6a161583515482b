package storage

import (
	"strings"

	"github.com/sitrep-dev/sitrep/model"
)

// validateMore checks the payloads of reviews, drills and messages.
func validateMore(d model.Draft) error {
	switch p := d.Payload.(type) {
	case model.ReviewPayload:
		return p.Review.Validate()
	case model.MessagePayload:
		if _, err := model.ParseAudience(string(p.Audience)); err != nil {
			return err
		}
		if strings.TrimSpace(p.Text) == "" {
			return model.Invalidf("the message is empty")
		}
		if len(p.Text) > MaxNote {
			return model.Invalidf("the message is %d bytes; the limit is %d", len(p.Text), MaxNote)
		}
	case model.ExerciseStartedPayload:
		if p.Scenario == "" {
			return model.Invalidf("an exercise needs a scenario")
		}
		if p.Speed < 0 {
			return model.Invalidf("exercise speed %g is negative", p.Speed)
		}
	case model.ExerciseClockPayload:
		if d.Kind == model.EventExerciseSpeed && (p.Speed <= 0 || p.Speed > 1000) {
			return model.Invalidf("invalid speed %g: give a factor above 0, like 2 for twice as fast or 0.5 for half", p.Speed)
		}
	case model.InjectPayload:
		if p.Index < 0 {
			return model.Invalidf("inject number %d is not valid", p.Index+1)
		}
	}
	return nil
}
