// Package alerts reads what monitoring sends when something breaks (an
// Alertmanager or Grafana webhook, Alertmanager's list of current alerts,
// a PagerDuty, Opsgenie, Datadog or New Relic webhook, a CloudWatch,
// Google Cloud or Azure alert) into what declaring an incident needs: a title, a
// severity, a kind, when it was detected, the runbook it names and the
// group it belongs to, so the next notification of the same group finds
// the same incident.
package alerts

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/sitrep-dev/sitrep/model"
)

// MaxBody bounds a payload. Alertmanager sends a group's alerts in one
// body and real ones are kilobytes; 10 MB is thousands of alerts. Anything
// bigger is refused after reading MaxBody+1 bytes, never all of it.
const MaxBody = 10 << 20

// Expected names every shape Decode reads; each refusal ends with it, so
// whoever piped the wrong thing in learns what would have worked.
const Expected = "expected an Alertmanager webhook body (version 4) or Grafana's, the JSON array Alertmanager's /api/v2/alerts returns, a PagerDuty v3 webhook incident event, an Opsgenie webhook, a CloudWatch alarm (its SNS notification, the alarm message, or EventBridge's state change event), a Google Cloud Monitoring or Azure Monitor (common alert schema) webhook, a Datadog webhook (its default payload, or one with $ALERT_TRANSITION), or a New Relic workflow's webhook (its default payload)"

// Source says which shape a payload came in.
type Source string

const (
	SourceWebhook    Source = "Alertmanager webhook"
	SourceGrafana    Source = "Grafana alerting webhook"
	SourceAPI        Source = "Alertmanager /api/v2/alerts"
	SourcePagerDuty  Source = "PagerDuty webhook"
	SourceCloudWatch Source = "CloudWatch alarm"
	SourceOpsgenie   Source = "Opsgenie webhook"
	SourceDatadog    Source = "Datadog webhook"
	SourceGCP        Source = "Google Cloud Monitoring"
	SourceAzure      Source = "Azure Monitor alert"
	SourceNewRelic   Source = "New Relic workflow"
)

// Decode reads one payload from r, at most MaxBody bytes of it, and returns
// its alert group. Every error is one line a person can act on and matches
// model.ErrInvalid, except a failure to read r at all.
func Decode(r io.Reader, opts Options) (Group, error) {
	body, err := io.ReadAll(io.LimitReader(r, MaxBody+1))
	if err != nil {
		return Group{}, fmt.Errorf("read alert payload: %w", err)
	}
	if len(body) > MaxBody {
		return Group{}, TooBig()
	}
	return DecodeBytes(body, opts)
}

// TooBig is the refusal of a payload over MaxBody, for a caller that can
// tell from a file's size without reading it.
func TooBig() error {
	return model.Invalidf("the alert payload is over %d MB: %s, a few kilobytes each", MaxBody>>20, Expected)
}

// DecodeBytes is Decode on a body already read.
func DecodeBytes(body []byte, opts Options) (Group, error) {
	if len(body) > MaxBody {
		return Group{}, TooBig()
	}
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return Group{}, model.Invalidf("the alert payload is empty: %s", Expected)
	}
	if !json.Valid(trimmed) {
		return Group{}, model.Invalidf("the alert payload is not JSON (%s): %s", jsonProblem(trimmed), Expected)
	}
	var g Group
	var err error
	switch trimmed[0] {
	case '[':
		g, err = decodeAPI(trimmed)
	case '{':
		g, err = decodeObject(trimmed)
	default:
		return Group{}, model.Invalidf("the alert payload is a JSON %s: %s", jsonKind(trimmed[0]), Expected)
	}
	if err != nil {
		return Group{}, err
	}
	g.finish(opts)
	return g, nil
}

// decodeObject tells the shapes apart by the fields each must have.
func decodeObject(body []byte) (Group, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(body, &probe); err != nil {
		return Group{}, shapeError("a JSON object", err)
	}
	has := func(k string) bool { _, ok := probe[k]; return ok }
	switch {
	case has("alerts"):
		return decodeWebhook(body)
	case has("event"):
		return decodePagerDuty(body)
	case has("alert") && has("action"):
		return decodeOpsgenie(body)
	case has("TopicArn") && has("Type"):
		return decodeSNS(body)
	case has("AlarmName"):
		return decodeCloudWatch(body)
	case has("detail-type"):
		return decodeEventBridge(body)
	case has("incident") && has("version"):
		return decodeGCP(body)
	case has("schemaId") && has("data"):
		return decodeAzure(body)
	case isDatadog(has):
		return decodeDatadog(body)
	case isNewRelic(has):
		return decodeNewRelic(body)
	}
	return Group{}, model.Invalidf("the alert payload is a JSON object with none of \"alerts\", \"event\", \"alert\", \"AlarmName\", \"detail-type\", \"incident\" or \"schemaId\", nor Datadog's \"title\" and \"event_type\", nor New Relic's \"issueUrl\" and \"state\" (it has %s): %s", fieldList(probe), Expected)
}

// shapeError reports a field of the wrong type, naming where it is.
func shapeError(what string, err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if field == "" {
			field = "the top level"
		}
		return model.Invalidf("the alert payload looks like %s, but %s is a JSON %s where %s was expected: %s", what, field, te.Value, goKind(te.Type.String()), Expected)
	}
	return model.Invalidf("the alert payload looks like %s, but cannot be read: %s", what, oneLine(err.Error()))
}

// jsonProblem says where JSON stops being JSON, as a byte offset.
func jsonProblem(body []byte) string {
	var v any
	err := json.Unmarshal(body, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s at byte %d", oneLine(se.Error()), se.Offset)
	}
	if err != nil {
		return oneLine(err.Error())
	}
	return "unreadable"
}

func jsonKind(c byte) string {
	switch {
	case c == '"':
		return "string"
	case c == 't' || c == 'f':
		return "boolean"
	case c == 'n':
		return "null"
	}
	return "number"
}

func goKind(t string) string {
	switch {
	case strings.HasPrefix(t, "map["), strings.HasPrefix(t, "struct"), strings.HasPrefix(t, "alerts."):
		return "an object"
	case strings.HasPrefix(t, "[]"):
		return "an array"
	case t == "string":
		return "a string"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "float"):
		return "a number"
	case t == "bool":
		return "true or false"
	case t == "time.Time":
		return "a time (RFC 3339)"
	}
	return t
}

func fieldList(m map[string]json.RawMessage) string {
	if len(m) == 0 {
		return "no fields"
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, fmt.Sprintf("%q", oneLine(k)))
	}
	sortStrings(names)
	if len(names) > 6 {
		names = append(names[:6], "…")
	}
	return strings.Join(names, ", ")
}

// oneLine is text from the payload made safe for one line of an error or
// a label: controls visible, whitespace folded.
func oneLine(s string) string { return model.OneLine(model.Neutralise(s)) }
