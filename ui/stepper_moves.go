package ui

import "github.com/sitrep-dev/sitrep/model"

// unfinished counts the steps still open and those blocked, across every
// attached runbook that parses: resolving with any asks first.
func (p *stepper) unfinished() (open, blocked int) {
	for _, rb := range p.runbooks {
		if rb.Runbook == nil {
			continue
		}
		for _, st := range rb.Runbook.Steps() {
			switch p.state(rb.Name, st.Index).State {
			case model.StepOpen:
				open++
			case model.StepBlocked:
				blocked++
			}
		}
	}
	return open, blocked
}

// moveOn takes the cursor from step index of runbook to the next step
// after it that is neither done nor skipped, once that step is marked
// (x), or its reason is sent (s, b): walking N steps is N keys, not 2N.
// With none after it, or the cursor moved elsewhere meanwhile, it stays.
func (p *stepper) moveOn(runbook string, index int) {
	rb := p.current()
	if _, on := p.onCode(rb); rb == nil || rb.Runbook == nil || rb.Name != runbook || p.sel[rb.Name] != index || on {
		return
	}
	for _, st := range rb.Runbook.Steps() {
		if st.Index <= index {
			continue
		}
		switch p.state(rb.Name, st.Index).State {
		case model.StepDone, model.StepSkipped:
			continue
		}
		p.sel[rb.Name] = st.Index
		p.codeNext = 0
		p.scroll()
		return
	}
}
