package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"
)

// helpView lists the keys of groups, in sections, under a title naming
// the screen they are for. It lays the sections out in as many columns as
// fit, filling each top to bottom, so the first sections read first.
func helpView(s *Styles, screen string, groups []helpGroup, w, h int) []string {
	type block struct{ lines []string }
	var blocks []block
	colW := 0
	for _, g := range groups {
		b := block{lines: []string{s.Title.Render(g.Title)}}
		keyW := 0
		for _, kb := range g.Bindings {
			keyW = max(keyW, len([]rune(kb.Help().Key)))
		}
		for _, kb := range g.Bindings {
			hk := kb.Help()
			line := "  " + s.Key.Render(hk.Key) + strings.Repeat(" ", keyW-len([]rune(hk.Key))+2) + s.KeyDesc.Render(hk.Desc)
			b.lines = append(b.lines, line)
		}
		for _, l := range b.lines {
			colW = max(colW, ansi.StringWidth(l))
		}
		blocks = append(blocks, b)
	}
	colW += 3
	cols := max(min(w/max(colW, 1), 3), 1)
	// Fill columns top to bottom, starting a new column when one is full.
	var columns [][]string
	var col []string
	perCol := 0
	total := 0
	for _, b := range blocks {
		total += len(b.lines) + 1
	}
	perCol = max((total+cols-1)/cols, 1)
	for _, b := range blocks {
		if len(col) > 0 && len(col)+len(b.lines) > perCol && len(columns) < cols-1 {
			columns = append(columns, col)
			col = nil
		}
		col = append(col, b.lines...)
		col = append(col, "")
	}
	columns = append(columns, col)
	rows := 0
	for _, c := range columns {
		rows = max(rows, len(c))
	}
	lines := []string{s.Title.Render("Keys: "+screen) + s.Faint.Render("  (esc, q or ? closes)"), ""}
	for r := 0; r < rows; r++ {
		var b strings.Builder
		for ci, c := range columns {
			cell := ""
			if r < len(c) {
				cell = c[r]
			}
			if ci < len(columns)-1 {
				cell = fit(cell, colW)
			}
			b.WriteString(cell)
		}
		lines = append(lines, clip(b.String(), w))
	}
	return lines
}

// shortHelp draws a one-line key hint from bindings.
func shortHelp(s *Styles, bindings []key.Binding, w int) string {
	var parts []string
	for _, kb := range bindings {
		if !kb.Enabled() {
			continue
		}
		h := kb.Help()
		parts = append(parts, s.Key.Render(h.Key)+" "+s.KeyDesc.Render(h.Desc))
	}
	return clip(strings.Join(parts, s.Faint.Render(" · ")), w)
}

// KeyTable is every key of the cockpit as a Markdown table, section by
// section, from the same keymap the panes and the help view use: the
// README's key table is made with it.
func KeyTable() string {
	var b strings.Builder
	b.WriteString("| Where | Key | Does |\n|---|---|---|\n")
	for _, g := range newKeyMap().groups() {
		for _, kb := range g.Bindings {
			h := kb.Help()
			fmt.Fprintf(&b, "| %s | `%s` | %s |\n", g.Title, strings.ReplaceAll(h.Key, "|", `\|`), h.Desc)
		}
	}
	return b.String()
}
