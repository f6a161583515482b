-- The event log is the source of truth; every other table here is a
-- projection that Rebuild can recreate from it.

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE events (
	seq       INTEGER PRIMARY KEY AUTOINCREMENT, -- this store's arrival order; sync cursors use it
	id        TEXT NOT NULL UNIQUE,              -- UUIDv7, made where the event happened
	incident_id TEXT NOT NULL,
	kind      TEXT NOT NULL,
	payload   TEXT NOT NULL,                     -- JSON, exactly as its author wrote it
	author    TEXT NOT NULL,
	origin    TEXT NOT NULL,                     -- store id where it was made
	at        INTEGER NOT NULL,                  -- unix ms, author's wall clock when recorded
	occurred  INTEGER NOT NULL,                  -- unix ms, when it happened
	hlc       INTEGER NOT NULL,
	chain_seq INTEGER NOT NULL,
	prev      TEXT NOT NULL,
	hash      TEXT NOT NULL,
	received  INTEGER NOT NULL                   -- unix ms, when this store got it
);
CREATE INDEX events_hlc ON events(hlc);
-- Not unique: a copied store file makes two chains with one origin, and
-- verify must be able to report that fork rather than sync failing on it.
CREATE INDEX events_chain ON events(origin, author, chain_seq);

CREATE TABLE incidents (
	id          TEXT PRIMARY KEY,
	short       TEXT NOT NULL,
	title       TEXT NOT NULL DEFAULT '',
	title_v     TEXT NOT NULL DEFAULT '',
	kind        TEXT NOT NULL DEFAULT 'other',
	severity    INTEGER NOT NULL DEFAULT 0,
	severity_v  TEXT NOT NULL DEFAULT '',
	status      TEXT NOT NULL DEFAULT 'detected',
	status_v    TEXT NOT NULL DEFAULT '',
	active      INTEGER NOT NULL DEFAULT 1,
	commander   TEXT NOT NULL DEFAULT '',
	exercise    INTEGER NOT NULL DEFAULT 0,
	declared_by TEXT NOT NULL DEFAULT '',
	declared_at INTEGER NOT NULL DEFAULT 0,
	detected_at     INTEGER,
	acknowledged_at INTEGER,
	mitigated_at    INTEGER,
	resolved_at     INTEGER,
	reviewed_at     INTEGER,
	updated_at  INTEGER NOT NULL DEFAULT 0,
	entries     INTEGER NOT NULL DEFAULT 0
);
-- Covering index for the incident list: the list reads only this index, in
-- order, instead of looking up thousands of rows one by one.
CREATE INDEX incidents_list ON incidents(active DESC, updated_at DESC, id, title, kind, severity, status, exercise, declared_at, commander, entries);
CREATE INDEX incidents_short ON incidents(short);

CREATE TABLE timeline (
	rowid       INTEGER PRIMARY KEY,
	event_id    TEXT NOT NULL UNIQUE,
	incident_id TEXT NOT NULL REFERENCES incidents(id),
	kind        TEXT NOT NULL,
	note_kind   TEXT NOT NULL DEFAULT '',
	occurred    INTEGER NOT NULL,
	typed       INTEGER NOT NULL,
	hlc         INTEGER NOT NULL,
	author      TEXT NOT NULL,
	text        TEXT NOT NULL,
	future      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX timeline_order ON timeline(incident_id, occurred, hlc, event_id);

-- Marks on timeline entries (pins, amendments, retractions) live apart from
-- the entries so they apply even when they arrive before the entry itself.
CREATE TABLE entry_marks (
	entry_id    TEXT PRIMARY KEY,
	pinned      INTEGER NOT NULL DEFAULT 0,
	pinned_v    TEXT NOT NULL DEFAULT '',
	amended_text TEXT,
	amended_by  TEXT NOT NULL DEFAULT '',
	amended_v   TEXT NOT NULL DEFAULT '',
	retracted   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE roles (
	incident_id TEXT NOT NULL REFERENCES incidents(id),
	role        TEXT NOT NULL,
	holder      TEXT NOT NULL,
	since       INTEGER NOT NULL,
	version     TEXT NOT NULL,
	event_id    TEXT NOT NULL,
	PRIMARY KEY (incident_id, role)
);

-- Every assignment, so two people taking a role from the same starting
-- point while offline can be shown as a clash to settle.
CREATE TABLE role_events (
	event_id    TEXT PRIMARY KEY,
	incident_id TEXT NOT NULL,
	role        TEXT NOT NULL,
	holder      TEXT NOT NULL,
	replaces    TEXT NOT NULL
);
CREATE INDEX role_events_replaces ON role_events(incident_id, role, replaces);

CREATE TABLE step_states (
	incident_id TEXT NOT NULL REFERENCES incidents(id),
	runbook     TEXT NOT NULL,
	step        INTEGER NOT NULL,
	state       TEXT NOT NULL,
	reason      TEXT NOT NULL DEFAULT '',
	by          TEXT NOT NULL,
	at          INTEGER NOT NULL,
	version     TEXT NOT NULL,
	PRIMARY KEY (incident_id, runbook, step)
);

CREATE TABLE attachments (
	incident_id TEXT NOT NULL REFERENCES incidents(id),
	name        TEXT NOT NULL,
	title       TEXT NOT NULL,
	source      TEXT NOT NULL,
	hash        TEXT NOT NULL,
	text        TEXT NOT NULL,
	at          INTEGER NOT NULL,
	version     TEXT NOT NULL,
	PRIMARY KEY (incident_id, name)
);

-- Full-text search over incident titles and timeline text. External content
-- keeps one copy of the text; the store writes both in the same transaction.
CREATE VIRTUAL TABLE timeline_fts USING fts5(text, content='timeline', content_rowid='rowid');
CREATE VIRTUAL TABLE incident_fts USING fts5(title, content='incidents', content_rowid='rowid');
