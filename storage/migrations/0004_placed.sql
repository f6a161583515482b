-- Timeline entries are ordered by when they happened on the log's clock
-- (model.Event.Placed): the author's time, moved forward by how far the
-- author's clock was behind the hybrid logical clock of the same event, so
-- a laptop an hour slow no longer files its notes before the declaration
-- they answer. It is a pure function of the event, the same on every store.
ALTER TABLE timeline ADD COLUMN placed INTEGER NOT NULL DEFAULT 0;
UPDATE timeline SET placed = occurred + max(0, (hlc >> 16) - typed);
DROP INDEX timeline_order;
CREATE INDEX timeline_order ON timeline(incident_id, placed, hlc, event_id);

-- Milestones, step, role and message times are placed the same way. Where
-- some event's clock was behind its hybrid clock, those tables no longer
-- say what the projector now makes of the log: Open rebuilds them once.
INSERT OR REPLACE INTO meta(key, value)
	SELECT 'rebuild_projections', 'events placed by the logical clock'
	WHERE EXISTS (SELECT 1 FROM events WHERE (hlc >> 16) > at);
