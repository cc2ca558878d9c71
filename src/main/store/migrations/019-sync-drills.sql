-- Schema version 19: drill attempts (each Run and Submit) and drill sessions travel between
-- devices (src/main/sync/README.md, "Drill attempts and sessions"). Each gets a uid when a round
-- first sends it; a session's `device` names the device it came from (NULL: made here, the only
-- sessions this device continues, ends or sends). Every attempt and every change of a session
-- made here is noted; a round sends the noted rows and removes the notes it sent (a note made
-- again meanwhile has a new seq and stays).
ALTER TABLE drill_sessions ADD COLUMN uid TEXT;
ALTER TABLE drill_sessions ADD COLUMN device TEXT;
CREATE UNIQUE INDEX drill_sessions_uid ON drill_sessions(uid);
ALTER TABLE drill_attempts ADD COLUMN uid TEXT;
CREATE UNIQUE INDEX drill_attempts_uid ON drill_attempts(uid);

CREATE TABLE sync_drill_changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('session', 'attempt')),
  row_id INTEGER NOT NULL,
  UNIQUE (kind, row_id)
);

-- What was recorded before sync existed goes out with the first round.
INSERT INTO sync_drill_changes (kind, row_id) SELECT 'session', id FROM drill_sessions ORDER BY id;
INSERT INTO sync_drill_changes (kind, row_id) SELECT 'attempt', id FROM drill_attempts ORDER BY id;

CREATE TRIGGER sync_drill_session_made AFTER INSERT ON drill_sessions WHEN new.device IS NULL BEGIN
  INSERT OR REPLACE INTO sync_drill_changes (kind, row_id) VALUES ('session', new.id);
END;
CREATE TRIGGER sync_drill_session_ended AFTER UPDATE OF ended_at ON drill_sessions
  WHEN new.device IS NULL AND old.ended_at IS NOT new.ended_at BEGIN
  INSERT OR REPLACE INTO sync_drill_changes (kind, row_id) VALUES ('session', new.id);
END;
CREATE TRIGGER sync_drill_session_event AFTER INSERT ON drill_session_events BEGIN
  INSERT OR REPLACE INTO sync_drill_changes (kind, row_id)
    SELECT 'session', id FROM drill_sessions WHERE id = new.session_id AND device IS NULL;
END;
CREATE TRIGGER sync_drill_attempt_made AFTER INSERT ON drill_attempts WHEN new.uid IS NULL BEGIN
  INSERT OR REPLACE INTO sync_drill_changes (kind, row_id) VALUES ('attempt', new.id);
END;
