package model

import (
	"errors"
	"fmt"
)

// ErrInvalid marks input a person gave that sitrep cannot accept. Callers
// test for it with errors.Is to tell a usage mistake from an internal fault.
var ErrInvalid = errors.New("invalid input")

// ErrNotFound marks a lookup that matched nothing.
var ErrNotFound = errors.New("not found")

// Invalidf builds an error a person can read that still matches ErrInvalid.
func Invalidf(format string, args ...any) error {
	return &userError{msg: fmt.Sprintf(format, args...), kind: ErrInvalid}
}

// NotFoundf builds a readable not-found error that matches ErrNotFound.
func NotFoundf(format string, args ...any) error {
	return &userError{msg: fmt.Sprintf(format, args...), kind: ErrNotFound}
}

type userError struct {
	msg  string
	kind error
}

func (e *userError) Error() string        { return e.msg }
func (e *userError) Is(target error) bool { return target == e.kind }
