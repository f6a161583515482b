-- The step rules a runbook was read with when it was attached
-- (model.RunbookAttachedPayload.Rules). Step events store a step's index,
-- so an attachment is read again with the rules it was attached under;
-- '' is an attachment made before rules were recorded, read with the
-- per-file rules of that time.
ALTER TABLE attachments ADD COLUMN rules TEXT NOT NULL DEFAULT '';
