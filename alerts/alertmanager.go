package alerts

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/sitrep-dev/sitrep/model"
)

// alertFields are what an alert holds in both of Alertmanager's shapes.
// Times are read as text so a bad one is reported with the alert it is in.
type alertFields struct {
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations"`
	StartsAt     string            `json:"startsAt"`
	EndsAt       string            `json:"endsAt"`
	GeneratorURL string            `json:"generatorURL"`
	Fingerprint  string            `json:"fingerprint"`
}

// webhookBody is Alertmanager's webhook_config body, version 4.
type webhookBody struct {
	Version           string            `json:"version"`
	GroupKey          string            `json:"groupKey"`
	TruncatedAlerts   int               `json:"truncatedAlerts"`
	Status            string            `json:"status"`
	Receiver          string            `json:"receiver"`
	GroupLabels       map[string]string `json:"groupLabels"`
	CommonLabels      map[string]string `json:"commonLabels"`
	CommonAnnotations map[string]string `json:"commonAnnotations"`
	ExternalURL       string            `json:"externalURL"`
	Alerts            []webhookAlert    `json:"alerts"`
	// Grafana's alerting sends the same body as version "1", with the
	// organisation it belongs to.
	OrgID *int64 `json:"orgId"`
}

type webhookAlert struct {
	alertFields
	Status string `json:"status"` // firing or resolved
}

// apiAlert is one element of GET /api/v2/alerts (gettableAlert).
type apiAlert struct {
	alertFields
	Status struct {
		State       string   `json:"state"` // active, suppressed or unprocessed
		SilencedBy  []string `json:"silencedBy"`
		InhibitedBy []string `json:"inhibitedBy"`
	} `json:"status"`
}

func decodeWebhook(body []byte) (Group, error) {
	var w webhookBody
	if err := json.Unmarshal(body, &w); err != nil {
		return Group{}, shapeError("an Alertmanager webhook", err)
	}
	source, keyKind := SourceWebhook, "alertmanager"
	switch {
	case w.OrgID != nil && w.Version == "1":
		source, keyKind = SourceGrafana, "grafana"
	case w.Version != "" && w.Version != "4":
		return Group{}, model.Invalidf("the alert payload is an Alertmanager webhook of version %q; sitrep reads version 4: %s", oneLine(w.Version), Expected)
	}
	if len(w.Alerts) == 0 {
		return Group{}, model.Invalidf("the %s holds no alerts (\"alerts\" is empty): %s, with at least one alert", source, Expected)
	}
	g := Group{Source: source, Truncated: max(w.TruncatedAlerts, 0), Receiver: oneLine(w.Receiver),
		common: w.CommonLabels, commonAnn: w.CommonAnnotations, groupLabels: w.GroupLabels}
	for i, a := range w.Alerts {
		var firing bool
		switch strings.ToLower(strings.TrimSpace(a.Status)) {
		case "firing", "":
			firing = true
		case "resolved":
		default:
			return Group{}, model.Invalidf("alert %d of the %s has status %q; expected firing or resolved", i+1, source, oneLine(a.Status))
		}
		al, err := a.alertFields.alert(i, firing, "")
		if err != nil {
			return Group{}, err
		}
		g.Alerts = append(g.Alerts, al)
	}
	if key := strings.TrimSpace(w.GroupKey); key != "" {
		g.Key = groupKey(keyKind, key)
	} else {
		g.Key = fingerprintKey(g.Alerts)
	}
	return g, nil
}

