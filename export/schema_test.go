package export_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/sitrep-dev/sitrep/export"
)

// validate checks v against the subset of JSON Schema the export schema
// uses: type, const, enum, required, properties, additionalProperties,
// items, minimum and $ref into $defs.
func validate(root, schema map[string]any, v any, path string) []string {
	if ref, ok := schema["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/$defs/")
		def, ok := root["$defs"].(map[string]any)[name].(map[string]any)
		if !ok {
			return []string{path + ": unknown $ref " + ref}
		}
		return validate(root, def, v, path)
	}
	var errs []string
	if t, ok := schema["type"]; ok {
		var types []string
		switch t := t.(type) {
		case string:
			types = []string{t}
		case []any:
			for _, x := range t {
				types = append(types, x.(string))
			}
		}
		if !hasType(types, v) {
			return []string{fmt.Sprintf("%s: %T is not %v", path, v, types)}
		}
	}
	if c, ok := schema["const"]; ok && fmt.Sprint(c) != fmt.Sprint(v) {
		errs = append(errs, fmt.Sprintf("%s: %v is not %v", path, v, c))
	}
	if e, ok := schema["enum"].([]any); ok {
		found := false
		for _, x := range e {
			found = found || fmt.Sprint(x) == fmt.Sprint(v)
		}
		if !found {
			errs = append(errs, fmt.Sprintf("%s: %v not in %v", path, v, e))
		}
	}
	if min, ok := schema["minimum"].(float64); ok {
		if n, ok := v.(float64); ok && n < min {
			errs = append(errs, fmt.Sprintf("%s: %v below %v", path, n, min))
		}
	}
	switch v := v.(type) {
	case map[string]any:
		props, _ := schema["properties"].(map[string]any)
		for _, r := range asStrings(schema["required"]) {
			if _, ok := v[r]; !ok {
				errs = append(errs, fmt.Sprintf("%s: missing required %q", path, r))
			}
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			sub, ok := props[k].(map[string]any)
			if !ok {
				if schema["additionalProperties"] == false {
					errs = append(errs, fmt.Sprintf("%s: property %q is not in the schema", path, k))
				}
				continue
			}
			errs = append(errs, validate(root, sub, v[k], path+"."+k)...)
		}
	case []any:
		if items, ok := schema["items"].(map[string]any); ok {
			for i, x := range v {
				errs = append(errs, validate(root, items, x, fmt.Sprintf("%s[%d]", path, i))...)
			}
		}
	}
	return errs
}

func hasType(types []string, v any) bool {
	for _, t := range types {
		switch t {
		case "object":
			if _, ok := v.(map[string]any); ok {
				return true
			}
		case "array":
			if _, ok := v.([]any); ok {
				return true
			}
		case "string":
			if _, ok := v.(string); ok {
				return true
			}
		case "boolean":
			if _, ok := v.(bool); ok {
				return true
			}
		case "number":
			if _, ok := v.(float64); ok {
				return true
			}
		case "integer":
			if n, ok := v.(float64); ok && n == float64(int64(n)) {
				return true
			}
		case "null":
			if v == nil {
				return true
			}
		}
	}
	return false
}

func asStrings(v any) []string {
	var out []string
	if l, ok := v.([]any); ok {
		for _, x := range l {
			out = append(out, x.(string))
		}
	}
	return out
}

func loadSchema(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "docs", "export-schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(b, &schema); err != nil {
		t.Fatalf("docs/export-schema.json: %v", err)
	}
	return schema
}

// The JSON export matches its documented schema, top-level keys and all
// the way down, for a real incident and a drill.
func TestExportMatchesSchema(t *testing.T) {
	schema := loadSchema(t)
	st := storeWith(t, append(incidentFixture(t), drillFixture(t)...))
	var b bytes.Buffer
	if err := export.WriteAll(context.Background(), st, &b, nil); err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	if errs := validate(schema, schema, v, "$"); len(errs) > 0 {
		t.Fatalf("export does not match docs/export-schema.json:\n%s", strings.Join(errs, "\n"))
	}
	// The validator is not blind: a stray key and a missing one are caught.
	m := v.(map[string]any)
	m["extra"] = 1
	delete(m, "events")
	if errs := validate(schema, schema, m, "$"); len(errs) != 2 {
		t.Fatalf("validator missed problems: %v", errs)
	}
}

// A reader of the Kubernetes test-infra postmortems finds every section
// they expect in the Markdown review, and so does a reader of PagerDuty's.
func TestMarkdownHasCorpusSections(t *testing.T) {
	files := export.CorpusPostmortems(t)
	md := strings.ToLower(string(exportAll(t, "md", incidentFixture(t))))
	var ours []string
	for _, l := range strings.Split(md, "\n") {
		if strings.HasPrefix(l, "## ") || strings.HasPrefix(l, "### ") {
			ours = append(ours, strings.TrimLeft(l, "# "))
		}
	}
	synonyms := map[string]string{"what went wrong": "what went poorly"}
	skip := regexp.MustCompile(`^(app?e?ndi?n?x|#|.*chat log|.*postmortem thread)`)
	checked := 0
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for _, l := range strings.Split(string(b), "\n") {
			if !strings.HasPrefix(l, "## ") && !strings.HasPrefix(l, "### ") {
				continue
			}
			h := strings.ToLower(strings.TrimSpace(strings.TrimLeft(l, "# ")))
			if skip.MatchString(h) || strings.HasPrefix(strings.TrimLeft(l, "# "), "#") {
				continue
			}
			if s, ok := synonyms[h]; ok {
				h = s
			}
			checked++
			if !containsHeading(ours, h) {
				t.Errorf("%s: section %q has no counterpart in the export (have %q)", filepath.Base(f), h, ours)
			}
		}
	}
	for _, h := range []string{"overview", "what happened", "contributing factors", "resolution", "impact", "responders", "timeline", "how we did", "action items", "messaging"} {
		checked++
		if !containsHeading(ours, h) {
			t.Errorf("PagerDuty's section %q is missing", h)
		}
	}
	if checked < 20 {
		t.Fatalf("only %d headings checked: the corpus parse is broken", checked)
	}
}

func containsHeading(ours []string, h string) bool {
	for _, o := range ours {
		if strings.Contains(o, h) {
			return true
		}
	}
	return false
}
