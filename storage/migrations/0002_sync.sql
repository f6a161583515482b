-- Where this store stands with each shared store (hub) it syncs with. Keyed
-- by the hub's own id, so one hub reached under two names (an alias, a new
-- user@) shares its cursors; remote is the name last used, for Pending.
CREATE TABLE sync_peers (
	hub_id    TEXT PRIMARY KEY,
	remote    TEXT NOT NULL,
	pushed    INTEGER NOT NULL DEFAULT 0, -- local seq: every event here up to it is in the hub
	pulled    INTEGER NOT NULL DEFAULT 0, -- hub seq: every hub event up to it is here
	pulled_id TEXT NOT NULL DEFAULT '',   -- id of the hub's event at pulled, to notice a restored hub
	synced_at INTEGER NOT NULL DEFAULT 0  -- unix ms of the last sync that completed
);
CREATE INDEX sync_peers_remote ON sync_peers(remote);
