package storage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/sitrep-dev/sitrep/model"
)

// Draft is text typed into the cockpit's note line and not saved yet.
type Draft struct {
	Kind  model.NoteKind
	Text  string
	Saved time.Time // when it was last written down
}

// DraftsDir is where a store keeps its drafts: a folder beside the file,
// one plain text file per incident and note kind, so a responder can find
// a lost sentence with cat if sitrep itself cannot start. Drafts are not
// events: they never sync and never reach the log.
func (s *Store) DraftsDir() string { return s.path + ".drafts" }

// SaveDraft keeps text as the unsaved draft of a note of kind in an
// incident, replacing the one before; empty text removes it. The file is
// replaced whole by a rename, so a crash mid-write leaves the old draft.
func (s *Store) SaveDraft(incidentID string, kind model.NoteKind, text string) error {
	path, err := s.draftPath(incidentID, kind)
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
	var out []Draft
	for _, kind := range model.NoteKinds {
		path, err := s.draftPath(incidentID, kind)
		if err != nil {
			return nil, err
		}
		info, err := os.Stat(path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		var b []byte
		if err == nil {
			b, err = os.ReadFile(path)
		}
		if err != nil {
			return nil, fmt.Errorf("read draft %s: %w", path, err)
		}
		if strings.TrimSpace(string(b)) != "" {
			out = append(out, Draft{Kind: kind, Text: string(b), Saved: info.ModTime()})
		}
	}
	slices.SortStableFunc(out, func(a, b Draft) int { return b.Saved.Compare(a.Saved) })
	return out, nil
}

// draftPath names the file of a draft. Incident ids come from other
// people's stores too, so one that is not a plain id gets no file.
func (s *Store) draftPath(incidentID string, kind model.NoteKind) (string, error) {
	if incidentID == "" || len(incidentID) > 64 || strings.Trim(incidentID, "0123456789abcdefABCDEF-") != "" {
		return "", model.Invalidf("no draft can be kept for incident id %q", incidentID)
	}
	if !slices.Contains(model.NoteKinds, kind) {
		return "", model.Invalidf("no draft can be kept for a %q", kind)
	}
	return filepath.Join(s.DraftsDir(), incidentID+"."+string(kind)+".txt"), nil
}
