package storage_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/sitrep-dev/sitrep/model"
)

// TestConcurrentAppendsInOneProcess: writes started together by one
// process (the cockpit saves each key's change in a command of its own,
// and x pressed five times quickly is five) all land. They deadlocked on
// the connection pool and every one ran out of time after 15 s.
func TestConcurrentAppendsInOneProcess(t *testing.T) {
	st, _ := openTemp(t)
	id := declare(t, st, "x")
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_, err := st.Append(ctx, model.Change{IncidentID: id, Kind: model.EventStepChanged,
				Payload: model.StepPayload{Runbook: "r", Step: i, Title: "t", State: model.StepDone}})
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	steps, err := st.Steps(context.Background(), id)
	if err != nil || len(steps) != n {
		t.Errorf("%d steps stored (%v), want %d", len(steps), err, n)
	}
}
