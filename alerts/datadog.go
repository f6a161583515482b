package alerts

import (
	"encoding/json"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sitrep-dev/sitrep/model"
)

// datadogBody is a Datadog webhook. Datadog has no fixed body: each
// webhook's payload is a template of $VARIABLES the team writes. These are
// the default template's fields (title, body, date, last_updated,
// event_type, id, org) and those teams most often add, named as the
// variables are (alert_transition for $ALERT_TRANSITION…).
type datadogBody struct {
	Title       flexString `json:"title"`
	Body        flexString `json:"body"`
	EventType   flexString `json:"event_type"`
	ID          flexString `json:"id"`
	Date        flexString `json:"date"`
	LastUpdated flexString `json:"last_updated"`
	Org         struct {
		Name flexString `json:"name"`
	} `json:"org"`

	AlertID         flexString `json:"alert_id"`
	AlertTitle      flexString `json:"alert_title"`
	AlertTransition flexString `json:"alert_transition"`
	AlertPriority   flexString `json:"alert_priority"`
	AlertScope      flexString `json:"alert_scope"`
	AlertMetric     flexString `json:"alert_metric"`
	AlertStatus     flexString `json:"alert_status"`
	AlertType       flexString `json:"alert_type"`
	AggregKey       flexString `json:"aggreg_key"`
	Link            flexString `json:"link"`
	Tags            flexString `json:"tags"`
	Hostname        flexString `json:"hostname"`
}

// flexString is a template's value: Datadog fills $VARIABLES in as text,
// but a template may leave one unquoted ("date": $DATE), which arrives as
// a number.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flexString(s)
		return nil
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch v.(type) {
	case nil:
		*f = ""
	case float64, bool:
		*f = flexString(strings.TrimSpace(string(b)))
	case []any:
		return &json.UnmarshalTypeError{Value: "array", Type: reflect.TypeOf("")}
	default:
		return &json.UnmarshalTypeError{Value: "object", Type: reflect.TypeOf("")}
	}
	return nil
}

// isDatadog: the default template's title and event_type, or a team's own
// template with the alert variables that tell a state.
func isDatadog(has func(string) bool) bool {
	return has("title") && (has("event_type") || has("alert_transition") || has("alert_id") || has("aggreg_key"))
}

// datadogFiring maps $ALERT_TRANSITION, or the bracketed word a monitor's
// notification title opens with, to whether the monitor is alerting. No
// Data counts: Datadog only sends it for a monitor set to notify when its
// data stops.
var datadogFiring = map[string]bool{
	"triggered": true, "re-triggered": true, "retriggered": true, "warn": true, "re-warn": true, "warning": true,
	"no data": true, "re-no data": true, "nodata": true,
	"recovered": false, "ok": false, "resolved": false,
}

