package storage

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvidenceQueryUsesItsIndex: reading an incident's commands reads the
// partial index, not every timeline entry of the incident.
func TestEvidenceQueryUsesItsIndex(t *testing.T) {
	st, err := Open(context.Background(), filepath.Join(t.TempDir(), "s.db"), Options{Author: "a"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.db.QueryContext(context.Background(), `EXPLAIN QUERY PLAN `+evidenceQuery, "x")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan strings.Builder
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan.WriteString(detail + "\n")
	}
	if !strings.Contains(plan.String(), "timeline_evidence") {
		t.Errorf("plan:\n%s", plan.String())
	}
}
