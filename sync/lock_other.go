//go:build !unix

package sync

// lockDir is a no-op where flock does not exist; the hub's open retries
// cover syncs racing to create one shared file.
func lockDir(string) func() { return func() {} }
