//go:build !linux

package storage

// notifier is inotify's on Linux; elsewhere the watcher polls.
type notifier struct{ wake chan struct{} }

func newNotifier(string) *notifier { return nil }

func (n *notifier) close() {}
