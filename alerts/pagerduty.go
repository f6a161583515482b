package alerts

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/sitrep-dev/sitrep/model"
)

// pagerDutyBody is a PagerDuty v3 webhook: one event, whose data for the
// incident.* events read here is the incident.
type pagerDutyBody struct {
	Event *struct {
		ID           string        `json:"id"`
		EventType    string        `json:"event_type"`
		ResourceType string        `json:"resource_type"`
		OccurredAt   string        `json:"occurred_at"`
		Data         *pagerDutyInc `json:"data"`
	} `json:"event"`
}

type pagerDutyInc struct {
	ID          string         `json:"id"`
	Type        string         `json:"type"`
	HTMLURL     string         `json:"html_url"`
	Number      int64          `json:"number"`
	Status      string         `json:"status"`
	IncidentKey string         `json:"incident_key"`
	CreatedAt   string         `json:"created_at"`
	Title       string         `json:"title"`
	Urgency     string         `json:"urgency"`
	Service     *pagerDutyRef  `json:"service"`
	Priority    *pagerDutyRef  `json:"priority"`
	Teams       []pagerDutyRef `json:"teams"`
	Assignees   []pagerDutyRef `json:"assignees"`
}

type pagerDutyRef struct {
	ID      string `json:"id"`
	Summary string `json:"summary"`
}

// pagerDutyEvents are the event types that say whether an incident is
// firing; the others (acknowledged, annotated, reassigned…) are people at
// work in PagerDuty, not the alert.
var pagerDutyEvents = map[string]bool{"incident.triggered": true, "incident.reopened": true, "incident.resolved": false}

func decodePagerDuty(body []byte) (Group, error) {
	var p pagerDutyBody
	if err := json.Unmarshal(body, &p); err != nil {
		return Group{}, shapeError("a PagerDuty v3 webhook", err)
	}
	if p.Event == nil || p.Event.EventType == "" {
		return Group{}, model.Invalidf("the alert payload has an \"event\" without an event_type: %s", Expected)
	}
	et := strings.TrimSpace(p.Event.EventType)
	firing, ok := pagerDutyEvents[et]
	if !ok {
		return Group{}, model.Invalidf("the PagerDuty event is %s; expected incident.triggered or incident.reopened (to declare) or incident.resolved (to note): subscribe the webhook to those", oneLine(et))
	}
	d := p.Event.Data
	if d == nil || strings.TrimSpace(d.ID) == "" {
		return Group{}, model.Invalidf("the PagerDuty %s event has no incident (event.data.id is missing): %s", oneLine(et), Expected)
	}
	created, err := parseTime(d.CreatedAt)
	if err != nil {
		return Group{}, model.Invalidf("the PagerDuty incident's created_at %q is not a time: expected RFC 3339, like 2026-11-23T14:02:00Z", oneLine(d.CreatedAt))
	}
	occurred, err := parseTime(p.Event.OccurredAt)
	if err != nil {
		return Group{}, model.Invalidf("the PagerDuty event's occurred_at %q is not a time: expected RFC 3339, like 2026-11-23T14:02:00Z", oneLine(p.Event.OccurredAt))
	}
	labels := map[string]string{"incident": d.ID, "status": d.Status, "urgency": d.Urgency, "incident_key": d.IncidentKey}
	if d.Number != 0 {
		labels["number"] = fmt.Sprint(d.Number)
	}
	name := "PagerDuty"
	if d.Service != nil && strings.TrimSpace(d.Service.Summary) != "" {
		name = d.Service.Summary
		labels["service"] = d.Service.Summary
	}
	if d.Priority != nil {
		labels["priority"] = d.Priority.Summary
	}
	labels["teams"] = refList(d.Teams)
	labels["assignees"] = refList(d.Assignees)
	a := Alert{Firing: firing, StartsAt: created, Labels: labelsOf(labels), GeneratorURL: oneLine(d.HTMLURL), Fingerprint: oneLine(d.ID)}
	a.Name, a.Summary = oneLine(name), oneLine(d.Title)
	if !firing {
		a.EndsAt = occurred
	}
	g := Group{Source: SourcePagerDuty, Key: groupKey("pagerduty", strings.TrimSpace(d.ID)), Alerts: []Alert{a}, URL: a.GeneratorURL, Event: oneLine(et)}
	// PagerDuty has no severity label: its priority (P1…) says it when an
	// account uses priorities, else its urgency (high, low).
	g.severityWords = []string{labels["priority"], d.Urgency}
	return g, nil
}

func refList(refs []pagerDutyRef) string {
	var names []string
	for _, r := range refs {
		if s := strings.TrimSpace(r.Summary); s != "" {
			names = append(names, s)
		}
	}
	return strings.Join(names, ", ")
}
