package evidence

import (
	"bytes"
	"fmt"
	"sync"
	"unicode/utf8"

	"github.com/sitrep-dev/sitrep/model"
)

// partBudget is what the head, and the tail, of a long output may take once
// cleaned; the rest of MaxEvidenceOutput is room for the line that says
// what was left out and for masks longer than what they hide.
const partBudget = (model.MaxEvidenceOutput - 4<<10) / 2

// capture keeps the first and last bytes a command writes, however much it
// writes: a command that prints gigabytes costs 128 KB here. It is written
// from the pty's reader, or from both pipes at once.
type capture struct {
	mu    sync.Mutex
	head  []byte
	tail  []byte // the bytes after head; only the last partBudget count
	total int64
}

func (c *capture) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(p)
	c.total += int64(n)
	if room := partBudget - len(c.head); room > 0 {
		k := min(room, len(p))
		c.head = append(c.head, p[:k]...)
		p = p[k:]
	}
	c.tail = append(c.tail, p...)
	if len(c.tail) > 2*partBudget {
		c.tail = append(c.tail[:0], c.tail[len(c.tail)-partBudget:]...)
	}
	return n, nil
}

// Kept is the output as an evidence entry keeps it: cleaned of terminal
// control (model.StripTerminal), secrets masked, and when it is long, its
// head and tail with a line saying how many bytes were left out between.
type Kept struct {
	Text    string
	Total   int64 // bytes the command wrote
	Omitted int64 // bytes of those left out
	Masked  int   // secrets masked
}

// kept cuts, cleans and masks what was captured.
func (c *capture) kept() Kept {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := Kept{Total: c.total}
	all := len(c.tail) <= partBudget && int64(len(c.head)+len(c.tail)) == c.total
	if all {
		full := append(append([]byte{}, c.head...), c.tail...)
		if text := model.StripTerminal(string(full)); len(text) <= 2*partBudget {
			k.Text, k.Masked = maskSecrets(text)
			return k
		}
		// Cleaning made it longer than it was (tabs, control bytes):
		// cut it as if it had been long.
		half := len(full) / 2
		return cutParts(full[:half], full[half:], c.total)
	}
	tail := c.tail
	if len(tail) > partBudget {
		tail = tail[len(tail)-partBudget:]
	}
	return cutParts(c.head, tail, c.total)
}

// cutParts keeps head and tail on whole lines, each within partBudget once
// cleaned, masks each, and puts the line that says what was left out
// between them. Omitted counts the bytes as the command wrote them.
func cutParts(head, tail []byte, total int64) Kept {
	if i := bytes.LastIndexByte(head, '\n'); i >= 0 {
		head = head[:i+1]
	}
	if i := bytes.IndexByte(tail, '\n'); i >= 0 && i+1 < len(tail) {
		tail = tail[i+1:]
	}
	var h, t string
	for {
		h = model.StripTerminal(string(head))
		if len(h) <= partBudget {
			break
		}
		head = head[:runeStart(head, len(head)-(len(h)-partBudget))]
	}
	for {
		t = model.StripTerminal(string(tail))
		if len(t) <= partBudget {
			break
		}
		cut := len(t) - partBudget
		for cut < len(tail) && !utf8.RuneStart(tail[cut]) {
			cut++
		}
		tail = tail[cut:]
	}
	k := Kept{Total: total, Omitted: total - int64(len(head)) - int64(len(tail))}
	h, mh := maskSecrets(h)
	t, mt := maskSecrets(t)
	t, mk := maskTail(t)
	k.Masked = mh + mt + mk
	if !bytes.HasSuffix(head, []byte("\n")) && h != "" {
		h += "\n"
	}
	k.Text = h + fmt.Sprintf("… %d bytes omitted …\n", k.Omitted) + t
	if len(k.Text) > model.MaxEvidenceOutput {
		// Masks longer than what they hid, thousands of them: the last
		// resort keeps the limit.
		k.Text = k.Text[:runeStartString(k.Text, model.MaxEvidenceOutput)]
	}
	return k
}

// runeStart is the largest index ≤ i that starts a rune of b.
func runeStart(b []byte, i int) int {
	i = max(0, min(i, len(b)))
	for i > 0 && i < len(b) && !utf8.RuneStart(b[i]) {
		i--
	}
	return i
}

func runeStartString(s string, i int) int { return runeStart([]byte(s), i) }
