package export

import "testing"

// The Resolution sentence names only what happened.
func TestResolutionLine(t *testing.T) {
	mit, res := 60.0, 3*3600.0+5*60
	for _, tc := range []struct {
		mit, res *float64
		want     string
	}{
		{&mit, &res, "Mitigated 1m and resolved 3h05m after detection."},
		{&mit, nil, "Mitigated 1m after detection; not resolved yet."},
		{nil, &res, "Resolved 3h05m after detection."},
		{nil, nil, ""},
	} {
		if got := resolutionLine(tc.mit, tc.res); got != tc.want {
			t.Errorf("resolutionLine = %q, want %q", got, tc.want)
		}
	}
}
