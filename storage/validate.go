package storage

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/sitrep-dev/sitrep/model"
)

// validateDraft applies the domain's rules before anything is written. An
// event arriving from another store passes the same rules (checkPayload via
// CheckIncoming), so what a teammate's store sends can hold nothing a
// change made here could not.
func validateDraft(d model.Draft) error {
	if err := d.Kind.Valid(); err != nil {
		return err
	}
	if d.Kind != model.EventDeclared && d.IncidentID == "" {
		return model.Invalidf("no incident given for %s", d.Kind)
	}
	if d.IncidentID != "" {
		if err := model.ValidID("incident id", d.IncidentID); err != nil {
			return err
		}
	}
	if !d.Occurred.IsZero() {
		if err := model.ValidTime("the time it happened", d.Occurred); err != nil {
			return err
		}
	}
	return validatePayload(d.Kind, d.Payload)
}

// label checks one line of text of at most max characters.
func label(what, s string, max int) error { return model.ValidLabel(what, s, max) }

// entryRef checks the id of the timeline entry a pin or correction names.
func entryRef(s string) error { return model.ValidID("entry", s) }

func textLimit(what, text string, max int) error {
	if len(text) > max {
		return model.Invalidf("%s is %d bytes; the limit is %d", what, len(text), max)
	}
	return nil
}

