package cli

import (
	"os"
	"os/exec"
	"testing"
)

// needTool skips a test when a system tool is missing, unless the variable
// env is set to 1 (as .ci/run does after installing it): then it fails, so
// CI can never pass by silently skipping.
func needTool(t testing.TB, tool, env string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv(env) == "1" {
			t.Fatalf("%s is required (%s=1) but not found: %v", tool, env, err)
		}
		t.Skipf("%s not installed; set %s=1 to require it", tool, env)
	}
	return p
}
