-- Schema version 11: the host's record of each attempt at a drill, so a Submit's grade comes
-- from what the host saw rather than what the page says (issue 11). An attempt (a "drill
-- session": drill_attempts, older, holds each Run and Submit) runs from opening the drill to its
-- passing Submit; the hints and the reference solution shown during it are its events.
CREATE TABLE drill_sessions (
  id INTEGER PRIMARY KEY,
  drill_id TEXT NOT NULL,
  -- When the drill page (or `drill start`) opened it, or the act that opened it (ms since epoch).
  opened_at INTEGER NOT NULL,
  -- 0 when a Run, Submit or hint opened it (the CLI without `drill start`): its start is unknown.
  timed INTEGER NOT NULL CHECK (timed IN (0, 1)),
  -- Its passing Submit, or when it was abandoned (opened over a day ago and never passed).
  ended_at INTEGER
);
CREATE INDEX drill_sessions_drill ON drill_sessions(drill_id, ended_at);

CREATE TABLE drill_session_events (
  session_id INTEGER NOT NULL REFERENCES drill_sessions(id),
  at INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('hint', 'solution')),
  -- The hint's number (1-based) for a hint; 0 for the solution.
  hint INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX drill_session_events_session ON drill_session_events(session_id, kind);

-- Each Run and Submit belongs to an attempt; a Submit keeps the grade it was given (1-4, or NULL).
ALTER TABLE drill_attempts ADD COLUMN session_id INTEGER REFERENCES drill_sessions(id);
ALTER TABLE drill_attempts ADD COLUMN grade INTEGER CHECK (grade IN (1, 2, 3, 4));
CREATE INDEX drill_attempts_session ON drill_attempts(session_id, mode);
