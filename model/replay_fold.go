package model

import (
	"sort"
	"time"
)

// The fold behind Replay: the store's projection (storage/project.go)
// written over a slice of events instead of tables. Every rule here is the
// projection's: a single value (title, severity, status, a role's holder,
// a step's state, an attachment, a pin, an amendment) takes the newest
// version by (HLC, id); a milestone takes the earliest time that marked
// it; a retraction cannot be undone. Where the two could differ, the
// replay test (replay_test.go in storage) catches it at every event.

// folder is the state while folding.
type folder struct {
	s                     Snapshot
	titleV, sevV, statusV string
	declV                 string
	detected              time.Time
	roles                 map[Role]roleWin
	assigns               []roleAssign
	steps                 map[stepKey]versioned[StepStatus]
	atts                  map[string]versioned[Attachment]
	drill                 []Event
}

type versioned[T any] struct {
	v     T
	since string
}

type roleWin struct {
	holder, version, id, replaces string
	since                         time.Time
}

type roleAssign struct {
	role                 Role
	id, holder, replaces string
}

type stepKey struct {
	runbook string
	step    int
}

// fold is the snapshot after the first n events.
func (r *Replay) fold(n int) Snapshot {
	f := folder{
		s:     Snapshot{r: r, marks: map[string]entryMark{}},
		roles: map[Role]roleWin{}, steps: map[stepKey]versioned[StepStatus]{}, atts: map[string]versioned[Attachment]{},
	}
	f.s.Incident = Incident{ID: r.incidentID, Kind: "other", Status: StatusDetected}
	for i := 0; i < n; i++ {
		e := &r.events[i]
		f.s.Exists = true
		if e.Kind.MakesEntry() {
			f.s.n++
			f.s.Incident.Entries++
			if e.placed.After(f.s.Incident.UpdatedAt) {
				f.s.Incident.UpdatedAt = e.placed
			}
		}
		f.apply(e)
	}
	f.finish()
	return f.s
}

// apply folds one event in.
func (f *folder) apply(e *placedEvent) {
	in := &f.s.Incident
	switch p := e.payload.(type) {
	case DeclaredPayload:
		f.setTitle(p.Title, e.version)
		f.setSeverity(p.Severity, e.version)
		f.setStatus(e, p.Status, "")
		if e.version > f.declV {
			f.declV = e.version
			in.Kind, in.Exercise, in.DeclaredBy, in.DeclaredAt = p.Kind, p.Exercise, e.Author, e.placed
		}
		if d := toMilli(DetectedAt(e.Event, p)); f.detected.IsZero() || d.Before(f.detected) {
			f.detected = d
		}
	case RetitledPayload:
		f.setTitle(p.Title, e.version)
	case StatusPayload:
		f.setStatus(e, p.Status, p.From)
	case SeverityPayload:
		f.setSeverity(p.Severity, e.version)
	case PinnedPayload:
		m := f.s.marks[p.Entry]
		if e.version > m.pinnedV {
			m.pinned, m.pinnedV = p.Pinned, e.version
		}
		f.s.marks[p.Entry] = m
	case AmendedPayload:
		m := f.s.marks[p.Entry]
		if e.version > m.amendedV {
			m.amended, m.by, m.amendedV = p.Text, e.ID, e.version
		}
		f.s.marks[p.Entry] = m
	case RetractedPayload:
		m := f.s.marks[p.Entry]
		m.retracted = true
		f.s.marks[p.Entry] = m
	case RoleAssignedPayload:
		f.assign(e, p)
	case RunbookAttachedPayload:
		if old, ok := f.atts[p.Name]; !ok || e.version > old.since {
			f.atts[p.Name] = versioned[Attachment]{Attachment{IncidentID: e.IncidentID, Name: p.Name, Title: p.Title, Source: p.Source,
				Hash: p.Hash, Text: p.Text, At: e.placed}, e.version}
		}
	case StepPayload:
		k := stepKey{p.Runbook, p.Step}
		if old, ok := f.steps[k]; !ok || e.version > old.since {
			f.steps[k] = versioned[StepStatus]{StepStatus{IncidentID: e.IncidentID, Runbook: p.Runbook, Step: p.Step, State: p.State,
				Reason: p.Reason, By: e.Author, At: e.placed}, e.version}
		}
	case MessagePayload:
		f.s.Messages = append(f.s.Messages, Message{EventID: e.ID, IncidentID: e.IncidentID, Audience: p.Audience, Template: p.Template,
			Text: p.Text, Channel: p.Channel, Author: e.Author, At: e.placed})
	}
	if IsExerciseKind(e.Kind) {
		f.drill = append(f.drill, e.Event)
	}
}

