package alerts

import (
	"encoding/json"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/sitrep-dev/sitrep/model"
)

// CloudWatch alarms reach people three ways, and each is read here: as an
// SNS notification (the body an HTTPS subscription receives, the alarm in
// its Message), as that Message on its own (what the SNS console and
// email show), and as EventBridge's "CloudWatch Alarm State Change" event.

// snsEnvelope is an SNS HTTP(S) delivery.
type snsEnvelope struct {
	Type      string `json:"Type"`
	MessageID string `json:"MessageId"`
	TopicArn  string `json:"TopicArn"`
	Subject   string `json:"Subject"`
	Message   string `json:"Message"`
	Timestamp string `json:"Timestamp"`
	// SubscribeURL is where a SubscriptionConfirmation is confirmed.
	SubscribeURL string `json:"SubscribeURL"`
}

// cloudWatchAlarm is the alarm as SNS carries it.
type cloudWatchAlarm struct {
	AlarmName        string  `json:"AlarmName"`
	AlarmDescription *string `json:"AlarmDescription"`
	AWSAccountID     string  `json:"AWSAccountId"`
	NewStateValue    string  `json:"NewStateValue"`
	NewStateReason   string  `json:"NewStateReason"`
	StateChangeTime  string  `json:"StateChangeTime"`
	Region           string  `json:"Region"`
	AlarmArn         string  `json:"AlarmArn"`
	OldStateValue    string  `json:"OldStateValue"`
	Trigger          *struct {
		MetricName string `json:"MetricName"`
		Namespace  string `json:"Namespace"`
		Dimensions []struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"Dimensions"`
	} `json:"Trigger"`
}

// eventBridgeAlarm is EventBridge's alarm state change event.
type eventBridgeAlarm struct {
	DetailType string   `json:"detail-type"`
	Source     string   `json:"source"`
	Account    string   `json:"account"`
	Time       string   `json:"time"`
	Region     string   `json:"region"`
	Resources  []string `json:"resources"`
	Detail     *struct {
		AlarmName string `json:"alarmName"`
		State     struct {
			Value     string `json:"value"`
			Reason    string `json:"reason"`
			Timestamp string `json:"timestamp"`
		} `json:"state"`
		PreviousState struct {
			Value string `json:"value"`
		} `json:"previousState"`
		Configuration struct {
			Description string `json:"description"`
		} `json:"configuration"`
	} `json:"detail"`
}

func decodeSNS(body []byte) (Group, error) {
	var env snsEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		return Group{}, shapeError("an SNS notification", err)
	}
	if t := strings.TrimSpace(env.Type); t != "Notification" {
		confirm := "confirm the subscription in SNS"
		if u := linkIn(env.SubscribeURL); u != "" {
			confirm = "confirm the subscription by opening " + clip(oneLine(u), 500)
		}
		return Group{}, model.Invalidf("the SNS message is a %s, not a Notification: %s, then the alarms that arrive are read", oneLine(t), confirm)
	}
	msg := []byte(strings.TrimSpace(env.Message))
	var probe map[string]json.RawMessage
	if json.Unmarshal(msg, &probe) != nil || probe["AlarmName"] == nil {
		return Group{}, model.Invalidf("the SNS notification's Message is not a CloudWatch alarm (subject %q): %s", clip(oneLine(env.Subject), 80), Expected)
	}
	return decodeCloudWatch(msg)
}

func decodeCloudWatch(body []byte) (Group, error) {
	var a cloudWatchAlarm
	if err := json.Unmarshal(body, &a); err != nil {
		return Group{}, shapeError("a CloudWatch alarm", err)
	}
	if strings.TrimSpace(a.AlarmName) == "" {
		return Group{}, model.Invalidf("the CloudWatch alarm has no AlarmName: %s", Expected)
	}
	changed, err := parseAWSTime(a.StateChangeTime)
	if err != nil {
		return Group{}, model.Invalidf("the CloudWatch alarm's StateChangeTime %q is not a time: expected one like 2026-11-23T14:02:00.000+0000", oneLine(a.StateChangeTime))
	}
	al := alarm{name: a.AlarmName, state: a.NewStateValue, previous: a.OldStateValue, reason: a.NewStateReason,
		arn: a.AlarmArn, account: a.AWSAccountID, region: a.Region, changed: changed, labels: map[string]string{}}
	if a.AlarmDescription != nil {
		al.desc = *a.AlarmDescription
	}
	if t := a.Trigger; t != nil {
		al.labels["namespace"], al.labels["metric"] = t.Namespace, t.MetricName
		for _, d := range t.Dimensions {
			if k := strings.TrimSpace(d.Name); k != "" {
				al.labels[k] = d.Value
			}
		}
	}
	return al.group(), nil
}

func decodeEventBridge(body []byte) (Group, error) {
	var e eventBridgeAlarm
	if err := json.Unmarshal(body, &e); err != nil {
		return Group{}, shapeError("an EventBridge event", err)
	}
	if dt := strings.TrimSpace(e.DetailType); dt != "CloudWatch Alarm State Change" {
		return Group{}, model.Invalidf("the EventBridge event is a %q, not a \"CloudWatch Alarm State Change\": %s", clip(oneLine(dt), 80), Expected)
	}
	d := e.Detail
	if d == nil || strings.TrimSpace(d.AlarmName) == "" {
		return Group{}, model.Invalidf("the CloudWatch alarm event has no detail.alarmName: %s", Expected)
	}
	changed, err := parseAWSTime(pick(d.State.Timestamp, e.Time))
	if err != nil {
		return Group{}, model.Invalidf("the CloudWatch alarm event's time %q is not a time: expected one like 2026-11-23T14:02:00.000+0000", oneLine(pick(d.State.Timestamp, e.Time)))
	}
	al := alarm{name: d.AlarmName, desc: d.Configuration.Description, state: d.State.Value, previous: d.PreviousState.Value,
		reason: d.State.Reason, account: e.Account, region: e.Region, changed: changed, labels: map[string]string{}}
	if len(e.Resources) > 0 {
		al.arn = e.Resources[0]
	}
	return al.group(), nil
}

// alarm is what the forms a CloudWatch alarm arrives in have in common.
type alarm struct {
	name, desc, state, previous, reason string
	arn, account, region                string
	changed                             time.Time
	labels                              map[string]string // the metric's, besides those every alarm has
}

// group is the alarm as a group of one: firing in ALARM, resolved in OK
// or INSUFFICIENT_DATA (no data is not the condition), keyed by its ARN.
func (al alarm) group() Group {
	name, desc, changed := al.name, al.desc, al.changed
	labels := al.labels
	labels["account"], labels["region"], labels["alarm_arn"] = al.account, al.region, al.arn
	labels["state"], labels["previous_state"] = al.state, al.previous
	key := al.arn
	if strings.TrimSpace(key) == "" {
		key = al.account + "/" + al.region + "/" + al.name
	}
	firing := strings.EqualFold(strings.TrimSpace(al.state), "ALARM")
	summary := firstLine(desc)
	if summary == "" {
		summary = al.reason
	}
	ann := map[string]string{"description": desc, "reason": al.reason}
	if u := linkIn(desc); u != "" {
		// an alarm has no annotations: the runbook is the link its
		// description gives
		ann["runbook_url"] = u
	}
	g := oneAlert(SourceCloudWatch, "cloudwatch", key, Alert{Firing: firing, Name: oneLine(name), Summary: oneLine(summary)}, changed, labels, ann)
	// An alarm carries no severity; teams put it in the alarm's name
	// ("P1-api-5xx", "HighCPU-critical", "sev2_disk"). Only those words
	// count: "high" and "error" in a name are about the metric
	// (api-high-latency, api-error-rate), and a bare number is a threshold.
	g.severityWords = []string{}
	for _, m := range nameSeverity().FindAllStringSubmatch(name, -1) {
		g.severityWords = append(g.severityWords, strings.NewReplacer("-", "", "_", "").Replace(m[1]))
	}
	return g
}

// linkIn is the first link in text, without the punctuation that ends a
// sentence after it; "" when there is none.
func linkIn(text string) string {
	if as := model.WebAddresses(text); len(as) > 0 {
		return as[0].URL
	}
	return ""
}

var (
	nameSeverity = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)(?:^|[^a-z0-9])(critical|warning|p[1-5]|sev[-_]?[1-4])(?:$|[^a-z0-9])`)
	})
)

// parseAWSTime reads CloudWatch's "2026-11-23T14:02:00.000+0000" (no colon
// in the offset), or RFC 3339.
func parseAWSTime(s string) (time.Time, error) {
	if t, err := parseTime(s); err == nil {
		return t, nil
	}
	t, err := time.Parse("2006-01-02T15:04:05.000-0700", strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, err
	}
	if t.Year() <= 1 || t.Year() > 9999 {
		return time.Time{}, nil
	}
	return t.UTC(), nil
}