func validatePayload(kind model.EventKind, payload any) error {
	switch p := payload.(type) {
	case model.DeclaredPayload:
		if p.Kind != "" {
			// The declaration's own check trims and lower-cases first; what
			// is stored is the kind as given, so that must be a slug already.
			if err := model.ValidSlug("kind", p.Kind); err != nil {
				return err
			}
		}
		if err := label("title", p.Title, model.MaxTitle); err != nil {
			return err
		}
		if err := model.ValidTime("the detection time", p.DetectedAt); err != nil {
			return err
		}
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
		if p.From != "" && !p.From.Valid() {
			return model.Invalidf("invalid previous status %q", p.From)
		}
		return label("reason", p.Reason, model.MaxLabel)
	case model.SeverityPayload:
		if !p.Severity.Valid() {
			return model.Invalidf("invalid severity %d: use one of SEV1, SEV2, SEV3, SEV4", int(p.Severity))
		}
		return label("reason", p.Reason, model.MaxLabel)
	case model.StepPayload:
		if err := p.Validate(); err != nil {
			return err
		}
		if err := label("runbook name", p.Runbook, model.MaxLabel); err != nil {
			return err
		}
		if err := label("step title", p.Title, model.MaxLabel); err != nil {
			return err
		}
		return label("reason", p.Reason, model.MaxLabel)
	case model.RoleAssignedPayload:
		if err := model.ValidSlug("role", string(p.Role)); err != nil {
			return err
		}
		if p.Holder != "" { // "" releases the role
			if err := model.ValidName("role holder", p.Holder); err != nil {
				return err
			}
		}
		// Previous echoes who held the role in the author's store, which a
		// store made before these rules may hold with any character:
		// checking it would stop the role being handed on. Only its length
		// is bounded; it is drawn neutralised like all text.
		if err := textLimit("previous holder", p.Previous, model.MaxLabel); err != nil {
			return err
		}
		if p.Replaces != "" {
			return model.ValidID("replaced assignment", p.Replaces)
		}
	case model.PinnedPayload:
		return entryRef(p.Entry)
	case model.AmendedPayload:
		if err := entryRef(p.Entry); err != nil {
			return err
		}
		if strings.TrimSpace(p.Text) == "" {
			return model.Invalidf("the amended text is empty: to withdraw an entry, retract it")
		}
		if len(p.Text) > MaxNote {
			return model.Invalidf("the amended text is %d bytes; the limit is %d", len(p.Text), MaxNote)
		}
	case model.RetractedPayload:
		if err := entryRef(p.Entry); err != nil {
			return err
		}
		return label("reason", p.Reason, model.MaxLabel)
	case model.RetitledPayload:
		if err := label("title", p.Title, model.MaxTitle); err != nil {
			return err
		}
		// From echoes the title being replaced, which may hold anything
		// an older store allowed: only its length is bounded, so a bad
		// title can still be fixed.
		if err := textLimit("previous title", p.From, 4*model.MaxLabel); err != nil {
			return err
		}
		decl := model.Declaration{Title: p.Title, Severity: model.SEV4}
		return decl.Validate()
	case model.RunbookAttachedPayload:
		if len(p.Text) > model.MaxAttachment {
			return model.Invalidf("the runbook %q is %d bytes; a runbook may have at most %d (1 MiB)", model.OneLine(p.Name), len(p.Text), model.MaxAttachment)
		}
		if err := label("runbook name", p.Name, model.MaxLabel); err != nil {
			return err
		}
		if err := label("runbook title", p.Title, model.MaxLabel); err != nil {
			return err
		}
		if err := label("runbook source", p.Source, model.MaxLabel); err != nil {
			return err
		}
	case model.ReviewPayload:
		if err := model.ValidTime("the impact start", p.Review.ImpactStart); err != nil {
			return err
		}
		if err := p.Review.Validate(); err != nil {
			return err
		}
		for _, a := range p.Review.ActionItems {
			if err := label("action item title", a.Title, model.MaxLabel); err != nil {
				return err
			}
			if err := label("action item owner", a.Owner, model.MaxLabel); err != nil {
				return err
			}
		}
	case model.MessagePayload:
		if a, err := model.ParseAudience(string(p.Audience)); err != nil {
			return err
		} else if a != p.Audience {
			return model.Invalidf("audience %q is not written as sitrep writes it (%s)", p.Audience, a)
		}
		if strings.TrimSpace(p.Text) == "" {
			return model.Invalidf("the message is empty")
		}
		if len(p.Text) > MaxNote {
			return model.Invalidf("the message is %d bytes; the limit is %d", len(p.Text), MaxNote)
		}
		if err := label("template", p.Template, model.MaxLabel); err != nil {
			return err
		}
		return label("channel", p.Channel, model.MaxLabel)
	case model.ExerciseStartedPayload:
		if p.Scenario == "" {
			return model.Invalidf("an exercise needs a scenario")
		}
		if p.Speed < 0 {
			return model.Invalidf("exercise speed %g is negative", p.Speed)
		}
		if len(p.Text) > model.MaxAttachment {
			return model.Invalidf("the scenario %q is %d bytes; a scenario may have at most %d (1 MiB)", model.OneLine(p.Scenario), len(p.Text), model.MaxAttachment)
		}
		if err := model.ValidTime("the exercise start", p.Start); err != nil {
			return err
		}
		for what, s := range map[string]string{"scenario name": p.Scenario, "scenario title": p.Title, "scenario source": p.Source} {
			if err := label(what, s, model.MaxLabel); err != nil {
				return err
			}
		}
		for _, r := range p.Runbooks {
			if err := label("runbook name", r, model.MaxLabel); err != nil {
				return err
			}
		}
		for _, o := range p.Objectives {
			for what, s := range map[string]string{"objective id": o.ID, "objective title": o.Title, "objective runbook": o.Runbook} {
				if err := label(what, s, model.MaxLabel); err != nil {
					return err
				}
			}
		}
		for _, in := range p.Injects {
			if err := label("inject title", in.Title, model.MaxLabel); err != nil {
				return err
			}
		}
	case model.ExerciseClockPayload:
		if kind == model.EventExerciseSpeed {
			if err := model.CheckSpeed(p.Speed); err != nil {
				return err
			}
		}
		return label("reason", p.Reason, model.MaxLabel)
	case model.ExerciseEndedPayload:
		return label("reason", p.Reason, model.MaxLabel)
	case model.InjectPayload:
		if p.Index < 0 {
			return model.Invalidf("inject number %d is not valid", p.Index+1)
		}
		if err := label("inject title", p.Title, model.MaxLabel); err != nil {
			return err
		}
		return label("reason", p.Reason, model.MaxLabel)
	}
	return nil
}

