//go:build !unix

package cli

// TakeStartupAnswers has nothing to take where Bubble Tea's start-up query
// is not sent the same way.
func TakeStartupAnswers() {}
