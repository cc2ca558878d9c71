-- Schema version 15: suspend, flag, tags and bury travel between devices (src/main/sync/README.md,
-- "Marks"). Every change of one of them here is noted with the card's updated_at (ms) as its
-- time; a sync round sends the noted fields and removes the notes it sent. Last writer by that
-- time wins on every device.
CREATE TABLE sync_mark_changes (
  card_id TEXT NOT NULL,
  field TEXT NOT NULL CHECK (field IN ('suspended', 'flag', 'tags', 'buried')),
  at INTEGER NOT NULL,
  PRIMARY KEY (card_id, field)
) WITHOUT ROWID;

CREATE TRIGGER sync_marks_changed AFTER UPDATE OF suspended, flag, tags, buried_until ON cards BEGIN
  INSERT OR REPLACE INTO sync_mark_changes (card_id, field, at)
    SELECT new.id, 'suspended', new.updated_at WHERE old.suspended IS NOT new.suspended;
  INSERT OR REPLACE INTO sync_mark_changes (card_id, field, at)
    SELECT new.id, 'flag', new.updated_at WHERE old.flag IS NOT new.flag;
  INSERT OR REPLACE INTO sync_mark_changes (card_id, field, at)
    SELECT new.id, 'tags', new.updated_at WHERE old.tags IS NOT new.tags;
  INSERT OR REPLACE INTO sync_mark_changes (card_id, field, at)
    SELECT new.id, 'buried', new.updated_at WHERE old.buried_until IS NOT new.buried_until;
END;
