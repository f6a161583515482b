package ui

// rect is a region of the screen in cells.
type rect struct{ X, Y, W, H int }

// Empty reports whether nothing can be drawn in r.
func (r rect) Empty() bool { return r.W <= 0 || r.H <= 0 }

// layoutMode is how the incident view arranges its panes at a size.
type layoutMode int

const (
	modeTooSmall layoutMode = iota // under 40x12: a message instead
	modeTabs                       // under 80 columns: one pane at a time
	modeSplit                      // 80-119: timeline left, stepper over RACI right
	modeWide                       // 120 and over: three panes side by side
)

func (m layoutMode) String() string {
	return [...]string{"too-small", "tabs", "split", "wide"}[m]
}

// Minimum usable terminal.
const (
	minWidth  = 40
	minHeight = 12
)

// Heights of the fixed rows.
const (
	headerRows = 2 // incident header: title line, people and clocks line
	footerRows = 2 // message or input line, key hints line
	tabRows    = 1
)

// layout is where everything of the incident view goes at one size.
type layout struct {
	Mode     layoutMode
	Header   rect
	Tabs     rect // modeTabs only
	Timeline rect
	Stepper  rect
	RACI     rect
	Body     rect // the whole area between header and footer
	Footer   rect
}

// computeLayout places the incident view's parts in a w×h terminal. It is
// pure so a table of sizes can test it. In tab mode the three pane rects
// are the same: the focused one is drawn there.
func computeLayout(w, h int) layout {
	if w < minWidth || h < minHeight {
		return layout{Mode: modeTooSmall, Body: rect{0, 0, max(w, 0), max(h, 0)}}
	}
	l := layout{
		Header: rect{0, 0, w, headerRows},
		Footer: rect{0, h - footerRows, w, footerRows},
	}
	top := headerRows
	bodyH := h - headerRows - footerRows
	l.Body = rect{0, top, w, bodyH}
	switch {
	case w >= 120:
		l.Mode = modeWide
		tw := w * 2 / 5
		rw := max(30, w/4)
		sw := w - tw - rw
		l.Timeline = rect{0, top, tw, bodyH}
		l.Stepper = rect{tw, top, sw, bodyH}
		l.RACI = rect{tw + sw, top, rw, bodyH}
	case w >= 80:
		l.Mode = modeSplit
		tw := w * 9 / 20
		rw := w - tw
		sh := bodyH * 3 / 5
		l.Timeline = rect{0, top, tw, bodyH}
		l.Stepper = rect{tw, top, rw, sh}
		l.RACI = rect{tw, top + sh, rw, bodyH - sh}
	default:
		l.Mode = modeTabs
		l.Tabs = rect{0, top, w, tabRows}
		pane := rect{0, top + tabRows, w, bodyH - tabRows}
		l.Timeline, l.Stepper, l.RACI = pane, pane, pane
	}
	return l
}
