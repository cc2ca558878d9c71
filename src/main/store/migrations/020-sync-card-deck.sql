-- Schema version 20: moving a card to another deck travels between devices as one of its marks
-- (src/main/sync/README.md, "Marks"): a change of `deck_id` is noted like a suspend or a flag,
-- with the card's updated_at (ms) as its time, and per card the latest move wins on every device.
-- The table is made again for the wider CHECK (SQLite cannot alter one); the notes are kept.
DROP TRIGGER sync_marks_changed;
CREATE TABLE sync_mark_changes_v20 (
  card_id TEXT NOT NULL,
  field TEXT NOT NULL CHECK (field IN ('suspended', 'flag', 'tags', 'buried', 'deck')),
  at INTEGER NOT NULL,
  PRIMARY KEY (card_id, field)
) WITHOUT ROWID;
INSERT INTO sync_mark_changes_v20 (card_id, field, at) SELECT card_id, field, at FROM sync_mark_changes;
DROP TABLE sync_mark_changes;
ALTER TABLE sync_mark_changes_v20 RENAME TO sync_mark_changes;

CREATE TRIGGER sync_marks_changed AFTER UPDATE OF suspended, flag, tags, buried_until, deck_id ON cards BEGIN
  INSERT OR REPLACE INTO sync_mark_changes (card_id, field, at)
    SELECT new.id, 'suspended', new.updated_at WHERE old.suspended IS NOT new.suspended;
  INSERT OR REPLACE INTO sync_mark_changes (card_id, field, at)
    SELECT new.id, 'flag', new.updated_at WHERE old.flag IS NOT new.flag;
  INSERT OR REPLACE INTO sync_mark_changes (card_id, field, at)
    SELECT new.id, 'tags', new.updated_at WHERE old.tags IS NOT new.tags;
  INSERT OR REPLACE INTO sync_mark_changes (card_id, field, at)
    SELECT new.id, 'buried', new.updated_at WHERE old.buried_until IS NOT new.buried_until;
  INSERT OR REPLACE INTO sync_mark_changes (card_id, field, at)
    SELECT new.id, 'deck', new.updated_at WHERE old.deck_id IS NOT new.deck_id;
END;
