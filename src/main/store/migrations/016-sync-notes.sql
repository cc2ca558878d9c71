-- Schema version 16: the learner's edits of notes travel between devices, merged as Automerge
-- text like card edits (src/main/sync/README.md, "Note edits"). A note's title, body and tags
-- before its first edit here (the shipped ones every device has) are the common ancestor.
CREATE TABLE sync_note_base (
  note_id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  tags TEXT NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER sync_note_base_keep AFTER UPDATE OF title, body ON notes
  WHEN old.user_edited_at IS NULL AND new.user_edited_at IS NOT NULL BEGIN
  INSERT OR IGNORE INTO sync_note_base (note_id, title, body, tags) VALUES (old.id, old.title, old.body, old.tags);
END;
