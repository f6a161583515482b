//go:build !unix

package main

// takeStartupAnswers has nothing to take where Bubble Tea's start-up query
// is not sent the same way.
func takeStartupAnswers() {}
