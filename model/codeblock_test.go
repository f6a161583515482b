package model

import "testing"

// TestCodeBlockCopy: a shell session copies as its commands; a script,
// comments and all, as written.
func TestCodeBlockCopy(t *testing.T) {
	cases := []struct{ lang, text, want string }{
		{"sh", "# restart the api\nkubectl rollout restart deploy/api", "# restart the api\nkubectl rollout restart deploy/api"},
		{"", "$ kubectl get pods\nNAME READY\napi 1/1\n$ kubectl logs api \\\n    --since=5m\nlog line", "kubectl get pods\nkubectl logs api \\\n    --since=5m"},
		{"console", "# systemctl stop chef-client\n# gitlab-ctl status\nrun: redis", "systemctl stop chef-client\ngitlab-ctl status"},
		{"shell-session", "$ true", "true"},
		{"console", "no prompt at all", "no prompt at all"},
	}
	for _, c := range cases {
		if got := (CodeBlock{Lang: c.lang, Text: c.text}).Copy(); got != c.want {
			t.Errorf("%s %q: copied %q, want %q", c.lang, c.text, got, c.want)
		}
	}
}

func TestShellLang(t *testing.T) {
	for lang, want := range map[string]bool{"": true, "sh": true, "Bash": true, " console ": true, "shell-session": true,
		"ruby": false, "sql": false, "yaml": false, "promql": false, "text": false} {
		if got := ShellLang(lang); got != want {
			t.Errorf("ShellLang(%q) = %v, want %v", lang, got, want)
		}
	}
}
