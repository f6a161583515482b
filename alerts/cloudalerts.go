package alerts

import (
	"encoding/json"
	"strings"

	"github.com/sitrep-dev/sitrep/model"
)

// Google Cloud Monitoring and Azure Monitor send an alert to a webhook in
// one fixed shape each, as CloudWatch does (cloudwatch.go): an incident of
// an alerting policy, and the common alert schema.

// gcpBody is a Cloud Monitoring webhook notification (schema 1.2).
type gcpBody struct {
	Version  string `json:"version"`
	Incident *struct {
		IncidentID          string `json:"incident_id"`
		URL                 string `json:"url"`
		State               string `json:"state"`
		Severity            string `json:"severity"`
		StartedAt           int64  `json:"started_at"`
		EndedAt             int64  `json:"ended_at"`
		Summary             string `json:"summary"`
		PolicyName          string `json:"policy_name"`
		ConditionName       string `json:"condition_name"`
		ResourceName        string `json:"resource_name"`
		ResourceDisplayName string `json:"resource_display_name"`
		ScopingProjectID    string `json:"scoping_project_id"`
		ObservedValue       string `json:"observed_value"`
		ThresholdValue      string `json:"threshold_value"`
		Resource            struct {
			Type   string            `json:"type"`
			Labels map[string]string `json:"labels"`
		} `json:"resource"`
		PolicyUserLabels map[string]string `json:"policy_user_labels"`
		Documentation    struct {
			Content string `json:"content"`
		} `json:"documentation"`
	} `json:"incident"`
}

func decodeGCP(body []byte) (Group, error) {
	var b gcpBody
	if err := json.Unmarshal(body, &b); err != nil {
		return Group{}, shapeError("a Google Cloud Monitoring notification", err)
	}
	in := b.Incident
	if in == nil || strings.TrimSpace(in.IncidentID) == "" {
		return Group{}, model.Invalidf("the Google Cloud Monitoring notification has no incident.incident_id: %s", Expected)
	}
	state := strings.ToLower(strings.TrimSpace(in.State))
	if state != "open" && state != "closed" {
		return Group{}, model.Invalidf("the Google Cloud Monitoring incident's state is %q; expected open (to declare) or closed (to note)", oneLine(in.State))
	}
	labels := map[string]string{
		"project": in.ScopingProjectID, "resource": pick(in.ResourceDisplayName, in.ResourceName), "resource_type": in.Resource.Type,
		"condition": in.ConditionName, "observed_value": in.ObservedValue, "threshold_value": in.ThresholdValue, "severity": in.Severity,
	}
	for k, v := range in.Resource.Labels {
		labels[k] = v
	}
	for k, v := range in.PolicyUserLabels {
		labels[k] = v // the team's own labels win: kind, team, severity
	}
	doc := in.Documentation.Content
	ann := map[string]string{"summary": in.Summary, "documentation": doc, "runbook_url": pick(labels["runbook_url"], linkIn(doc))}
	when := epochMS(in.StartedAt * 1000)
	if state == "closed" {
		when = epochMS(in.EndedAt * 1000)
	}
	// An incident is one policy's condition on one resource: its id is the
	// same in the notification that opens it and the one that closes it.
	g := oneAlert(SourceGCP, "gcp", in.IncidentID, Alert{Firing: state == "open", Name: oneLine(in.PolicyName), Summary: oneLine(in.Summary), GeneratorURL: oneLine(in.URL)}, when, labels, ann)
	g.Event = state
	// The policy's severity (critical, error, warning) unless the team
	// labelled one; "no severity" is none.
	g.severityWords = []string{labels["severity"]}
	return g, nil
}

// azureBody is Azure Monitor's common alert schema.
type azureBody struct {
	SchemaID string `json:"schemaId"`
	Data     *struct {
		Essentials *struct {
			AlertID            string   `json:"alertId"`
			AlertRule          string   `json:"alertRule"`
			Severity           string   `json:"severity"`
			SignalType         string   `json:"signalType"`
			MonitorCondition   string   `json:"monitorCondition"`
			MonitoringService  string   `json:"monitoringService"`
			ConfigurationItems []string `json:"configurationItems"`
			FiredDateTime      string   `json:"firedDateTime"`
			ResolvedDateTime   string   `json:"resolvedDateTime"`
			Description        string   `json:"description"`
		} `json:"essentials"`
		CustomProperties map[string]string `json:"customProperties"`
	} `json:"data"`
}

// azureSeverity is what Azure's Sev0 to Sev4 mean, in the words the
// severity map knows: its Sev1 is an error, not a SEV1.
var azureSeverity = map[string]string{"sev0": "critical", "sev1": "error", "sev2": "warning", "sev3": "info", "sev4": "info"}

func decodeAzure(body []byte) (Group, error) {
	var b azureBody
	if err := json.Unmarshal(body, &b); err != nil {
		return Group{}, shapeError("an Azure Monitor alert", err)
	}
	if b.Data == nil || b.Data.Essentials == nil || strings.TrimSpace(b.Data.Essentials.AlertID) == "" {
		return Group{}, model.Invalidf("the Azure Monitor alert has no data.essentials.alertId: expected the common alert schema (turn it on in the action group): %s", Expected)
	}
	e := b.Data.Essentials
	cond := strings.ToLower(strings.TrimSpace(e.MonitorCondition))
	if cond != "fired" && cond != "resolved" {
		return Group{}, model.Invalidf("the Azure Monitor alert's monitorCondition is %q; expected Fired (to declare) or Resolved (to note)", oneLine(e.MonitorCondition))
	}
	labels := map[string]string{
		"severity": e.Severity, "signal_type": e.SignalType, "monitoring_service": e.MonitoringService,
		"targets": strings.Join(e.ConfigurationItems, ", "), "alert_id": e.AlertID,
	}
	ann := map[string]string{"description": e.Description}
	takeProperties(b.Data.CustomProperties, labels, ann)
	when, _ := parseTime(e.FiredDateTime)
	if cond == "resolved" {
		when, _ = parseTime(e.ResolvedDateTime)
	}
	g := oneAlert(SourceAzure, "azure", e.AlertID, Alert{Firing: cond == "fired", Name: oneLine(e.AlertRule), Summary: firstLine(e.Description)}, when, labels, ann)
	g.Event = oneLine(e.MonitorCondition)
	g.severityWords = []string{azureSeverity[strings.ToLower(strings.TrimSpace(e.Severity))], b.Data.CustomProperties["severity"]}
	return g, nil
}
