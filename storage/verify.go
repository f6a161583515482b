package storage

import (
	"context"
	"fmt"
)

// Problem is one thing verify found wrong with the log.
type Problem struct {
	EventID string
	Author  string
	Message string
}

func (p Problem) String() string {
	if p.EventID == "" {
		return fmt.Sprintf("%s: %s", p.Author, p.Message)
	}
	return fmt.Sprintf("event %s by %s: %s", p.EventID, p.Author, p.Message)
}

// VerifyReport sums up a verify run.
type VerifyReport struct {
	Events   int
	Chains   int
	Problems []Problem
}

// Verify walks every author's hash chain: each event must hash to its
// recorded hash, point at the previous event's hash, and follow it in
// number. Editing an event breaks its hash; deleting one leaves a gap. It
// also checks that every timeline entry still has its event, which catches
// the deletion of a chain's newest event.
func (s *Store) Verify(ctx context.Context) (VerifyReport, error) {
	var rep VerifyReport
	rows, err := s.db.QueryContext(ctx, `SELECT `+eventColumns+` FROM events ORDER BY origin, author, chain_seq, id`)
	if err != nil {
		return rep, fmt.Errorf("verify %s: %w", s.path, describeSQLiteError(err))
	}
	defer rows.Close()
	type chainKey struct{ origin, author string }
	var key chainKey
	var prevSeq int64
	var prevHash string
	for rows.Next() {
		l, err := scanLogged(rows)
		if err != nil {
			return rep, fmt.Errorf("verify %s: %w", s.path, describeSQLiteError(err))
		}
		rep.Events++
		k := chainKey{l.Origin, l.Author}
		if k != key {
			key, prevSeq, prevHash = k, 0, ""
			rep.Chains++
		}
		bad := func(format string, args ...any) {
			rep.Problems = append(rep.Problems, Problem{EventID: l.ID, Author: l.Author, Message: fmt.Sprintf(format, args...)})
		}
		if got := l.ComputeHash(); got != l.Hash {
			bad("content does not match its hash (changed after it was written)")
		}
		switch {
		case l.ChainSeq == prevSeq:
			bad("forks the chain: a second event numbered %d (was the store file copied?)", l.ChainSeq)
		case l.ChainSeq != prevSeq+1:
			bad("chain jumps from event %d to %d: %d event(s) missing before this one", prevSeq, l.ChainSeq, l.ChainSeq-prevSeq-1)
		case l.Prev != prevHash:
			bad("does not link to the previous event's hash (the previous event was changed or replaced)")
		}
		prevSeq, prevHash = l.ChainSeq, l.Hash
	}
	if err := rows.Err(); err != nil {
		return rep, fmt.Errorf("verify %s: %w", s.path, describeSQLiteError(err))
	}
	orphans, err := s.db.QueryContext(ctx, `SELECT t.event_id, t.author FROM timeline t WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = t.event_id)`)
	if err != nil {
		return rep, fmt.Errorf("verify %s: %w", s.path, describeSQLiteError(err))
	}
	defer orphans.Close()
	for orphans.Next() {
		var p Problem
		if err := orphans.Scan(&p.EventID, &p.Author); err != nil {
			return rep, err
		}
		p.Message = "missing from the log (deleted), though the timeline still shows it"
		rep.Problems = append(rep.Problems, p)
	}
	return rep, orphans.Err()
}