func decodeAPI(body []byte) (Group, error) {
	var list []apiAlert
	if err := json.Unmarshal(body, &list); err != nil {
		return Group{}, shapeError("an array of alerts from Alertmanager's /api/v2/alerts", err)
	}
	if len(list) == 0 {
		return Group{}, model.Invalidf("the array of alerts is empty: nothing is firing that the query matched (%s)", Expected)
	}
	g := Group{Source: SourceAPI}
	for i, a := range list {
		if a.Labels == nil && a.StartsAt == "" && a.Fingerprint == "" {
			return Group{}, model.Invalidf("element %d of the array is not an alert (no labels, startsAt or fingerprint): %s", i+1, Expected)
		}
		state := strings.ToLower(strings.TrimSpace(a.Status.State))
		switch state {
		case "", "active", "suppressed", "unprocessed":
		default:
			return Group{}, model.Invalidf("alert %d has state %q; expected active, suppressed or unprocessed", i+1, oneLine(a.Status.State))
		}
		// What /api/v2/alerts lists is current, so every alert is firing;
		// the state (silenced, inhibited) goes in the note.
		al, err := a.alertFields.alert(i, true, state)
		if err != nil {
			return Group{}, err
		}
		g.Alerts = append(g.Alerts, al)
	}
	g.Key = fingerprintKey(g.Alerts)
	return g, nil
}

// alert converts one of Alertmanager's alerts, neutralising its text.
func (f alertFields) alert(i int, firing bool, state string) (Alert, error) {
	a := Alert{Firing: firing, State: state, GeneratorURL: oneLine(f.GeneratorURL), Fingerprint: oneLine(f.Fingerprint)}
	var err error
	if a.StartsAt, err = parseTime(f.StartsAt); err != nil {
		return Alert{}, model.Invalidf("alert %d: startsAt %q is not a time: expected RFC 3339, like 2026-11-23T14:02:00Z", i+1, oneLine(f.StartsAt))
	}
	if a.EndsAt, err = parseTime(f.EndsAt); err != nil {
		return Alert{}, model.Invalidf("alert %d: endsAt %q is not a time: expected RFC 3339, like 2026-11-23T14:02:00Z", i+1, oneLine(f.EndsAt))
	}
	a.Labels = labelsOf(f.Labels)
	a.Annotations = labelsOf(f.Annotations)
	a.Name = a.Labels.Get("alertname")
	a.Summary = a.Annotations.Get("summary")
	if a.Summary == "" {
		a.Summary = firstLine(f.Annotations["description"])
	}
	if a.Fingerprint == "" {
		a.Fingerprint = labelHash(f.Labels)
	}
	return a, nil
}

// parseTime reads an RFC 3339 time; "" and Go's zero time (what
// Alertmanager sends for an alert with no end) are no time.
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, err
	}
	if t.Year() <= 1 || t.Year() > 9999 {
		return time.Time{}, nil
	}
	return t.UTC(), nil
}

// labelHash stands in for a fingerprint an old Alertmanager did not send:
// the same labels make the same alert.
func labelHash(labels map[string]string) string {
	h := sha256.New()
	for _, k := range sortedKeys(labels) {
		fmt.Fprintf(h, "%q=%q\n", k, labels[k])
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// fingerprintKey names a group by its alerts: what the same alerts firing
// again will have again.
func fingerprintKey(list []Alert) string {
	seen := map[string]bool{}
	var fps []string
	for _, a := range list {
		if !seen[a.Fingerprint] {
			seen[a.Fingerprint] = true
			fps = append(fps, a.Fingerprint)
		}
	}
	sortStrings(fps)
	return groupKey("fingerprints", strings.Join(fps, ","))
}

// MaxKey bounds a group key as stored. Longer keys, or keys with anything
// but printable ASCII, are stored as their SHA-256 so the key is one safe
// token the next payload of the group computes the same way.
const MaxKey = 200

func groupKey(kind, key string) string {
	printable := true
	for i := 0; i < len(key); i++ {
		if key[i] < 0x20 || key[i] > 0x7e {
			printable = false
			break
		}
	}
	if !printable || len(kind)+1+len(key) > MaxKey {
		sum := sha256.Sum256([]byte(key))
		return kind + ":sha256:" + hex.EncodeToString(sum[:])
	}
	return kind + ":" + key
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return oneLine(s)
}
