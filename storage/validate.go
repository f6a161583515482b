package storage

import (
	"strings"

	"github.com/sitrep-dev/sitrep/model"
)

// validateDraft applies the domain's rules before anything is written.
func validateDraft(d model.Draft) error {
	switch p := d.Payload.(type) {
	case model.DeclaredPayload:
		decl := model.Declaration{Title: p.Title, Kind: p.Kind, Severity: p.Severity, Status: p.Status}
		return decl.Validate()
	case model.NotePayload:
		if strings.TrimSpace(p.Text) == "" {
			return model.Invalidf("the note is empty: type what happened")
		}
		if len(p.Text) > MaxNote {
			return model.Invalidf("the note is %d bytes; the limit is %d (put big logs in a file and note where)", len(p.Text), MaxNote)
		}
		if _, err := model.ParseNoteKind(string(p.Kind)); err != nil {
			return err
		}
	case model.StatusPayload:
		if _, err := model.ParseStatus(string(p.Status)); err != nil {
			return err
		}
	case model.SeverityPayload:
		if !p.Severity.Valid() {
			return model.Invalidf("invalid severity %d: use one of SEV1, SEV2, SEV3, SEV4", int(p.Severity))
		}
	case model.StepPayload:
		return p.Validate()
	case model.RoleAssignedPayload:
		return model.ValidSlug("role", string(p.Role))
	case model.AmendedPayload:
		if strings.TrimSpace(p.Text) == "" {
			return model.Invalidf("the amended text is empty: to withdraw an entry, retract it")
		}
		if len(p.Text) > MaxNote {
			return model.Invalidf("the amended text is %d bytes; the limit is %d", len(p.Text), MaxNote)
		}
	case model.RetitledPayload:
		decl := model.Declaration{Title: p.Title, Severity: model.SEV4}
		return decl.Validate()
	case model.ReviewPayload:
		if err := p.Review.Validate(); err != nil {
			return err
		}
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
		if d.Kind == model.EventExerciseSpeed {
			if err := model.CheckSpeed(p.Speed); err != nil {
				return err
			}
		}
	case model.InjectPayload:
		if p.Index < 0 {
			return model.Invalidf("inject number %d is not valid", p.Index+1)
		}
	}
	if d.Kind != model.EventDeclared && d.IncidentID == "" {
		return model.Invalidf("no incident given for %s", d.Kind)
	}
	return nil
}
