package ui

import (
	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/runbooks"
)

// parseAttached parses the text stored with an attachment: the exact file
// the incident follows, not the library's current copy, so step numbers in
// the incident's events keep their meaning after the file changes.
// Parsing never fails on content; findings in the text are the linter's
// business, not the responder's at 3 a.m.
func parseAttached(at model.Attachment) (*model.Runbook, error) {
	rb := runbooks.ParseAttached(at)
	if rb == nil {
		return nil, model.Invalidf("runbook %s: nothing to walk through", at.Name)
	}
	return rb, nil
}
