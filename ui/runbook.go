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
func parseAttached(at model.Attachment) (*runbooks.Doc, error) {
	d := runbooks.ParseAttachedDoc(at)
	if d == nil || d.Runbook == nil {
		return nil, model.Invalidf("runbook %s: nothing to walk through", at.Name)
	}
	return d, nil
}
