//go:build race

package sync

// raceEnabled: the race detector slows SQLite (pure Go here) several
// times over, so the randomized tests run fewer rounds under it.
const raceEnabled = true
