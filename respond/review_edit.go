package respond

import (
	"context"
	"fmt"
	"os"

	"github.com/sitrep-dev/sitrep/export"
	"github.com/sitrep-dev/sitrep/model"
	"github.com/sitrep-dev/sitrep/storage"
)

// ReviewToEdit is what the review document starts from: the review as
// saved, who saved it when, and the pinned entries not retracted (the
// highlights the document lists for reference).
func (s *Service) ReviewToEdit(ctx context.Context, incidentID string) (model.Review, storage.ReviewInfo, []model.TimelineEntry, error) {
	r, info, err := s.st.Review(ctx, incidentID)
	if err != nil {
		return r, info, nil, err
	}
	entries, err := s.st.Timeline(ctx, incidentID, storage.TimelinePage{})
	if err != nil {
		return r, info, nil, err
	}
	var pinned []model.TimelineEntry
	for _, e := range entries {
		if e.Pinned && !e.Retracted {
			pinned = append(pinned, e)
		}
	}
	return r, info, pinned, nil
}

// EditedReview is what became of a review document back from the editor.
type EditedReview struct {
	Review    model.Review
	Unchanged bool // the document came back as it went: nothing recorded
	Saved     bool // recorded; false with Unchanged false: the same review as stored
}

// SaveEditedReview takes back the review document of an incident that a
// responder edited in the file at path: given is what they were given,
// edited what the file holds now. An unchanged document records nothing;
// one that does not read stays in its file, and the error says how to
// take it up again; else the review is saved and the file removed. The
// CLI's 'sitrep review' and the cockpit's R both end here.
func (s *Service) SaveEditedReview(ctx context.Context, incidentID, given, edited, path string) (EditedReview, error) {
	if edited == given {
		os.Remove(path)
		return EditedReview{Unchanged: true}, nil
	}
	r, err := export.ParseReviewTemplate(edited, s.now())
	if err != nil {
		return EditedReview{}, fmt.Errorf("review not saved: %w; your text is kept in %s (fix it there and run 'sitrep review %s --from %s')", err, path, model.ShortID(incidentID), path)
	}
	saved, err := s.SaveReview(ctx, incidentID, r)
	if err != nil {
		return EditedReview{}, fmt.Errorf("%w; your text is kept in %s", err, path)
	}
	os.Remove(path)
	return EditedReview{Review: r, Saved: saved}, nil
}