func (f *folder) setTitle(title, v string) {
	if v > f.titleV {
		f.s.Incident.Title, f.titleV = title, v
	}
}

func (f *folder) setSeverity(sev Severity, v string) {
	if sev.Valid() && v > f.sevV {
		f.s.Incident.Severity, f.sevV = sev, v
	}
}

// setStatus takes the newest status, and marks each milestone the change
// marks at the earliest time any change did.
func (f *folder) setStatus(e *placedEvent, status, from Status) {
	if !status.Valid() {
		return
	}
	in := &f.s.Incident
	if e.version > f.statusV {
		in.Status, f.statusV = status, e.version
	}
	for _, m := range Milestones {
		if !m.MarkedBy(status, from) {
			continue
		}
		if t := in.Milestones.Get(m); t.IsZero() || e.placed.Before(t) {
			in.Milestones.set(m, e.placed)
		}
	}
}

func (f *folder) assign(e *placedEvent, p RoleAssignedPayload) {
	if p.Role == "" {
		return
	}
	f.assigns = append(f.assigns, roleAssign{role: p.Role, id: e.ID, holder: p.Holder, replaces: p.Replaces})
	if old, ok := f.roles[p.Role]; !ok || e.version > old.version {
		f.roles[p.Role] = roleWin{holder: p.Holder, version: e.version, id: e.ID, replaces: p.Replaces, since: e.placed}
	}
}

// finish lays the maps out in the orders the store lists them.
func (f *folder) finish() {
	in := &f.s.Incident
	if !f.detected.IsZero() {
		in.Milestones.Detected = f.detected
	}
	in.Commander = f.roles[RoleCommander].holder
	for role, w := range f.roles {
		f.s.Roles = append(f.s.Roles, RoleHolder{Role: role, Holder: w.holder, Since: w.since, Clash: f.clash(role, w)})
	}
	sort.Slice(f.s.Roles, func(i, j int) bool { return f.s.Roles[i].Role < f.s.Roles[j].Role })
	for _, st := range f.steps {
		f.s.Steps = append(f.s.Steps, st.v)
	}
	sort.Slice(f.s.Steps, func(i, j int) bool {
		a, b := f.s.Steps[i], f.s.Steps[j]
		if a.Runbook != b.Runbook {
			return a.Runbook < b.Runbook
		}
		return a.Step < b.Step
	})
	for _, a := range f.atts {
		f.s.Attachments = append(f.s.Attachments, a.v)
	}
	sort.Slice(f.s.Attachments, func(i, j int) bool {
		a, b := f.s.Attachments[i], f.s.Attachments[j]
		if !a.At.Equal(b.At) {
			return a.At.Before(b.At)
		}
		return a.Name < b.Name
	})
	sort.SliceStable(f.s.Messages, func(i, j int) bool {
		a, b := f.s.Messages[i], f.s.Messages[j]
		if !a.At.Equal(b.At) {
			return a.At.Before(b.At)
		}
		return a.EventID < b.EventID
	})
	if x, ok := BuildExercise(f.drill); ok {
		f.s.Exercise = &x
	}
}

// clash is who else took the role from the same starting point as the
// assignment that holds it: two people taking it at once, offline.
func (f *folder) clash(role Role, w roleWin) []string {
	var out []string
	seen := map[string]bool{}
	for _, a := range f.assigns {
		if a.role == role && a.replaces == w.replaces && a.id != w.id && a.holder != w.holder && a.holder != "" && !seen[a.holder] {
			seen[a.holder] = true
			out = append(out, a.holder)
		}
	}
	sort.Strings(out)
	return out
}

// set records when a milestone was reached.
func (t *MilestoneTimes) set(m Milestone, at time.Time) {
	switch m {
	case MilestoneDetected:
		t.Detected = at
	case MilestoneAcknowledged:
		t.Acknowledged = at
	case MilestoneMitigated:
		t.Mitigated = at
	case MilestoneResolved:
		t.Resolved = at
	case MilestoneReviewed:
		t.Reviewed = at
	}
}

// DetectedAt is when a declaration says the problem was detected, on the
// log's clock: the time was given on the author's clock, so it moves with
// the declaration when that clock was behind, and it is never after the
// declaration itself. The store's projections and the replay share it.
func DetectedAt(e Event, d DeclaredPayload) time.Time {
	placed := e.Placed()
	detected := d.DetectedAt
	if !detected.IsZero() {
		detected = detected.Add(ClockBehind(e.HLC, e.At))
	}
	if detected.IsZero() || detected.After(placed) {
		detected = placed
	}
	return detected
}
