package runbooks

import (
	"encoding/json"

	"github.com/sitrep-dev/sitrep/model"
)

// JSONRunbook is the parsed runbook for scripts and checks (`runbook show
// --format json`): phases and steps as the cockpit walks them, and every
// code block the pane lets you copy, as it would be copied.
type JSONRunbook struct {
	Name   string      `json:"name"`
	Title  string      `json:"title"`
	Rules  string      `json:"rules"`
	Phases []JSONPhase `json:"phases"`
	Code   []string    `json:"code"`
}

// JSONPhase is a heading and its steps.
type JSONPhase struct {
	Title string     `json:"title"`
	Line  int        `json:"line"`
	Steps []JSONStep `json:"steps"`
}

// JSONStep is one step: its title as the pane shows it and its code.
type JSONStep struct {
	Index int      `json:"index"`
	Title string   `json:"title"`
	Line  int      `json:"line"`
	Depth int      `json:"depth"`
	Code  []string `json:"code"`
}

// JSON is rb in its JSON form. Text from the file is kept as written (JSON
// escapes what needs escaping); a consumer that draws it neutralises it.
func JSON(rb *model.Runbook) ([]byte, error) {
	out := JSONRunbook{Name: rb.Name, Title: rb.Title, Rules: rb.Rules, Phases: []JSONPhase{}, Code: []string{}}
	for _, p := range rb.Phases {
		jp := JSONPhase{Title: p.Title, Line: p.Line, Steps: []JSONStep{}}
		for _, st := range p.Steps {
			js := JSONStep{Index: st.Index, Title: st.Title, Line: st.Line, Depth: st.Depth, Code: []string{}}
			for _, c := range st.Code {
				js.Code = append(js.Code, c.Copy())
			}
			jp.Steps = append(jp.Steps, js)
		}
		out.Phases = append(out.Phases, jp)
	}
	for _, c := range Render(rb, 100).Code {
		out.Code = append(out.Code, c.Block.Copy())
	}
	return json.MarshalIndent(out, "", "  ")
}
