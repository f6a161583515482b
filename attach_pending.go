package main

import "github.com/sitrep-dev/sitrep/model"

// attachDrafts is replaced when the runbook library lands.
func (a *app) attachDrafts(_ string, names []string) ([]model.Draft, error) {
	if len(names) > 0 {
		return nil, model.Invalidf("runbooks are not available in this build")
	}
	return nil, nil
}
