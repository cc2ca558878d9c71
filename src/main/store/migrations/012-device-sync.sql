-- Schema version 12: syncing one learner's collection across devices (src/main/sync/README.md).
-- `uid` names an answer on every device: '<device id>:<local id>-<random>' where it was given. A row
-- given here gets its uid when a sync first sends it; rows received from other devices carry theirs.
ALTER TABLE review_log ADD COLUMN uid TEXT;
CREATE UNIQUE INDEX review_log_uid ON review_log(uid) WHERE uid IS NOT NULL;

-- Small facts of this device's sync: its device id, server address and token, how far the
-- log was sent, last sync time and outcome.
CREATE TABLE sync_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- Per synced document, the Automerge heads whose content this collection has taken in (JSON).
-- Written in the transaction that applies the document, so a crash never skips or repeats it.
CREATE TABLE sync_docs (
  url TEXT PRIMARY KEY,
  heads TEXT NOT NULL
) WITHOUT ROWID;

-- A card's text before its first edit on this device (the shipped text every device has):
-- the common ancestor from which concurrent edits on two devices merge character by character.
CREATE TABLE sync_card_base (
  card_id TEXT PRIMARY KEY,
  front TEXT NOT NULL,
  back TEXT NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER sync_card_base_keep AFTER UPDATE OF front, back ON cards
  WHEN old.user_edited_at IS NULL AND new.user_edited_at IS NOT NULL BEGIN
  INSERT OR IGNORE INTO sync_card_base (card_id, front, back) VALUES (old.id, old.front, old.back);
END;

-- Answers received for cards this collection does not have (yet): kept, and applied when the card arrives.
CREATE TABLE sync_pending (
  uid TEXT PRIMARY KEY,
  card_id TEXT NOT NULL,
  entry TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX sync_pending_card ON sync_pending(card_id);
