-- The commands run on an incident (evidence.recorded entries) are read on
-- every load of the cockpit, for each step's last exit status: a partial
-- index finds them among an incident's entries without reading the others,
-- and costs nothing for entries of other kinds.
CREATE INDEX timeline_evidence ON timeline(incident_id, placed, hlc, event_id) WHERE kind = 'evidence.recorded';
