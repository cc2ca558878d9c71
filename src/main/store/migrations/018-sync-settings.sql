-- Schema version 18: the learner's settings travel between devices (src/main/sync/README.md,
-- "Settings"). Every field the settings service changes here is noted with the time (ms) of the
-- change; a sync round sends the noted fields and removes the notes it sent. Per field, the
-- latest change wins on every device.
CREATE TABLE sync_setting_changes (
  key TEXT NOT NULL,
  field TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (key, field)
) WITHOUT ROWID;
