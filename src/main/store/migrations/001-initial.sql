-- Retransmit collection, schema version 1.
-- Times are integers in milliseconds since the Unix epoch (UTC).
-- Every entity row has `seq`, an INTEGER PRIMARY KEY, so that the FTS5 external-content
-- tables can key on a rowid that VACUUM never renumbers; `id` is the stable public id.

CREATE TABLE decks (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  position INTEGER NOT NULL DEFAULT 0,
  origin TEXT NOT NULL DEFAULT 'content' CHECK (origin IN ('content', 'user', 'import')),
  source_file TEXT,
  content_hash TEXT,
  retired_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE notes (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  deck_id TEXT NOT NULL REFERENCES decks(id),
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  tags TEXT NOT NULL DEFAULT '',
  origin TEXT NOT NULL DEFAULT 'content' CHECK (origin IN ('content', 'user', 'import')),
  source_file TEXT,
  source_line INTEGER,
  content_hash TEXT,
  retired_at INTEGER,
  -- Set when the user edits the text in the app; sync then keeps the user's text and parks
  -- any newer shipped version in `shipped_json` instead of overwriting.
  user_edited_at INTEGER,
  shipped_json TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX notes_deck ON notes(deck_id);

CREATE TABLE cards (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  deck_id TEXT NOT NULL REFERENCES decks(id),
  note_id TEXT REFERENCES notes(id),
  kind TEXT NOT NULL CHECK (kind IN ('basic', 'cloze', 'drill')),
  cloze_ordinal INTEGER,
  front TEXT NOT NULL,
  back TEXT NOT NULL,
  tags TEXT NOT NULL DEFAULT '',
  drills TEXT NOT NULL DEFAULT '',
  position INTEGER NOT NULL DEFAULT 0,
  origin TEXT NOT NULL DEFAULT 'content' CHECK (origin IN ('content', 'user', 'import')),
  source_file TEXT,
  source_line INTEGER,
  content_hash TEXT,
  retired_at INTEGER,
  user_edited_at INTEGER,
  shipped_json TEXT,
  -- FSRS memory state, as ts-fsrs's Card. state: 0 new, 1 learning, 2 review, 3 relearning.
  state INTEGER NOT NULL DEFAULT 0 CHECK (state BETWEEN 0 AND 3),
  due INTEGER NOT NULL DEFAULT 0,
  stability REAL NOT NULL DEFAULT 0,
  difficulty REAL NOT NULL DEFAULT 0,
  elapsed_days INTEGER NOT NULL DEFAULT 0,
  scheduled_days INTEGER NOT NULL DEFAULT 0,
  learning_steps INTEGER NOT NULL DEFAULT 0,
  reps INTEGER NOT NULL DEFAULT 0,
  lapses INTEGER NOT NULL DEFAULT 0,
  last_review INTEGER,
  suspended INTEGER NOT NULL DEFAULT 0 CHECK (suspended IN (0, 1)),
  buried_until INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- The queue and the Home counts read active cards of a deck by state and due time.
CREATE INDEX cards_queue ON cards(deck_id, state, due) WHERE retired_at IS NULL AND suspended = 0;
CREATE INDEX cards_deck ON cards(deck_id, position);
CREATE INDEX cards_note ON cards(note_id);

CREATE TABLE quiz_items (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  deck_id TEXT NOT NULL REFERENCES decks(id),
  -- The card this item tests (a plain id, not a foreign key: the card may be retired).
  card_id TEXT,
  type TEXT NOT NULL CHECK (type IN ('choice', 'truefalse', 'typein', 'cloze', 'order', 'match')),
  prompt TEXT NOT NULL,
  data TEXT NOT NULL,
  explanation TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '',
  drills TEXT NOT NULL DEFAULT '',
  position INTEGER NOT NULL DEFAULT 0,
  origin TEXT NOT NULL DEFAULT 'content' CHECK (origin IN ('content', 'user', 'import')),
  source_file TEXT,
  source_line INTEGER,
  content_hash TEXT,
  retired_at INTEGER,
  user_edited_at INTEGER,
  shipped_json TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX quiz_items_deck ON quiz_items(deck_id, position);

CREATE TABLE drills (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  deck_id TEXT NOT NULL REFERENCES decks(id),
  title TEXT NOT NULL,
  meta TEXT NOT NULL DEFAULT '{}',
  content_hash TEXT,
  retired_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX drills_deck ON drills(deck_id);

-- Append-only: one row per answer, with what an FSRS optimizer needs. `prev_card` is the
-- card's scheduling state before the answer, so undo can restore it exactly.
CREATE TABLE review_log (
  id INTEGER PRIMARY KEY,
  card_id TEXT NOT NULL REFERENCES cards(id),
  reviewed_at INTEGER NOT NULL,
  rating INTEGER NOT NULL CHECK (rating BETWEEN 0 AND 4),
  state INTEGER NOT NULL,
  due INTEGER NOT NULL,
  stability REAL NOT NULL,
  difficulty REAL NOT NULL,
  elapsed_days INTEGER NOT NULL,
  last_elapsed_days INTEGER NOT NULL,
  scheduled_days INTEGER NOT NULL,
  learning_steps INTEGER NOT NULL DEFAULT 0,
  duration_ms INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL DEFAULT 'review' CHECK (source IN ('review', 'quiz', 'drill', 'manual')),
  prev_card TEXT NOT NULL
);
CREATE INDEX review_log_card ON review_log(card_id, reviewed_at);
CREATE INDEX review_log_time ON review_log(reviewed_at);

CREATE TABLE drill_attempts (
  id INTEGER PRIMARY KEY,
  drill_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('run', 'submit')),
  status TEXT NOT NULL CHECK (status IN ('pass', 'fail', 'error', 'timeout')),
  passed INTEGER NOT NULL,
  total INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  hints_used INTEGER NOT NULL DEFAULT 0,
  code TEXT NOT NULL,
  result TEXT NOT NULL
);
CREATE INDEX drill_attempts_drill ON drill_attempts(drill_id, at);

CREATE TABLE drill_drafts (
  drill_id TEXT PRIMARY KEY,
  code TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE quiz_sessions (
  id INTEGER PRIMARY KEY,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  config TEXT NOT NULL,
  score INTEGER NOT NULL DEFAULT 0,
  total INTEGER NOT NULL DEFAULT 0,
  duration_ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX quiz_sessions_time ON quiz_sessions(started_at);

CREATE TABLE quiz_answers (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES quiz_sessions(id),
  item_id TEXT NOT NULL,
  answered_at INTEGER NOT NULL,
  correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
  answer TEXT NOT NULL
);
CREATE INDEX quiz_answers_session ON quiz_answers(session_id);
CREATE INDEX quiz_answers_item ON quiz_answers(item_id, answered_at);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Full-text search over card and note text, kept in step by triggers.
CREATE VIRTUAL TABLE cards_fts USING fts5(
  front, back, tags, content = 'cards', content_rowid = 'seq', tokenize = 'porter unicode61'
);
CREATE TRIGGER cards_fts_insert AFTER INSERT ON cards BEGIN
  INSERT INTO cards_fts(rowid, front, back, tags) VALUES (new.seq, new.front, new.back, new.tags);
END;
CREATE TRIGGER cards_fts_delete AFTER DELETE ON cards BEGIN
  INSERT INTO cards_fts(cards_fts, rowid, front, back, tags) VALUES ('delete', old.seq, old.front, old.back, old.tags);
END;
CREATE TRIGGER cards_fts_update AFTER UPDATE OF front, back, tags ON cards BEGIN
  INSERT INTO cards_fts(cards_fts, rowid, front, back, tags) VALUES ('delete', old.seq, old.front, old.back, old.tags);
  INSERT INTO cards_fts(rowid, front, back, tags) VALUES (new.seq, new.front, new.back, new.tags);
END;

CREATE VIRTUAL TABLE notes_fts USING fts5(
  title, body, tags, content = 'notes', content_rowid = 'seq', tokenize = 'porter unicode61'
);
CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
  INSERT INTO notes_fts(rowid, title, body, tags) VALUES (new.seq, new.title, new.body, new.tags);
END;
CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes BEGIN
  INSERT INTO notes_fts(notes_fts, rowid, title, body, tags) VALUES ('delete', old.seq, old.title, old.body, old.tags);
END;
CREATE TRIGGER notes_fts_update AFTER UPDATE OF title, body, tags ON notes BEGIN
  INSERT INTO notes_fts(notes_fts, rowid, title, body, tags) VALUES ('delete', old.seq, old.title, old.body, old.tags);
  INSERT INTO notes_fts(rowid, title, body, tags) VALUES (new.seq, new.title, new.body, new.tags);
END;
