package model

import (
	"encoding/json"
	"errors"
	"time"
	"unicode"
	"unicode/utf8"
)

// Rules for the fields of an event that are not free text. Events made here
// and events arriving from other stores (sync, import) pass the same rules,
// because a teammate's store, or a file, can hold anything: a field drawn on
// screen must not be able to carry a terminal escape sequence in.

// MaxAttachment bounds a runbook or scenario file: what a team folder may
// hold and what an attached copy arriving by sync or import may carry. Real
// runbooks are a few kilobytes; a 31 MB one made the cockpit use 981 MB.
const MaxAttachment = 1 << 20

// MaxName bounds a person's name: an author or a role's holder.
const MaxName = 100

// MaxLabel bounds one-line labels other than titles: a runbook's name,
// source or step title, a channel, a reason.
const MaxLabel = 1000

// MaxID bounds an id (event, incident, store). sitrep's are 36-byte UUIDs.
const MaxID = 64

// ValidID accepts what sitrep uses as ids: 1-64 ASCII letters, digits and
// . _ : - (UUIDs, and the short names tests and older stores use).
func ValidID(what, s string) error {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':') {
			return Invalidf("%s %q may hold only letters, digits and . _ : -", what, s)
		}
	}
	if s == "" || len(s) > MaxID {
		return Invalidf("%s %q must be 1-%d characters", what, s, MaxID)
	}
	return nil
}

// ValidHash accepts a SHA-256 in lower-case hex, or "" where allowed.
func ValidHash(what, s string, empty bool) error {
	if s == "" && empty {
		return nil
	}
	if len(s) != 64 {
		return Invalidf("%s %q is not a SHA-256 in hex", what, s)
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return Invalidf("%s %q is not a SHA-256 in hex", what, s)
		}
	}
	return nil
}

// Valid checks an event kind: one this sitrep knows, or the shape a newer
// sitrep's kinds have (a lower-case identifier with dots, like
// "runbook.attached"), which the store keeps without projecting.
func (k EventKind) Valid() error {
	if k.Known() {
		return nil
	}
	s := string(k)
	if s == "" || len(s) > MaxID {
		return Invalidf("event kind %q must be 1-%d characters", s, MaxID)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' && i > 0 || (c == '.' || c == '_' || c == '-') && i > 0) {
			return Invalidf("event kind %q is not a known kind or a lower-case identifier (a-z, 0-9, . _ -)", s)
		}
	}
	return nil
}

// ValidName checks a person's name (an author, who holds a role): printable
// text of 1-100 characters on one line. Control characters are refused, and
// so are format characters (bidi overrides, zero-width spaces), which would
// let one name pass for another.
func ValidName(what, s string) error {
	if s == "" {
		return Invalidf("%s is empty", what)
	}
	if !utf8.ValidString(s) {
		return Invalidf("%s %q is not valid UTF-8", what, s)
	}
	if n := utf8.RuneCountInString(s); n > MaxName {
		return Invalidf("%s is %d characters; the limit is %d", what, n, MaxName)
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.In(r, unicode.Zl, unicode.Zp) {
			return Invalidf("%s %q holds the control or format character %U: use plain text", what, s, r)
		}
	}
	return nil
}

// ValidLabel checks one line of text (a title, a runbook's name, a reason):
// at most max characters, no control characters but tabs. Format characters
// are allowed (they occur in pasted text) and shown as placeholders.
func ValidLabel(what, s string, max int) error {
	if !utf8.ValidString(s) {
		return Invalidf("%s %q is not valid UTF-8", what, s)
	}
	if n := utf8.RuneCountInString(s); n > max {
		return Invalidf("%s is %d characters; the limit is %d", what, n, max)
	}
	for _, r := range s {
		if r != '\t' && unicode.IsControl(r) || unicode.In(r, unicode.Zl, unicode.Zp) {
			return Invalidf("%s %q holds the control character %U: use plain text on one line", what, s, r)
		}
	}
	return nil
}

// ValidTime checks that a time can be written in every export: JSON and
// RFC 3339 hold years 0 to 9999 only, and one event outside them made a
// whole store's export fail.
func ValidTime(what string, t time.Time) error {
	if y := t.UTC().Year(); y < 0 || y > 9999 {
		return Invalidf("%s is in the year %d: sitrep keeps times in the years 0 to 9999 (is a clock wrong?)", what, y)
	}
	return nil
}

// The times every export can write.
var (
	minTime = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(9999, 12, 31, 23, 59, 59, 999e6, time.UTC)
)

// ClampTime brings a time into the years 0 to 9999 (in UTC), for output that
// must not fail on one bad row a store already holds.
func ClampTime(t time.Time) time.Time {
	switch {
	case t.Before(minTime):
		return minTime
	case t.After(maxTime):
		return maxTime
	}
	return t.UTC()
}

// Validate applies the domain's rules to a change before anything is
// written. An event arriving from another store passes the same rules
// (Event.CheckFields), so what a teammate's store sends can hold nothing a
// change made here could not. What needs the store (that the incident
// exists, that an amended entry belongs to it) the store checks itself.
func (d Change) Validate() error {
	if err := d.Kind.Valid(); err != nil {
		return err
	}
	if d.Kind != EventDeclared && d.IncidentID == "" {
		return Invalidf("no incident given for %s", d.Kind)
	}
	if d.IncidentID != "" {
		if err := ValidID("incident id", d.IncidentID); err != nil {
			return err
		}
	}
	if !d.Occurred.IsZero() {
		if err := ValidTime("the time it happened", d.Occurred); err != nil {
			return err
		}
	}
	return ValidatePayload(d.Kind, d.Payload)
}

// CheckFields checks every field of an event from elsewhere against the
// rules a change made here meets: ids are ids, the kind is a known kind or a
// safe identifier, the author is a printable name, times are in years
// 0-9999, and a known kind's payload decodes into its type and passes
// Change.Validate's rules. The hash is the store's to compare.
func (e Event) CheckFields() error {
	_, err := e.CheckedPayload()
	return err
}

// CheckedPayload is CheckFields, returning the payload it decoded (nil for
// a kind this version does not know).
func (e Event) CheckedPayload() (Payload, error) {
	if err := ValidID("event id", e.ID); err != nil {
		return nil, err
	}
	if err := ValidID("incident id", e.IncidentID); err != nil {
		return nil, err
	}
	if err := ValidID("store id", e.Origin); err != nil {
		return nil, err
	}
	if err := e.Kind.Valid(); err != nil {
		return nil, err
	}
	if err := ValidName("author", e.Author); err != nil {
		return nil, err
	}
	if err := ValidHash("hash", e.Hash, false); err != nil {
		return nil, err
	}
	if err := ValidHash("previous hash", e.Prev, true); err != nil {
		return nil, err
	}
	if e.ChainSeq < 1 {
		return nil, Invalidf("chain number %d is not a chain position", e.ChainSeq)
	}
	if err := ValidTime("its time", e.At); err != nil {
		return nil, err
	}
	if err := ValidTime("the time it happened", e.Occurred); err != nil {
		return nil, err
	}
	if !json.Valid(e.Payload) {
		return nil, Invalidf("the payload is not JSON")
	}
	if !e.Kind.Known() {
		return nil, nil // a newer sitrep's kind: kept, never projected or drawn
	}
	p, err := DecodePayload(e)
	if err != nil {
		cause := err
		if u := errors.Unwrap(err); u != nil {
			cause = u
		}
		return nil, Invalidf("its payload does not fit its kind %s (%s)", e.Kind, OneLine(cause.Error()))
	}
	return p, ValidatePayload(e.Kind, p)
}
