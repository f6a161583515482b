package main

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// svgDoc is what the tests read back from an SVG.
type svgDoc struct {
	XMLName xml.Name `xml:"svg"`
	Width   string   `xml:"width,attr"`
	Height  string   `xml:"height,attr"`
	Rects   []struct {
		X    string `xml:"x,attr"`
		Fill string `xml:"fill,attr"`
	} `xml:"rect"`
	Texts []struct {
		X      string `xml:"x,attr"`
		Fill   string `xml:"fill,attr"`
		Weight string `xml:"font-weight,attr"`
		Text   string `xml:",chardata"`
	} `xml:"text"`
}

// TestANSIToSVG: a known capture (colours in the 16-colour, 256-colour and
// RGB forms, bold, reverse, a wide character, text that must be escaped)
// becomes well-formed SVG with each run of text at its column and colour.
func TestANSIToSVG(t *testing.T) {
	captured := "\x1b[1m\x1b[38;2;13;17;23m\x1b[48;2;255;95;95m SEV1 \x1b[0m \x1b[36minvestigating\x1b[39m a<b & \"c\"\n" +
		"\x1b[7mrev\x1b[27m 日本 \x1b[38:2::121:184:255mx\x1b[0m\x1b[38;5;196my\x1b]8;;http://x\x07\x1b[0m"
	out := ANSIToSVG(captured, 40, 2, "a <test>")

	dec := xml.NewDecoder(strings.NewReader(out))
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, out)
		}
	}
	var doc svgDoc
	if err := xml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("unmarshal: %v\n%s", err, out)
	}
	// 40 columns of 8.4 and 2 lines of 17, with 14 of padding each side.
	if doc.Width != "364" || doc.Height != "62" {
		t.Errorf("size %sx%s, want 364x62", doc.Width, doc.Height)
	}
	type run struct{ x, fill, weight, text string }
	var got []run
	for _, tx := range doc.Texts {
		got = append(got, run{tx.X, tx.Fill, tx.Weight, tx.Text})
	}
	want := []run{
		{"14", "#0d1117", "bold", " SEV1 "},
		{"72.8", "#39c5cf", "", "investigating"}, // column 7, ANSI cyan
		{"182", "#e6edf3", "", ` a<b & "c"`},     // escaped in the file, read back as typed
		{"14", "#0d1117", "", "rev"},             // reverse: default colours swapped
		{"39.2", "#e6edf3", "", " 日本 "},          // wide: two columns each
		{"89.6", "#79b8ff", "", "x"},             // the ':' form of RGB, at column 9
		{"98", "#ff0000", "", "y"},               // 256-colour 196
	}
	if len(got) != len(want) {
		t.Fatalf("runs:\n got %q\nwant %q\n%s", got, want, out)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("run %d: got %q, want %q", i, got[i], want[i])
		}
	}
	fills := map[string]bool{}
	for _, r := range doc.Rects {
		fills[r.Fill] = true
	}
	if !fills["#ff5f5f"] || !fills["#e6edf3"] {
		t.Errorf("backgrounds: want the badge's #ff5f5f and the reversed cells' #e6edf3, got %v", fills)
	}
	if !strings.Contains(out, "<title>a &lt;test&gt;</title>") {
		t.Errorf("title not escaped:\n%s", out)
	}
}
