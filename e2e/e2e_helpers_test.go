package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// End-to-end tests drive the real binary, built once per test run.
var (
	buildOnce sync.Once
	builtPath string
	buildErr  error
	buildOut  []byte
)

// TestMain removes the built binary when the run ends, so test runs do not
// leave a copy of sitrep in the temp directory each time.
func TestMain(m *testing.M) {
	code := m.Run()
	if builtPath != "" {
		os.RemoveAll(filepath.Dir(builtPath))
	}
	os.Exit(code)
}

func buildSitrep(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "sitrep-e2e-bin")
		if err != nil {
			buildErr = err
			return
		}
		builtPath = filepath.Join(dir, "sitrep")
		cmd := exec.Command("go", "build", "-o", builtPath, ".")
		cmd.Dir = ".." // the repository root, where main.go is
		buildOut, buildErr = cmd.CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("build sitrep: %v\n%s", buildErr, buildOut)
	}
	return builtPath
}

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
