-- Post-incident reviews, drills and communications (all projections of the
-- event log, rebuilt by Rebuild like the others).

-- The current review of each incident: the newest review.saved by version.
CREATE TABLE reviews (
	rowid        INTEGER PRIMARY KEY,
	incident_id  TEXT NOT NULL UNIQUE,
	doc          TEXT NOT NULL,  -- model.Review as JSON
	text         TEXT NOT NULL,  -- every section as one text, for search
	impact_start INTEGER,        -- unix ms, for time to detect
	by           TEXT NOT NULL,
	at           INTEGER NOT NULL,
	version      TEXT NOT NULL,
	event_id     TEXT NOT NULL
);
CREATE VIRTUAL TABLE review_fts USING fts5(text, content='reviews', content_rowid='rowid');

-- Events a drill is computed from (start, clock changes, inject overrides,
-- end); the exercise state is a pure function of them.
CREATE TABLE exercise_events (
	event_id    TEXT PRIMARY KEY,
	incident_id TEXT NOT NULL
);
CREATE INDEX exercise_events_incident ON exercise_events(incident_id);

-- Updates sent to each audience, for the cadence timer and exports.
CREATE TABLE messages (
	event_id    TEXT PRIMARY KEY,
	incident_id TEXT NOT NULL,
	audience    TEXT NOT NULL,
	template    TEXT NOT NULL,
	text        TEXT NOT NULL,
	channel     TEXT NOT NULL,
	author      TEXT NOT NULL,
	at          INTEGER NOT NULL
);
CREATE INDEX messages_incident ON messages(incident_id, at);

-- Events of kinds this version does not know (from a newer sitrep): kept in
-- the log, not projected, listed here so a newer binary can project them.
CREATE TABLE unprojected (
	event_id TEXT PRIMARY KEY,
	kind     TEXT NOT NULL
);

-- Metrics over a period read incidents by declaration time.
CREATE INDEX incidents_period ON incidents(exercise, declared_at, kind, severity, detected_at, acknowledged_at, mitigated_at, resolved_at, reviewed_at, id);

-- Exports read one incident's raw events.
CREATE INDEX events_incident ON events(incident_id, hlc, id);
