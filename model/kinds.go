package model

// knownKinds are the kinds this version projects. A store keeps events of
// other kinds (from a newer sitrep, through sync) in its log without
// projecting them, so an older binary neither breaks nor shows half-read
// history; a newer one projects them when it catches up.
var knownKinds = map[EventKind]bool{
	EventDeclared: true, EventRetitled: true, EventStatusChanged: true, EventSeverityChanged: true,
	EventNote: true, EventPinned: true, EventAmended: true, EventRetracted: true, EventRoleAssigned: true,
	EventRunbookAttached: true, EventStepChanged: true,
	EventReviewSaved: true, EventExerciseStarted: true, EventExercisePaused: true, EventExerciseResumed: true,
	EventExerciseSpeed: true, EventExerciseEnded: true, EventInjectReleased: true, EventInjectSkipped: true,
	EventMessageSent: true,
}

// Known reports whether this version of sitrep projects events of kind k.
func (k EventKind) Known() bool { return knownKinds[k] }
