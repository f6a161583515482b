package model

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// DecodeText is a file's text as UTF-8 and, when it was saved otherwise,
// how it was read ("" when it was UTF-8 already). Runbooks arrive from
// wikis, Word and Windows shells as they were saved: PowerShell's Out-File
// and Notepad's "Unicode" write UTF-16 with a byte-order mark, and older
// editors write Windows-1252. Refusing them would leave a responder
// without the runbook mid-incident, and shown as they are they read as
// noise; the same goes for a postmortem brought in from a wiki or Word.
// A file that has any UTF-8 in it beyond ASCII is taken as UTF-8 with
// damage, not re-read as Windows-1252, which would garble its good
// characters.
func DecodeText(src []byte) ([]byte, string) {
	if bytes.HasPrefix(src, []byte{0xff, 0xfe}) || bytes.HasPrefix(src, []byte{0xfe, 0xff}) {
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(src)
		if err == nil {
			return out, "read as UTF-16, as its byte-order mark says"
		}
		return src, ""
	}
	if utf8.Valid(src) || hasUTF8Beyond(src) {
		return src, ""
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(src)
	if err != nil {
		return src, ""
	}
	return out, "not UTF-8, so read as Windows-1252 (Western European)"
}

// hasUTF8Beyond says whether b holds a well-formed UTF-8 sequence of more
// than one byte.
func hasUTF8Beyond(b []byte) bool {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError || size > 1 {
			return true
		}
		i += size
	}
	return false
}
