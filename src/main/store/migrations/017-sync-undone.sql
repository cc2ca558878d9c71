-- Schema version 17: an answer undone here after device sync sent it is undone on every device
-- (src/main/sync/README.md, "Undo"). Deleting one of this device's sent answers (an undo) notes
-- its uid; the next round writes a tombstone under that uid into the answer's log document. A
-- sync round's own rewrite of a card's log puts the same uids back and removes their notes.
CREATE TABLE sync_undone (
  uid TEXT PRIMARY KEY,
  reviewed_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER sync_undone_note AFTER DELETE ON review_log
  WHEN old.uid IS NOT NULL
   AND substr(old.uid, 1, instr(old.uid, ':')) = (SELECT value || ':' FROM sync_meta WHERE key = 'device') BEGIN
  INSERT OR IGNORE INTO sync_undone (uid, reviewed_at) VALUES (old.uid, old.reviewed_at);
END;
