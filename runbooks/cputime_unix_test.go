//go:build unix

package runbooks

import (
	"syscall"
	"time"
)

// processCPU is the CPU time this process has used, user and system,
// across all threads (GC included). Benchmarks report it per op beside the
// wall time, since on a shared machine the wall time mostly measures the
// neighbours.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
