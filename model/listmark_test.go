package model

import "testing"

func TestListMarker(t *testing.T) {
	for _, c := range []struct {
		line string
		want int
	}{
		{"- item", 2},
		{"* item", 2},
		{"+\titem", 2},
		{"1. first", 3},
		{"12) twelfth", 4},
		{"123456789. nine digits", 11},
		{"1234567890. ten digits is no marker", 0},
		{"  - indented", 4},
		{"-   spaced", 4},
		{"-", 1},
		{"3.", 2},
		{"-item", 0},
		{"**bold**", 0},
		{"1.5 GB", 0},
		{"v1. not a number first", 0},
		{"", 0},
		{"   ", 0},
		{"2026-12-07 a date", 0},
	} {
		if got := ListMarker(c.line); got != c.want {
			t.Errorf("ListMarker(%q) = %d, want %d", c.line, got, c.want)
		}
		if got := ListMarker([]byte(c.line)); got != c.want {
			t.Errorf("ListMarker([]byte(%q)) = %d, want %d", c.line, got, c.want)
		}
	}
}
