package storage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Draft is text typed into the cockpit and not saved yet: a note line, a
// review section, an update being written.
type Draft struct {
	Slot  string // what it is a draft of: "note", "review-summary", "message-customers"...
	Text  string
	Saved time.Time // when it was last written down
}

// DraftsDir is where a store keeps its drafts: a folder beside the file,
// one plain text file per incident and slot, so a responder can find a lost
// sentence with cat if sitrep itself cannot start. Drafts are not events:
// they never sync and never reach the log.
func (s *Store) DraftsDir() string { return s.path + ".drafts" }

// SaveDraft keeps text as the unsaved draft in slot for an incident,
// replacing the one before; empty text removes it. The file is replaced
// whole by a rename, so a crash mid-write leaves the old draft.
func (s *Store) SaveDraft(incidentID, slot, text string) error {
	path, err := s.draftPath(incidentID, slot)
	if err != nil {
		return err
	}
	if strings.TrimSpace(text) == "" {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("clear draft %s: %w", path, err)
		}
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("keep draft in %s: %w", filepath.Dir(path), err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".draft-*")
	if err != nil {
		return fmt.Errorf("keep draft in %s: %w", filepath.Dir(path), err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(text); err != nil {
		tmp.Close()
		return fmt.Errorf("keep draft %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("keep draft %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("keep draft %s: %w", path, err)
	}
	return nil
}

// Drafts returns an incident's unsaved drafts, newest first.
func (s *Store) Drafts(incidentID string) ([]Draft, error) {
	if err := checkDraftID(incidentID); err != nil {
		return nil, err
	}
	files, err := os.ReadDir(s.DraftsDir())
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read drafts in %s: %w", s.DraftsDir(), err)
	}
	var out []Draft
	for _, f := range files {
		rest, ok := strings.CutPrefix(f.Name(), incidentID+".")
		slot, txt := strings.CutSuffix(rest, ".txt")
		if !ok || !txt || checkSlot(slot) != nil {
			continue
		}
		path := filepath.Join(s.DraftsDir(), f.Name())
		info, err := os.Stat(path)
		var b []byte
		if err == nil {
			b, err = os.ReadFile(path)
		}
		if errors.Is(err, os.ErrNotExist) {
			continue // cleared since the folder was read
		}
		if err != nil {
			return nil, fmt.Errorf("read draft %s: %w", path, err)
		}
		if strings.TrimSpace(string(b)) != "" {
			out = append(out, Draft{Slot: slot, Text: string(b), Saved: info.ModTime()})
		}
	}
	slices.SortStableFunc(out, func(a, b Draft) int { return b.Saved.Compare(a.Saved) })
	return out, nil
}

// draftPath names the file of a draft.
func (s *Store) draftPath(incidentID, slot string) (string, error) {
	if err := checkDraftID(incidentID); err != nil {
		return "", err
	}
	if err := checkSlot(slot); err != nil {
		return "", err
	}
	return filepath.Join(s.DraftsDir(), incidentID+"."+slot+".txt"), nil
}

// checkDraftID refuses an incident id that is not a plain id: ids come from
// other people's stores too, and one must never become a path.
func checkDraftID(id string) error {
	if id == "" || len(id) > 64 || strings.Trim(id, "0123456789abcdefABCDEF-") != "" {
		return fmt.Errorf("no draft can be kept for incident id %q", id)
	}
	return nil
}

func checkSlot(slot string) error {
	if slot == "" || len(slot) > 48 || strings.Trim(slot, "abcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
		return fmt.Errorf("no draft can be kept under the name %q", slot)
	}
	return nil
}