// decodePayload reads an arriving event's payload into the struct a local
// change of its kind is made from, so checkPayload can apply the same rules.
// Unknown kinds (from a newer sitrep) have no struct here: nil.
func decodePayload(e model.Event) (any, error) {
	var p any
	var err error
	switch e.Kind {
	case model.EventDeclared:
		p, err = model.Decode[model.DeclaredPayload](e)
	case model.EventRetitled:
		p, err = model.Decode[model.RetitledPayload](e)
	case model.EventStatusChanged:
		p, err = model.Decode[model.StatusPayload](e)
	case model.EventSeverityChanged:
		p, err = model.Decode[model.SeverityPayload](e)
	case model.EventNote:
		p, err = model.Decode[model.NotePayload](e)
	case model.EventPinned:
		p, err = model.Decode[model.PinnedPayload](e)
	case model.EventAmended:
		p, err = model.Decode[model.AmendedPayload](e)
	case model.EventRetracted:
		p, err = model.Decode[model.RetractedPayload](e)
	case model.EventRoleAssigned:
		p, err = model.Decode[model.RoleAssignedPayload](e)
	case model.EventRunbookAttached:
		p, err = model.Decode[model.RunbookAttachedPayload](e)
	case model.EventStepChanged:
		p, err = model.Decode[model.StepPayload](e)
	case model.EventReviewSaved:
		p, err = model.Decode[model.ReviewPayload](e)
	case model.EventExerciseStarted:
		p, err = model.Decode[model.ExerciseStartedPayload](e)
	case model.EventExercisePaused, model.EventExerciseResumed, model.EventExerciseSpeed:
		p, err = model.Decode[model.ExerciseClockPayload](e)
	case model.EventExerciseEnded:
		p, err = model.Decode[model.ExerciseEndedPayload](e)
	case model.EventInjectReleased, model.EventInjectSkipped:
		p, err = model.Decode[model.InjectPayload](e)
	case model.EventMessageSent:
		p, err = model.Decode[model.MessagePayload](e)
	}
	return p, err
}

// checkIncomingFields checks every field of an event from elsewhere against
// the rules a change made here meets: ids are ids, the kind is a known kind
// or a safe identifier, the author is a printable name, times are in years
// 0-9999, and a known kind's payload passes validateDraft's rules.
func checkIncomingFields(e model.Event) error {
	if err := model.ValidID("event id", e.ID); err != nil {
		return err
	}
	if err := model.ValidID("incident id", e.IncidentID); err != nil {
		return err
	}
	if err := model.ValidID("store id", e.Origin); err != nil {
		return err
	}
	if err := e.Kind.Valid(); err != nil {
		return err
	}
	if err := model.ValidName("author", e.Author); err != nil {
		return err
	}
	if err := model.ValidHash("hash", e.Hash, false); err != nil {
		return err
	}
	if err := model.ValidHash("previous hash", e.Prev, true); err != nil {
		return err
	}
	if e.ChainSeq < 1 {
		return model.Invalidf("chain number %d is not a chain position", e.ChainSeq)
	}
	if err := model.ValidTime("its time", e.At); err != nil {
		return err
	}
	if err := model.ValidTime("the time it happened", e.Occurred); err != nil {
		return err
	}
	if !json.Valid(e.Payload) {
		return model.Invalidf("the payload is not JSON")
	}
	if !e.Kind.Known() {
		return nil // a newer sitrep's kind: kept, never projected or drawn
	}
	p, err := decodePayload(e)
	if err != nil {
		cause := err
		if u := errors.Unwrap(err); u != nil {
			cause = u
		}
		return model.Invalidf("its payload does not fit its kind %s (%s)", e.Kind, model.OneLine(cause.Error()))
	}
	return validatePayload(e.Kind, p)
}
