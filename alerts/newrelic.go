package alerts

import (
	"encoding/json"
	"strings"

	"github.com/sitrep-dev/sitrep/model"
)

// newRelicBody is what a New Relic workflow sends to a webhook destination
// with its default payload template: one issue, keyed by its id, in one
// of the issue's states. A team's own template may add a runbook URL
// ("runbookUrl": {{ json accumulations.runbookUrl.[0] }}) and a
// description.
type newRelicBody struct {
	ID                  flexString `json:"id"`
	IssueURL            string     `json:"issueUrl"`
	Title               flexString `json:"title"`
	Priority            string     `json:"priority"`
	State               string     `json:"state"`
	Trigger             string     `json:"trigger"`
	ImpactedEntities    []string   `json:"impactedEntities"`
	TotalIncidents      flexString `json:"totalIncidents"`
	CreatedAt           int64      `json:"createdAt"`
	UpdatedAt           int64      `json:"updatedAt"`
	Sources             []string   `json:"sources"`
	AlertPolicyNames    []string   `json:"alertPolicyNames"`
	AlertConditionNames []string   `json:"alertConditionNames"`
	WorkflowName        string     `json:"workflowName"`
	RunbookURL          flexString `json:"runbookUrl"`
	Description         flexString `json:"description"`
}

// newRelicStates are the issue states that say whether it is firing;
// ACKNOWLEDGED is a person at work in New Relic, not the issue.
var newRelicStates = map[string]bool{"created": true, "activated": true, "closed": false}

// isNewRelic: a workflow's default payload has the issue's page and state.
func isNewRelic(has func(string) bool) bool { return has("issueUrl") && has("state") }

func decodeNewRelic(body []byte) (Group, error) {
	var b newRelicBody
	if err := json.Unmarshal(body, &b); err != nil {
		return Group{}, shapeError("a New Relic workflow notification", err)
	}
	if strings.TrimSpace(string(b.ID)) == "" {
		return Group{}, model.Invalidf("the New Relic notification has no id (the issue's, {{ json issueId }} in the workflow's payload): %s", Expected)
	}
	state := strings.ToLower(strings.TrimSpace(b.State))
	firing, ok := newRelicStates[state]
	if !ok {
		return Group{}, model.Invalidf("the New Relic issue's state is %q; expected ACTIVATED or CREATED (to declare) or CLOSED (to note)", oneLine(b.State))
	}
	labels := map[string]string{
		"priority": b.Priority, "policy": strings.Join(b.AlertPolicyNames, ", "), "condition": strings.Join(b.AlertConditionNames, ", "),
		"entities": strings.Join(b.ImpactedEntities, ", "), "sources": strings.Join(b.Sources, ", "), "workflow": b.WorkflowName,
		"incidents": string(b.TotalIncidents),
	}
	ann := map[string]string{"description": string(b.Description), "runbook_url": pick(string(b.RunbookURL), linkIn(string(b.Description)))}
	name := pick(strings.Join(b.AlertConditionNames, ", "), strings.Join(b.AlertPolicyNames, ", "))
	when := epochMS(b.CreatedAt)
	if !firing {
		when = epochMS(b.UpdatedAt)
	}
	// An issue keeps its id from the notification that opens it to the
	// one that closes it.
	g := oneAlert(SourceNewRelic, "newrelic", string(b.ID), Alert{Firing: firing, Name: name, Summary: oneLine(string(b.Title)), GeneratorURL: oneLine(b.IssueURL)}, when, labels, ann)
	g.Event, g.severityWords = state, []string{b.Priority}
	return g, nil
}
