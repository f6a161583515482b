// Package model holds sitrep's domain: incidents, their lifecycle, the events
// that record every change, timeline entries, roles and RACI. It does no I/O
// and knows nothing of SQL or terminals, so every other package can share it.
package model
