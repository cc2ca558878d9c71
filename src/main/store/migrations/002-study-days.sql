-- Schema version 2: the learning loop.
-- `study_day` is the day an answer counts for, after the user's rollover hour, as a number of
-- days since 1970-01-01 in local time; the service computes it (SQLite cannot know the hour).
ALTER TABLE review_log ADD COLUMN study_day INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_log ADD COLUMN deck_id TEXT NOT NULL DEFAULT '';
CREATE INDEX review_log_day ON review_log(study_day, deck_id);

-- Per day and deck totals, kept by triggers, so Stats reads a few hundred rows instead of
-- scanning a million log rows. `reviews_mature*` counts answers to cards that were in review
-- state (true retention is measured on those).
CREATE TABLE review_daily (
  study_day INTEGER NOT NULL,
  deck_id TEXT NOT NULL,
  answers INTEGER NOT NULL DEFAULT 0,
  passed INTEGER NOT NULL DEFAULT 0,
  review_answers INTEGER NOT NULL DEFAULT 0,
  review_passed INTEGER NOT NULL DEFAULT 0,
  new_cards INTEGER NOT NULL DEFAULT 0,
  duration_ms INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (study_day, deck_id)
) WITHOUT ROWID;

CREATE TRIGGER review_daily_insert AFTER INSERT ON review_log BEGIN
  INSERT INTO review_daily (study_day, deck_id, answers, passed, review_answers, review_passed, new_cards, duration_ms)
  VALUES (new.study_day, new.deck_id, 1, new.rating > 1, new.state = 2, new.state = 2 AND new.rating > 1, new.state = 0, new.duration_ms)
  ON CONFLICT (study_day, deck_id) DO UPDATE SET
    answers = answers + 1,
    passed = passed + (new.rating > 1),
    review_answers = review_answers + (new.state = 2),
    review_passed = review_passed + (new.state = 2 AND new.rating > 1),
    new_cards = new_cards + (new.state = 0),
    duration_ms = duration_ms + new.duration_ms;
END;

CREATE TRIGGER review_daily_delete AFTER DELETE ON review_log BEGIN
  UPDATE review_daily SET
    answers = answers - 1,
    passed = passed - (old.rating > 1),
    review_answers = review_answers - (old.state = 2),
    review_passed = review_passed - (old.state = 2 AND old.rating > 1),
    new_cards = new_cards - (old.state = 0),
    duration_ms = duration_ms - old.duration_ms
  WHERE study_day = old.study_day AND deck_id = old.deck_id;
END;

-- The queue across all decks reads active cards by state and due time, and new cards in
-- deck order; the per-deck queue uses cards_queue and cards_new_in_deck.
CREATE INDEX cards_state_due ON cards(state, due) WHERE retired_at IS NULL AND suspended = 0;
CREATE INDEX cards_new_order ON cards(position) WHERE state = 0 AND retired_at IS NULL AND suspended = 0;
CREATE INDEX cards_new_in_deck ON cards(deck_id, position) WHERE state = 0 AND retired_at IS NULL AND suspended = 0;
-- Browse sorts.
CREATE INDEX cards_interval ON cards(scheduled_days);
CREATE INDEX cards_lapses ON cards(lapses);
