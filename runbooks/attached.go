package runbooks

import "github.com/sitrep-dev/sitrep/model"

// ParseAttached reads the exact text an incident recorded with the step
// rules it was attached under: step events store a step's index, so the
// same text read with other rules would put their ticks on other steps.
// An attachment made before rules were recorded was read per file.
func ParseAttached(at model.Attachment) *model.Runbook {
	return ParseAttachedDoc(at).Runbook
}

// ParseAttachedDoc is ParseAttached keeping the Markdown for rendering.
func ParseAttachedDoc(at model.Attachment) *Doc {
	rules := at.Rules
	if rules == "" {
		rules = RulesPerFile
	}
	d, _ := ParseDoc(at.Name+".md", []byte(at.Text), rules)
	rb := d.Runbook
	rb.Name = at.Name
	if at.Title != "" {
		rb.Title = at.Title
	}
	rb.Source = at.Source
	return d
}
