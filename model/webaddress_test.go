package model

import (
	"slices"
	"testing"
)

func TestWebAddresses(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string
	}{
		{"no address here", nil},
		{"see https://grafana.example.com/d/abc?from=now-1h.", []string{"https://grafana.example.com/d/abc?from=now-1h"}},
		{"(see https://en.wikipedia.org/wiki/Fallacies_(computing)) and http://x.example/a,b;", []string{"https://en.wikipedia.org/wiki/Fallacies_(computing)", "http://x.example/a,b"}},
		{"<https://a.example/x> \"https://b.example/y\" `https://c.example/z`", []string{"https://a.example/x", "https://b.example/y", "https://c.example/z"}},
		{"[link](https://d.example/p) **https://e.example/q**", []string{"https://d.example/p", "https://e.example/q"}},
		{"ftp://nope.example and xhttps://nope", nil},
	} {
		var got []string
		for _, a := range WebAddresses(c.text) {
			got = append(got, a.URL)
			if c.text[a.At:a.At+len(a.URL)] != a.URL {
				t.Errorf("%q: %q is not at %d", c.text, a.URL, a.At)
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%q: %q, want %q", c.text, got, c.want)
		}
	}
}
