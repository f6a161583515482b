package runbooks

// Game-day run-sheets kept as spreadsheets: a CSV or TSV exported from
// Google Sheets or Excel, a row per inject.

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/sitrep-dev/sitrep/model"
)

// sheetExts are the spreadsheet exports read as run-sheets.
var sheetExts = map[string]bool{".csv": true, ".tsv": true}

// IsSheet says whether a file is a spreadsheet export, by its extension:
// read as a drill's run-sheet, never as a runbook.
func IsSheet(filePath string) bool { return sheetExts[strings.ToLower(filepath.Ext(filePath))] }

// sheet is a run-sheet turned into the Markdown sitrep reads: a title, a
// "Run sheet" heading and a table, read then as any run-sheet table is
// (the time column, the inject, what is expected, the other columns kept
// as the inject's text). lines[n-1] is the file line Markdown line n came
// from, so what is reported points into the spreadsheet.
type sheet struct {
	md    []byte
	lines []int
}

// readSheet reads a spreadsheet export as a run-sheet. One whose header
// names no time column and no inject column is not a run-sheet (a team
// folder holds rotas and inventories too), and is refused saying so.
func readSheet(filePath string, src []byte) (*sheet, error) {
	text, _ := model.DecodeText(src) // Excel's "Unicode text" is UTF-16
	text = bytes.TrimPrefix(text, []byte("\xef\xbb\xbf"))
	r := csv.NewReader(bytes.NewReader(text))
	if strings.EqualFold(filepath.Ext(filePath), ".tsv") {
		r.Comma = '\t'
	}
	r.FieldsPerRecord, r.LazyQuotes = -1, true
	var head []string
	sh := &sheet{}
	var b strings.Builder
	emit := func(line int, s string) {
		b.WriteString(s)
		b.WriteByte('\n')
		sh.lines = append(sh.lines, line)
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("not read as a run-sheet: %w", err)
		}
		line, _ := r.FieldPos(0)
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue
		}
		if head == nil {
			head = rec
			if !runSheetHeader(head) {
				return nil, fmt.Errorf("not read: a spreadsheet is read as a drill's run-sheet when its first row names a time column (Time, When, T+) and an inject column (Inject, Event, What happens)")
			}
			emit(line, "# "+TitleFor(filePath))
			emit(line, "")
			emit(line, "## Run sheet")
			emit(line, "")
			emit(line, tableRow(head))
			emit(line, "|"+strings.Repeat("---|", len(head)))
			continue
		}
		emit(line, tableRow(rec))
	}
	if head == nil {
		return nil, fmt.Errorf("not read as a run-sheet: the spreadsheet is empty")
	}
	sh.md = []byte(b.String())
	return sh, nil
}

// runSheetHeader says whether a header row names a time and an inject
// column, as a run-sheet's does.
func runSheetHeader(head []string) bool {
	at, what := false, false
	for _, h := range head {
		h = strings.TrimSpace(h)
		at = at || timeColumn().MatchString(h)
		what = what || injectColumn().MatchString(h)
	}
	return at && what
}

// tableRow is a Markdown table row of cells: a cell's own pipes escaped,
// its line breaks made spaces.
func tableRow(cells []string) string {
	var b strings.Builder
	b.WriteString("|")
	for _, c := range cells {
		c = strings.Join(strings.Fields(c), " ")
		b.WriteString(" " + strings.ReplaceAll(c, "|", `\|`) + " |")
	}
	return b.String()
}

// parseSheet reads a spreadsheet export as a drill scenario; not ok, with
// the reason, when it is not a run-sheet.
func parseSheet(filePath string, src []byte) (*model.Scenario, []Diagnostic, bool) {
	sh, err := readSheet(filePath, src)
	if err != nil {
		return nil, []Diagnostic{{Path: filePath, Line: 1, Col: 1, Severity: Warning, Message: err.Error()}}, false
	}
	s := newSource(filePath, sh.md)
	sc := parseScenario(s, readFrontMatter(s))
	return sc, sh.fileLines(s.done()), true
}

// fileLines points diagnostics of the Markdown at the spreadsheet's lines.
func (sh *sheet) fileLines(diags []Diagnostic) []Diagnostic {
	for i, d := range diags {
		if d.Line >= 1 && d.Line <= len(sh.lines) {
			diags[i].Line, diags[i].Col = sh.lines[d.Line-1], 1
		}
	}
	return diags
}
