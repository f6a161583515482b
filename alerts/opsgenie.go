package alerts

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/sitrep-dev/sitrep/model"
)

// opsgenieBody is an Opsgenie (Jira Service Management) outgoing webhook:
// an action on one alert.
type opsgenieBody struct {
	Action string `json:"action"`
	Alert  *struct {
		AlertID     string            `json:"alertId"`
		Message     string            `json:"message"`
		Alias       string            `json:"alias"`
		TinyID      string            `json:"tinyId"`
		Entity      string            `json:"entity"`
		Description string            `json:"description"`
		Priority    string            `json:"priority"`
		Source      string            `json:"source"`
		Tags        []string          `json:"tags"`
		Details     map[string]string `json:"details"`
		CreatedAt   int64             `json:"createdAt"`
		UpdatedAt   int64             `json:"updatedAt"`
	} `json:"alert"`
}

// opsgenieActions are the actions that say whether an alert is firing; the
// others (Acknowledge, AddNote, AssignOwnership…) are people at work in
// Opsgenie, not the alert.
var opsgenieActions = map[string]bool{"create": true, "close": false}

func decodeOpsgenie(body []byte) (Group, error) {
	var o opsgenieBody
	if err := json.Unmarshal(body, &o); err != nil {
		return Group{}, shapeError("an Opsgenie webhook", err)
	}
	act := strings.TrimSpace(o.Action)
	firing, ok := opsgenieActions[strings.ToLower(act)]
	if !ok {
		return Group{}, model.Invalidf("the Opsgenie action is %s; expected Create (to declare) or Close (to note): send those to the webhook", oneLine(act))
	}
	al := o.Alert
	if al == nil || strings.TrimSpace(al.AlertID) == "" && strings.TrimSpace(al.Alias) == "" {
		return Group{}, model.Invalidf("the Opsgenie %s has no alert (alert.alertId and alert.alias are missing): %s", oneLine(act), Expected)
	}
	labels := map[string]string{"alias": al.Alias, "tiny_id": al.TinyID, "entity": al.Entity, "priority": al.Priority, "source": al.Source, "tags": strings.Join(al.Tags, ", ")}
	ann := map[string]string{"description": al.Description}
	takeProperties(al.Details, labels, ann)
	// The alias is what Opsgenie deduplicates on, so a Close finds the
	// Create's group through it; an alert without one has its id.
	key := pick(al.Alias, al.AlertID)
	when := epochMS(al.CreatedAt)
	if !firing {
		when = epochMS(al.UpdatedAt)
	}
	g := oneAlert(SourceOpsgenie, "opsgenie", key, Alert{Firing: firing, Name: oneLine(al.Entity), Summary: oneLine(al.Message)}, when, labels, ann)
	g.Event, g.severityWords = oneLine(act), []string{al.Priority}
	return g, nil
}

// epochMS is Opsgenie's milliseconds since 1970 as a time; zero when
// missing or out of range.
func epochMS(ms int64) time.Time {
	if ms <= 0 || ms > 253402300799999 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// takeProperties files an alert's free-form properties (Opsgenie's details,
// Azure's custom properties): runbook_url or runbook is the runbook, the
// rest are labels. Without one, the runbook is the description's first
// link.
func takeProperties(props, labels, ann map[string]string) {
	for k, v := range props {
		if k == "runbook_url" || k == "runbook" {
			ann["runbook_url"] = v
			continue
		}
		labels[k] = v
	}
	if ann["runbook_url"] == "" {
		ann["runbook_url"] = linkIn(ann["description"])
	}
}