// datadogTitle reads a monitor notification's title: "[P1] [Triggered on
// {host:web-1}] High CPU on web-1" is priority P1, transition Triggered,
// scope host:web-1, the monitor's name High CPU on web-1.
var datadogTitle = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^\s*(?:\[(P[1-5])\]\s*)?\[([A-Za-z][A-Za-z -]*?)(?:\s+on\s+\{([^}]*)\})?\]\s*(.*)$`)
})

func decodeDatadog(body []byte) (Group, error) {
	var d datadogBody
	if err := json.Unmarshal(body, &d); err != nil {
		return Group{}, shapeError("a Datadog webhook", err)
	}
	name, priority, scope := strings.TrimSpace(string(d.Title)), string(d.AlertPriority), string(d.AlertScope)
	transition := strings.TrimSpace(string(d.AlertTransition))
	if m := datadogTitle().FindStringSubmatch(name); m != nil {
		name = m[4]
		priority, scope = pick(priority, m[1]), pick(scope, m[3])
		if transition == "" {
			transition = m[2]
		}
	}
	if t := strings.TrimSpace(string(d.AlertTitle)); t != "" {
		name = t
	}
	firing, ok := datadogFiring[strings.ToLower(transition)]
	if !ok && transition == "" {
		// Only the alert type is left to tell: Datadog's success is a
		// recovery.
		switch strings.ToLower(strings.TrimSpace(string(d.AlertType))) {
		case "error", "warning":
			firing, ok = true, true
		case "success":
			firing, ok = false, true
		}
	}
	if !ok {
		what := "no transition"
		if transition != "" {
			what = "the transition " + oneLine(transition)
		}
		return Group{}, model.Invalidf(`the Datadog notification %q has %s; expected a monitor's title ("[Triggered] …", "[Recovered] …") or "alert_transition": "$ALERT_TRANSITION" in the webhook's payload`, clip(oneLine(string(d.Title)), 80), what)
	}
	msg := datadogMessage(string(d.Body))
	// The runbook is the message's; Datadog's own links are in the footer.
	runbook, _ := datadogLinks(msg)
	_, source := datadogLinks(string(d.Body))
	labels := map[string]string{
		"monitor_id": string(d.AlertID), "scope": scope, "priority": priority, "transition": transition,
		"event_type": string(d.EventType), "metric": string(d.AlertMetric), "tags": string(d.Tags),
		"host": string(d.Hostname), "org": string(d.Org.Name), "event_id": string(d.ID),
	}
	ann := map[string]string{"description": msg, "status": string(d.AlertStatus), "runbook_url": runbook}
	// A monitor's notifications share its aggregation key, or its id and
	// the group it alerts for; without either, its name (the title without
	// the transition) is the same from Triggered to Recovered.
	key := strings.TrimSpace(string(d.AggregKey))
	switch {
	case key != "":
	case strings.TrimSpace(string(d.AlertID)) != "":
		key = "monitor/" + strings.TrimSpace(string(d.AlertID)) + "/" + strings.TrimSpace(scope)
	default:
		key = "title/" + strings.TrimSpace(name)
		if scope != "" {
			key += "/" + strings.TrimSpace(scope)
		}
	}
	when := datadogTime(string(d.Date))
	if !firing {
		when = datadogTime(pick(string(d.LastUpdated), string(d.Date)))
	}
	g := oneAlert(SourceDatadog, "datadog", key, Alert{Firing: firing, Name: oneLine(name), Summary: firstLine(msg), GeneratorURL: pick(string(d.Link), source)}, when, labels, ann)
	g.Event, g.severityWords = oneLine(transition), []string{priority}
	if strings.HasPrefix(strings.ToLower(transition), "warn") || strings.HasPrefix(strings.ToLower(transition), "re-warn") {
		g.severityWords = append(g.severityWords, "warning")
	}
	return g, nil
}

// datadogMessage is $EVENT_MSG as the monitor's message: without the %%%
// that fence Datadog's Markdown, the @-mentions that route it, and the
// footer of Datadog's own links after "- - -".
func datadogMessage(s string) string {
	s = strings.ReplaceAll(s, "%%%", "")
	if i := strings.Index(s, "\n- - -"); i >= 0 {
		s = s[:i]
	}
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if mentions(l) {
			continue
		}
		keep = append(keep, l)
	}
	return strings.TrimSpace(strings.Join(keep, "\n"))
}

// mentions: a line of @-handles and nothing else ("@webhook-sitrep
// @slack-oncall").
func mentions(l string) bool {
	words := strings.Fields(l)
	for _, w := range words {
		if !strings.HasPrefix(w, "@") {
			return false
		}
	}
	return len(words) > 0
}

// datadogLinks finds the runbook, the first link in the message that is
// not Datadog's own, and where the alert came from, the first that is.
func datadogLinks(msg string) (runbook, source string) {
	for _, a := range model.WebAddresses(msg) {
		u := a.URL
		p, err := url.Parse(u)
		if err != nil {
			continue
		}
		host := strings.ToLower(p.Hostname())
		own := strings.HasSuffix(host, "datadoghq.com") || strings.HasSuffix(host, "datadoghq.eu") || strings.HasSuffix(host, "ddog-gov.com")
		switch {
		case own && source == "":
			source = u
		case !own && runbook == "":
			runbook = u
		}
	}
	return runbook, source
}

// datadogTime reads $DATE and $LAST_UPDATED: milliseconds since 1970, or
// seconds ($DATE_POSIX), or an RFC 3339 time; zero when none of these.
func datadogTime(s string) time.Time {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n < 100000000000 {
			n *= 1000
		}
		return epochMS(n)
	}
	t, _ := parseTime(s)
	return t
}
